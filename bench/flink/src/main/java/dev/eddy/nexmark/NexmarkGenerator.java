package dev.eddy.nexmark;

import java.nio.charset.StandardCharsets;

/**
 * Exact port of the TypeScript generator (packages/sdk/src/connectors/nexmark/generator.ts and
 * ids.ts): {@link #generate(long)} is a pure function of (config, eventId), drawing from a fresh
 * stream state(seed, eventId) in the spec's draw order. An instance reuses one random stream and
 * one byte buffer, so it is not thread-safe: use one per thread / source reader.
 */
public final class NexmarkGenerator {
    public static final long FIRST_PERSON_ID = 1000;
    public static final long FIRST_AUCTION_ID = 1000;
    public static final long FIRST_CATEGORY_ID = 10;
    public static final int NUM_CATEGORIES = 5;
    public static final long HOT_BATCH = 100;
    public static final long ID_LEAD = 10;

    private static final String[] FIRST_NAMES = {
        "Peter", "Paul", "Luke", "John", "Saul", "Vicky", "Kate", "Julie", "Sarah", "Deiter", "Walter"};
    private static final String[] LAST_NAMES = {
        "Shultz", "Abrams", "Spencer", "White", "Bartels", "Walton", "Smith", "Jones", "Noris"};
    private static final String[] NAMES = new String[FIRST_NAMES.length * LAST_NAMES.length];
    private static final String[] CITIES = {
        "Phoenix", "Los Angeles", "San Francisco", "Boise", "Portland", "Bend", "Redmond", "Seattle", "Kent",
        "Cheyenne"};
    private static final String[] STATES = {"AZ", "CA", "ID", "OR", "WA", "WY"};
    private static final String[] CHANNELS = {"Apple", "Google", "Facebook", "Baidu"};
    private static final byte[] URL_PREFIX = "https://www.nexmark.com/".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] URL_SUFFIX = "/item.htm?query=1".getBytes(StandardCharsets.ISO_8859_1);
    private static final int CREDIT_CARD_LENGTH = 19;

    static {
        for (int i = 0; i < FIRST_NAMES.length; i++) {
            for (int j = 0; j < LAST_NAMES.length; j++) {
                NAMES[i * LAST_NAMES.length + j] = FIRST_NAMES[i] + " " + LAST_NAMES[j];
            }
        }
    }

    private final NexmarkConfig cfg;
    private final int seed;
    private final int total;
    private final long horizonEvents;
    private final NexmarkRandom rng = new NexmarkRandom();
    private byte[] buf = new byte[4096];

    public NexmarkGenerator(NexmarkConfig cfg) {
        this.cfg = cfg;
        this.seed = (int) cfg.seed;
        this.total = cfg.totalProportion();
        this.horizonEvents = (cfg.numInFlightAuctions * total) / cfg.auctionProportion;
    }

    public NexmarkConfig config() {
        return cfg;
    }

    // ---- ids (ids.ts) ----------------------------------------------------------------------

    public static long lastPerson(NexmarkConfig c, long e) {
        long total = c.totalProportion();
        long epoch = e / total;
        long off = e % total;
        if (off >= c.personProportion) off = c.personProportion - 1;
        return epoch * c.personProportion + off;
    }

    public static long lastAuction(NexmarkConfig c, long e) {
        long total = c.totalProportion();
        long epoch = e / total;
        long off = e % total;
        if (off < c.personProportion) {
            epoch -= 1;
            off = c.auctionProportion - 1;
        } else if (off >= c.personProportion + c.auctionProportion) {
            off = c.auctionProportion - 1;
        } else {
            off -= c.personProportion;
        }
        return epoch * c.auctionProportion + off;
    }

    public static long randomPerson(NexmarkConfig c, long e, NexmarkRandom r) {
        long n = lastPerson(c, e) + 1;
        long active = Math.min(n, c.numActivePeople);
        return n - active + r.nextLong(active + ID_LEAD);
    }

    public static long randomAuction(NexmarkConfig c, long e, NexmarkRandom r) {
        long max = lastAuction(c, e);
        long min = Math.max(max - c.numInFlightAuctions, 0);
        return min + r.nextLong(max - min + 1 + ID_LEAD);
    }

    // ---- events ------------------------------------------------------------------------------

    /** Kind of event id e: "person", "auction" or "bid". */
    public String kindOf(long eventId) {
        long r = eventId % total;
        return r < cfg.personProportion ? "person" : r < cfg.personProportion + cfg.auctionProportion ? "auction" : "bid";
    }

    public NexmarkEvent generate(long eventId) {
        long r = eventId % total;
        rng.reset(seed, eventId);
        long dateTime = cfg.timestamp(eventId);
        if (r >= cfg.personProportion + cfg.auctionProportion) return NexmarkEvent.of(bid(eventId, dateTime));
        if (r >= cfg.personProportion) return NexmarkEvent.of(auction(eventId, dateTime));
        return NexmarkEvent.of(person(eventId, dateTime));
    }

    private Person person(long e, long dateTime) {
        long id = lastPerson(cfg, e) + FIRST_PERSON_ID;
        int first = rng.nextInt(11);
        String name = NAMES[first * 9 + rng.nextInt(9)];
        int pos = writeNextString(0, 7);
        buf[pos++] = '@';
        pos = writeNextString(pos, 5);
        buf[pos++] = '.';
        buf[pos++] = 'c';
        buf[pos++] = 'o';
        buf[pos++] = 'm';
        String email = cut(pos);
        pos = 0;
        for (int g = 0; g < 4; g++) {
            if (g > 0) buf[pos++] = ' ';
            int v = rng.nextInt(10000);
            buf[pos++] = (byte) ('0' + v / 1000);
            buf[pos++] = (byte) ('0' + (v / 100) % 10);
            buf[pos++] = (byte) ('0' + (v / 10) % 10);
            buf[pos++] = (byte) ('0' + v % 10);
        }
        String creditCard = cut(pos);
        String city = CITIES[rng.nextInt(10)];
        String state = STATES[rng.nextInt(6)];
        int current = 8 + name.length() + email.length() + CREDIT_CARD_LENGTH + city.length() + state.length();
        String extra = extra(current, cfg.avgPersonByteSize);
        return new Person(id, name, email, creditCard, city, state, dateTime, extra);
    }

    private Auction auction(long e, long dateTime) {
        long id = lastAuction(cfg, e) + FIRST_AUCTION_ID;
        long seller = (rng.nextInt(cfg.hotSellersRatio) > 0
                ? (lastPerson(cfg, e) / HOT_BATCH) * HOT_BATCH
                : randomPerson(cfg, e, rng)) + FIRST_PERSON_ID;
        long category = FIRST_CATEGORY_ID + rng.nextInt(NUM_CATEGORIES);
        long initialBid = rng.price();
        long horizon = cfg.timestamp(e + horizonEvents) - dateTime;
        long expires = dateTime + 1 + rng.nextLong(Math.max(2 * horizon, 1));
        String itemName = cut(writeNextString(0, 20));
        String description = cut(writeNextString(0, 100));
        long reserve = initialBid + rng.price();
        String extra = extra(8 + itemName.length() + description.length() + 40, cfg.avgAuctionByteSize);
        return new Auction(id, itemName, description, initialBid, reserve, dateTime, expires, seller, category, extra);
    }

    private Bid bid(long e, long dateTime) {
        long auction = (rng.nextInt(cfg.hotAuctionRatio) > 0
                ? (lastAuction(cfg, e) / HOT_BATCH) * HOT_BATCH
                : randomAuction(cfg, e, rng)) + FIRST_AUCTION_ID;
        long bidder = (rng.nextInt(cfg.hotBiddersRatio) > 0
                ? (lastPerson(cfg, e) / HOT_BATCH) * HOT_BATCH + 1
                : randomPerson(cfg, e, rng)) + FIRST_PERSON_ID;
        long price = rng.price();
        String channel = CHANNELS[rng.nextInt(4)];
        System.arraycopy(URL_PREFIX, 0, buf, 0, URL_PREFIX.length);
        int pos = writeNextString(URL_PREFIX.length, 5);
        buf[pos++] = '/';
        pos = writeNextString(pos, 5);
        System.arraycopy(URL_SUFFIX, 0, buf, pos, URL_SUFFIX.length);
        pos += URL_SUFFIX.length;
        String url = cut(pos);
        String extra = extra(32 + channel.length() + url.length(), cfg.avgBidByteSize);
        return new Bid(auction, bidder, price, channel, url, dateTime, extra);
    }

    /** nextString(max) written at pos, trimmed of spaces; returns the end position. */
    private int writeNextString(int pos, int max) {
        int len = 3 + rng.nextInt(max - 3);
        int start = pos;
        byte[] b = buf;
        for (int i = 0; i < len; i++) {
            b[pos++] = rng.nextInt(13) == 0 ? (byte) ' ' : (byte) ('a' + rng.nextInt(26));
        }
        int a = start;
        while (a < pos && b[a] == ' ') a++;
        while (pos > a && b[pos - 1] == ' ') pos--;
        if (a > start) {
            System.arraycopy(b, a, b, start, pos - a);
            pos = start + (pos - a);
        }
        return pos;
    }

    /** extra(current, avg): "" when current > avg (no draw), else exactString(size). */
    private String extra(int current, int avg) {
        if (current > avg) return "";
        int d = avg - current;
        int delta = (int) Math.round(d * 0.2);
        int size = d - delta + (delta == 0 ? 0 : rng.nextInt(2 * delta));
        if (size > buf.length) buf = new byte[Math.max(size, 2 * buf.length)];
        byte[] b = buf;
        for (int i = 0; i < size; i++) b[i] = (byte) ('a' + rng.nextInt(26));
        return cut(size);
    }

    private String cut(int end) {
        return new String(buf, 0, end, StandardCharsets.ISO_8859_1);
    }
}
