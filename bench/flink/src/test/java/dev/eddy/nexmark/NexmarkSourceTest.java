package dev.eddy.nexmark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;

/** Runs the FLIP-27 source on a local MiniCluster at parallelism 3: the union is ids 0 .. N-1. */
class NexmarkSourceTest {
    @Test
    void parallelSourceEmitsEveryEventExactlyOnce() throws Exception {
        long n = 5_003;
        NexmarkConfig cfg = NexmarkConfig.builder(n).rate(1000).build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(3, new Configuration());
        List<String> got = new ArrayList<>();
        try (CloseableIterator<String> it = env
                .fromSource(new NexmarkSource(cfg), WatermarkStrategy.noWatermarks(), "nexmark")
                .map(JsonLines::toJson)
                .executeAndCollect()) {
            it.forEachRemaining(got::add);
        }
        NexmarkGenerator g = new NexmarkGenerator(cfg);
        List<String> expected = new ArrayList<>();
        for (long i = 0; i < n; i++) expected.add(JsonLines.toJson(g.generate(i)));
        got.sort(null);
        expected.sort(null);
        assertEquals(expected.size(), got.size());
        assertEquals(expected, got);
    }

    @Test
    void splitCounts() {
        assertEquals(4, NexmarkSplit.count(10, 0, 3)); // 0 3 6 9
        assertEquals(3, NexmarkSplit.count(10, 1, 3)); // 1 4 7
        assertEquals(3, NexmarkSplit.count(10, 2, 3)); // 2 5 8
        assertEquals(0, NexmarkSplit.count(2, 3, 4));
    }
}
