package dev.eddy.nexmark;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.core.io.InputStatus;

/** Emits the events of its splits, in id order, with the event time as record timestamp. */
final class NexmarkSourceReader implements SourceReader<NexmarkEvent, NexmarkSplit> {
    private final NexmarkConfig cfg;
    private final NexmarkGenerator generator;
    private final ArrayDeque<NexmarkSplit> queue = new ArrayDeque<>();
    private CompletableFuture<Void> available = new CompletableFuture<>();
    private boolean noMoreSplits;

    // the split being emitted
    private NexmarkSplit current;
    private long nextId;
    private long remaining;
    private long emitted;

    NexmarkSourceReader(NexmarkConfig cfg) {
        this.cfg = cfg;
        this.generator = new NexmarkGenerator(cfg);
    }

    @Override
    public void start() {}

    @Override
    public InputStatus pollNext(ReaderOutput<NexmarkEvent> output) {
        if (current == null && !nextSplit()) {
            if (noMoreSplits) return InputStatus.END_OF_INPUT;
            return InputStatus.NOTHING_AVAILABLE;
        }
        if (emitted == 0 && nextId == current.instance) BenchClock.markFirstEmit();
        NexmarkEvent e = generator.generate(nextId);
        output.collect(e, cfg.timestamp(nextId));
        nextId += current.parallelism;
        emitted++;
        if (--remaining == 0) current = null;
        return InputStatus.MORE_AVAILABLE;
    }

    private boolean nextSplit() {
        while (!queue.isEmpty()) {
            NexmarkSplit s = queue.poll();
            long count = NexmarkSplit.count(cfg.events, s.instance, s.parallelism);
            if (s.emitted < count) {
                current = s;
                emitted = s.emitted;
                nextId = s.instance + s.emitted * s.parallelism;
                remaining = count - s.emitted;
                return true;
            }
        }
        return false;
    }

    @Override
    public List<NexmarkSplit> snapshotState(long checkpointId) {
        List<NexmarkSplit> state = new ArrayList<>(queue.size() + 1);
        if (current != null) state.add(new NexmarkSplit(current.instance, current.parallelism, emitted));
        state.addAll(queue);
        return state;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        // called on the task thread, like addSplits / notifyNoMoreSplits
        if (current != null || !queue.isEmpty() || noMoreSplits) return CompletableFuture.completedFuture(null);
        if (available.isDone()) available = new CompletableFuture<>();
        return available;
    }

    @Override
    public void addSplits(List<NexmarkSplit> splits) {
        queue.addAll(splits);
        available.complete(null);
    }

    @Override
    public void notifyNoMoreSplits() {
        noMoreSplits = true;
        available.complete(null);
    }

    @Override
    public void close() {}
}
