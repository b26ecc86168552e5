package dev.eddy.nexmark;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.functions.sink.RichSinkFunction;

/** Discards its input, counting records into the accumulator "outputs"; marks BenchClock on close. */
@SuppressWarnings("deprecation")
public final class CountingDiscardSink<T> extends RichSinkFunction<T> {
    private static final long serialVersionUID = 1L;
    public static final String ACCUMULATOR = "outputs";

    private transient LongCounter counter;

    @Override
    public void open(Configuration parameters) {
        counter = new LongCounter();
        getRuntimeContext().addAccumulator(ACCUMULATOR, counter);
    }

    @Override
    public void invoke(T value, Context context) {
        counter.add(1L);
    }

    @Override
    public void close() {
        BenchClock.markSinkDone();
    }
}
