/**
 * A cluster started the way a user starts one by hand: `node packages/cli/lib/main.js jobmanager` and
 * `... taskmanager`, with no node flags (LocalCluster adds its own, so it cannot show what a plain
 * start lacks). Logs go to files in the cluster's directory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { stopProcess } from '@eddy/cli';
import { EddyClient } from '@eddy/sdk/client';
import { cliMain, tempDir } from './cluster.js';

export interface HandStartedCluster {
  readonly address: string;
  readonly dir: string;
  /** Each TaskManager's --data-dir. */
  readonly taskManagerDirs: string[];
}

/** Runs `eddy <args>` until it logs `readyMsg`; resolves with the child and the port it logged. */
function startCli(args: string[], readyMsg: string, logFile: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [cliMain, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  const log = createWriteStream(logFile);
  child.on('exit', () => log.end());
  return new Promise((resolve, reject) => {
    let ready = false;
    createInterface({ input: child.stderr! }).on('line', (line) => {
      log.write(line + '\n');
      if (ready || !line.includes(readyMsg)) return;
      const rec = JSON.parse(line) as { msg?: string; port?: number };
      if (rec.msg === readyMsg && typeof rec.port === 'number') {
        ready = true;
        resolve({ child, port: rec.port });
      }
    });
    child.on('exit', (code) => {
      if (!ready) reject(new Error(`eddy ${args[0]} exited before it was ready (code ${code}); see ${logFile}`));
    });
  });
}


export async function withHandStartedCluster<T>(
  options: { taskManagers: number; slots: number },
  body: (cluster: HandStartedCluster, client: EddyClient) => Promise<T>,
): Promise<T> {
  const dir = tempDir('by-hand');
  const children: ChildProcess[] = [];
  let client: EddyClient | undefined;
  try {
    const jm = await startCli(['jobmanager', '--port', '0', '--data-dir', join(dir, 'jobmanager')], 'jobmanager started', join(dir, 'jobmanager.log'));
    children.push(jm.child);
    const address = `127.0.0.1:${jm.port}`;
    const taskManagerDirs = Array.from({ length: options.taskManagers }, (_, i) => join(dir, `taskmanager-${i + 1}`));
    await Promise.all(
      taskManagerDirs.map((tmDir, i) =>
        startCli(['taskmanager', '--jobmanager', address, '--slots', String(options.slots), '--data-dir', tmDir], 'taskmanager started', join(dir, `taskmanager-${i + 1}.log`))
          .then((tm) => children.push(tm.child)),
      ),
    );
    client = new EddyClient({ jobManager: address });
    return await body({ address, dir, taskManagerDirs }, client);
  } finally {
    client?.close();
    await Promise.all(children.map(stopProcess));
    rmSync(dir, { recursive: true, force: true });
  }
}
