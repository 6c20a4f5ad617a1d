package org.bushfire.simulator;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** One record per line, to a file (replaced) or stdout. */
public final class JsonLinesSink implements ReadingSink {
    private final Writer out;
    private final boolean closeOut;
    private final String description;

    private JsonLinesSink(Writer out, boolean closeOut, String description) {
        this.out = out;
        this.closeOut = closeOut;
        this.description = description;
    }

    public static JsonLinesSink file(Path file) throws IOException {
        return new JsonLinesSink(Files.newBufferedWriter(file, StandardCharsets.UTF_8), true, "file " + file);
    }

    public static JsonLinesSink stdout(PrintStream stdout) {
        return new JsonLinesSink(new BufferedWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), 1 << 16),
                false, "stdout");
    }

    @Override
    public void send(String line, String partitionKey) throws IOException {
        out.write(line);
        out.write('\n');
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() throws IOException {
        if (closeOut) {
            out.close();
        } else {
            out.flush();
        }
    }
}
