/**
 * The RuntimeContext user functions get in open(): task facts, and keyed state when the operator
 * reads a keyed stream.
 */
import type {
  AggregatingState,
  AggregatingStateSpec,
  KeyedStateStore,
  ListState,
  ListStateSpec,
  MapState,
  MapStateSpec,
  ReducingState,
  ReducingStateSpec,
  RuntimeContext,
  TypedSpec,
  ValueState,
  ValueStateSpec,
} from '@eddy/common';
import type { KeyedStateBackend } from '../state/keyed-state-backend.js';

const NOT_KEYED = 'keyed state is only available on a keyed stream: call keyBy() before this operator';

export function userRuntimeContext(base: RuntimeContext, operatorId: string, backend: KeyedStateBackend | undefined): RuntimeContext {
  const need = (): KeyedStateBackend => {
    if (!backend) throw new Error(NOT_KEYED);
    return backend;
  };
  const store: KeyedStateStore = {
    getState: <T>(d: TypedSpec<ValueStateSpec, T>): ValueState<T> => need().getValueState<T>(operatorId, specOf(d)),
    getListState: <T>(d: TypedSpec<ListStateSpec, T>): ListState<T> => need().getListState<T>(operatorId, specOf(d)),
    getMapState: <K, V>(d: TypedSpec<MapStateSpec, [K, V]>): MapState<K, V> => need().getMapState<K, V>(operatorId, specOf(d)),
    getReducingState: <T>(d: TypedSpec<ReducingStateSpec, T>): ReducingState<T> => need().getReducingState<T>(operatorId, specOf(d)),
    getAggregatingState: <IN, OUT>(d: TypedSpec<AggregatingStateSpec, [IN, OUT]>): AggregatingState<IN, OUT> =>
      need().getAggregatingState<IN, OUT>(operatorId, specOf(d)),
  };
  return { ...base, operatorId, ...store };
}

function specOf<S>(d: { spec: S }): S {
  if (!d || typeof d !== 'object' || !('spec' in d)) {
    throw new TypeError('expected a state descriptor, e.g. new ValueStateDescriptor<number>("count")');
  }
  return d.spec;
}
