/**
 * The context a trigger is called with: timers and state of the current key and window. Trigger state
 * is stored under 'trigger-' + the name the trigger gives it, in the window's namespace; in onMerge the
 * context also merges that state from the merged windows into the result.
 */
import type {
  ListState,
  ListStateSpec,
  OnMergeContext,
  ReducingState,
  ReducingStateSpec,
  StateSpec,
  StateSpecOrDescriptor,
  TimeWindowLike,
  ValueState,
  ValueStateSpec,
} from '@eddy/common';
import type { KeyedStateBackend, Namespaced } from '../../state/keyed-state-backend.js';
import type { InternalTimerService } from '../../time/internal-timer-service.js';
import { windowNamespace } from './window-namespace.js';

export const TRIGGER_STATE_PREFIX = 'trigger-';

export class WindowTriggerContext implements OnMergeContext {
  /** The window the trigger is called for; its namespace scopes timers and state. */
  private namespace = '';
  /** Set during onMerge: the windows being merged into the current one. */
  mergedWindows: readonly TimeWindowLike[] = [];
  private readonly states = new Map<string, Namespaced>();

  constructor(
    private readonly operatorId: string,
    private readonly backend: KeyedStateBackend,
    private readonly timers: InternalTimerService,
  ) {}

  setWindow(window: TimeWindowLike): this {
    this.namespace = windowNamespace(window);
    return this;
  }

  currentWatermark(): number {
    return this.timers.currentWatermark();
  }
  currentProcessingTime(): number {
    return this.timers.currentProcessingTime();
  }
  registerEventTimeTimer(timestamp: number): void {
    this.timers.registerEventTimeTimer(this.namespace, timestamp);
  }
  deleteEventTimeTimer(timestamp: number): void {
    this.timers.deleteEventTimeTimer(this.namespace, timestamp);
  }
  registerProcessingTimeTimer(timestamp: number): void {
    this.timers.registerProcessingTimeTimer(this.namespace, timestamp);
  }
  deleteProcessingTimeTimer(timestamp: number): void {
    this.timers.deleteProcessingTimeTimer(this.namespace, timestamp);
  }

  getValueState<T>(spec: StateSpecOrDescriptor<ValueStateSpec, T>): ValueState<T> {
    return this.state(specOf(spec), (s) => this.backend.getValueState<T>(this.operatorId, s)) as ValueState<T> & Namespaced;
  }
  getListState<T>(spec: StateSpecOrDescriptor<ListStateSpec, T>): ListState<T> {
    return this.state(specOf(spec), (s) => this.backend.getListState<T>(this.operatorId, s)) as ListState<T> & Namespaced;
  }
  getReducingState<T>(spec: StateSpecOrDescriptor<ReducingStateSpec, T>): ReducingState<T> {
    return this.state(specOf(spec), (s) => this.backend.getReducingState<T>(this.operatorId, s)) as ReducingState<T> & Namespaced;
  }

  mergeReducingState(spec: StateSpecOrDescriptor<ReducingStateSpec, unknown>): void {
    const state = this.getReducingState<unknown>(spec) as ReducingState<unknown> & Namespaced;
    const values = this.drainMerged(state, () => state.get());
    for (const v of values) state.add(v);
  }

  mergeListState(spec: StateSpecOrDescriptor<ListStateSpec, unknown>): void {
    const state = this.getListState<unknown>(spec) as ListState<unknown> & Namespaced;
    const lists = this.drainMerged(state, () => state.get());
    for (const l of lists) if (l.length > 0) state.addAll(l);
  }

  /** Reads and clears the state of every merged window, then scopes `state` to the current window. */
  private drainMerged<V, S extends Namespaced & { clear(): void }>(state: S, read: () => V | undefined): V[] {
    const target = this.namespace;
    const values: V[] = [];
    for (const w of this.mergedWindows) {
      const ns = windowNamespace(w);
      if (ns === target) continue;
      state.setNamespace(ns);
      const v = read();
      if (v !== undefined) values.push(v);
      state.clear();
    }
    state.setNamespace(target);
    return values;
  }

  private state<S extends StateSpec>(spec: S, create: (prefixed: S) => Namespaced): Namespaced {
    let s = this.states.get(spec.name);
    if (!s) {
      s = create({ ...spec, name: TRIGGER_STATE_PREFIX + spec.name });
      this.states.set(spec.name, s);
    }
    s.setNamespace(this.namespace);
    return s;
  }
}

function specOf<S extends StateSpec>(spec: StateSpecOrDescriptor<S, unknown>): S {
  if (spec && typeof spec === 'object' && 'spec' in spec && typeof spec.spec === 'object') return spec.spec;
  if (!spec || typeof (spec as S).name !== 'string') throw new TypeError('a trigger asked for state without a state descriptor');
  return spec as S;
}
