/**
 * What a window holds, per window function: the running value of reduce, the accumulator of
 * aggregate (both incremental: one entry per key and window), or every element for process (a
 * list). All three live under the state name 'window-contents' in the window's state namespace, and
 * know how to merge the contents of several windows into one (session windows).
 */
import type { AggregateFunction, Collector, ProcessWindowFunction, TimeWindowLike, WindowFunctionSpec } from '@eddy/common';
import type { InternalListState, InternalValueState, KeyedStateBackend } from '../../state/keyed-state-backend.js';

export const WINDOW_CONTENTS_STATE = 'window-contents';

/** Emits a window's result (the collector stamps it with the window's maxTimestamp()); `process` gets the window's metadata. */
export interface WindowEmitter {
  readonly collector: Collector<unknown>;
  callProcess(fn: ProcessWindowFunction<unknown, unknown>, key: unknown, window: TimeWindowLike, elements: unknown[]): void;
}

export interface WindowContents {
  /** Adds `value` to the window; true when the window held nothing before. */
  add(namespace: string, value: unknown): boolean;
  /** Emits the window's result; nothing when the window is empty. */
  emit(namespace: string, key: unknown, window: TimeWindowLike, emitter: WindowEmitter): void;
  clear(namespace: string): void;
  /** Moves the contents of `sources` into `target` and clears the sources. */
  merge(target: string, sources: readonly string[]): void;
}

export function createWindowContents(backend: KeyedStateBackend, operatorId: string, fn: WindowFunctionSpec): WindowContents {
  switch (fn.kind) {
    case 'reduce':
      return new IncrementalContents(backend.getValueState(operatorId, { kind: 'value', name: WINDOW_CONTENTS_STATE }), {
        add: (v, acc) => (acc === undefined ? v : fn.reduce(acc, v)),
        result: (acc) => acc,
        merge: (a, b) => fn.reduce(a, b),
      }, fn.process);
    case 'aggregate':
      return new IncrementalContents(backend.getValueState(operatorId, { kind: 'value', name: WINDOW_CONTENTS_STATE }), {
        add: (v, acc) => fn.aggregate.add(v, acc === undefined ? fn.aggregate.createAccumulator() : acc),
        result: (acc) => fn.aggregate.getResult(acc),
        merge: mergeOf(fn.aggregate),
      }, fn.process);
    case 'process':
      return new ListContents(backend.getListState(operatorId, { kind: 'list', name: WINDOW_CONTENTS_STATE }), fn.process);
  }
}

interface Incremental {
  add(value: unknown, acc: unknown): unknown;
  result(acc: unknown): unknown;
  merge(a: unknown, b: unknown): unknown;
}

function mergeOf(agg: AggregateFunction<unknown, unknown, unknown>): (a: unknown, b: unknown) => unknown {
  return (a, b) => {
    if (!agg.merge) throw new TypeError('merging (session) windows need an AggregateFunction with merge(a, b)');
    return agg.merge(a, b);
  };
}

class IncrementalContents implements WindowContents {
  constructor(
    private readonly state: InternalValueState<unknown>,
    private readonly fn: Incremental,
    private readonly process: ProcessWindowFunction<unknown, unknown> | undefined,
  ) {}

  add(namespace: string, value: unknown): boolean {
    this.state.setNamespace(namespace);
    const acc = this.state.value();
    this.state.update(this.fn.add(value, acc));
    return acc === undefined;
  }

  emit(namespace: string, key: unknown, window: TimeWindowLike, emitter: WindowEmitter): void {
    this.state.setNamespace(namespace);
    const acc = this.state.value();
    if (acc === undefined) return;
    const result = this.fn.result(acc);
    if (this.process) emitter.callProcess(this.process, key, window, [result]);
    else emitter.collector.collect(result);
  }

  clear(namespace: string): void {
    this.state.setNamespace(namespace);
    this.state.clear();
  }

  merge(target: string, sources: readonly string[]): void {
    let merged: unknown;
    for (const ns of [target, ...sources.filter((s) => s !== target)]) {
      this.state.setNamespace(ns);
      const acc = this.state.value();
      if (acc === undefined) continue;
      merged = merged === undefined ? acc : this.fn.merge(merged, acc);
      if (ns !== target) this.state.clear();
    }
    if (merged === undefined) return;
    this.state.setNamespace(target);
    this.state.update(merged);
  }
}

class ListContents implements WindowContents {
  constructor(
    private readonly state: InternalListState<unknown>,
    private readonly process: ProcessWindowFunction<unknown, unknown>,
  ) {}

  add(namespace: string, value: unknown): boolean {
    this.state.setNamespace(namespace);
    const empty = this.state.get().length === 0;
    this.state.add(value);
    return empty;
  }

  emit(namespace: string, key: unknown, window: TimeWindowLike, emitter: WindowEmitter): void {
    this.state.setNamespace(namespace);
    const elements = this.state.get();
    if (elements.length === 0) return;
    emitter.callProcess(this.process, key, window, elements);
  }

  clear(namespace: string): void {
    this.state.setNamespace(namespace);
    this.state.clear();
  }

  merge(target: string, sources: readonly string[]): void {
    const moved: unknown[] = [];
    for (const ns of sources) {
      if (ns === target) continue;
      this.state.setNamespace(ns);
      const elements = this.state.get();
      if (elements.length === 0) continue;
      for (const e of elements) moved.push(e);
      this.state.clear();
    }
    if (moved.length === 0) return;
    this.state.setNamespace(target);
    this.state.addAll(moved);
  }
}
