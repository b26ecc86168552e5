/**
 * ArtifactStore: the job files in the data directory, one folder per job:
 * `<dataDir>/jobs/<jobId>/artifact.mjs` (the bundled job module) and `job.json` (graph, args, submit
 * time, artifact digest). Job ids are checked with isSafeId before they name a folder.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NotFoundError, ValidationError, isSafeId, type JobGraph } from '@eddy/common';

export interface StoredJob {
  readonly jobId: string;
  readonly graph: JobGraph;
  readonly args: readonly string[];
  readonly submitTime: number;
  readonly sha256: string;
}

export interface StoredArtifact {
  readonly bytes: Uint8Array;
  readonly args: readonly string[];
  readonly sha256: string;
}

export class ArtifactStore {
  constructor(readonly dataDir: string) {}

  jobDir(jobId: string): string {
    if (!isSafeId(jobId)) throw new ValidationError(`'${jobId}' is not a valid job id`);
    return join(this.dataDir, 'jobs', jobId);
  }

  artifactPath(jobId: string): string {
    return join(this.jobDir(jobId), 'artifact.mjs');
  }

  /** Writes the artifact and the job description; returns the description and where the artifact is. */
  async save(jobId: string, artifact: Uint8Array, graph: JobGraph, args: readonly string[], submitTime: number): Promise<StoredJob> {
    const dir = this.jobDir(jobId);
    await mkdir(dir, { recursive: true });
    const sha256 = createHash('sha256').update(artifact).digest('hex');
    await writeFile(this.artifactPath(jobId), artifact);
    const job: StoredJob = { jobId, graph, args: [...args], submitTime, sha256 };
    await writeFile(join(dir, 'job.json'), JSON.stringify(job, null, 2) + '\n');
    return job;
  }

  async readArtifact(jobId: string): Promise<StoredArtifact> {
    const dir = this.jobDir(jobId);
    let job: StoredJob;
    let bytes: Uint8Array;
    try {
      job = JSON.parse(await readFile(join(dir, 'job.json'), 'utf8')) as StoredJob;
      bytes = await readFile(this.artifactPath(jobId));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError(`no artifact stored for job '${jobId}'`);
      throw e;
    }
    return { bytes, args: job.args, sha256: job.sha256 };
  }

  /** Removes a job's folder (used when a submission is rejected after its files were written). */
  async remove(jobId: string): Promise<void> {
    await rm(this.jobDir(jobId), { recursive: true, force: true });
  }
}
