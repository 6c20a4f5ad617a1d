package org.bushfire.domain;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.bushfire.domain.MalformedReading.Kind;

/**
 * Turns the bytes of one record into a {@link SensorRecord}: a reading, or a dead letter with the reason and
 * the raw record. This is also where a reading stamped in the future is refused: a sensor with a broken clock
 * must not drag the watermark forward and make every honest reading late.
 */
public final class ReadingDecoder implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Kinesis' largest record; a file line longer than this is not a reading. */
    public static final int MAX_RECORD_BYTES = 1024 * 1024;

    /** Wall clock, replaceable in tests. */
    public interface Clock extends Serializable {
        long nowMillis();
    }

    private final long maxClockSkewMillis;
    private final Clock clock;

    public ReadingDecoder(Duration maxClockSkew) {
        this(maxClockSkew, System::currentTimeMillis);
    }

    public ReadingDecoder(Duration maxClockSkew, Clock clock) {
        this.maxClockSkewMillis = maxClockSkew.toMillis();
        this.clock = clock;
    }

    public SensorRecord decode(byte[] bytes, String origin) {
        SensorRecord record;
        try {
            if (bytes.length > MAX_RECORD_BYTES) {
                throw new MalformedReading(Kind.TOO_LARGE,
                        "record of " + bytes.length + " bytes is larger than " + MAX_RECORD_BYTES);
            }
            Reading reading = ReadingParser.parse(bytes);
            long ahead = reading.eventTimestamp - clock.nowMillis();
            if (ahead > maxClockSkewMillis) {
                throw new MalformedReading(Kind.FUTURE_TIME, "event time is " + Duration.ofMillis(ahead)
                        + " ahead of the wall clock (more than the allowed clock skew of "
                        + Duration.ofMillis(maxClockSkewMillis) + ")");
            }
            record = SensorRecord.of(reading);
        } catch (MalformedReading e) {
            record = SensorRecord.of(deadLetter(e.kind(), e.getMessage(), bytes));
            record.deadLetter.origin = origin;
        }
        return record;
    }

    static DeadLetter deadLetter(Kind kind, String reason, byte[] bytes) {
        try {
            String raw = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
            return new DeadLetter(kind, reason, raw, null);
        } catch (CharacterCodingException e) {
            return new DeadLetter(kind, reason, new String(bytes, StandardCharsets.UTF_8),
                    Base64.getEncoder().encodeToString(bytes));
        }
    }
}
