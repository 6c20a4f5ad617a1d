package org.bushfire.sns;

import static org.bushfire.sns.AlertMessageSerializer.readString;
import static org.bushfire.sns.AlertMessageSerializer.writeString;

import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * How pending notifications are stored in checkpoints in exactly-once mode. Version 2 starts each with a tag (an
 * alert, or an incident notice). Version 1 is what the sink stored before incidents existed: an
 * {@link AlertMessage} alone ({@link AlertMessageSerializer}); it is still read, so alerts pending in a savepoint
 * taken before the upgrade are published after it.
 */
final class SnsNotificationSerializer implements SimpleVersionedSerializer<SnsNotification> {
    static final int VERSION = 2;
    private static final byte ALERT = 'A';
    private static final byte INCIDENT = 'I';

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(SnsNotification n) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(4096);
        if (n instanceof AlertMessage) {
            out.writeByte(ALERT);
            AlertMessageSerializer.write(out, (AlertMessage) n);
        } else if (n instanceof IncidentNotice) {
            IncidentNotice i = (IncidentNotice) n;
            out.writeByte(INCIDENT);
            out.writeByte(i.target.ordinal());
            writeString(out, i.messageId);
            writeString(out, i.alertId);
            writeString(out, i.network);
            writeString(out, i.msgType);
            writeString(out, i.severity);
            out.writeInt(i.sequence);
            out.writeInt(i.burningSensors);
            out.writeInt(i.chainLength);
            writeString(out, i.subject);
            writeString(out, i.message);
            writeString(out, i.incidentJson);
        } else {
            throw new IOException("cannot store a pending " + n.getClass().getName());
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public SnsNotification deserialize(int version, byte[] serialized) throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        if (version == 1) {
            return AlertMessageSerializer.read(in);
        }
        if (version != VERSION) {
            throw new IOException("pending notification stored in unknown format version " + version
                    + " (this job reads 1 and " + VERSION + ")");
        }
        byte tag = in.readByte();
        if (tag == ALERT) {
            return AlertMessageSerializer.read(in);
        }
        if (tag != INCIDENT) {
            throw new IOException("corrupt pending notification: unknown kind " + tag);
        }
        int target = in.readByte();
        if (target < 0 || target >= IncidentNotice.Target.values().length) {
            throw new IOException("corrupt pending incident notice: unknown target " + target);
        }
        return new IncidentNotice(IncidentNotice.Target.values()[target], readString(in), readString(in),
                readString(in), readString(in), readString(in), in.readInt(), in.readInt(), in.readInt(),
                readString(in), readString(in), readString(in));
    }
}
