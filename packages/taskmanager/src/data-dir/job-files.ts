/**
 * JobFiles: what a TaskManager keeps on disk for each job — its artifact and its tasks' keyed state —
 * and when it lets go of it. The TaskExecutor tells it when an attempt starts being deployed and when
 * it ends; when a job's last attempt on this TaskManager ends (finished, canceled or failed), the job's
 * files are removed, except what the retention policy keeps (a later checkpointing feature keeps the
 * state that local recovery from a retained checkpoint needs).
 *
 * Invariants: a job's files are removed only while none of its attempts is deployed or being deployed
 * here; a deployment that starts while a removal runs waits for it before it fetches the artifact, so
 * removal never races a task creating its state folder. Every removal goes through removeInside.
 * Main thread only.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage, writeFileAtomic, type Logger } from '@eddy/common';
import { artifactsDir, isSlotDirName, jobArtifactDir, jobStateDir } from './data-dir-layout.js';
import { removeInside } from './remove-inside.js';

/** One file or folder of an ended job that cleanup would remove. */
export interface JobFile {
  readonly jobId: string;
  /** 'artifact': the job's artifact folder; 'keyed-state': one task attempt's state folder in one slot. */
  readonly kind: 'artifact' | 'keyed-state';
  readonly path: string;
}

/** Decides which of an ended job's files stay on this TaskManager. */
export interface JobFileRetention {
  keep(file: JobFile): boolean;
}

/** Nothing outlives its job while there are no checkpoints to recover from. */
export const KEEP_NOTHING: JobFileRetention = { keep: () => false };

export interface LocalArtifact {
  path: string;
  args: string[];
}

export class JobFiles {
  private readonly attemptsOfJob = new Map<string, Set<string>>();
  private readonly jobOfAttempt = new Map<string, string>();
  private readonly artifacts = new Map<string, Promise<LocalArtifact>>();
  private readonly removals = new Map<string, Promise<void>>();

  constructor(
    private readonly dataDir: string,
    private readonly logger: Logger,
    private readonly retention: JobFileRetention = KEEP_NOTHING,
  ) {
    mkdirSync(artifactsDir(dataDir), { recursive: true });
  }

  /** An attempt of `jobId` is being deployed here: the job's files stay until it ends. */
  attemptStarted(jobId: string, attemptId: string): void {
    let attempts = this.attemptsOfJob.get(jobId);
    if (!attempts) this.attemptsOfJob.set(jobId, (attempts = new Set()));
    attempts.add(attemptId);
    this.jobOfAttempt.set(attemptId, jobId);
  }

  /** The attempt ended, or its deployment failed. When it was its job's last here, the job's files go. */
  attemptEnded(attemptId: string): void {
    const jobId = this.jobOfAttempt.get(attemptId);
    if (jobId === undefined) return;
    this.jobOfAttempt.delete(attemptId);
    const attempts = this.attemptsOfJob.get(jobId);
    attempts?.delete(attemptId);
    if (attempts && attempts.size > 0) return;
    this.attemptsOfJob.delete(jobId);
    this.artifacts.delete(jobId);
    const removal = (this.removals.get(jobId) ?? Promise.resolve())
      .then(() => this.removeJob(jobId))
      .catch((e: unknown) => this.logger.warn('cannot remove job files', { jobId, error: errorMessage(e) }))
      .finally(() => {
        if (this.removals.get(jobId) === removal) this.removals.delete(jobId);
      });
    this.removals.set(jobId, removal);
  }

  /** The job's artifact on local disk, fetched once while the job has attempts here. */
  artifact(jobId: string, fetch: () => Promise<{ artifact: Uint8Array; args: string[] }>): Promise<LocalArtifact> {
    let p = this.artifacts.get(jobId);
    if (!p) {
      p = (async () => {
        await this.removals.get(jobId);
        const res = await fetch();
        const dir = jobArtifactDir(this.dataDir, jobId);
        mkdirSync(dir, { recursive: true });
        const path = join(dir, 'artifact.mjs');
        if (!existsSync(path)) writeFileAtomic(path, res.artifact);
        return { path, args: [...res.args] };
      })();
      p.catch(() => this.artifacts.delete(jobId));
      this.artifacts.set(jobId, p);
    }
    return p;
  }

  private async removeJob(jobId: string): Promise<void> {
    const files = [{ jobId, kind: 'artifact' as const, path: jobArtifactDir(this.dataDir, jobId) }, ...(await this.stateFolders(jobId))];
    const removed: JobFile[] = [];
    for (const f of files) {
      if (this.retention.keep(f)) continue;
      await removeInside(this.dataDir, f.path);
      removed.push(f);
    }
    // A job's state folder in a slot goes once the last task folder in it has gone.
    for (const slotDir of await this.slotDirs()) {
      const dir = jobStateDir(slotDir, jobId);
      if (existsSync(dir) && (await readdir(dir)).length === 0) await removeInside(this.dataDir, dir);
    }
    if (removed.length > 0) this.logger.info('removed job files', { jobId, files: removed.length });
  }

  private async stateFolders(jobId: string): Promise<JobFile[]> {
    const out: JobFile[] = [];
    for (const slotDir of await this.slotDirs()) {
      const dir = jobStateDir(slotDir, jobId);
      if (!existsSync(dir)) continue;
      for (const name of await readdir(dir)) out.push({ jobId, kind: 'keyed-state', path: join(dir, name) });
    }
    return out;
  }

  private async slotDirs(): Promise<string[]> {
    return (await readdir(this.dataDir)).filter(isSlotDirName).map((name) => join(this.dataDir, name));
  }
}
