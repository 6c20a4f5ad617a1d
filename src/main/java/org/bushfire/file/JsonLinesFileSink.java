package org.bushfire.file;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;

/**
 * Appends one JSON object per line to a local file. Run it at parallelism 1 so there is one writer; the file
 * is created if missing (the replay command truncates it before a run). Each alert is flushed at once.
 */
public final class JsonLinesFileSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;

    /** Renders one record as a single line of JSON. */
    @FunctionalInterface
    public interface Format<T> extends Serializable {
        String toJson(T value);
    }

    private final String file;
    private final Format<T> format;
    private final boolean flushEachRecord;

    public JsonLinesFileSink(java.nio.file.Path file, Format<T> format, boolean flushEachRecord) {
        this.file = file.toAbsolutePath().toString();
        this.format = format;
        this.flushEachRecord = flushEachRecord;
    }

    @Override
    @SuppressWarnings("deprecation")
    public SinkWriter<T> createWriter(InitContext context) throws IOException {
        return new Writer<>(Files.newBufferedWriter(Paths.get(file), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND), format, flushEachRecord);
    }

    private static final class Writer<T> implements SinkWriter<T> {
        private final BufferedWriter out;
        private final Format<T> format;
        private final boolean flushEachRecord;

        Writer(BufferedWriter out, Format<T> format, boolean flushEachRecord) {
            this.out = out;
            this.format = format;
            this.flushEachRecord = flushEachRecord;
        }

        @Override
        public void write(T value, Context context) throws IOException {
            out.write(format.toJson(value));
            out.write('\n');
            if (flushEachRecord) {
                out.flush();
            }
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
