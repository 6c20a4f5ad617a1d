package org.bushfire.file;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.bushfire.domain.ReadingDecoder;
import org.bushfire.domain.SensorRecord;
import org.bushfire.job.ReadingsSource;

/**
 * A bounded source of readings from a JSON Lines file (one reading per line), read in order by Flink's
 * {@link FileSource}. Every line is decoded; malformed ones become dead letters naming their line number.
 */
public final class JsonLinesReadingsSource implements ReadingsSource {
    private final Path path;

    public JsonLinesReadingsSource(java.nio.file.Path file) {
        this.path = Path.fromLocalFile(file.toAbsolutePath().toFile());
    }

    @Override
    public DataStream<SensorRecord> open(
            StreamExecutionEnvironment env, ReadingDecoder decoder, WatermarkStrategy<SensorRecord> watermarks) {
        FileSource<SensorRecord> source = FileSource.forRecordStreamFormat(new ReadingLines(decoder), path).build();
        return env.fromSource(source, watermarks, "readings file").uid("readings-file");
    }

    /** Splits a file into lines (\n or \r\n) and decodes each one. */
    static final class ReadingLines extends SimpleStreamFormat<SensorRecord> {
        private static final long serialVersionUID = 1L;
        private final ReadingDecoder decoder;

        ReadingLines(ReadingDecoder decoder) {
            this.decoder = decoder;
        }

        @Override
        public StreamFormat.Reader<SensorRecord> createReader(Configuration config, FSDataInputStream stream) {
            return new LineReader(stream, decoder);
        }

        @Override
        public TypeInformation<SensorRecord> getProducedType() {
            return Types.POJO(SensorRecord.class);
        }
    }

    static final class LineReader implements StreamFormat.Reader<SensorRecord> {
        private final InputStream in;
        private final ReadingDecoder decoder;
        private final byte[] buffer = new byte[64 * 1024];
        private int position;
        private int limit;
        private long lineNumber;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(512);

        LineReader(InputStream in, ReadingDecoder decoder) {
            this.in = in;
            this.decoder = decoder;
        }

        @Override
        public SensorRecord read() throws IOException {
            while (true) {
                byte[] bytes = nextLine();
                if (bytes == null) {
                    return null;
                }
                lineNumber++;
                if (isBlank(bytes)) {
                    continue; // blank lines separate nothing in JSON Lines; skip rather than dead-letter
                }
                return decoder.decode(bytes, "line " + lineNumber);
            }
        }

        /** The next line without its terminator, cut at one byte past the record limit; null at the end. */
        private byte[] nextLine() throws IOException {
            line.reset();
            boolean any = false;
            while (true) {
                if (position == limit) {
                    limit = in.read(buffer);
                    position = 0;
                    if (limit <= 0) {
                        limit = 0;
                        return any ? trimCarriageReturn(line.toByteArray()) : null;
                    }
                }
                any = true;
                int start = position;
                while (position < limit && buffer[position] != '\n') {
                    position++;
                }
                int room = ReadingDecoder.MAX_RECORD_BYTES + 1 - line.size();
                line.write(buffer, start, Math.max(0, Math.min(room, position - start)));
                if (position < limit) {
                    position++; // the newline
                    return trimCarriageReturn(line.toByteArray());
                }
            }
        }

        private static boolean isBlank(byte[] bytes) {
            for (byte b : bytes) {
                if (b != ' ' && b != '\t' && b != '\r') {
                    return false;
                }
            }
            return true;
        }

        private static byte[] trimCarriageReturn(byte[] bytes) {
            return bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? Arrays.copyOf(bytes, bytes.length - 1) : bytes;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
