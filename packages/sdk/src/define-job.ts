/** The job-module contract: `export default defineJob((env, args) => { ...pipeline... })`. */
import type { JobModule, JobPlan, PlanOptions } from '@eddy/common';
import { StreamExecutionEnvironment } from './environment.js';

export type JobFunction = (env: StreamExecutionEnvironment, args: readonly string[]) => void;

export function defineJob(fn: JobFunction): JobModule {
  if (typeof fn !== 'function') throw new TypeError('defineJob() takes a function (env, args) => { ...pipeline... }');
  return {
    __eddyJob: 1,
    plan(args: readonly string[], options: PlanOptions): JobPlan {
      const env = new StreamExecutionEnvironment(options.defaultParallelism);
      const result: unknown = fn(env, args);
      if (result instanceof Promise) {
        throw new TypeError('the job function must build the pipeline synchronously (it returned a Promise)');
      }
      return env.builder.build(options.defaultJobName ?? 'eddy-job');
    },
  };
}
