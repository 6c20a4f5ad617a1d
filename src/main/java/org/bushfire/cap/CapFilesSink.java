package org.bushfire.cap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.bushfire.domain.IncidentMessage;

/**
 * Writes each incident message's CAP document to a folder as {@code <messageId>.xml}, for {@code replay} and the
 * demo's run directory. The name is the message's deterministic id, so a message written again after a restore
 * or a second replay replaces its own file with the same text: no copies, nothing half-written (each file is
 * written beside its place and moved there). Any parallelism: distinct messages have distinct files.
 */
public final class CapFilesSink implements Sink<IncidentMessage> {
    private static final long serialVersionUID = 1L;

    private final String folder;
    private final CapSettings settings;

    public CapFilesSink(Path folder, CapSettings settings) {
        this.folder = folder.toAbsolutePath().toString();
        this.settings = settings.validate();
    }

    /** The file a message's document goes to. */
    public static Path fileOf(Path folder, IncidentMessage message) {
        return folder.resolve(message.messageId + ".xml");
    }

    @Override
    @SuppressWarnings("deprecation")
    public SinkWriter<IncidentMessage> createWriter(InitContext context) throws IOException {
        Path dir = Paths.get(folder);
        Files.createDirectories(dir);
        return new Writer(dir, settings);
    }

    private static final class Writer implements SinkWriter<IncidentMessage> {
        private final Path folder;
        private final CapSettings settings;

        Writer(Path folder, CapSettings settings) {
            this.folder = folder;
            this.settings = settings;
        }

        @Override
        public void write(IncidentMessage message, Context context) throws IOException {
            Path target = fileOf(folder, message);
            Path partial = folder.resolve("." + message.messageId + ".xml.partial");
            Files.writeString(partial, CapDocument.of(message, settings), StandardCharsets.UTF_8);
            try {
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }

        @Override
        public void flush(boolean endOfInput) {
            // each document is complete on disk when write() returns
        }

        @Override
        public void close() {
            // nothing held open
        }
    }
}
