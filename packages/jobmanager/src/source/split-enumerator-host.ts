/**
 * SplitEnumeratorHost: runs the split enumerators of one job's sources in the JobManager (Flink's
 * FLIP-27 SourceCoordinator). One enumerator per source operator, created on the first request with the
 * parallelism of the operator's vertex. Enumerators are user code: anything they throw comes out as a
 * SplitEnumeratorError naming the operator, and the caller decides what that means for the job.
 */
import {
  NotFoundError,
  ValidationError,
  type JobGraph,
  type JobPlan,
  type PlanNode,
  type SplitAssignment,
  type SplitEnumerator,
} from '@eddy/common';
import { SplitEnumeratorError } from '../errors.js';

/** What goes on the wire: a split is sent as JSON. */
export type SplitAnswer = { readonly kind: 'split'; readonly splitJson: string } | { readonly kind: 'none-yet' } | { readonly kind: 'no-more' };

export class SplitEnumeratorHost {
  private readonly enumerators = new Map<string, SplitEnumerator<unknown>>();
  private readonly parallelismOf = new Map<string, number>();

  constructor(
    private readonly plan: JobPlan,
    graph: JobGraph,
    /** Enumerator states of the checkpoint a restart restores, by operator id. */
    private readonly restored: ReadonlyMap<string, unknown> = new Map(),
  ) {
    for (const v of graph.vertices) for (const op of v.operators) this.parallelismOf.set(op.id, v.parallelism);
  }

  /**
   * Answers reader `subtask` of source `operatorId`. Throws NotFoundError / ValidationError for requests
   * that name no source or a subtask out of range, and SplitEnumeratorError when the enumerator fails.
   */
  next(operatorId: string, subtask: number): SplitAnswer {
    const node = this.plan.nodes.find((n) => n.id === operatorId);
    const parallelism = this.parallelismOf.get(operatorId);
    if (!node || parallelism === undefined || node.spec.kind !== 'source') {
      throw new NotFoundError(`the job has no source operator '${operatorId}'`);
    }
    if (!Number.isInteger(subtask) || subtask < 0 || subtask >= parallelism) {
      throw new ValidationError(`subtask ${subtask} is out of range for source '${operatorId}' of parallelism ${parallelism}`);
    }
    let assignment: SplitAssignment<unknown>;
    try {
      assignment = this.enumeratorFor(node, parallelism).nextSplit(subtask);
      if (assignment.kind === 'split') {
        const splitJson = JSON.stringify(assignment.split);
        if (splitJson === undefined) throw new TypeError('the split is not a JSON value');
        return { kind: 'split', splitJson };
      }
    } catch (e) {
      throw new SplitEnumeratorError(node.id, node.name, e);
    }
    if (assignment.kind === 'none-yet' || assignment.kind === 'no-more') return { kind: assignment.kind };
    throw new SplitEnumeratorError(node.id, node.name, new TypeError(`nextSplit() returned an unknown kind '${String((assignment as { kind?: unknown }).kind)}'`));
  }

  /**
   * The state of every source's enumerator for checkpoint `checkpointId` (splits not handed out yet),
   * creating enumerators no reader has asked yet. Throws SplitEnumeratorError naming the source when
   * its enumerator cannot snapshot.
   */
  snapshot(checkpointId: number): { operatorId: string; state: unknown }[] {
    const out: { operatorId: string; state: unknown }[] = [];
    for (const node of this.plan.nodes) {
      const parallelism = this.parallelismOf.get(node.id);
      if (node.spec.kind !== 'source' || parallelism === undefined) continue;
      const enumerator = this.enumeratorFor(node, parallelism);
      if (typeof enumerator.snapshotState !== 'function') {
        throw new SplitEnumeratorError(node.id, node.name, new TypeError('its split enumerator has no snapshotState(), so the source cannot take part in checkpoints'));
      }
      try {
        out.push({ operatorId: node.id, state: enumerator.snapshotState(checkpointId) });
      } catch (e) {
        throw new SplitEnumeratorError(node.id, node.name, e);
      }
    }
    return out;
  }

  /** Closes every enumerator; errors from user code are returned, not thrown. */
  close(): unknown[] {
    const errors: unknown[] = [];
    for (const enumerator of this.enumerators.values()) {
      try {
        enumerator.close?.();
      } catch (e) {
        errors.push(e);
      }
    }
    this.enumerators.clear();
    return errors;
  }

  private enumeratorFor(node: PlanNode, parallelism: number): SplitEnumerator<unknown> {
    let enumerator = this.enumerators.get(node.id);
    if (!enumerator) {
      if (node.spec.kind !== 'source') throw new TypeError(`'${node.id}' is not a source`);
      const source = node.spec.source;
      const state = this.restored.get(node.id);
      enumerator =
        state !== undefined && typeof source.restoreEnumerator === 'function'
          ? source.restoreEnumerator({ parallelism }, state)
          : source.createEnumerator({ parallelism });
      this.enumerators.set(node.id, enumerator);
    }
    return enumerator;
  }
}
