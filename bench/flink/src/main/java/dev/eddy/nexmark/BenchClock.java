package dev.eddy.nexmark;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Wall-clock marks shared by the source readers and sinks of a local (in-process MiniCluster)
 * run: the first event emitted by any reader and the last sink to finish.
 */
public final class BenchClock {
    private static final AtomicLong FIRST_EMIT = new AtomicLong(Long.MAX_VALUE);
    private static final AtomicLong LAST_SINK = new AtomicLong(Long.MIN_VALUE);
    private static final AtomicLong THROTTLE_START = new AtomicLong(0);

    private BenchClock() {}

    public static void reset() {
        FIRST_EMIT.set(Long.MAX_VALUE);
        LAST_SINK.set(Long.MIN_VALUE);
        THROTTLE_START.set(0);
    }

    /**
     * The common wall-clock origin (System.nanoTime) of throttled sources: the first reader to ask
     * sets it; event id e is then due at origin + e / rate seconds.
     */
    static long throttleStart() {
        long s = THROTTLE_START.get();
        if (s != 0) return s;
        long now = System.nanoTime();
        if (now == 0) now = 1;
        return THROTTLE_START.compareAndSet(0, now) ? now : THROTTLE_START.get();
    }

    static void markFirstEmit() {
        long now = System.nanoTime();
        FIRST_EMIT.accumulateAndGet(now, Math::min);
    }

    static void markSinkDone() {
        markSinkDone(System.nanoTime());
    }

    static void markSinkDone(long now) {
        LAST_SINK.accumulateAndGet(now, Math::max);
    }

    /** Seconds from the first emitted event to the last sink finishing, or NaN if unknown. */
    public static double seconds() {
        long a = FIRST_EMIT.get();
        long b = LAST_SINK.get();
        return a == Long.MAX_VALUE || b == Long.MIN_VALUE ? Double.NaN : (b - a) / 1e9;
    }
}
