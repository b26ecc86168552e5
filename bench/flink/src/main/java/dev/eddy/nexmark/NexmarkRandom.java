package dev.eddy.nexmark;

/**
 * The Nexmark random numbers of docs/nexmark-spec.md ("Random numbers"), an exact port of
 * packages/sdk/src/connectors/nexmark/random.ts: unsigned 32-bit arithmetic is Java {@code int}
 * arithmetic with wrap-around and {@code >>>}; 53-bit values are {@code long}.
 */
public final class NexmarkRandom {
    private static final long[] POW10 = {1L, 10L, 100L, 1000L, 10000L, 100000L};

    /** The current state (32 bits, read as unsigned). */
    int state;

    public NexmarkRandom() {}

    public NexmarkRandom(int seed, long eventId) {
        reset(seed, eventId);
    }

    public static int fmix32(int h) {
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        h ^= h >>> 16;
        return h;
    }

    /** state(seed, e) = fmix32((e mod 2^32) ^ fmix32(seed ^ 0x9E3779B9) ^ fmix32(floor(e / 2^32))). */
    public static int initialState(int seed, long eventId) {
        return fmix32((int) eventId ^ fmix32(seed ^ 0x9E3779B9) ^ fmix32((int) (eventId >>> 32)));
    }

    public NexmarkRandom reset(int seed, long eventId) {
        state = initialState(seed, eventId);
        return this;
    }

    /** The next 32 random bits (unsigned value = {@code Integer.toUnsignedLong}). */
    public int nextU32() {
        int s = state + 0x6D2B79F5;
        state = s;
        int t = (s ^ (s >>> 15)) * (s | 1);
        t ^= t + (t ^ (t >>> 7)) * (t | 61);
        return t ^ (t >>> 14);
    }

    /** floor(nextU32() * n / 2^32), uniform in [0, n); 1 ≤ n ≤ 2^21. */
    public int nextInt(int n) {
        return (int) (((nextU32() & 0xFFFFFFFFL) * n) >>> 32);
    }

    /** nextU32() * 2^21 + (nextU32() >>> 11), high part drawn first. */
    public long next53() {
        long hi = nextU32() & 0xFFFFFFFFL;
        long lo = nextU32() >>> 11;
        return (hi << 21) + lo;
    }

    /** next53() mod n; 1 ≤ n < 2^53. */
    public long nextLong(long n) {
        return next53() % n;
    }

    /** 10^k * (100 + nextInt(900)), k = nextInt(6) drawn first. */
    public long price() {
        int k = nextInt(6);
        return POW10[k] * (100 + nextInt(900));
    }
}
