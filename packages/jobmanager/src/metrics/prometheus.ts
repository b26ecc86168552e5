/**
 * The JobManager's metrics in the Prometheus text exposition format (version 0.0.4): cluster gauges,
 * one `eddy_job_state` series per job, and record counters summed per job vertex.
 */
import type { ClusterCounts } from '../dispatcher/dispatcher.js';
import type { JobMaster } from '../jobmaster/job-master.js';
import { renderCheckpointMetrics } from './checkpoint-metrics.js';

export interface MetricsSource {
  overview(): ClusterCounts;
  list(): readonly JobMaster[];
}

export function renderMetrics(source: MetricsSource): string {
  const c = source.overview();
  const jobs = source.list();
  const lines: string[] = [];
  const family = (name: string, type: 'gauge' | 'counter', help: string, samples: string[]): void => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...samples);
  };
  family('eddy_jobmanager_taskmanagers', 'gauge', 'Registered TaskManagers.', [`eddy_jobmanager_taskmanagers ${c.taskManagers}`]);
  family('eddy_jobmanager_slots_total', 'gauge', 'Slots offered by registered TaskManagers.', [`eddy_jobmanager_slots_total ${c.slotsTotal}`]);
  family('eddy_jobmanager_slots_free', 'gauge', 'Slots not allocated to a job.', [`eddy_jobmanager_slots_free ${c.slotsFree}`]);
  family(
    'eddy_job_state',
    'gauge',
    'Current state of each job (always 1; the state is a label).',
    jobs.map((j) => `eddy_job_state${labels({ job_id: j.jobId, name: j.name, state: j.state })} 1`),
  );
  const perVertex = (pick: 'recordsIn' | 'recordsOut'): string[] =>
    jobs.flatMap((j) =>
      j.executionGraph.vertices.map(({ vertex, executions }) => {
        const total = executions.reduce((sum, e) => sum + e[pick], 0);
        return `${pick === 'recordsIn' ? 'eddy_job_records_in_total' : 'eddy_job_records_out_total'}${labels({ job_id: j.jobId, vertex: vertex.id })} ${total}`;
      }),
    );
  family('eddy_job_records_in_total', 'counter', 'Records read by the subtasks of a job vertex.', perVertex('recordsIn'));
  family('eddy_job_records_out_total', 'counter', 'Records emitted by the subtasks of a job vertex.', perVertex('recordsOut'));
  const checkpointing = jobs.flatMap((j) => {
    const stats = j.checkpointStats;
    return stats ? [{ jobId: j.jobId, stats }] : [];
  });
  return lines.join('\n') + '\n' + (checkpointing.length > 0 ? renderCheckpointMetrics(checkpointing) : '');
}

function labels(values: Record<string, string>): string {
  const body = Object.entries(values)
    .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
    .join(',');
  return `{${body}}`;
}
