/**
 * Slot selection for a job (Flink's slot sharing): a job needs as many slots as its highest vertex
 * parallelism, and subtask i of every vertex shares slot i. Slots are spread round-robin over the
 * TaskManagers (tm1.slot0, tm2.slot0, tm1.slot1, ...) so that work lands on every machine first.
 */

/** One free slot offered by a TaskManager. */
export interface SlotCandidate {
  readonly taskManagerId: string;
  readonly index: number;
}

/**
 * Picks `count` slots from `freeByTaskManager` (one list per TaskManager, in registration order), taking
 * each TaskManager's free slots in index order. Returns undefined when there are not enough.
 */
export function spreadSlots<S extends SlotCandidate>(freeByTaskManager: readonly (readonly S[])[], count: number): S[] | undefined {
  const queues = freeByTaskManager.map((slots) => [...slots].sort((a, b) => a.index - b.index));
  const picked: S[] = [];
  for (let round = 0; picked.length < count; round++) {
    let tookAny = false;
    for (const queue of queues) {
      const slot = queue[round];
      if (slot === undefined) continue;
      tookAny = true;
      picked.push(slot);
      if (picked.length === count) break;
    }
    if (!tookAny) return undefined;
  }
  return picked;
}

/** The number of slots a job needs: its highest vertex parallelism. */
export function requiredSlots(parallelisms: readonly number[]): number {
  return parallelisms.reduce((a, b) => Math.max(a, b), 0);
}
