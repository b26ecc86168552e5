package dev.eddy.nexmark;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.executiongraph.ArchivedExecutionGraph;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs a Nexmark query on a local MiniCluster (one TaskManager with P slots, every operator at
 * parallelism P) and prints one JSON line on stdout:
 * {@code --query q0..q8 --events N --parallelism P [--seed S] [--rate R] [--checkpoint-ms T] [--output FILE]
 * [--object-reuse true|false]}. See README.md.
 */
public final class RunQuery {
    private RunQuery() {}

    static final String USAGE = "usage: RunQuery --query q0|q1|q2|q3|q4|q5|q7|q8 --events N --parallelism P"
            + " [--seed S] [--rate R] [--checkpoint-ms T] [--output FILE] [--object-reuse true|false]";

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable t) {
            t.printStackTrace();
            // The harness reports the last line of stderr: the root cause, not a stack frame.
            System.err.println("flink " + argValue(args, "--query", "q0") + " FAILED: " + rootCause(t));
            // A failed job can leave non-daemon threads behind that would keep the JVM alive.
            System.exit(1);
        }
    }

    static String rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) c = c.getCause();
        return c.getClass().getName() + ": " + c.getMessage();
    }

    private static String argValue(String[] args, String flag, String otherwise) {
        for (int i = 0; i + 1 < args.length; i++) if (args[i].equals(flag)) return args[i + 1];
        return otherwise;
    }

    static void run(String[] args) throws Exception {
        String query = "q0";
        long events = 10_000_000L;
        int parallelism = 1;
        long seed = 42;
        long wallRate = 0;
        long checkpointMs = 0;
        String output = null;
        boolean objectReuse = true;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--query": query = need(a, v); i++; break;
                case "--events": events = Long.parseLong(need(a, v).replace("_", "")); i++; break;
                case "--parallelism": parallelism = Integer.parseInt(need(a, v)); i++; break;
                case "--seed": seed = Long.parseLong(need(a, v)); i++; break;
                case "--rate": wallRate = Long.parseLong(need(a, v).replace("_", "")); i++; break;
                case "--checkpoint-ms": checkpointMs = Long.parseLong(need(a, v)); i++; break;
                case "--output": output = need(a, v); i++; break;
                case "--object-reuse": objectReuse = Boolean.parseBoolean(need(a, v)); i++; break;
                case "--help":
                case "-h":
                    System.err.println(USAGE);
                    return;
                default:
                    throw new IllegalArgumentException("unknown argument: " + a + "\n" + USAGE);
            }
        }
        if (parallelism < 1) throw new IllegalArgumentException("--parallelism must be >= 1");
        if (wallRate < 0) throw new IllegalArgumentException("--rate must be > 0");
        if (!Queries.NAMES.contains(query)) {
            throw new IllegalArgumentException("--query must be one of " + Queries.NAMES + ", got " + query);
        }
        // The event-time rate stays the spec's default (100,000 events/s of event time); --rate only
        // throttles the wall clock.
        NexmarkConfig cfg = NexmarkConfig.builder(events).seed(seed).build();

        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_PORT, "0");
        Path checkpointDir = null;
        if (checkpointMs > 0) {
            checkpointDir = Files.createTempDirectory("nexmark-flink-checkpoints-");
            conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
            conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir.toUri().toString());
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        if (objectReuse) env.getConfig().enableObjectReuse();
        if (checkpointMs > 0) env.enableCheckpointing(checkpointMs, CheckpointingMode.EXACTLY_ONCE);

        DataStream<?> out = Queries.build(query, Queries.source(env, cfg, wallRate));
        addSink(out, new BenchSink<>(output, Queries.latencyTime(query), cfg, wallRate));
        if (output != null) deleteParts(output, parallelism);

        JobGraph jobGraph = env.getStreamGraph().getJobGraph();
        MiniClusterConfiguration mc = new MiniClusterConfiguration.Builder()
                .setConfiguration(conf).setNumTaskManagers(1).setNumSlotsPerTaskManager(parallelism).build();

        BenchClock.reset();
        BenchSink.collectLatencies();
        long cpu0;
        long t0 = System.nanoTime();
        JobExecutionResult result;
        CheckpointStatsSnapshot checkpoints = null;
        try (MiniCluster cluster = new MiniCluster(mc)) {
            cluster.start();
            // CPU of the job, not of starting the MiniCluster (as Eddy's figure leaves out its cluster's start).
            cpu0 = processCpuNanos();
            result = cluster.executeJobBlocking(jobGraph);
            if (checkpointMs > 0) {
                ArchivedExecutionGraph g = cluster.getArchivedExecutionGraph(jobGraph.getJobID()).get();
                checkpoints = g.getCheckpointStatsSnapshot();
            }
        }
        long t1 = System.nanoTime();
        long cpu1 = processCpuNanos();

        if (output != null) concatParts(output, parallelism);
        if (checkpointDir != null) deleteTree(checkpointDir);

        double jobSeconds = (t1 - t0) / 1e9;
        double wall = BenchClock.seconds();
        if (Double.isNaN(wall)) wall = jobSeconds;
        Long outputs = result.getAccumulatorResult(BenchSink.ACCUMULATOR);
        double cpuSeconds = cpu0 < 0 || cpu1 < 0 ? Double.NaN : (cpu1 - cpu0) / 1e9;

        String latency = "null";
        List<BenchSink.Latencies> lats = BenchSink.collectLatencies();
        if (wallRate > 0 && Queries.latencyTime(query) != null) {
            latency = latencyJson(lats);
        }
        String cp = "null";
        if (checkpoints != null) {
            long completed = checkpoints.getCounts().getNumberOfCompletedCheckpoints();
            var d = checkpoints.getSummaryStats().getEndToEndDurationStats();
            double avg = d.getCount() == 0 ? Double.NaN : (double) d.getSum() / d.getCount();
            cp = String.format(Locale.ROOT, "{\"completed\":%d,\"avgDurationMs\":%s}", completed,
                    Double.isNaN(avg) ? "null" : String.format(Locale.ROOT, "%.1f", avg));
        }
        System.err.printf(Locale.ROOT, "flink %s: job %.3f s incl. MiniCluster start, net runtime %.3f s%n",
                org.apache.flink.runtime.util.EnvironmentInformation.getVersion(), jobSeconds,
                result.getNetRuntime() / 1000.0);
        System.out.println(String.format(Locale.ROOT,
                "{\"engine\":\"flink\",\"query\":\"%s\",\"events\":%d,\"parallelism\":%d,\"outputs\":%d,"
                        + "\"wallSeconds\":%.3f,\"eventsPerSec\":%.0f,\"cpuSeconds\":%.3f,"
                        + "\"latencyMs\":%s,\"checkpoints\":%s}",
                query, events, parallelism, outputs == null ? -1 : outputs, wall, events / wall, cpuSeconds,
                latency, cp));
    }

    @SuppressWarnings({"unchecked", "rawtypes", "deprecation"})
    private static void addSink(DataStream<?> out, BenchSink<?> sink) {
        ((DataStream) out).addSink(sink).name("sink");
    }

    /** p50/p99 as sorted[min(n-1, floor(p/100*n))] of the merged per-subtask samples; exact max. */
    static String latencyJson(List<BenchSink.Latencies> lats) {
        int n = 0;
        double max = Double.NEGATIVE_INFINITY;
        long negative = 0;
        for (BenchSink.Latencies l : lats) {
            n += l.samples.length;
            max = Math.max(max, l.max);
        }
        if (n == 0) return "null";
        double[] all = new double[n];
        int k = 0;
        for (BenchSink.Latencies l : lats) {
            System.arraycopy(l.samples, 0, all, k, l.samples.length);
            k += l.samples.length;
        }
        Arrays.sort(all);
        for (double d : all) if (d < 0) negative++;
        if (negative > 0) {
            System.err.printf(Locale.ROOT, "note: %d of %d latency samples are negative (outputs before their"
                    + " event time was due, e.g. windows closed by the end of input)%n", negative, n);
        }
        return String.format(Locale.ROOT, "{\"p50\":%.3f,\"p99\":%.3f,\"max\":%.3f}",
                pct(all, 50), pct(all, 99), max);
    }

    private static double pct(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(p / 100 * sorted.length))];
    }

    private static void deleteParts(String output, int parallelism) throws IOException {
        // No directory, no parts: the sinks create it, and fail the job if they cannot.
        Path parent = Paths.get(output).toAbsolutePath().getParent();
        if (!Files.isDirectory(parent)) return;
        for (int i = 0; i < parallelism; i++) Files.deleteIfExists(Paths.get(output + ".part-" + i));
    }

    static void concatParts(String output, int parallelism) throws IOException {
        Path target = Paths.get(output);
        try (OutputStream os = Files.newOutputStream(target, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            for (int i = 0; i < parallelism; i++) {
                Path part = Paths.get(output + ".part-" + i);
                if (Files.exists(part)) {
                    Files.copy(part, os);
                    Files.delete(part);
                }
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }

    private static String need(String flag, String v) {
        if (v == null) throw new IllegalArgumentException(flag + " needs a value");
        return v;
    }

    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
        }
        return -1;
    }
}
