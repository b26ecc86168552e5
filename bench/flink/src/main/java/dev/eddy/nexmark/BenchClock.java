package dev.eddy.nexmark;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Wall-clock marks shared by the source readers and sinks of a local (in-process MiniCluster)
 * run: the first event emitted by any reader and the last sink to finish.
 */
public final class BenchClock {
    private static final AtomicLong FIRST_EMIT = new AtomicLong(Long.MAX_VALUE);
    private static final AtomicLong LAST_SINK = new AtomicLong(Long.MIN_VALUE);

    private BenchClock() {}

    public static void reset() {
        FIRST_EMIT.set(Long.MAX_VALUE);
        LAST_SINK.set(Long.MIN_VALUE);
    }

    static void markFirstEmit() {
        long now = System.nanoTime();
        FIRST_EMIT.accumulateAndGet(now, Math::min);
    }

    static void markSinkDone() {
        long now = System.nanoTime();
        LAST_SINK.accumulateAndGet(now, Math::max);
    }

    /** Seconds from the first emitted event to the last sink finishing, or NaN if unknown. */
    public static double seconds() {
        long a = FIRST_EMIT.get();
        long b = LAST_SINK.get();
        return a == Long.MAX_VALUE || b == Long.MIN_VALUE ? Double.NaN : (b - a) / 1e9;
    }
}
