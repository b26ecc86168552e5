package dev.eddy.nexmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every query on a MiniCluster at parallelism 2, written through BenchSink's --output path (JSON
 * lines), against a plain-Java reference computed here from the generator by a loop over events
 * 0..N-1 following docs/nexmark-queries.md. Two configurations: the default event-time rate
 * (20,000 events = 0.2 s of event time, one window) and 1,000 events/s (20 s of event time, several
 * tumbling and sliding windows, auctions open for seconds).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueriesTest {
    static final long N = 20_000;
    static final int P = 2;
    static final String[] CONFIGS = {"default-rate", "rate-1000"};

    @TempDir
    static Path dir;

    final Map<String, List<String>> flink = new HashMap<>(); // config/query -> output lines

    static NexmarkConfig config(String name) {
        return name.equals("default-rate") ? NexmarkConfig.builder(N).build()
                : NexmarkConfig.builder(N).rate(1000).build();
    }

    @BeforeAll
    void runFlink() throws Exception {
        for (String c : CONFIGS) {
            NexmarkConfig cfg = config(c);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(P, new Configuration());
            env.getConfig().enableObjectReuse();
            for (String q : Queries.NAMES) {
                DataStream<?> out = Queries.build(q, Queries.source(env, cfg, 0));
                addSink(out, new BenchSink<>(dir.resolve(c + "-" + q).toString(), null, cfg, 0));
            }
            env.execute("nexmark-test-" + c);
            for (String q : Queries.NAMES) {
                String file = dir.resolve(c + "-" + q).toString();
                RunQuery.concatParts(file, P);
                flink.put(c + "/" + q, Files.readAllLines(Path.of(file)));
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes", "deprecation"})
    private static void addSink(DataStream<?> out, BenchSink<?> sink) {
        ((DataStream) out).addSink(sink);
    }

    static List<Arguments> cases() {
        List<Arguments> r = new ArrayList<>();
        for (String c : CONFIGS) for (String q : Queries.NAMES) r.add(Arguments.of(c, q));
        return r;
    }

    @ParameterizedTest(name = "{1} ({0})")
    @MethodSource("cases")
    void matchesReference(String config, String query) throws IOException {
        List<String> got = new ArrayList<>(flink.get(config + "/" + query));
        List<String> expected = reference(config(config), query);
        System.err.printf("%s %s: flink %d outputs, reference %d%n", config, query, got.size(), expected.size());
        if (query.equals("q4")) {
            assertEquals(lastAverageAndCount(expected), lastAverageAndCount(got));
        } else {
            got.sort(null);
            expected.sort(null);
            assertEquals(expected.size(), got.size(), "number of outputs");
            assertEquals(expected, got);
        }
        assertFalse(expected.isEmpty(), "the reference should produce outputs");
    }

    /** q4: category -> "count=<outputs> last=<average>" with the outputs in sink order per category. */
    static Map<Long, String> lastAverageAndCount(List<String> lines) {
        Pattern p = Pattern.compile("^\\{\"category\":(\\d+),\"average\":([^}]+)\\}$");
        Map<Long, Integer> count = new TreeMap<>();
        Map<Long, String> last = new TreeMap<>();
        for (String l : lines) {
            Matcher m = p.matcher(l);
            assertTrue(m.matches(), l);
            long c = Long.parseLong(m.group(1));
            count.merge(c, 1, Integer::sum);
            last.put(c, m.group(2));
        }
        Map<Long, String> r = new TreeMap<>();
        for (Long c : count.keySet()) r.put(c, "count=" + count.get(c) + " last=" + last.get(c));
        return r;
    }

    // ------------------------------------------------------------------ the reference

    static List<String> reference(NexmarkConfig cfg, String query) {
        NexmarkGenerator g = new NexmarkGenerator(cfg);
        List<NexmarkEvent> events = new ArrayList<>();
        for (long e = 0; e < cfg.events; e++) events.add(g.generate(e));
        List<String> out = new ArrayList<>();
        switch (query) {
            case "q0":
                for (NexmarkEvent e : events) if (e.bid != null) out.add(Outputs.toJson(e.bid));
                break;
            case "q1":
                for (NexmarkEvent e : events) if (e.bid != null) out.add(Outputs.toJson(EuroBid.of(e.bid)));
                break;
            case "q2":
                for (NexmarkEvent e : events) {
                    if (e.bid != null && e.bid.auction % 123 == 0) {
                        out.add(Outputs.toJson(new Outputs.Q2(e.bid.auction, e.bid.price)));
                    }
                }
                break;
            case "q3": {
                Map<Long, Person> people = new HashMap<>();
                for (NexmarkEvent e : events) {
                    if (e.person != null && Set.of("OR", "ID", "CA").contains(e.person.state)) {
                        people.put(e.person.id, e.person);
                    }
                }
                for (NexmarkEvent e : events) {
                    if (e.auction != null && e.auction.category == 10 && people.containsKey(e.auction.seller)) {
                        Person p = people.get(e.auction.seller);
                        out.add(Outputs.toJson(new Outputs.Q3(p.name, p.city, p.state, e.auction.id)));
                    }
                }
                break;
            }
            case "q4": {
                Map<Long, Auction> auctions = new HashMap<>();
                for (NexmarkEvent e : events) if (e.auction != null) auctions.put(e.auction.id, e.auction);
                Map<Long, Long> finalPrice = new HashMap<>();
                for (NexmarkEvent e : events) {
                    if (e.bid == null) continue;
                    Auction a = auctions.get(e.bid.auction);
                    if (a != null && a.dateTime <= e.bid.dateTime && e.bid.dateTime <= a.expires) {
                        finalPrice.merge(a.id, e.bid.price, Math::max);
                    }
                }
                // close in order of expires (ties: any order; only the last average and the count matter)
                List<Auction> closed = new ArrayList<>();
                for (Long id : finalPrice.keySet()) closed.add(auctions.get(id));
                closed.sort((x, y) -> Long.compare(x.expires, y.expires));
                Map<Long, long[]> sumCount = new HashMap<>();
                for (Auction a : closed) {
                    long[] s = sumCount.computeIfAbsent(a.category, k -> new long[2]);
                    s[0] += finalPrice.get(a.id);
                    s[1]++;
                    out.add(Outputs.toJson(new Outputs.Q4(a.category, (double) s[0] / s[1])));
                }
                break;
            }
            case "q5": {
                // window start w (multiple of 2 s) with w <= t < w + 10 s -> auction -> count
                Map<Long, Map<Long, Long>> windows = new TreeMap<>();
                for (NexmarkEvent e : events) {
                    if (e.bid == null) continue;
                    long t = e.bid.dateTime;
                    long last = t - Math.floorMod(t, Queries.SLIDE);
                    for (long w = last; w > t - Queries.WINDOW; w -= Queries.SLIDE) {
                        windows.computeIfAbsent(w, k -> new HashMap<>()).merge(e.bid.auction, 1L, Long::sum);
                    }
                }
                for (Map.Entry<Long, Map<Long, Long>> w : windows.entrySet()) {
                    long max = 0;
                    for (long c : w.getValue().values()) max = Math.max(max, c);
                    for (Map.Entry<Long, Long> a : w.getValue().entrySet()) {
                        if (a.getValue() == max) {
                            out.add(Outputs.toJson(new Outputs.Q5(a.getKey(), max, w.getKey(),
                                    w.getKey() + Queries.WINDOW)));
                        }
                    }
                }
                break;
            }
            case "q7": {
                Map<Long, Long> max = new HashMap<>();
                for (NexmarkEvent e : events) {
                    if (e.bid != null) max.merge(windowStart(e.bid.dateTime), e.bid.price, Math::max);
                }
                for (NexmarkEvent e : events) {
                    if (e.bid == null) continue;
                    long w = windowStart(e.bid.dateTime);
                    if (e.bid.price == max.get(w)) {
                        out.add(Outputs.toJson(new Outputs.Q7(e.bid.auction, e.bid.price, e.bid.bidder,
                                e.bid.dateTime, w + Queries.WINDOW)));
                    }
                }
                break;
            }
            case "q8": {
                Set<String> sellerWindows = new HashSet<>();
                for (NexmarkEvent e : events) {
                    if (e.auction != null) sellerWindows.add(e.auction.seller + "@" + windowStart(e.auction.dateTime));
                }
                for (NexmarkEvent e : events) {
                    if (e.person == null) continue;
                    long w = windowStart(e.person.dateTime);
                    if (sellerWindows.contains(e.person.id + "@" + w)) {
                        out.add(Outputs.toJson(new Outputs.Q8(e.person.id, e.person.name, w)));
                    }
                }
                break;
            }
            default:
                throw new IllegalArgumentException(query);
        }
        return out;
    }

    static long windowStart(long t) {
        return t - Math.floorMod(t, Queries.WINDOW);
    }
}
