package dev.eddy.nexmark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.functions.CoGroupFunction;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.SlidingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * The Nexmark queries q0-q8 (no q6) with the DataStream API; outputs as in docs/nexmark-queries.md.
 * Event time is each event's dateTime, watermarks are the generator timestamps (monotonous per source
 * subtask), every operator runs at the environment's parallelism. Before every shuffle a query keeps
 * only the fields the next operator needs ({@link Shuffled}), the same projections as the Eddy jobs.
 */
public final class Queries {
    private Queries() {}

    public static final long WINDOW = 10_000;
    public static final long SLIDE = 2_000;

    public static final List<String> NAMES = List.of("q0", "q1", "q2", "q3", "q4", "q5", "q7", "q8");

    /** The source with monotonous-timestamp watermarks (per split = per generator instance). */
    public static DataStream<NexmarkEvent> source(StreamExecutionEnvironment env, NexmarkConfig cfg, long wallRate) {
        WatermarkStrategy<NexmarkEvent> wm = WatermarkStrategy.<NexmarkEvent>forMonotonousTimestamps()
                .withTimestampAssigner((e, ts) -> e.dateTime());
        return env.fromSource(new NexmarkSource(cfg, wallRate), wm, "nexmark");
    }

    public static DataStream<Bid> bids(DataStream<NexmarkEvent> events) {
        return events.filter(e -> e.bid != null).name("bids")
                .map(e -> e.bid).returns(TypeInformation.of(Bid.class)).name("bid");
    }

    public static DataStream<Auction> auctions(DataStream<NexmarkEvent> events) {
        return events.filter(e -> e.auction != null).name("auctions")
                .map(e -> e.auction).returns(TypeInformation.of(Auction.class)).name("auction");
    }

    public static DataStream<Person> persons(DataStream<NexmarkEvent> events) {
        return events.filter(e -> e.person != null).name("persons")
                .map(e -> e.person).returns(TypeInformation.of(Person.class)).name("person");
    }

    /** The query's output stream. */
    public static DataStream<?> build(String query, DataStream<NexmarkEvent> events) {
        switch (query) {
            case "q0": return bids(events);
            case "q1": return q1(events);
            case "q2": return q2(events);
            case "q3": return q3(events);
            case "q4": return q4(events);
            case "q5": return q5(events);
            case "q7": return q7(events);
            case "q8": return q8(events);
            default: throw new IllegalArgumentException("--query must be one of " + NAMES + ", got " + query);
        }
    }

    /**
     * The event time (epoch ms) an output record's latency is measured against, or null when the
     * query's outputs carry none (q2, q3, q4).
     */
    @SuppressWarnings("unchecked")
    public static <T> BenchSink.TimeOf<T> latencyTime(String query) {
        switch (query) {
            case "q0": return r -> ((Bid) r).dateTime;
            case "q1": return r -> ((EuroBid) r).dateTime;
            case "q5": return r -> ((Outputs.Q5) r).windowEnd;
            case "q7": return r -> ((Outputs.Q7) r).windowEnd;
            case "q8": return r -> ((Outputs.Q8) r).windowStart + WINDOW;
            default: return null;
        }
    }

    // ---------------------------------------------------------------- q1, q2

    public static DataStream<EuroBid> q1(DataStream<NexmarkEvent> events) {
        return bids(events).map(EuroBid::of).returns(TypeInformation.of(EuroBid.class)).name("q1-euros");
    }

    public static DataStream<Outputs.Q2> q2(DataStream<NexmarkEvent> events) {
        return bids(events).filter(b -> b.auction % 123 == 0).name("q2-filter")
                .map(b -> new Outputs.Q2(b.auction, b.price)).returns(Outputs.Q2.class).name("q2-project");
    }

    // ---------------------------------------------------------------- q3

    private static final KeySelector<Shuffled.Seller, Long> PERSON_ID = new KeySelector<>() {
        @Override
        public Long getKey(Shuffled.Seller p) {
            return p.id;
        }
    };

    private static final KeySelector<Shuffled.SellerAuction, Long> SELLER = new KeySelector<>() {
        @Override
        public Long getKey(Shuffled.SellerAuction a) {
            return a.seller;
        }
    };

    public static DataStream<Outputs.Q3> q3(DataStream<NexmarkEvent> events) {
        DataStream<Shuffled.Seller> people = persons(events)
                .filter(p -> "OR".equals(p.state) || "ID".equals(p.state) || "CA".equals(p.state)).name("q3-state")
                .map(Shuffled.Seller::of).returns(Shuffled.Seller.class).name("q3-seller");
        DataStream<Shuffled.SellerAuction> cat10 = auctions(events).filter(a -> a.category == 10).name("q3-category")
                .map(Shuffled.SellerAuction::of).returns(Shuffled.SellerAuction.class).name("q3-seller-auction");
        return people.connect(cat10).keyBy(PERSON_ID, SELLER).process(new Q3Join())
                .returns(Outputs.Q3.class).name("q3-join");
    }

    /** The person's (name, city, state) as kept in state. */
    public static class Q3Person {
        public String name;
        public String city;
        public String state;

        public Q3Person() {}

        Q3Person(Shuffled.Seller p) {
            name = p.name;
            city = p.city;
            state = p.state;
        }
    }

    /** Keyed by person id = seller: the person (if seen) and the ids of auctions waiting for it. */
    static final class Q3Join extends KeyedCoProcessFunction<Long, Shuffled.Seller, Shuffled.SellerAuction, Outputs.Q3> {
        private static final long serialVersionUID = 1L;
        private transient ValueState<Q3Person> person;
        private transient ListState<Long> waiting;

        @Override
        public void open(Configuration parameters) {
            person = getRuntimeContext().getState(new ValueStateDescriptor<>("person", Q3Person.class));
            waiting = getRuntimeContext().getListState(new ListStateDescriptor<>("auctions", Types.LONG));
        }

        @Override
        public void processElement1(Shuffled.Seller p, Context ctx, Collector<Outputs.Q3> out) throws Exception {
            Q3Person kept = new Q3Person(p);
            person.update(kept);
            Iterable<Long> ids = waiting.get();
            if (ids != null) {
                for (Long id : ids) out.collect(new Outputs.Q3(kept.name, kept.city, kept.state, id));
                waiting.clear();
            }
        }

        @Override
        public void processElement2(Shuffled.SellerAuction a, Context ctx, Collector<Outputs.Q3> out) throws Exception {
            Q3Person p = person.value();
            if (p != null) {
                out.collect(new Outputs.Q3(p.name, p.city, p.state, a.id));
            } else {
                waiting.add(a.id);
            }
        }
    }

    // ---------------------------------------------------------------- q4

    private static final KeySelector<Shuffled.OpenAuction, Long> AUCTION_ID = new KeySelector<>() {
        @Override
        public Long getKey(Shuffled.OpenAuction a) {
            return a.id;
        }
    };

    private static final KeySelector<Shuffled.BidPrice, Long> BID_AUCTION = new KeySelector<>() {
        @Override
        public Long getKey(Shuffled.BidPrice b) {
            return b.auction;
        }
    };

    public static DataStream<Outputs.Q4> q4(DataStream<NexmarkEvent> events) {
        DataStream<Shuffled.OpenAuction> auctions = auctions(events)
                .map(Shuffled.OpenAuction::of).returns(Shuffled.OpenAuction.class).name("q4-auction-terms");
        DataStream<Shuffled.BidPrice> bids = bids(events)
                .map(Shuffled.BidPrice::of).returns(Shuffled.BidPrice.class).name("q4-bid-prices");
        // (category, final price): the same two fields as the Eddy job's FinalPrice.
        DataStream<Tuple2<Long, Long>> finalPrices = auctions.connect(bids)
                .keyBy(AUCTION_ID, BID_AUCTION)
                .process(new Q4Close())
                .returns(Types.TUPLE(Types.LONG, Types.LONG)).name("q4-final-price");
        return finalPrices.keyBy(new KeySelector<Tuple2<Long, Long>, Long>() {
                    @Override
                    public Long getKey(Tuple2<Long, Long> t) {
                        return t.f0;
                    }
                })
                .process(new Q4Average()).returns(Outputs.Q4.class).name("q4-average");
    }

    /** An open auction in q4's state. */
    public static class Q4Auction {
        public long dateTime;
        public long expires;
        public long category;
        public long maxPrice = -1; // -1: no valid bid yet

        public Q4Auction() {}
    }

    /**
     * Keyed by auction id. Keeps the auction (with the highest valid bid so far) and, while the auction
     * has not arrived, the highest price per bid dateTime (the validity of a bid depends only on its
     * dateTime). An event-time timer at {@code expires} closes the auction and emits (category, final
     * price); a pending entry at time t is dropped by a timer at t, since an auction arriving after the
     * watermark passed t has dateTime &gt; t.
     */
    static final class Q4Close extends KeyedCoProcessFunction<Long, Shuffled.OpenAuction, Shuffled.BidPrice, Tuple2<Long, Long>> {
        private static final long serialVersionUID = 1L;
        private transient ValueState<Q4Auction> auction;
        private transient MapState<Long, Long> pending;

        @Override
        public void open(Configuration parameters) {
            auction = getRuntimeContext().getState(new ValueStateDescriptor<>("auction", Q4Auction.class));
            pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending", Types.LONG, Types.LONG));
        }

        @Override
        public void processElement1(Shuffled.OpenAuction a, Context ctx, Collector<Tuple2<Long, Long>> out) throws Exception {
            Q4Auction s = new Q4Auction();
            s.dateTime = a.dateTime;
            s.expires = a.expires;
            s.category = a.category;
            if (!pending.isEmpty()) {
                for (Map.Entry<Long, Long> e : pending.entries()) {
                    long t = e.getKey();
                    if (t >= s.dateTime && t <= s.expires && e.getValue() > s.maxPrice) s.maxPrice = e.getValue();
                }
                pending.clear();
            }
            auction.update(s);
            ctx.timerService().registerEventTimeTimer(s.expires);
        }

        @Override
        public void processElement2(Shuffled.BidPrice b, Context ctx, Collector<Tuple2<Long, Long>> out) throws Exception {
            Q4Auction s = auction.value();
            if (s != null) {
                if (b.dateTime >= s.dateTime && b.dateTime <= s.expires && b.price > s.maxPrice) {
                    s.maxPrice = b.price;
                    auction.update(s);
                }
                return;
            }
            Long prev = pending.get(b.dateTime);
            if (prev == null) {
                pending.put(b.dateTime, b.price);
                ctx.timerService().registerEventTimeTimer(b.dateTime);
            } else if (b.price > prev) {
                pending.put(b.dateTime, b.price);
            }
        }

        @Override
        public void onTimer(long ts, OnTimerContext ctx, Collector<Tuple2<Long, Long>> out) throws Exception {
            Q4Auction s = auction.value();
            if (s == null) {
                pending.remove(ts);
                return;
            }
            if (ts != s.expires) return; // a pending bid's timer from before the auction arrived
            if (s.maxPrice >= 0) out.collect(Tuple2.of(s.category, s.maxPrice));
            auction.clear();
        }
    }

    /** Keyed by category: sum and count of final prices; emits the running average. */
    static final class Q4Average extends KeyedProcessFunction<Long, Tuple2<Long, Long>, Outputs.Q4> {
        private static final long serialVersionUID = 1L;
        private transient ValueState<Tuple2<Long, Long>> sumCount;

        @Override
        public void open(Configuration parameters) {
            sumCount = getRuntimeContext().getState(
                    new ValueStateDescriptor<>("sumCount", Types.TUPLE(Types.LONG, Types.LONG)));
        }

        @Override
        public void processElement(Tuple2<Long, Long> v, Context ctx, Collector<Outputs.Q4> out) throws Exception {
            Tuple2<Long, Long> s = sumCount.value();
            long sum = (s == null ? 0 : s.f0) + v.f1;
            long count = (s == null ? 0 : s.f1) + 1;
            sumCount.update(Tuple2.of(sum, count));
            out.collect(new Outputs.Q4(v.f0, (double) sum / count));
        }
    }

    // ---------------------------------------------------------------- q5

    private static final KeySelector<Long, Long> IDENTITY = new KeySelector<>() {
        @Override
        public Long getKey(Long auction) {
            return auction;
        }
    };

    public static DataStream<Outputs.Q5> q5(DataStream<NexmarkEvent> events) {
        // Counting needs only the bid's auction: it alone is shuffled, as in the Eddy job.
        DataStream<Outputs.Q5> counts = bids(events).map(b -> b.auction).returns(Types.LONG).name("q5-auction-of-bid")
                .keyBy(IDENTITY)
                .window(SlidingEventTimeWindows.of(Duration.ofMillis(WINDOW), Duration.ofMillis(SLIDE)))
                .aggregate(new CountBids(), new Q5Emit()).name("q5-count");
        return counts.keyBy(new KeySelector<Outputs.Q5, Long>() {
                    @Override
                    public Long getKey(Outputs.Q5 r) {
                        return r.windowEnd;
                    }
                })
                .process(new Q5Max()).returns(Outputs.Q5.class).name("q5-max");
    }

    static final class CountBids implements AggregateFunction<Long, Long, Long> {
        private static final long serialVersionUID = 1L;

        @Override
        public Long createAccumulator() {
            return 0L;
        }

        @Override
        public Long add(Long auction, Long acc) {
            return acc + 1;
        }

        @Override
        public Long getResult(Long acc) {
            return acc;
        }

        @Override
        public Long merge(Long a, Long b) {
            return a + b;
        }
    }

    static final class Q5Emit extends ProcessWindowFunction<Long, Outputs.Q5, Long, TimeWindow> {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(Long auction, Context ctx, Iterable<Long> counts, Collector<Outputs.Q5> out) {
            long count = counts.iterator().next();
            out.collect(new Outputs.Q5(auction, count, ctx.window().getStart(), ctx.window().getEnd()));
        }
    }

    /**
     * Keyed by windowEnd: keeps the maximal count and the auctions with it; a timer at windowEnd - 1
     * (the window's last timestamp, at which stage one fires it) emits them once every count is in.
     */
    static final class Q5Max extends KeyedProcessFunction<Long, Outputs.Q5, Outputs.Q5> {
        private static final long serialVersionUID = 1L;
        private transient ValueState<Long> max;
        private transient ListState<Outputs.Q5> best;

        @Override
        public void open(Configuration parameters) {
            max = getRuntimeContext().getState(new ValueStateDescriptor<>("max", Types.LONG));
            best = getRuntimeContext().getListState(new ListStateDescriptor<>("best", Outputs.Q5.class));
        }

        @Override
        public void processElement(Outputs.Q5 r, Context ctx, Collector<Outputs.Q5> out) throws Exception {
            Long m = max.value();
            if (m == null) ctx.timerService().registerEventTimeTimer(r.windowEnd - 1);
            if (m == null || r.count > m) {
                max.update(r.count);
                best.update(List.of(r));
            } else if (r.count == m) {
                best.add(r);
            }
        }

        @Override
        public void onTimer(long ts, OnTimerContext ctx, Collector<Outputs.Q5> out) throws Exception {
            for (Outputs.Q5 r : best.get()) out.collect(r);
            best.clear();
            max.clear();
        }
    }

    // ---------------------------------------------------------------- q7

    private static final KeySelector<Shuffled.PricedBid, Long> PRICED_BID_AUCTION = new KeySelector<>() {
        @Override
        public Long getKey(Shuffled.PricedBid b) {
            return b.auction;
        }
    };

    public static DataStream<Outputs.Q7> q7(DataStream<NexmarkEvent> events) {
        DataStream<Outputs.Q7> localMax = bids(events)
                .map(Shuffled.PricedBid::of).returns(Shuffled.PricedBid.class).name("q7-priced-bids")
                .keyBy(PRICED_BID_AUCTION)
                .window(TumblingEventTimeWindows.of(Duration.ofMillis(WINDOW)))
                .aggregate(new MaxBids(), new Q7Emit()).name("q7-max-per-auction");
        return localMax.keyBy(new KeySelector<Outputs.Q7, Long>() {
                    @Override
                    public Long getKey(Outputs.Q7 r) {
                        return r.windowEnd;
                    }
                })
                .process(new Q7Max()).returns(Outputs.Q7.class).name("q7-max");
    }

    /** The highest price of a key's bids in a window and the bids with it. */
    public static class MaxAcc {
        public long price = Long.MIN_VALUE;
        public ArrayList<Shuffled.PricedBid> bids = new ArrayList<>(1);

        public MaxAcc() {}
    }

    static final class MaxBids implements AggregateFunction<Shuffled.PricedBid, MaxAcc, MaxAcc> {
        private static final long serialVersionUID = 1L;

        @Override
        public MaxAcc createAccumulator() {
            return new MaxAcc();
        }

        @Override
        public MaxAcc add(Shuffled.PricedBid b, MaxAcc acc) {
            if (b.price > acc.price) {
                acc.price = b.price;
                acc.bids.clear();
            }
            if (b.price == acc.price) acc.bids.add(b);
            return acc;
        }

        @Override
        public MaxAcc getResult(MaxAcc acc) {
            return acc;
        }

        @Override
        public MaxAcc merge(MaxAcc a, MaxAcc b) {
            if (b.price > a.price) return b;
            if (b.price == a.price) a.bids.addAll(b.bids);
            return a;
        }
    }

    static final class Q7Emit extends ProcessWindowFunction<MaxAcc, Outputs.Q7, Long, TimeWindow> {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(Long auction, Context ctx, Iterable<MaxAcc> accs, Collector<Outputs.Q7> out) {
            long end = ctx.window().getEnd();
            for (Shuffled.PricedBid r : accs.iterator().next().bids) {
                out.collect(new Outputs.Q7(r.auction, r.price, r.bidder, r.dateTime, end));
            }
        }
    }

    /** Keyed by windowEnd: the window's highest price and its bids, emitted at windowEnd - 1. */
    static final class Q7Max extends KeyedProcessFunction<Long, Outputs.Q7, Outputs.Q7> {
        private static final long serialVersionUID = 1L;
        private transient ValueState<Long> max;
        private transient ListState<Outputs.Q7> best;

        @Override
        public void open(Configuration parameters) {
            max = getRuntimeContext().getState(new ValueStateDescriptor<>("max", Types.LONG));
            best = getRuntimeContext().getListState(new ListStateDescriptor<>("best", Outputs.Q7.class));
        }

        @Override
        public void processElement(Outputs.Q7 r, Context ctx, Collector<Outputs.Q7> out) throws Exception {
            Long m = max.value();
            if (m == null) ctx.timerService().registerEventTimeTimer(r.windowEnd - 1);
            if (m == null || r.price > m) {
                max.update(r.price);
                best.update(List.of(r));
            } else if (r.price == m) {
                best.add(r);
            }
        }

        @Override
        public void onTimer(long ts, OnTimerContext ctx, Collector<Outputs.Q7> out) throws Exception {
            for (Outputs.Q7 r : best.get()) out.collect(r);
            best.clear();
            max.clear();
        }
    }

    // ---------------------------------------------------------------- q8

    public static DataStream<Outputs.Q8> q8(DataStream<NexmarkEvent> events) {
        DataStream<Outputs.Q8> people = persons(events)
                .map(p -> new Outputs.Q8(p.id, p.name, p.dateTime - Math.floorMod(p.dateTime, WINDOW)))
                .returns(Outputs.Q8.class).name("q8-person");
        DataStream<Long> sellers = auctions(events).map(a -> a.seller).returns(Types.LONG).name("q8-seller");
        return people.coGroup(sellers)
                .where(new KeySelector<Outputs.Q8, Long>() {
                    @Override
                    public Long getKey(Outputs.Q8 p) {
                        return p.id;
                    }
                })
                .equalTo(new KeySelector<Long, Long>() {
                    @Override
                    public Long getKey(Long seller) {
                        return seller;
                    }
                })
                .window(TumblingEventTimeWindows.of(Duration.ofMillis(WINDOW)))
                .apply(new Q8Join(), TypeInformation.of(Outputs.Q8.class));
    }

    /** Per person id and window: the person, once, if it opened an auction in the same window. */
    static final class Q8Join implements CoGroupFunction<Outputs.Q8, Long, Outputs.Q8> {
        private static final long serialVersionUID = 1L;

        @Override
        public void coGroup(Iterable<Outputs.Q8> people, Iterable<Long> sellers, Collector<Outputs.Q8> out) {
            Iterator<Long> s = sellers.iterator();
            if (!s.hasNext()) return;
            for (Outputs.Q8 p : people) out.collect(p);
        }
    }
}
