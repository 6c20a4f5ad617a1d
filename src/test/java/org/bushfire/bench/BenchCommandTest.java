package org.bushfire.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What the benchmark reports, not how fast: the figures are for the benchmark itself to print. */
class BenchCommandTest {
    @Test
    void everyGeneratedFireRaisesOneAlertAndTheLastLineIsTheFiguresAsJson() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new BenchCommand());
        cli.setOut(new PrintWriter(out));
        int exit = cli.execute("--sensors", "300", "--rounds", "8", "--fires", "3", "--naive-max-seconds", "20");

        assertThat(exit).isZero();
        String[] lines = out.toString().strip().split("\n");
        JsonNode figures = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertThat(figures.get("readings").asInt()).isEqualTo(300 * 8);
        assertThat(figures.get("fires").asInt()).isEqualTo(3);
        assertThat(figures.get("pipeline_alerts").asInt()).isEqualTo(3);
        for (String field : new String[] {"bare_readings_per_s", "pipeline_readings_per_s", "naive_readings_per_s",
                "naive_alerts", "heap_mb_after", "sensors"}) {
            assertThat(figures.has(field)).as(field).isTrue();
        }
        assertThat(figures.get("pipeline_readings_per_s").asLong()).isPositive();
    }

    @Test
    void theWorkloadLaysOutEachPartitionInEventTimeOrder() {
        BenchWorkload workload = BenchWorkload.generate(250, 7, 2, 2, 7L);

        assertThat(workload.readings.length).isEqualTo(250 * 7);
        assertThat(workload.fires).isEqualTo(2);
        String first = new String(workload.readings[0], java.nio.charset.StandardCharsets.UTF_8);
        assertThat(first).startsWith("{\"network\":\"net-0\",\"node\":0,");
        assertThat(workload.startMillis + 7 * BenchWorkload.ROUND_MILLIS).isLessThan(System.currentTimeMillis());
    }

    @Test
    void tooFewRoundsForAFireAreRefused() {
        CommandLine cli = new CommandLine(new BenchCommand());
        cli.setErr(new PrintWriter(new StringWriter()));
        assertThat(cli.execute("--rounds", "5", "--fires", "1")).isNotZero();
    }
}
