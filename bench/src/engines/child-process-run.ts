/** Runs a benchmark process, samples its CPU and RSS from /proc, and parses its last JSON line. */
import { spawn } from 'node:child_process';
import { cpuSeconds, processTree, rssMiB } from '../process-stats.js';
import type { ProcessUsage } from './measurement.js';

export interface ChildResult {
  json: Record<string, unknown>;
  usage: ProcessUsage;
}

export function runChild(name: string, command: string, args: string[], onTick?: (elapsedS: number) => void): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let peak = 0;
    let cpu = 0;
    const started = Date.now();
    const sample = (): void => {
      // The process and its descendants (run.sh starts the JVM).
      const tree = processTree(child.pid!);
      peak = Math.max(peak, tree.reduce((a, p) => a + rssMiB(p), 0));
      cpu = Math.max(cpu, tree.reduce((a, p) => a + cpuSeconds(p), 0));
      onTick?.((Date.now() - started) / 1000);
    };
    const timer = setInterval(sample, 200);
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
    child.on('error', (e) => {
      clearInterval(timer);
      reject(new Error(`${name}: cannot start ${command}: ${e.message}`));
    });
    child.on('exit', (code, signal) => {
      clearInterval(timer);
      const line = out.trim().split('\n').filter((l) => l.startsWith('{')).pop();
      if (code !== 0 || !line) {
        // The engine processes end their stderr with the failure's cause (RunQuery, the limit).
        const last = err.trim().split('\n').pop() ?? '';
        const how = signal ? `was killed by ${signal}` : code === 0 ? 'printed no result line' : `exited with code ${code}`;
        reject(new Error(`${name} ${how}${last ? `: ${last}` : ''}`));
        return;
      }
      const json = JSON.parse(line) as Record<string, unknown>;
      // The engine's own figure covers just the job (not JVM or MiniCluster start); else our samples.
      const reported = Number(json.cpuSeconds);
      resolve({ json, usage: { name, cpuSeconds: Number.isFinite(reported) && reported > 0 ? reported : cpu, peakRssMiB: peak } });
    });
  });
}
