package org.bushfire.sns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * How pending alerts are stored in checkpoints in exactly-once mode. Strings are length-prefixed UTF-8 rather
 * than {@code writeUTF}, whose 64 KB limit a long chain's body could reach.
 */
final class AlertMessageSerializer implements SimpleVersionedSerializer<AlertMessage> {
    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(AlertMessage m) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(512 + m.body().length() * 3 + m.alertJson().length());
        write(out, m);
        return out.getCopyOfBuffer();
    }

    static void write(DataOutputSerializer out, AlertMessage m) throws IOException {
        writeString(out, m.alertId());
        writeString(out, m.network());
        out.writeInt(m.chainLength());
        writeString(out, m.subject());
        writeString(out, m.body());
        writeString(out, m.alertJson());
    }

    @Override
    public AlertMessage deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("pending alert stored in unknown format version " + version + " (this job reads "
                    + VERSION + ")");
        }
        return read(new DataInputDeserializer(serialized));
    }

    static AlertMessage read(DataInputDeserializer in) throws IOException {
        String alertId = readString(in);
        String network = readString(in);
        int chainLength = in.readInt();
        String subject = readString(in);
        String body = readString(in);
        String alertJson = readString(in);
        return new AlertMessage(alertId, network, chainLength, subject, body, alertJson);
    }

    static void writeString(DataOutputSerializer out, String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    static String readString(DataInputDeserializer in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("corrupt pending alert: string of " + length + " bytes");
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
