package dev.eddy.nexmark;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.functions.sink.RichSinkFunction;

/**
 * The benchmark sink of RunQuery: counts records into the accumulator "outputs"; optionally
 * (a) writes every record as a JSON line ({@link Outputs#toJson}) to {@code <output>.part-<subtask>}
 * (RunQuery concatenates the parts), and (b) records latencies: sink wall time minus the due time of
 * the record's event time T, {@code throttleStart + (T - baseTime) * eventRate / wallRate} ms. Each
 * subtask keeps a uniform reservoir sample of up to 200,000 latencies (as the TypeScript latency sink
 * does) and the exact maximum, handed to {@link #collectLatencies()} when it finishes (in-process
 * MiniCluster). Marks {@link BenchClock} when it reaches the end of its input.
 */
@SuppressWarnings("deprecation")
public final class BenchSink<T> extends RichSinkFunction<T> {
    private static final long serialVersionUID = 1L;
    public static final String ACCUMULATOR = "outputs";
    static final int MAX_SAMPLES = 200_000;

    /** The event time (epoch ms) an output record depends on. */
    @FunctionalInterface
    public interface TimeOf<T> extends Serializable {
        long eventTime(T record);
    }

    private final String output;
    private final TimeOf<T> timeOf;
    private final long baseTime;
    private final double nanosPerEventMs; // wall nanos per ms of event time

    private transient LongCounter counter;
    private transient BufferedWriter writer;
    private transient long start;
    private transient double[] samples;
    private transient long seen;
    private transient double max;
    private transient SplittableRandom random;
    private transient boolean finished;

    /**
     * @param output file to write JSON lines to (null: discard)
     * @param timeOf null: no latency
     */
    public BenchSink(String output, TimeOf<T> timeOf, NexmarkConfig cfg, long wallRate) {
        this.output = output;
        this.timeOf = wallRate > 0 ? timeOf : null;
        this.baseTime = cfg.baseTime;
        this.nanosPerEventMs = wallRate > 0 ? 1e6 * cfg.rate / wallRate : 0;
    }

    @Override
    public void open(Configuration parameters) throws IOException {
        counter = new LongCounter();
        getRuntimeContext().addAccumulator(ACCUMULATOR, counter);
        if (output != null) {
            int i = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
            Path part = Paths.get(output + ".part-" + i).toAbsolutePath();
            // In the task, so that an unwritable location fails the job as it would a user's.
            Files.createDirectories(part.getParent());
            writer = Files.newBufferedWriter(part, StandardCharsets.UTF_8);
        }
        if (timeOf != null) {
            samples = new double[MAX_SAMPLES];
            random = new SplittableRandom(getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() * 7919L + 1);
            max = Double.NEGATIVE_INFINITY;
        }
    }

    @Override
    public void invoke(T value, Context context) throws IOException {
        counter.add(1L);
        if (timeOf != null) {
            long now = System.nanoTime();
            if (start == 0) start = BenchClock.throttleStart();
            double due = start + (timeOf.eventTime(value) - baseTime) * nanosPerEventMs;
            double ms = (now - due) / 1e6;
            // Not yet due: a window flushed by the end of the input, not by the watermark.
            if (ms < 0) return;
            if (ms > max) max = ms;
            if (seen < MAX_SAMPLES) {
                samples[(int) seen] = ms;
            } else {
                long j = random.nextLong(seen + 1);
                if (j < MAX_SAMPLES) samples[(int) j] = ms;
            }
            seen++;
        }
        if (writer != null) {
            writer.write(Outputs.toJson(value));
            writer.write('\n');
        }
    }

    @Override
    public void finish() throws IOException {
        finishOnce();
    }

    @Override
    public void close() throws IOException {
        finishOnce();
    }

    private void finishOnce() throws IOException {
        if (finished) return;
        finished = true;
        BenchClock.markSinkDone();
        if (writer != null) {
            writer.close();
            writer = null;
        }
        if (timeOf != null) {
            synchronized (COLLECTED) {
                double[] s = new double[(int) Math.min(seen, MAX_SAMPLES)];
                System.arraycopy(samples, 0, s, 0, s.length);
                COLLECTED.add(new Latencies(s, seen, max));
            }
            samples = null;
        }
    }

    /** One subtask's latency sample. */
    public static final class Latencies {
        public final double[] samples;
        public final long seen;
        public final double max;

        Latencies(double[] samples, long seen, double max) {
            this.samples = samples;
            this.seen = seen;
            this.max = max;
        }
    }

    private static final List<Latencies> COLLECTED = new ArrayList<>();

    /** Returns and forgets the latency samples of the sinks that finished in this JVM. */
    public static List<Latencies> collectLatencies() {
        synchronized (COLLECTED) {
            List<Latencies> r = new ArrayList<>(COLLECTED);
            COLLECTED.clear();
            return r;
        }
    }
}
