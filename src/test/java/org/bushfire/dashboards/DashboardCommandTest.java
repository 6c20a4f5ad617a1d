package org.bushfire.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.bushfire.cli.BushfireCli;
import org.junit.jupiter.api.Test;

/** `bushfire dashboard` (bin/bushfire dashboard) refuses what it cannot serve before it listens. */
class DashboardCommandTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return BushfireCli.execute(new PrintStream(err, true, StandardCharsets.UTF_8), args);
    }

    @Test
    void helpNamesTheOptions() {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(run("dashboard", "--help")).isZero();
        } finally {
            System.setOut(original);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--port", "--es", "--threshold", "--window", "--refresh",
                "--es-readings-index", "--es-alerts-index");
    }

    @Test
    void badValuesAreUsageErrors() {
        assertThat(run("dashboard", "--port", "70000")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--port must be 0-65535");
        assertThat(run("dashboard", "--refresh", "10ms")).isEqualTo(2);
        assertThat(run("dashboard", "--window", "soon")).isEqualTo(2);
    }
}
