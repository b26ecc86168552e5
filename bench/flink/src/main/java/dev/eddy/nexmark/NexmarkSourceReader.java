package dev.eddy.nexmark;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.core.io.InputStatus;

/**
 * Emits the events of its splits, in id order, with the event time as record timestamp. With a wall
 * rate R &gt; 0, event id e is not emitted before throttleStart + e / R seconds: when ahead, pollNext
 * returns NOTHING_AVAILABLE and isAvailable() completes at the next event's due time.
 */
final class NexmarkSourceReader implements SourceReader<NexmarkEvent, NexmarkSplit> {
    private static final ScheduledThreadPoolExecutor TIMER = newTimer();

    private static ScheduledThreadPoolExecutor newTimer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "nexmark-throttle");
            th.setDaemon(true);
            return th;
        });
        t.setRemoveOnCancelPolicy(true);
        return t;
    }

    private final NexmarkConfig cfg;
    private final long wallRate;
    private long throttleStart;
    private CompletableFuture<Void> throttled; // pending until the next event is due
    private final NexmarkGenerator generator;
    private final ArrayDeque<NexmarkSplit> queue = new ArrayDeque<>();
    private CompletableFuture<Void> available = new CompletableFuture<>();
    private boolean noMoreSplits;

    // the split being emitted
    private NexmarkSplit current;
    private long nextId;
    private long remaining;
    private long emitted;

    NexmarkSourceReader(NexmarkConfig cfg, long wallRate) {
        this.cfg = cfg;
        this.wallRate = wallRate;
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
        if (wallRate > 0) {
            if (throttleStart == 0) throttleStart = BenchClock.throttleStart();
            long due = throttleStart + dueOffsetNanos(nextId);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                CompletableFuture<Void> f = new CompletableFuture<>();
                throttled = f;
                TIMER.schedule(() -> f.complete(null), wait, TimeUnit.NANOSECONDS);
                return InputStatus.NOTHING_AVAILABLE;
            }
        }
        if (emitted == 0 && nextId == current.instance) BenchClock.markFirstEmit();
        NexmarkEvent e = generator.generate(nextId);
        output.collect(e, cfg.timestamp(nextId));
        nextId += current.parallelism;
        emitted++;
        if (--remaining == 0) current = null;
        return InputStatus.MORE_AVAILABLE;
    }

    private long dueOffsetNanos(long id) {
        // id * 1e9 / R without overflow for id < 2^63 / 1e9 (~9.2e9 events)
        return id < 9_000_000_000L ? id * 1_000_000_000L / wallRate : (long) (id * (1e9 / wallRate));
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
        if (throttled != null && current != null) {
            CompletableFuture<Void> f = throttled;
            if (f.isDone()) throttled = null;
            return f;
        }
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
