package dev.eddy.nexmark;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A bounded, parallel FLIP-27 source of Nexmark events: at source parallelism p, subtask i runs
 * generator instance i of p and emits ids i, i + p, i + 2p, ... below {@code events}, in order
 * (timestamps never decrease), each with its event time as the record timestamp. The union over
 * all subtasks is exactly ids 0 .. events - 1.
 */
public final class NexmarkSource
        implements Source<NexmarkEvent, NexmarkSplit, List<NexmarkSplit>>, ResultTypeQueryable<NexmarkEvent> {
    private static final long serialVersionUID = 1L;

    private final NexmarkConfig cfg;
    private final long wallRate;

    public NexmarkSource(NexmarkConfig cfg) {
        this(cfg, 0);
    }

    /**
     * @param wallRate if &gt; 0, throttle to this many events per second of wall time over all
     *     subtasks: event id e is emitted no earlier than {@link BenchClock#throttleStart()} + e / wallRate s
     *     (so each of p subtasks runs at wallRate / p events/s)
     */
    public NexmarkSource(NexmarkConfig cfg, long wallRate) {
        this.cfg = cfg;
        this.wallRate = wallRate;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public SourceReader<NexmarkEvent, NexmarkSplit> createReader(SourceReaderContext readerContext) {
        return new NexmarkSourceReader(cfg, wallRate);
    }

    @Override
    public SplitEnumerator<NexmarkSplit, List<NexmarkSplit>> createEnumerator(
            SplitEnumeratorContext<NexmarkSplit> enumContext) {
        int p = enumContext.currentParallelism();
        List<NexmarkSplit> splits = new ArrayList<>(p);
        for (int i = 0; i < p; i++) splits.add(new NexmarkSplit(i, p, 0));
        return new NexmarkSplitEnumerator(enumContext, splits);
    }

    @Override
    public SplitEnumerator<NexmarkSplit, List<NexmarkSplit>> restoreEnumerator(
            SplitEnumeratorContext<NexmarkSplit> enumContext, List<NexmarkSplit> checkpoint) {
        return new NexmarkSplitEnumerator(enumContext, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<NexmarkSplit> getSplitSerializer() {
        return new NexmarkSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<List<NexmarkSplit>> getEnumeratorCheckpointSerializer() {
        return new NexmarkSplitSerializer.PendingSerializer();
    }

    @Override
    public TypeInformation<NexmarkEvent> getProducedType() {
        return TypeInformation.of(NexmarkEvent.class);
    }
}
