/**
 * Reads a job's config from the job graph's config_json, as the JobManager and the TaskManagers do:
 * absent fields take their defaults (graphs of older clients), and the checkpointing and restart
 * options are compiled again, since a process must not trust what a client sent.
 */
import { compileCheckpointConfig } from './checkpoint-config.js';
import { ValidationError } from './errors.js';
import { DEFAULT_JOB_CONFIG, type JobConfig } from './job-plan.js';
import { compileRestartStrategy, defaultRestartStrategy } from './restart-strategy.js';

export function parseJobConfig(configJson: string): JobConfig {
  let raw: unknown = {};
  if (configJson !== '') {
    try {
      raw = JSON.parse(configJson);
    } catch {
      throw new ValidationError('config_json is not valid JSON');
    }
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ValidationError('config_json must be a JSON object');
  const given = raw as Partial<Record<keyof JobConfig, unknown>>;
  let checkpointing = null;
  if (given.checkpointing !== undefined && given.checkpointing !== null) {
    const { intervalMs, ...options } = given.checkpointing as { intervalMs?: unknown };
    checkpointing = compileCheckpointConfig(intervalMs, options);
  }
  const restartStrategy = given.restartStrategy === undefined ? defaultRestartStrategy(checkpointing) : compileRestartStrategy(given.restartStrategy);
  return { ...DEFAULT_JOB_CONFIG, ...(given as Partial<JobConfig>), checkpointing, restartStrategy };
}
