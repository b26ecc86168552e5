#!/usr/bin/env node
// Runs the whole ava suite and prints its wall time at the end, so a slow machine or a slow test
// shows in every run's last line. Arguments go to ava unchanged; ava's exit code is ours.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ava = fileURLToPath(new URL('../node_modules/ava/entrypoints/cli.mjs', import.meta.url));
const started = process.hrtime.bigint();
const child = spawn(process.execPath, [ava, ...process.argv.slice(2)], { stdio: 'inherit' });
const forward = (signal) => child.kill(signal);
process.on('SIGINT', forward).on('SIGTERM', forward);
child.on('exit', (code, signal) => {
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const minutes = Math.floor(seconds / 60);
  process.stdout.write(`\ntest suite wall time: ${minutes}m ${(seconds - minutes * 60).toFixed(1)}s (${signal ?? `exit ${code}`})\n`);
  process.exitCode = code ?? 1;
});
