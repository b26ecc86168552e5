/** Renders job status for humans: a progress line per poll, and the final summary. */
import { EXECUTION_TRANSITIONS } from '@eddy/common';
import type { FailureView, JobStatusView, SlotWaitView, VertexView } from '@eddy/sdk/client';

const fmt = new Intl.NumberFormat('en-US');

export function progressLine(s: JobStatusView, startedAt: number, now = Date.now()): string {
  const secs = ((now - startedAt) / 1000).toFixed(1).padStart(5);
  const parts = s.vertices.map((v) => {
    const inn = v.subtasks.reduce((a, t) => a + t.recordsIn, 0);
    const out = v.subtasks.reduce((a, t) => a + t.recordsOut, 0);
    return `${short(v.name)} [${subtaskStates(v)}] in ${fmt.format(inn)} out ${fmt.format(out)}`;
  });
  const waiting = s.slotWait ? `${slotWaitText(s.slotWait)} | ` : '';
  return `[${secs}s] ${s.state.padEnd(9)} ${waiting}${parts.join(' | ')}`;
}

/** "waiting for 5 slots (1 free)". */
export function slotWaitText(w: SlotWaitView): string {
  return `waiting for ${w.slotsNeeded} slots (${w.slotsFree} free)`;
}

// Running first, as it is what a user watches for; then the rest in lifecycle order.
const STATE_ORDER = ['RUNNING', ...Object.keys(EXECUTION_TRANSITIONS).filter((st) => st !== 'RUNNING')];

/**
 * How many of a vertex's subtasks are in which state, e.g. `2/2 running`, `1/2 running, 1/2 deploying`
 * or `2/2 finished`: a finished job must not read as "0/2 running".
 */
export function subtaskStates(v: VertexView): string {
  const counts = new Map<string, number>();
  for (const t of v.subtasks) counts.set(t.state, (counts.get(t.state) ?? 0) + 1);
  const order = [...STATE_ORDER, ...[...counts.keys()].filter((st) => !STATE_ORDER.includes(st))];
  const parts = order.filter((st) => counts.has(st)).map((st) => `${counts.get(st)}/${v.parallelism} ${st.toLowerCase()}`);
  return parts.length > 0 ? parts.join(', ') : `0/${v.parallelism} running`;
}

function short(name: string): string {
  return name.length > 48 ? name.slice(0, 45) + '...' : name;
}

/**
 * The failure's message, then where it happened ("at operator 'X' (id), subtask 1, on TaskManager tm-a")
 * and the stack. A failure tied to no operator (a lost TaskManager) has no location line; its
 * TaskManager is named there only when the message does not already name it.
 */
export function failureText(f: FailureView | undefined): string {
  if (!f) return '';
  const tmNamed = f.taskManager !== '' && f.message.includes(`TaskManager ${f.taskManager}`);
  const at = [f.operatorName && `operator '${f.operatorName}' (${f.operatorId})`, f.subtask >= 0 && `subtask ${f.subtask}`].filter(Boolean).join(', ');
  const on = f.taskManager && !tmNamed ? `on TaskManager ${f.taskManager}` : '';
  const where = at && on ? `at ${at}, ${on}` : at ? `at ${at}` : on;
  return `${f.message}${where ? `\n  ${where}` : ''}${f.stack ? `\n${indent(f.stack)}` : ''}`;
}

function indent(s: string): string {
  return s.split('\n').map((l) => '    ' + l).join('\n');
}

export function statusText(s: JobStatusView): string {
  const lines = [`job ${s.jobId} '${s.name}': ${s.state}${s.slotWait ? `, ${slotWaitText(s.slotWait)} until ${new Date(s.slotWait.deadline).toISOString()}` : ''}`];
  if (s.startTime) lines.push(`  started ${new Date(s.startTime).toISOString()}${s.endTime ? `, ended ${new Date(s.endTime).toISOString()}` : ''}`);
  for (const v of s.vertices) {
    lines.push(`  ${v.name} (${v.id}), parallelism ${v.parallelism}`);
    for (const t of v.subtasks) {
      lines.push(`    subtask ${t.index}: ${t.state.padEnd(9)} on ${t.taskManager || '-'}  in ${fmt.format(t.recordsIn)}  out ${fmt.format(t.recordsOut)}`);
    }
  }
  const c = s.checkpoints;
  if (c) {
    const latest = c.latest ? `, latest ${c.latest.id} (${c.latest.durationMs} ms, ${fmt.format(c.latest.sizeBytes.full)} bytes, ${fmt.format(c.latest.sizeBytes.incremental)} new)` : '';
    lines.push(`  checkpoints: ${c.completed} completed, ${c.failed} failed, ${c.inProgress} in progress${latest}`);
  }
  for (const r of s.restarts?.history ?? []) {
    const restored = r.restoreTime ? `, restarted from checkpoint ${r.restoredCheckpoint || 'none'}` : '';
    lines.push(`  ${new Date(r.failureTime).toISOString()} failure (${r.decision}${restored}): ${r.cause}`);
  }
  if (s.failure) lines.push(`  failure: ${failureText(s.failure).replace(/\n/g, '\n  ')}`);
  return lines.join('\n');
}

export function statusJson(s: JobStatusView): unknown {
  return {
    jobId: s.jobId,
    name: s.name,
    state: s.state,
    startTime: s.startTime,
    endTime: s.endTime,
    failure: s.failure,
    ...(s.slotWait ? { slotWait: s.slotWait } : {}),
    ...(s.checkpoints ? { checkpoints: s.checkpoints } : {}),
    ...(s.restarts ? { restarts: s.restarts } : {}),
    vertices: s.vertices.map((v) => ({ id: v.id, name: v.name, parallelism: v.parallelism, subtasks: v.subtasks.map((t) => ({ index: t.index, state: t.state, taskManager: t.taskManager, recordsIn: t.recordsIn, recordsOut: t.recordsOut })) })),
  };
}
