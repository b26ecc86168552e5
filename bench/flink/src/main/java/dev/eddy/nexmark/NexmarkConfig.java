package dev.eddy.nexmark;

import java.io.Serializable;

/**
 * The Nexmark configuration of docs/nexmark-spec.md with its defaults (same names and limits
 * as NexmarkConfig in packages/sdk/src/connectors/nexmark/generator.ts). Immutable.
 */
public final class NexmarkConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final long MAX_EVENTS = (long) Math.floor(9007199254740991.0 / 1000);
    private static final int MAX_DRAW = 1 << 21;
    private static final int MAX_AVG_BYTES = 1 << 20;

    public final long seed; // unsigned 32-bit
    public final long events;
    public final long rate;
    public final long baseTime;
    public final int personProportion;
    public final int auctionProportion;
    public final int bidProportion;
    public final long numActivePeople;
    public final long numInFlightAuctions;
    public final int hotAuctionRatio;
    public final int hotSellersRatio;
    public final int hotBiddersRatio;
    public final int avgPersonByteSize;
    public final int avgAuctionByteSize;
    public final int avgBidByteSize;

    private NexmarkConfig(Builder b) {
        seed = check("seed", b.seed, 0, 0xFFFFFFFFL);
        events = check("events", b.events, 0, MAX_EVENTS);
        rate = check("rate", b.rate, 1, 1_000_000_000_000L);
        baseTime = check("baseTime", b.baseTime, 0, 9007199254740991L);
        personProportion = (int) check("personProportion", b.personProportion, 1, 1 << 16);
        auctionProportion = (int) check("auctionProportion", b.auctionProportion, 1, 1 << 16);
        bidProportion = (int) check("bidProportion", b.bidProportion, 0, 1 << 16);
        numActivePeople = check("numActivePeople", b.numActivePeople, 1, 1L << 40);
        numInFlightAuctions = check("numInFlightAuctions", b.numInFlightAuctions, 0, 1L << 40);
        hotAuctionRatio = (int) check("hotAuctionRatio", b.hotAuctionRatio, 1, MAX_DRAW);
        hotSellersRatio = (int) check("hotSellersRatio", b.hotSellersRatio, 1, MAX_DRAW);
        hotBiddersRatio = (int) check("hotBiddersRatio", b.hotBiddersRatio, 1, MAX_DRAW);
        avgPersonByteSize = (int) check("avgPersonByteSize", b.avgPersonByteSize, 0, MAX_AVG_BYTES);
        avgAuctionByteSize = (int) check("avgAuctionByteSize", b.avgAuctionByteSize, 0, MAX_AVG_BYTES);
        avgBidByteSize = (int) check("avgBidByteSize", b.avgBidByteSize, 0, MAX_AVG_BYTES);
    }

    private static long check(String name, long v, long min, long max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(
                    "nexmark config: option '" + name + "' must be in [" + min + ", " + max + "], got " + v);
        }
        return v;
    }

    public int totalProportion() {
        return personProportion + auctionProportion + bidProportion;
    }

    /** Event time (epoch ms) of event id e: baseTime + floor(e * 1000 / rate). */
    public long timestamp(long eventId) {
        return baseTime + (eventId * 1000) / rate;
    }

    public static Builder builder(long events) {
        return new Builder().events(events);
    }

    /** Defaults as in the spec; only {@code events} has none. */
    public static final class Builder {
        long seed = 42;
        long events = -1;
        long rate = 100_000;
        long baseTime = 1_700_000_000_000L;
        long personProportion = 1;
        long auctionProportion = 3;
        long bidProportion = 46;
        long numActivePeople = 1000;
        long numInFlightAuctions = 100;
        long hotAuctionRatio = 2;
        long hotSellersRatio = 4;
        long hotBiddersRatio = 4;
        long avgPersonByteSize = 200;
        long avgAuctionByteSize = 500;
        long avgBidByteSize = 100;

        public Builder seed(long v) { seed = v; return this; }
        public Builder events(long v) { events = v; return this; }
        public Builder rate(long v) { rate = v; return this; }
        public Builder baseTime(long v) { baseTime = v; return this; }
        public Builder proportions(long person, long auction, long bid) {
            personProportion = person;
            auctionProportion = auction;
            bidProportion = bid;
            return this;
        }
        public Builder numActivePeople(long v) { numActivePeople = v; return this; }
        public Builder numInFlightAuctions(long v) { numInFlightAuctions = v; return this; }
        public Builder hotRatios(long auction, long sellers, long bidders) {
            hotAuctionRatio = auction;
            hotSellersRatio = sellers;
            hotBiddersRatio = bidders;
            return this;
        }
        public Builder avgByteSizes(long person, long auction, long bid) {
            avgPersonByteSize = person;
            avgAuctionByteSize = auction;
            avgBidByteSize = bid;
            return this;
        }

        public NexmarkConfig build() {
            return new NexmarkConfig(this);
        }
    }
}
