package dev.eddy.nexmark;

import org.apache.flink.api.connector.source.SourceSplit;

/**
 * Generator instance {@code instance} of {@code parallelism}: event ids instance, instance + p, ...
 * below the configured event count. {@code emitted} is the progress (ids already emitted).
 */
public final class NexmarkSplit implements SourceSplit {
    public final int instance;
    public final int parallelism;
    public final long emitted;

    public NexmarkSplit(int instance, int parallelism, long emitted) {
        this.instance = instance;
        this.parallelism = parallelism;
        this.emitted = emitted;
    }

    @Override
    public String splitId() {
        return "nexmark-" + instance + "-of-" + parallelism;
    }

    /** Number of ids of this instance among 0 .. events-1. */
    public static long count(long events, int instance, int parallelism) {
        return instance >= events ? 0 : (events - 1 - instance) / parallelism + 1;
    }

    @Override
    public String toString() {
        return splitId() + "@" + emitted;
    }
}
