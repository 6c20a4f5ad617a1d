package org.bushfire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line refuses what it cannot run before any job starts, naming what to fix. */
class BushfireCliTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream originalErr;
    private PrintStream originalOut;
    private Path input;

    @BeforeEach
    void capture() throws Exception {
        originalErr = System.err;
        originalOut = System.out;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        input = Files.writeString(dir.resolve("in.jsonl"), "{}\n");
    }

    @AfterEach
    void restore() {
        System.setErr(originalErr);
        System.setOut(originalOut);
    }

    private int run(String... args) {
        return BushfireCli.execute(args);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpListsCommandsAndReplayHelpListsEveryOption() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("replay");

        out.reset();
        assertThat(run("replay", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--input", "--alerts-out", "--dead-letters-out",
                "--threshold", "--chain-length", "--window", "--out-of-orderness", "--idle-timeout",
                "--max-clock-skew", "--state-retention", "--parallelism");
    }

    @Test
    void anUnknownOptionIsNamed() {
        assertThat(run("replay", "--input", input.toString(), "--alerts-out", "a.jsonl", "--chain-lenght", "5"))
                .isEqualTo(2);
        assertThat(stderr()).contains("--chain-lenght").contains("--help");
    }

    @Test
    void aBadDurationIsNamed() {
        assertThat(run("replay", "--input", input.toString(), "--alerts-out", "a.jsonl", "--window", "thirty"))
                .isEqualTo(2);
        assertThat(stderr()).contains("--window").contains("thirty");
    }

    @Test
    void aBadNumberIsNamed() {
        assertThat(run("replay", "--input", input.toString(), "--alerts-out", "a.jsonl", "--threshold", "hot"))
                .isEqualTo(2);
        assertThat(stderr()).contains("--threshold").contains("hot");
    }

    @Test
    void anInconsistentConfigurationIsNamed() {
        assertThat(run("replay", "--input", input.toString(), "--alerts-out", dir.resolve("a.jsonl").toString(),
                "--chain-length", "1")).isEqualTo(2);
        assertThat(stderr()).contains("--chain-length must be between 2 and 100");
    }

    @Test
    void aMissingInputFileIsNamed() {
        Path missing = dir.resolve("missing.jsonl");
        assertThat(run("replay", "--input", missing.toString(), "--alerts-out", dir.resolve("a.jsonl").toString()))
                .isEqualTo(2);
        assertThat(stderr()).contains("--input").contains(missing.toString());
    }

    @Test
    void anOutputInAMissingDirectoryIsNamed() {
        Path nowhere = dir.resolve("no/such/dir/alerts.jsonl");
        assertThat(run("replay", "--input", input.toString(), "--alerts-out", nowhere.toString())).isEqualTo(2);
        assertThat(stderr()).contains("--alerts-out").contains("no such directory");
    }

    @Test
    void requiredOptionsAreNamed() {
        assertThat(run("replay")).isEqualTo(2);
        assertThat(stderr()).contains("--input").contains("--alerts-out");
    }

    @Test
    void aCommandIsRequired() {
        assertThat(run()).isEqualTo(2);
        assertThat(stderr()).contains("command is required");
    }
}
