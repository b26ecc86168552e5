/** Lifecycles as string unions with their allowed transitions in one place; an illegal transition throws. */
import { IllegalStateError } from './errors.js';

// RESTARTING: the job failed, its tasks stopped, and it waits for its restart delay and its slots to run
// again from its latest checkpoint (jobs that checkpoint, with a restart strategy other than none).
export type JobState = 'CREATED' | 'RUNNING' | 'FINISHED' | 'FAILING' | 'FAILED' | 'CANCELING' | 'CANCELED' | 'RESTARTING';
export const JOB_TRANSITIONS: Record<JobState, readonly JobState[]> = {
  CREATED: ['RUNNING', 'FAILED', 'CANCELING', 'CANCELED'],
  RUNNING: ['FINISHED', 'FAILING', 'CANCELING'],
  FAILING: ['FAILED', 'RESTARTING'],
  RESTARTING: ['RUNNING', 'FAILED', 'CANCELED'],
  CANCELING: ['CANCELED', 'FAILED'],
  FINISHED: [],
  FAILED: [],
  CANCELED: [],
};

export type ExecutionState = 'CREATED' | 'DEPLOYING' | 'RUNNING' | 'FINISHED' | 'CANCELING' | 'CANCELED' | 'FAILED';
export const EXECUTION_TRANSITIONS: Record<ExecutionState, readonly ExecutionState[]> = {
  CREATED: ['DEPLOYING', 'CANCELED', 'FAILED'],
  DEPLOYING: ['RUNNING', 'FINISHED', 'CANCELING', 'CANCELED', 'FAILED'],
  RUNNING: ['FINISHED', 'CANCELING', 'CANCELED', 'FAILED'],
  CANCELING: ['CANCELED', 'FAILED', 'FINISHED'],
  FINISHED: [],
  CANCELED: [],
  FAILED: [],
};

export function isTerminalJobState(s: string): boolean {
  return s === 'FINISHED' || s === 'FAILED' || s === 'CANCELED';
}

export function isTerminalExecutionState(s: string): boolean {
  return s === 'FINISHED' || s === 'FAILED' || s === 'CANCELED';
}

export function checkTransition<S extends string>(table: Record<S, readonly S[]>, what: string, from: S, to: S): void {
  if (!table[from].includes(to)) throw new IllegalStateError(`${what}: illegal transition ${from} -> ${to}`);
}
