package dev.eddy.nexmark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

/**
 * Assigns split {@code i} (generator instance i of p) to reader subtask {@code i % readers}, then
 * tells the reader there are no more splits. With p = source parallelism (the default), reader i
 * emits exactly ids i, i + p, ...
 */
final class NexmarkSplitEnumerator implements SplitEnumerator<NexmarkSplit, List<NexmarkSplit>> {
    private final SplitEnumeratorContext<NexmarkSplit> context;
    private final List<NexmarkSplit> pending;

    NexmarkSplitEnumerator(SplitEnumeratorContext<NexmarkSplit> context, List<NexmarkSplit> pending) {
        this.context = context;
        this.pending = new ArrayList<>(pending);
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {}

    @Override
    public void addSplitsBack(List<NexmarkSplit> splits, int subtaskId) {
        pending.addAll(splits);
        if (context.registeredReaders().containsKey(subtaskId)) assignTo(subtaskId);
    }

    @Override
    public void addReader(int subtaskId) {
        assignTo(subtaskId);
    }

    private void assignTo(int subtaskId) {
        int readers = context.currentParallelism();
        List<NexmarkSplit> mine = new ArrayList<>();
        for (Iterator<NexmarkSplit> it = pending.iterator(); it.hasNext(); ) {
            NexmarkSplit s = it.next();
            if (s.instance % readers == subtaskId) {
                mine.add(s);
                it.remove();
            }
        }
        for (NexmarkSplit s : mine) context.assignSplit(s, subtaskId);
        context.signalNoMoreSplits(subtaskId);
    }

    @Override
    public List<NexmarkSplit> snapshotState(long checkpointId) {
        return Collections.unmodifiableList(new ArrayList<>(pending));
    }

    @Override
    public void close() {}
}
