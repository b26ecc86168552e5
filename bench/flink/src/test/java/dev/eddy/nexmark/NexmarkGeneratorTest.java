package dev.eddy.nexmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class NexmarkGeneratorTest {
    /**
     * sha256 (hex) of the concatenation of the canonical JSON line + '\n' of events 0 .. 99,999
     * (seed 42, defaults). The same constant is asserted by the TypeScript tests
     * (packages/sdk/src/connectors/nexmark/__tests__/test-nexmark.ts).
     */
    static final String CHECKSUM_SEED42_100K = "e2ea975c66be09956f78449736ed8fb386cb97d4459dcc0bd403ce9dfc86933d";

    static Path testVector() {
        String prop = System.getProperty("nexmark.testVector");
        if (prop != null && !prop.isEmpty()) return Paths.get(prop);
        // bench/flink -> ../../test/vectors
        return Paths.get(System.getProperty("user.dir"), "..", "..", "test", "vectors",
                "nexmark-seed42-first60.jsonl").normalize();
    }

    @Test
    void reproducesTheSixtyEventTestVector() throws Exception {
        List<String> lines = Files.readAllLines(testVector(), StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isEmpty()).collect(Collectors.toList());
        assertEquals(60, lines.size());
        NexmarkGenerator g = new NexmarkGenerator(NexmarkConfig.builder(60).build());
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < lines.size(); i++) {
            String got = JsonLines.toJson(g.generate(i));
            assertEquals(json.readTree(lines.get(i)), json.readTree(got), "event " + i + " (values)");
            assertEquals(lines.get(i), got, "event " + i + " (canonical line)");
        }
    }

    @Test
    void checksumOfFirst100kEventsMatchesTheSharedConstant() throws Exception {
        NexmarkGenerator g = new NexmarkGenerator(NexmarkConfig.builder(100_000).build());
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        StringBuilder sb = new StringBuilder(1024);
        for (long i = 0; i < 100_000; i++) {
            sb.setLength(0);
            JsonLines.appendEvent(sb, g.generate(i));
            sb.append('\n');
            sha.update(sb.toString().getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(CHECKSUM_SEED42_100K, HexFormat.of().formatHex(sha.digest()));
    }

    @Test
    void deterministicAndIndependentOfOrder() {
        NexmarkConfig cfg = NexmarkConfig.builder(1L << 40).build();
        NexmarkGenerator a = new NexmarkGenerator(cfg);
        NexmarkGenerator b = new NexmarkGenerator(cfg);
        long[] ids = {0, 1, 4, 49, 50, 12_345, 99_999, (1L << 33) + 17, 7, 3};
        for (int k = ids.length - 1; k >= 0; k--) b.generate(ids[(k * 3) % ids.length]);
        for (long id : ids) assertEquals(JsonLines.toJson(a.generate(id)), JsonLines.toJson(b.generate(id)));
        NexmarkGenerator other = new NexmarkGenerator(NexmarkConfig.builder(100).seed(43).build());
        assertNotEquals(JsonLines.toJson(a.generate(4)), JsonLines.toJson(other.generate(4)));
    }

    @Test
    void proportionsAndKinds() {
        NexmarkGenerator g = new NexmarkGenerator(NexmarkConfig.builder(50_000).build());
        int person = 0, auction = 0, bid = 0;
        for (long i = 0; i < 50_000; i++) {
            NexmarkEvent e = g.generate(i);
            assertEquals(g.kindOf(i), e.kind());
            assertEquals(g.config().timestamp(i), e.dateTime());
            switch (e.kind()) {
                case "person": person++; break;
                case "auction": auction++; break;
                default: bid++;
            }
        }
        assertEquals(1000, person);
        assertEquals(3000, auction);
        assertEquals(46000, bid);
    }

    @Test
    void randomStreamIsUnsigned32BitArithmetic() {
        assertEquals(0, NexmarkRandom.fmix32(0));
        NexmarkRandom r = new NexmarkRandom(1, 1);
        for (int i = 0; i < 1000; i++) {
            long v = r.next53();
            assertTrue(v >= 0 && v < (1L << 53));
            int k = r.nextInt(1 << 21);
            assertTrue(k >= 0 && k < (1 << 21));
        }
        assertNotEquals(NexmarkRandom.initialState(42, 0), NexmarkRandom.initialState(42, 1L << 32));
    }

    @Test
    void configValidation() {
        assertThrows(IllegalArgumentException.class, () -> NexmarkConfig.builder(-1).build());
        assertThrows(IllegalArgumentException.class, () -> NexmarkConfig.builder(1).rate(0).build());
        assertThrows(IllegalArgumentException.class, () -> NexmarkConfig.builder(1).seed(1L << 32).build());
        NexmarkConfig c = NexmarkConfig.builder(10).build();
        assertEquals(1_700_000_001_500L, c.timestamp(150_001));
    }
}
