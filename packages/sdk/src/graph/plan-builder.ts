/**
 * Collects the operators and edges a job function declares and turns them into a JobPlan. Operator ids
 * are the user's uid() or derived from the graph position (kind, input ids, ordinal among equal
 * siblings) — stable across runs and processes as long as the job function builds the same graph.
 */
import {
  DEFAULT_JOB_CONFIG,
  DEFAULT_MAX_PARALLELISM,
  defaultRestartStrategy,
  murmur3,
  validatePlanCheckpointing,
  type JobConfig,
  type JobPlan,
  type OperatorSpec,
  type PartitionerName,
  type PlanEdge,
  type PlanNode,
  type RestartStrategyConfig,
} from '@eddy/common';

export interface StreamRef {
  readonly node: MutableNode;
  readonly partitioner?: PartitionerName;
  readonly keySelector?: (value: unknown) => unknown;
  /** Reads this side output of `node` instead of its main output. */
  readonly sideOutputTag?: string;
}

export interface MutableNode {
  readonly index: number;
  readonly spec: OperatorSpec;
  name: string;
  uid?: string;
  parallelism?: number;
  chaining: boolean;
  deadLetters: boolean;
  readonly inputs: { ref: StreamRef; inputIndex: number }[];
}

const UID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

export function checkUid(uid: string): string {
  if (!UID_PATTERN.test(uid)) {
    throw new TypeError(`uid '${uid}' is invalid: use 1-64 letters, digits, '.', '_' or '-'`);
  }
  return uid;
}

export class PlanBuilder {
  private readonly nodes: MutableNode[] = [];
  jobName: string | undefined;
  defaultParallelism: number;
  maxParallelism = DEFAULT_MAX_PARALLELISM;
  chaining = true;
  config: JobConfig = { ...DEFAULT_JOB_CONFIG };
  /** The user's choice; unset, build() takes the default for the checkpointing in force then. */
  restartStrategy: RestartStrategyConfig | undefined;

  constructor(defaultParallelism: number) {
    this.defaultParallelism = defaultParallelism;
  }

  add(spec: OperatorSpec, name: string, inputs: readonly StreamRef[], inputIndexes?: readonly number[]): MutableNode {
    const node: MutableNode = {
      index: this.nodes.length,
      spec,
      name,
      chaining: true,
      deadLetters: false,
      inputs: inputs.map((ref, i) => ({ ref, inputIndex: inputIndexes?.[i] ?? 0 })),
    };
    this.nodes.push(node);
    return node;
  }

  build(defaultJobName: string): JobPlan {
    const ids: string[] = [];
    const seen = new Map<string, number>();
    const used = new Set<string>();
    for (const n of this.nodes) {
      let id = n.uid;
      if (id === undefined) {
        const signature = `${n.spec.kind}|${n.inputs.map((i) => ids[i.ref.node.index]).join(',')}`;
        const ordinal = seen.get(signature) ?? 0;
        seen.set(signature, ordinal + 1);
        id = `${n.spec.kind}-${murmur3(new TextEncoder().encode(`${signature}|${ordinal}`)).toString(16).padStart(8, '0')}`;
      }
      if (used.has(id)) throw new TypeError(`operator id '${id}' is used twice: give each operator a unique uid()`);
      used.add(id);
      ids.push(id);
    }
    const parallelismOf = (n: MutableNode): number => n.parallelism ?? this.defaultParallelism;
    const nodes: PlanNode[] = this.nodes.map((n) => ({
      id: ids[n.index]!,
      name: n.name,
      uid: n.uid !== undefined,
      parallelism: parallelismOf(n),
      spec: n.spec,
      chaining: this.chaining && n.chaining,
      deadLetters: n.deadLetters,
    }));
    const edges: PlanEdge[] = [];
    for (const n of this.nodes) {
      for (const { ref, inputIndex } of n.inputs) {
        const partitioner = ref.partitioner ?? (parallelismOf(ref.node) === parallelismOf(n) ? 'forward' : 'rebalance');
        edges.push({
          source: ids[ref.node.index]!,
          target: ids[n.index]!,
          partitioner,
          inputIndex,
          ...(ref.keySelector ? { keySelector: ref.keySelector } : {}),
          ...(ref.sideOutputTag !== undefined ? { sideOutputTag: ref.sideOutputTag } : {}),
        });
      }
    }
    const plan: JobPlan = {
      name: this.jobName ?? defaultJobName,
      defaultParallelism: this.defaultParallelism,
      maxParallelism: this.maxParallelism,
      nodes,
      edges,
      config: { ...this.config, restartStrategy: this.restartStrategy ?? defaultRestartStrategy(this.config.checkpointing) },
    };
    // Here, because every submission builds the plan (the client, then the JobManager from the
    // artifact): a source that cannot be rewound is rejected before anything runs.
    validatePlanCheckpointing(plan);
    return plan;
  }
}
