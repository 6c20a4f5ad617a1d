package org.bushfire.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** An output file named by an option, checked before any job starts so a typo fails at once, naming the option. */
final class OutputFile {
    private OutputFile() {}

    /** A replay's output: emptied, so a run's file holds that run's records only. */
    static Path replaced(CommandLine cli, Path file, String option) {
        return prepare(cli, file, option, true);
    }

    /** A streaming job's output: kept and appended to, so a restart adds to what earlier runs wrote. */
    static Path appended(CommandLine cli, Path file, String option) {
        return prepare(cli, file, option, false);
    }

    private static Path prepare(CommandLine cli, Path file, String option, boolean empty) {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new ParameterException(cli, option + ": no such directory " + parent);
        }
        try {
            if (empty) {
                Files.write(file, new byte[0]);
            } else if (!Files.exists(file)) {
                Files.createFile(file);
            }
        } catch (IOException e) {
            throw new ParameterException(cli, option + ": cannot write " + file + " (" + e.getMessage() + ")");
        }
        return file;
    }
}
