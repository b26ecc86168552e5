import test from 'ava';
import { checkpointTasksOf, type CheckpointableGraph } from '../checkpoint-task-gateway.js';

const graph = (states: string[]): CheckpointableGraph => ({
  vertices: [
    {
      vertex: { id: 'src', parallelism: 1, operators: [{ id: 'src', kind: 'source' }, { id: 'map', kind: 'map' }] },
      executions: [{ attemptId: 'a1', taskKey: 'j/src/0', subtaskIndex: 0, state: states[0]! }],
    },
    {
      vertex: { id: 'sink', parallelism: 1, operators: [{ id: 'sink', kind: 'sink' }] },
      executions: [{ attemptId: 'a2', taskKey: 'j/sink/0', subtaskIndex: 0, state: states[1]! }],
    },
  ],
});

test('checkpoint-task-gateway: the tasks of a running execution graph, sources marked, with their chained operators', (t) => {
  t.deepEqual(checkpointTasksOf(graph(['RUNNING', 'RUNNING'])), {
    kind: 'ready',
    tasks: [
      { taskKey: 'j/src/0', attemptId: 'a1', vertexId: 'src', subtaskIndex: 0, parallelism: 1, operatorIds: ['src', 'map'], isSource: true },
      { taskKey: 'j/sink/0', attemptId: 'a2', vertexId: 'sink', subtaskIndex: 0, parallelism: 1, operatorIds: ['sink'], isSource: false },
    ],
  });
});

test('checkpoint-task-gateway: a graph with a task not RUNNING is not ready, and says which', (t) => {
  t.deepEqual(checkpointTasksOf(graph(['RUNNING', 'FINISHED'])), { kind: 'not-ready', reason: 'task j/sink/0 is FINISHED, not RUNNING' });
  t.deepEqual(checkpointTasksOf({ vertices: [] }), { kind: 'not-ready', reason: 'the job has no tasks' });
});
