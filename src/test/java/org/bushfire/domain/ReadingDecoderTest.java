package org.bushfire.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ReadingDecoderTest {
    /** 2024-11-21T00:00:00Z: the injected wall clock. */
    static final long NOW = 1_732_147_200_000L;
    static final Duration SKEW = Duration.ofMinutes(15);

    final ReadingDecoder decoder = new ReadingDecoder(SKEW, () -> NOW);

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String readingAt(long eventTimestamp) {
        return "{\"node\":5,\"eventTimestamp\":" + eventTimestamp + ",\"temperature\":51.5,\"infectedBy\":4}";
    }

    @Test
    void validReadingBecomesARecordWithTheReading() {
        SensorRecord record = decoder.decode(utf8(
                "{\"network\":\"ridge-7\",\"node\":12,\"eventTimestamp\":1732147100000,\"temperature\":51.5,"
                        + "\"infectedBy\":\"11\",\"lat\":-33.71,\"lon\":150.31}"), "readings.jsonl:3");

        Reading expected = new Reading("ridge-7", "12", 1_732_147_100_000L, 51.5, "11");
        expected.nodeNumeric = true;
        expected.lat = -33.71;
        expected.lon = 150.31;
        assertThat(record.isReading()).isTrue();
        assertThat(record.reading).isEqualTo(expected);
        assertThat(record.deadLetter).isNull();
    }

    @Test
    void malformedReadingBecomesADeadLetterWithKindReasonRawAndOrigin() {
        String raw = "{\"node\":5,\"eventTimestamp\":1732147100000,\"temperature\":\"hot\"}";

        SensorRecord record = decoder.decode(utf8(raw), "shard-0001/49590338271490256608559692538361571095921575989136588898");

        assertThat(record.isReading()).isFalse();
        assertThat(record.reading).isNull();
        DeadLetter d = record.deadLetter;
        assertThat(d.kind).isEqualTo("bad-temperature");
        assertThat(d.reason).isEqualTo("temperature must be a number, was a string");
        assertThat(d.raw).isEqualTo(raw);
        assertThat(d.rawBase64).isNull();
        assertThat(d.origin).isEqualTo("shard-0001/49590338271490256608559692538361571095921575989136588898");
    }

    @Test
    void deadLetterKeepsNonAsciiTextAsIs() {
        String raw = "{\"node\":\"capteur-é-🔥\",\"temperature\":20}";

        DeadLetter d = decoder.decode(utf8(raw), null).deadLetter;

        assertThat(d.kind).isEqualTo("bad-time");
        assertThat(d.raw).isEqualTo(raw);
        assertThat(d.rawBase64).as("valid UTF-8 needs no base64").isNull();
        assertThat(d.origin).isNull();
    }

    @Test
    void emptyRecordIsADeadLetter() {
        DeadLetter d = decoder.decode(new byte[0], "f:1").deadLetter;

        assertThat(d.kind).isEqualTo("empty");
        assertThat(d.raw).isEmpty();
        assertThat(d.origin).isEqualTo("f:1");
    }

    @Test
    void invalidUtf8KeepsTheExactBytesInBase64() {
        byte[] bytes = ReadingParserTest.bytes(
                "{\"node\":\"", 0xff, 0xfe, "\",\"eventTimestamp\":1,\"temperature\":", 0xc3, 0x28, "}");

        DeadLetter d = decoder.decode(bytes, "f:2").deadLetter;

        assertThat(d.kind).isEqualTo("invalid-json");
        assertThat(d.reason).contains("Invalid UTF-8");
        assertThat(d.rawBase64).isNotNull();
        assertThat(Base64.getDecoder().decode(d.rawBase64)).isEqualTo(bytes);
        assertThat(d.raw).startsWith("{\"node\":\"").contains("\uFFFD");
    }

    @Test
    void recordLargerThanTheMaximumIsTooLarge() {
        byte[] bytes = padded(readingAt(NOW), ReadingDecoder.MAX_RECORD_BYTES + 1);

        DeadLetter d = decoder.decode(bytes, "f:3").deadLetter;

        assertThat(d).isNotNull();
        assertThat(d.kind).isEqualTo("too-large");
        assertThat(d.reason).isEqualTo("record of " + (ReadingDecoder.MAX_RECORD_BYTES + 1)
                + " bytes is larger than " + ReadingDecoder.MAX_RECORD_BYTES);
        assertThat(d.origin).isEqualTo("f:3");
    }

    @Test
    void recordOfExactlyTheMaximumIsParsed() {
        byte[] bytes = padded(readingAt(NOW), ReadingDecoder.MAX_RECORD_BYTES);

        SensorRecord record = decoder.decode(bytes, "f:4");

        assertThat(record.isReading()).isTrue();
        assertThat(record.reading.node).isEqualTo("5");
    }

    @Test
    void readingFurtherAheadThanTheClockSkewIsAFutureTimeDeadLetter() {
        long tooFar = NOW + SKEW.toMillis() + 1;

        SensorRecord record = decoder.decode(utf8(readingAt(tooFar)), "f:5");

        assertThat(record.isReading()).isFalse();
        DeadLetter d = record.deadLetter;
        assertThat(d.kind).isEqualTo("future-time");
        assertThat(d.reason).contains("ahead of the wall clock").contains(Duration.ofMillis(SKEW.toMillis() + 1).toString())
                .contains("clock skew of " + SKEW);
        assertThat(d.raw).isEqualTo(readingAt(tooFar));
        assertThat(d.origin).isEqualTo("f:5");
    }

    @Test
    void readingExactlyAtTheClockSkewIsAccepted() {
        long atSkew = NOW + SKEW.toMillis();

        SensorRecord record = decoder.decode(utf8(readingAt(atSkew)), "f:6");

        assertThat(record.isReading()).isTrue();
        assertThat(record.reading.eventTimestamp).isEqualTo(atSkew);
    }

    @Test
    void pastReadingsAreAcceptedHoweverOld() {
        SensorRecord record = decoder.decode(utf8(readingAt(1)), "f:7");

        assertThat(record.isReading()).isTrue();
        assertThat(record.reading.eventTimestamp).isEqualTo(1L);
    }

    @Test
    void zeroSkewAcceptsNowAndRefusesOneMillisecondLater() {
        ReadingDecoder strict = new ReadingDecoder(Duration.ZERO, () -> NOW);

        assertThat(strict.decode(utf8(readingAt(NOW)), null).isReading()).isTrue();
        assertThat(strict.decode(utf8(readingAt(NOW + 1)), null).deadLetter.kind).isEqualTo("future-time");
    }

    @Test
    void clockIsAskedAtDecodeTime() {
        long[] now = {NOW};
        ReadingDecoder moving = new ReadingDecoder(SKEW, () -> now[0]);
        byte[] ahead = utf8(readingAt(NOW + SKEW.toMillis() + 60_000));

        assertThat(moving.decode(ahead, null).isReading()).isFalse();
        now[0] += 60_000;
        assertThat(moving.decode(ahead, null).isReading()).isTrue();
    }

    /** The JSON followed by spaces up to exactly {@code size} bytes. */
    static byte[] padded(String json, int size) {
        byte[] bytes = Arrays.copyOf(utf8(json), size);
        Arrays.fill(bytes, json.length(), size, (byte) ' ');
        return bytes;
    }
}
