package dev.eddy.nexmark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Serializers for one split and for the enumerator's list of unassigned splits. */
public final class NexmarkSplitSerializer implements SimpleVersionedSerializer<NexmarkSplit> {
    @Override
    public int getVersion() {
        return 1;
    }

    @Override
    public byte[] serialize(NexmarkSplit s) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16);
        DataOutputStream out = new DataOutputStream(bytes);
        write(out, s);
        out.flush();
        return bytes.toByteArray();
    }

    @Override
    public NexmarkSplit deserialize(int version, byte[] serialized) throws IOException {
        return read(new DataInputStream(new ByteArrayInputStream(serialized)));
    }

    static void write(DataOutputStream out, NexmarkSplit s) throws IOException {
        out.writeInt(s.instance);
        out.writeInt(s.parallelism);
        out.writeLong(s.emitted);
    }

    static NexmarkSplit read(DataInputStream in) throws IOException {
        return new NexmarkSplit(in.readInt(), in.readInt(), in.readLong());
    }

    /** Enumerator checkpoint: the splits not assigned to a reader. */
    public static final class PendingSerializer implements SimpleVersionedSerializer<List<NexmarkSplit>> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(List<NexmarkSplit> splits) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(8 + 16 * splits.size());
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(splits.size());
            for (NexmarkSplit s : splits) write(out, s);
            out.flush();
            return bytes.toByteArray();
        }

        @Override
        public List<NexmarkSplit> deserialize(int version, byte[] serialized) throws IOException {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized));
            int n = in.readInt();
            List<NexmarkSplit> splits = new ArrayList<>(n);
            for (int i = 0; i < n; i++) splits.add(read(in));
            return splits;
        }
    }
}
