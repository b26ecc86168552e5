import test from 'ava';
import { silentLogger } from '@eddy/common';
import { compileJobManagerOptions } from '../index.js';

test('job-manager-options: fills the documented defaults', (t) => {
  const o = compileJobManagerOptions({ logger: silentLogger });
  t.like(o, { host: '127.0.0.1', port: 6123, dataDir: '.eddy/jobmanager', token: undefined, heartbeatIntervalMs: 1000, heartbeatTimeoutMs: 10_000, metricsPort: undefined });
  t.is(o.clock, Date.now);
});

test('job-manager-options: rejects bad values with a message naming the option', (t) => {
  t.throws(() => compileJobManagerOptions({ port: 70_000 }), { name: 'ValidationError', message: 'port must be an integer in [0, 65535], got 70000' });
  t.throws(() => compileJobManagerOptions({ heartbeatIntervalMs: 5000, heartbeatTimeoutMs: 5000 }), {
    name: 'ValidationError',
    message: 'heartbeatTimeoutMs (5000) must be greater than heartbeatIntervalMs (5000)',
  });
  t.throws(() => compileJobManagerOptions({ token: '' }), { name: 'ValidationError' });
  t.throws(() => compileJobManagerOptions({ metricsPort: -1 }), { name: 'ValidationError' });
  t.throws(() => compileJobManagerOptions({ heartbeatTimeoutMs: 1.5 }), { name: 'ValidationError' });
});
