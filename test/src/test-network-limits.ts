import test from 'ava';
import { jobFile, runToEnd, withCluster } from './helpers/cluster.js';

test('a record above the network frame limit fails the job naming the limit and the operator that made it, not the broken connection', async (t) => {
  t.timeout(60_000);
  await withCluster({ taskManagers: 2 }, async (_c, client) => {
    const s = await runToEnd(client, jobFile('huge-record.ts'), [], 2);
    t.is(s.state, 'FAILED');
    const f = s.failure!;
    t.is(f.operatorName, 'Inflate', JSON.stringify(f));
    t.regex(f.message, /a record encodes to 70,000,0\d\d bytes, above the network frame limit of 67,108,864 bytes \(64 MiB\)/);
    t.notRegex(f.message, /ECONNRESET|invalid frame length/);
  });
});
