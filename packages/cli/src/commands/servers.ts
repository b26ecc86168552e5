/** `eddy jobmanager` and `eddy taskmanager`: run a cluster process in the foreground until SIGTERM. */
import { JsonLogger } from '@eddy/common';
import { JobManager } from '@eddy/jobmanager';
import { TaskExecutor } from '@eddy/taskmanager';
import { intOption, parse, portOption, stringOption } from '../args.js';
import { CliError, toCliError } from '../cli-error.js';

export const jobManagerUsage = `eddy jobmanager [--port 6123] [--host 127.0.0.1] [--data-dir DIR] [--token T] [--slot-wait-timeout MS] [--checkpoint-dir DIR]

Runs the JobManager: accepts jobs, schedules them on TaskManagers, tracks them. Logs are JSON lines
on stderr.

  --port P                  gRPC port, 0 for any free one (default 6123)
  --host H                  address to listen on (default 127.0.0.1; 0.0.0.0 in containers)
  --data-dir DIR            job artifacts and metadata (default .eddy/jobmanager)
  --token T                 require this token on every RPC (default $EDDY_TOKEN)
  --heartbeat-interval MS   TaskManager heartbeat interval (default 1000)
  --heartbeat-timeout MS    a TaskManager silent this long is lost (default 10000); one whose
                            connection drops is lost at once
  --slot-wait-timeout MS    a job waits this long for free slots, then fails (default 300000;
                            eddy run --slot-wait-timeout sets it per job)
  --checkpoint-dir DIR      checkpoints of jobs that enable them, <DIR>/<job-id>/chk-<n>/ and shared/
                            (default <data-dir>/checkpoints; TaskManagers write there too, so on several
                            machines it must be a shared filesystem)
  --metrics-port P          serve Prometheus metrics on http://host:P/metrics`;

export const taskManagerUsage = `eddy taskmanager --jobmanager host:port [--slots N] [--data-dir DIR] [--token T] [--jobmanager-timeout MS]

Runs a TaskManager: registers with the JobManager and runs tasks in N slots, one worker thread each.

  -m, --jobmanager H:P  JobManager address (required; default $EDDY_JOBMANAGER)
  --slots N             task slots (default 1; one per core is a good start)
  --host H              address to advertise and listen on (default 127.0.0.1)
  --port P              gRPC port (default 0: any free one)
  --data-dir DIR        artifacts and state (default .eddy/taskmanager)
  --token T             cluster token (default $EDDY_TOKEN)
  --register-timeout MS give up when the JobManager is unreachable this long at start (default 30000)
  --jobmanager-timeout MS
                        cancel every task when the JobManager is unreachable this long (default 10000;
                        a restarted JobManager has them canceled at once)
  --slot-heap-mb MB     heap limit of each slot's worker thread, young and old generation together (default: V8's)`;

/**
 * Runs until SIGTERM or SIGINT, then closes once. Both may come: Ctrl-C on `eddy local` sends SIGINT
 * to its whole process group, and the CLI then stops its cluster with SIGTERM.
 */
function untilSignal(close: () => Promise<void>): Promise<number> {
  return new Promise((resolve) => {
    let closing = false;
    const stop = (): void => {
      if (closing) return;
      closing = true;
      close().then(() => resolve(0), () => resolve(1));
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}

export async function jobmanager(argv: string[]): Promise<number> {
  const { values } = parse('jobmanager', argv, {
    port: { type: 'string' },
    host: { type: 'string' },
    'data-dir': { type: 'string' },
    token: { type: 'string' },
    'heartbeat-interval': { type: 'string' },
    'heartbeat-timeout': { type: 'string' },
    'slot-wait-timeout': { type: 'string' },
    'checkpoint-dir': { type: 'string' },
    'metrics-port': { type: 'string' },
  });
  if (values.help) return print(jobManagerUsage);
  // Options are checked before the try: their errors are usage errors (exit 2) and carry their prefix.
  const options = {
    port: portOption('jobmanager', 'port', values.port, 6123),
    host: stringOption(values.host) ?? '127.0.0.1',
    dataDir: stringOption(values['data-dir']) ?? '.eddy/jobmanager',
    token: stringOption(values.token) ?? process.env.EDDY_TOKEN,
    heartbeatIntervalMs: intOption('jobmanager', 'heartbeat-interval', values['heartbeat-interval'], 1000, 10),
    heartbeatTimeoutMs: intOption('jobmanager', 'heartbeat-timeout', values['heartbeat-timeout'], 10000, 50),
    slotWaitTimeoutMs: intOption('jobmanager', 'slot-wait-timeout', values['slot-wait-timeout'], 300_000, 1),
    ...(stringOption(values['checkpoint-dir']) !== undefined ? { checkpointDir: stringOption(values['checkpoint-dir'])! } : {}),
    ...(values['metrics-port'] !== undefined ? { metricsPort: portOption('jobmanager', 'metrics-port', values['metrics-port'], 0) } : {}),
  };
  const logger = new JsonLogger({ component: 'jobmanager' });
  let jm: JobManager;
  try {
    jm = await JobManager.start({ ...options, logger });
  } catch (e) {
    throw toCliError(e, 'jobmanager');
  }
  logger.info('jobmanager started', { port: jm.port, metricsPort: jm.metricsPort });
  return untilSignal(() => jm.close());
}

export async function taskmanager(argv: string[]): Promise<number> {
  const { values } = parse('taskmanager', argv, {
    jobmanager: { type: 'string', short: 'm' },
    slots: { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
    'data-dir': { type: 'string' },
    token: { type: 'string' },
    'register-timeout': { type: 'string' },
    'jobmanager-timeout': { type: 'string' },
    'slot-heap-mb': { type: 'string' },
  });
  if (values.help) return print(taskManagerUsage);
  const jobManager = stringOption(values.jobmanager) ?? process.env.EDDY_JOBMANAGER;
  if (!jobManager) throw new CliError('taskmanager: --jobmanager host:port is required', 2);
  const options = {
    jobManager,
    slots: intOption('taskmanager', 'slots', values.slots, 1, 1),
    host: stringOption(values.host) ?? '127.0.0.1',
    port: portOption('taskmanager', 'port', values.port, 0),
    dataDir: stringOption(values['data-dir']) ?? '.eddy/taskmanager',
    token: stringOption(values.token) ?? process.env.EDDY_TOKEN,
    registrationTimeoutMs: intOption('taskmanager', 'register-timeout', values['register-timeout'], 30_000),
    jobManagerTimeoutMs: intOption('taskmanager', 'jobmanager-timeout', values['jobmanager-timeout'], 10_000, 1),
    ...(values['slot-heap-mb'] !== undefined ? { slotHeapMb: intOption('taskmanager', 'slot-heap-mb', values['slot-heap-mb'], 0, 16) } : {}),
  };
  const logger = new JsonLogger({ component: 'taskmanager' });
  let tm: TaskExecutor;
  try {
    tm = await TaskExecutor.start({ ...options, logger });
  } catch (e) {
    throw toCliError(e, 'taskmanager');
  }
  logger.info('taskmanager started', { port: tm.port, taskManagerId: tm.id });
  return untilSignal(() => tm.close());
}

function print(s: string): number {
  process.stdout.write(s + '\n');
  return 0;
}
