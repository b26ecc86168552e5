package dev.eddy.nexmark;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs a Nexmark query on a local MiniCluster and prints one JSON line:
 * {@code --query q0|q1|q2 --events N --parallelism P [--seed S] [--rate R] [--object-reuse true|false]}.
 *
 * <ul>
 *   <li>q0: every bid, unchanged, to a discarding sink</li>
 *   <li>q1: every bid with price * 0.908</li>
 *   <li>q2: (auction, price) of bids with auction % 123 == 0</li>
 * </ul>
 * Watermarks follow the generator timestamps (monotonous per source subtask).
 */
public final class RunQuery {
    private RunQuery() {}

    public static void main(String[] args) throws Exception {
        String query = "q0";
        long events = 10_000_000L;
        int parallelism = 1;
        long seed = 42;
        long rate = 100_000;
        boolean objectReuse = true;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--query": query = need(a, v); i++; break;
                case "--events": events = Long.parseLong(need(a, v).replace("_", "")); i++; break;
                case "--parallelism": parallelism = Integer.parseInt(need(a, v)); i++; break;
                case "--seed": seed = Long.parseLong(need(a, v)); i++; break;
                case "--rate": rate = Long.parseLong(need(a, v)); i++; break;
                case "--object-reuse": objectReuse = Boolean.parseBoolean(need(a, v)); i++; break;
                case "--help":
                case "-h":
                    System.out.println("usage: RunQuery --query q0|q1|q2 --events N --parallelism P"
                            + " [--seed S] [--rate R] [--object-reuse true|false]");
                    return;
                default:
                    throw new IllegalArgumentException("unknown argument: " + a);
            }
        }
        if (parallelism < 1) throw new IllegalArgumentException("--parallelism must be >= 1");
        NexmarkConfig cfg = NexmarkConfig.builder(events).seed(seed).rate(rate).build();

        Configuration conf = new Configuration();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
        if (objectReuse) env.getConfig().enableObjectReuse();

        WatermarkStrategy<NexmarkEvent> wm = WatermarkStrategy.<NexmarkEvent>forMonotonousTimestamps()
                .withTimestampAssigner((e, ts) -> e.dateTime());
        DataStream<NexmarkEvent> events$ = env.fromSource(new NexmarkSource(cfg), wm, "nexmark");
        DataStream<Bid> bids = events$.filter(e -> e.bid != null).name("bids")
                .map(e -> e.bid).returns(TypeInformation.of(Bid.class)).name("bid");

        switch (query) {
            case "q0":
                bids.addSink(new CountingDiscardSink<>()).name("discard");
                break;
            case "q1":
                bids.map(EuroBid::of).returns(TypeInformation.of(EuroBid.class)).name("q1-euros")
                        .addSink(new CountingDiscardSink<>()).name("discard");
                break;
            case "q2":
                bids.filter(b -> b.auction % 123 == 0).name("q2-filter")
                        .map(b -> Tuple2.of(b.auction, b.price)).returns(Types.TUPLE(Types.LONG, Types.LONG))
                        .name("q2-project")
                        .addSink(new CountingDiscardSink<>()).name("discard");
                break;
            default:
                throw new IllegalArgumentException("--query must be q0, q1 or q2, got " + query);
        }

        BenchClock.reset();
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        JobExecutionResult result = env.execute("nexmark-" + query);
        long t1 = System.nanoTime();
        long cpu1 = processCpuNanos();

        double jobSeconds = (t1 - t0) / 1e9;
        double wall = BenchClock.seconds();
        if (Double.isNaN(wall)) wall = jobSeconds;
        Long outputs = result.getAccumulatorResult(CountingDiscardSink.ACCUMULATOR);
        double cpuSeconds = cpu0 < 0 || cpu1 < 0 ? Double.NaN : (cpu1 - cpu0) / 1e9;
        System.out.println(String.format(Locale.ROOT,
                "{\"engine\":\"flink\",\"flinkVersion\":\"%s\",\"query\":\"%s\",\"events\":%d,\"parallelism\":%d,"
                        + "\"objectReuse\":%s,\"outputs\":%d,\"wallSeconds\":%.3f,\"eventsPerSec\":%.0f,"
                        + "\"jobSeconds\":%.3f,\"netRuntimeSeconds\":%.3f,\"cpuSeconds\":%.3f,\"eventsPerCoreSec\":%.0f}",
                org.apache.flink.runtime.util.EnvironmentInformation.getVersion(), query, events, parallelism,
                objectReuse, outputs == null ? -1 : outputs, wall, events / wall, jobSeconds,
                result.getNetRuntime() / 1000.0, cpuSeconds, events / (cpuSeconds / jobSeconds) / wall));
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
