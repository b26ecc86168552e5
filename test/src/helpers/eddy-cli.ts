/** Running the `eddy` command as a real process and collecting what a user would see. */
import { execFile } from 'node:child_process';
import { cliMain } from './cluster.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** Runs `node packages/cli/lib/main.js ...args` to its end; never rejects on a non-zero exit. */
export function eddy(args: string[], options: CliRunOptions = {}): Promise<CliResult> {
  return runCommand(process.execPath, [cliMain, ...args], options);
}

export function runCommand(file: string, args: string[], options: CliRunOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd: options.cwd, env: options.env, timeout: options.timeoutMs ?? 60_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') reject(new Error(`${file} ${args.join(' ')} did not exit normally: ${err.message}\n${stderr}`));
      else resolve({ code: err ? (err.code as number) : 0, stdout, stderr });
    });
  });
}

/** stderr split into its non-empty lines. */
export function lines(s: string): string[] {
  return s.split('\n').filter((l) => l !== '');
}
