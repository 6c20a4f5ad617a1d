package org.bushfire.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.bushfire.domain.Reading;

/**
 * How a reading travels between operators: every reading crosses one keyed exchange (to the onsets), so the
 * cost of writing and reading it back is paid once per reading, next to parsing it. Flink's POJO serializer
 * does it field by field through reflection, with a null mark per field and a thread-local buffer per string;
 * this one writes the fields directly — a byte of flags (which of the optional fields are there, whether ids
 * were JSON numbers), the ids as UTF-8, the numbers as they are.
 *
 * <p>Only the streams of readings use it ({@link #TYPE}: the on-time and late readings after the split). Keyed
 * state keeps Flink's POJO serializer for {@link Reading} (its schema can evolve across savepoints; see
 * {@code WireTypesTest}), and nothing of a stream is in a savepoint, so this format can change between versions.
 */
public final class ReadingWire {
    public static final TypeInformation<Reading> TYPE = new Type();

    private static final int NODE_NUMERIC = 1;
    private static final int HAS_INFECTOR = 1 << 1;
    private static final int INFECTOR_NUMERIC = 1 << 2;
    private static final int HAS_LAT = 1 << 3;
    private static final int HAS_LON = 1 << 4;
    private static final int DEFAULT_NETWORK = 1 << 5;

    private ReadingWire() {}

    static final class Type extends TypeInformation<Reading> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean isBasicType() {
            return false;
        }

        @Override
        public boolean isTupleType() {
            return false;
        }

        @Override
        public int getArity() {
            return 1;
        }

        @Override
        public int getTotalFields() {
            return 1;
        }

        @Override
        public Class<Reading> getTypeClass() {
            return Reading.class;
        }

        @Override
        public boolean isKeyType() {
            return false;
        }

        @Override
        public TypeSerializer<Reading> createSerializer(SerializerConfig config) {
            return Serializer.INSTANCE;
        }

        @Override
        @Deprecated
        public TypeSerializer<Reading> createSerializer(ExecutionConfig config) {
            return Serializer.INSTANCE;
        }

        @Override
        public String toString() {
            return "Reading (wire)";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Type;
        }

        @Override
        public int hashCode() {
            return Type.class.hashCode();
        }

        @Override
        public boolean canEqual(Object o) {
            return o instanceof Type;
        }
    }

    public static final class Serializer extends TypeSerializerSingleton<Reading> {
        private static final long serialVersionUID = 1L;
        public static final Serializer INSTANCE = new Serializer();

        @Override
        public boolean isImmutableType() {
            return false;
        }

        @Override
        public Reading createInstance() {
            return new Reading();
        }

        @Override
        public Reading copy(Reading from) {
            Reading r = new Reading();
            r.network = from.network;
            r.node = from.node;
            r.nodeNumeric = from.nodeNumeric;
            r.eventTimestamp = from.eventTimestamp;
            r.temperature = from.temperature;
            r.infectedBy = from.infectedBy;
            r.infectedByNumeric = from.infectedByNumeric;
            r.lat = from.lat;
            r.lon = from.lon;
            return r; // strings and boxed doubles are immutable: sharing them is a copy
        }

        @Override
        public Reading copy(Reading from, Reading reuse) {
            return copy(from);
        }

        @Override
        public int getLength() {
            return -1;
        }

        @Override
        public void serialize(Reading r, DataOutputView out) throws IOException {
            boolean defaultNetwork = Reading.DEFAULT_NETWORK.equals(r.network);
            int flags = (r.nodeNumeric ? NODE_NUMERIC : 0)
                    | (r.infectedBy != null ? HAS_INFECTOR : 0)
                    | (r.infectedByNumeric ? INFECTOR_NUMERIC : 0)
                    | (r.lat != null ? HAS_LAT : 0)
                    | (r.lon != null ? HAS_LON : 0)
                    | (defaultNetwork ? DEFAULT_NETWORK : 0);
            out.writeByte(flags);
            if (!defaultNetwork) {
                writeText(r.network, out);
            }
            writeText(r.node, out);
            out.writeLong(r.eventTimestamp);
            out.writeDouble(r.temperature);
            if (r.infectedBy != null) {
                writeText(r.infectedBy, out);
            }
            if (r.lat != null) {
                out.writeDouble(r.lat);
            }
            if (r.lon != null) {
                out.writeDouble(r.lon);
            }
        }

        @Override
        public Reading deserialize(DataInputView in) throws IOException {
            int flags = in.readUnsignedByte();
            Reading r = new Reading();
            r.network = (flags & DEFAULT_NETWORK) != 0 ? Reading.DEFAULT_NETWORK : readText(in);
            r.node = readText(in);
            r.nodeNumeric = (flags & NODE_NUMERIC) != 0;
            r.eventTimestamp = in.readLong();
            r.temperature = in.readDouble();
            r.infectedBy = (flags & HAS_INFECTOR) != 0 ? readText(in) : null;
            r.infectedByNumeric = (flags & INFECTOR_NUMERIC) != 0;
            r.lat = (flags & HAS_LAT) != 0 ? in.readDouble() : null;
            r.lon = (flags & HAS_LON) != 0 ? in.readDouble() : null;
            return r;
        }

        @Override
        public Reading deserialize(Reading reuse, DataInputView in) throws IOException {
            return deserialize(in);
        }

        @Override
        public void copy(DataInputView source, DataOutputView target) throws IOException {
            serialize(deserialize(source), target);
        }

        @Override
        public TypeSerializerSnapshot<Reading> snapshotConfiguration() {
            return new Snapshot();
        }

        private static void writeText(String text, DataOutputView out) throws IOException {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            out.writeInt(bytes.length);
            out.write(bytes);
        }

        private static String readText(DataInputView in) throws IOException {
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** The format has no parameters: the snapshot only names the serializer. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<Reading> {
        public Snapshot() {
            super(() -> Serializer.INSTANCE);
        }
    }
}
