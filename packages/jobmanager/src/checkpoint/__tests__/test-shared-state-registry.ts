import test from 'ava';
import { SharedStateRegistry } from '../shared-state-registry.js';

test('shared-state-registry: a checkpoint is released only when its last reason is, and a file only when no checkpoint names it', (t) => {
  const r = new SharedStateRegistry();
  r.hold(1, 'retained', ['shared/a', 'shared/b']);
  r.hold(1, 'restore');
  r.hold(2, 'pending', ['shared/a']);
  r.hold(2, 'pending', ['shared/a', 'shared/c']); // acknowledgements add files; a file is counted once per checkpoint
  t.is(r.refCount('shared/a'), 2);
  t.true(r.onlyHolder('shared/c', 2));
  t.false(r.onlyHolder('shared/a', 2));
  t.deepEqual(r.release(1, 'retained'), { checkpointReleased: false, unreferencedFiles: [] });
  t.deepEqual(r.reasons(1), ['restore']);
  t.deepEqual(r.release(1, 'transaction'), { checkpointReleased: false, unreferencedFiles: [] }, 'a reason that does not hold changes nothing');
  t.deepEqual(r.release(1, 'restore'), { checkpointReleased: true, unreferencedFiles: ['shared/b'] });
  t.deepEqual(r.heldCheckpoints(), [2]);
  t.deepEqual(r.releaseAll(2), { checkpointReleased: true, unreferencedFiles: ['shared/a', 'shared/c'] });
  t.is(r.refCount('shared/a'), 0);
});
