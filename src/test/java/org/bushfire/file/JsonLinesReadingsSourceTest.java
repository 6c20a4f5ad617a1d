package org.bushfire.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bushfire.domain.ReadingDecoder;
import org.bushfire.domain.SensorRecord;
import org.junit.jupiter.api.Test;

class JsonLinesReadingsSourceTest {
    static final ReadingDecoder DECODER = new ReadingDecoder(Duration.ofMinutes(15), () -> 2_000_000_000_000L);

    static List<SensorRecord> read(byte[] content) throws Exception {
        JsonLinesReadingsSource.LineReader reader =
                new JsonLinesReadingsSource.LineReader(new ByteArrayInputStream(content), DECODER);
        List<SensorRecord> records = new ArrayList<>();
        SensorRecord r;
        while ((r = reader.read()) != null) {
            records.add(r);
        }
        reader.close();
        return records;
    }

    static String reading(int node) {
        return "{\"node\":" + node + ",\"eventTimestamp\":1732147200000,\"temperature\":20.5}";
    }

    @Test
    void readsLfAndCrlfLinesSkipsBlankOnesAndKeepsALastLineWithoutNewline() throws Exception {
        String text = reading(1) + "\r\n\n" + reading(2) + "\n   \n" + reading(3);

        List<SensorRecord> records = read(text.getBytes(StandardCharsets.UTF_8));

        assertThat(records).extracting(r -> r.reading.node).containsExactly("1", "2", "3");
    }

    @Test
    void aMalformedLineNamesItsLineNumber() throws Exception {
        String text = reading(1) + "\n\n" + "oops" + "\n" + reading(2) + "\n";

        List<SensorRecord> records = read(text.getBytes(StandardCharsets.UTF_8));

        assertThat(records).hasSize(3);
        assertThat(records.get(1).deadLetter.origin).isEqualTo("line 3");
        assertThat(records.get(1).deadLetter.raw).isEqualTo("oops");
        assertThat(records.get(2).reading.node).isEqualTo("2");
    }

    @Test
    void aLineLongerThanARecordIsDeadLetteredAndTheNextLineStillReads() throws Exception {
        byte[] huge = new byte[ReadingDecoder.MAX_RECORD_BYTES + 5000];
        Arrays.fill(huge, (byte) 'x');
        byte[] next = ("\n" + reading(7) + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] content = new byte[huge.length + next.length];
        System.arraycopy(huge, 0, content, 0, huge.length);
        System.arraycopy(next, 0, content, huge.length, next.length);

        List<SensorRecord> records = read(content);

        assertThat(records).hasSize(2);
        assertThat(records.get(0).deadLetter.kind).isEqualTo("too-large");
        assertThat(records.get(1).reading.node).isEqualTo("7");
    }

    @Test
    void anEmptyFileHasNoRecords() throws Exception {
        assertThat(read(new byte[0])).isEmpty();
    }
}
