/**
 * @eddy/taskmanager — the worker process: slots on worker threads, operator chains, the network stack.
 *
 * ```ts
 * const tm = await TaskExecutor.start({ jobManager: '127.0.0.1:6123', slots: 2 });
 * // ... later
 * await tm.close();
 * ```
 */
export { TaskExecutor } from './task-executor.js';
export { compileTaskExecutorOptions, type TaskExecutorOptions, type CompiledTaskExecutorOptions } from './task-executor-options.js';
