/** What a task needs to run: the deployment descriptor in plain form (it crosses to worker threads). */
import { isAbsolute } from 'node:path';
import { eddy, parseJobConfig, ValidationError, type CheckpointingMode, type JobConfig, type PartitionerName } from '@eddy/common';
import { fromRestoreJson } from '../checkpoint/checkpoint-wire-format.js';
import type { TaskCheckpointSnapshot } from '../checkpoint/task-checkpoint-snapshot.js';

export interface InputGateSpec {
  gateIndex: number;
  inputIndex: number;
  partitioner: PartitionerName;
  numChannels: number;
  sourceVertex: string;
}

export interface ConsumerSpec {
  host: string;
  port: number;
  taskKey: string;
  gateIndex: number;
}

export interface OutputSpec {
  partitioner: PartitionerName;
  sideOutputTag?: string;
  /** The chain operator that writes this output; absent = the chain's last operator. */
  sourceOperator?: string;
  targetVertex: string;
  consumers: ConsumerSpec[];
}

/** Present when the job takes checkpoints. */
export interface TaskCheckpointing {
  mode: CheckpointingMode;
  /** Absolute: `<checkpoint dir>/<job id>`; the task writes checkpoint n under `chk-<n>/<vertex>-<subtask>`. */
  checkpointDir: string;
  /** Absolute: where incremental LevelDB snapshots put their shared table files; absent = full snapshots. */
  sharedDir?: string;
}

/** The checkpoint a task is restored from: what this subtask acknowledged in it. */
export interface TaskRestore {
  checkpointId: number;
  state: TaskCheckpointSnapshot;
}

export interface TaskDescriptor {
  jobId: string;
  attemptId: string;
  jobName: string;
  vertexId: string;
  subtaskIndex: number;
  parallelism: number;
  maxParallelism: number;
  slotIndex: number;
  operatorIds: string[];
  inputs: InputGateSpec[];
  outputs: OutputSpec[];
  taskKey: string;
  config: JobConfig;
  /** Absent: the job takes no checkpoints and the task runs as without them. */
  checkpointing?: TaskCheckpointing;
  restore?: TaskRestore;
}

const NAMES: Record<number, PartitionerName> = {
  [eddy.v1.Partitioner.FORWARD]: 'forward',
  [eddy.v1.Partitioner.REBALANCE]: 'rebalance',
  [eddy.v1.Partitioner.HASH]: 'hash',
  [eddy.v1.Partitioner.BROADCAST]: 'broadcast',
  [eddy.v1.Partitioner.RESCALE]: 'rescale',
};

function partitionerName(p: number): PartitionerName {
  const n = NAMES[p];
  if (!n) throw new Error(`unknown partitioner ${p}`);
  return n;
}

export function taskDescriptorFromProto(t: eddy.v1.TaskDeploymentDescriptor): TaskDescriptor {
  // Compiled again here: a TaskManager must not trust the options it is sent.
  const config = parseJobConfig(t.configJson ?? '');
  const checkpointing = t.checkpointingJson ? checkpointingFromJson(t.checkpointingJson) : undefined;
  const restored = checkpointing ? fromRestoreJson(t.restoreJson ?? '', checkpointing.checkpointDir) : undefined;
  return {
    ...(checkpointing ? { checkpointing } : {}),
    ...(restored ? { restore: restored } : {}),
    jobId: t.jobId,
    attemptId: t.attemptId,
    jobName: t.jobName,
    vertexId: t.vertexId,
    subtaskIndex: t.subtaskIndex,
    parallelism: t.parallelism,
    maxParallelism: t.maxParallelism,
    slotIndex: t.slotIndex,
    operatorIds: [...t.operatorIds],
    taskKey: t.taskKey,
    config,
    inputs: t.inputs.map((g) => ({
      gateIndex: g.gateIndex ?? 0,
      inputIndex: g.inputIndex ?? 0,
      partitioner: partitionerName(g.partitioner ?? 0),
      numChannels: g.numChannels ?? 0,
      sourceVertex: g.sourceVertex ?? '',
    })),
    outputs: t.outputs.map((o) => ({
      partitioner: partitionerName(o.partitioner ?? 0),
      ...(o.sideOutputTag ? { sideOutputTag: o.sideOutputTag } : {}),
      ...(o.sourceOperator ? { sourceOperator: o.sourceOperator } : {}),
      targetVertex: o.targetVertex ?? '',
      consumers: (o.consumers ?? []).map((c) => ({ host: c.host ?? '', port: c.port ?? 0, taskKey: c.taskKey ?? '', gateIndex: c.gateIndex ?? 0 })),
    })),
  };
}

/** The deployment's checkpointing_json: the mode and the job's absolute checkpoint directories. */
function checkpointingFromJson(json: string): TaskCheckpointing {
  const c = JSON.parse(json) as { mode?: unknown; checkpointDir?: unknown; sharedDir?: unknown };
  if ((c.mode !== 'exactly-once' && c.mode !== 'at-least-once') || typeof c.checkpointDir !== 'string' || !isAbsolute(c.checkpointDir)) {
    throw new ValidationError('checkpointing_json needs a mode and an absolute checkpointDir');
  }
  if (c.sharedDir !== undefined && (typeof c.sharedDir !== 'string' || !isAbsolute(c.sharedDir))) throw new ValidationError('checkpointing_json: sharedDir must be absolute');
  return { mode: c.mode, checkpointDir: c.checkpointDir, ...(c.sharedDir !== undefined ? { sharedDir: c.sharedDir as string } : {}) };
}
