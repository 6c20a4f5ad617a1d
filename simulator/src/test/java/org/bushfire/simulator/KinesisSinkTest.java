package org.bushfire.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/** Batching, order and the resend of failed entries, against a scripted stand-in for PutRecords. */
class KinesisSinkTest {
    /** Accepts what its script does not fail; remembers every request and every stored record. */
    static final class ScriptedKinesis implements KinesisSink.PutRecords {
        final List<List<String>> requests = new ArrayList<>();
        final List<String> stored = new ArrayList<>();
        /** call index, entry index → fail this entry? */
        interface Script {
            boolean fails(int call, int entry);
        }

        Script script = (call, entry) -> false;

        @Override
        public PutRecordsResponse putRecords(PutRecordsRequest request) {
            int call = requests.size();
            List<String> lines = new ArrayList<>();
            List<PutRecordsResultEntry> results = new ArrayList<>();
            int failed = 0;
            for (int i = 0; i < request.records().size(); i++) {
                PutRecordsRequestEntry e = request.records().get(i);
                String line = e.data().asString(StandardCharsets.UTF_8);
                lines.add(line);
                if (script.fails(call, i)) {
                    failed++;
                    results.add(PutRecordsResultEntry.builder().errorCode("ProvisionedThroughputExceededException")
                            .errorMessage("Rate exceeded for shard shardId-000000000000").build());
                } else {
                    stored.add(line);
                    results.add(PutRecordsResultEntry.builder().shardId("shardId-000000000000")
                            .sequenceNumber(Integer.toString(stored.size())).build());
                }
            }
            requests.add(lines);
            return PutRecordsResponse.builder().failedRecordCount(failed).records(results).build();
        }
    }

    final ScriptedKinesis kinesis = new ScriptedKinesis();
    final List<Duration> sleeps = new ArrayList<>();

    KinesisSink sink(int batchSize, int maxAttempts) {
        return new KinesisSink(kinesis, "readings", batchSize,
                new KinesisSink.Retry(maxAttempts, Duration.ofMillis(100), Duration.ofSeconds(2)), sleeps::add);
    }

    @Test
    void batchesHoldAtMost500RecordsAndNeverTwoOfOneSensor() {
        KinesisSink sink = sink(500, 8);
        for (int round = 0; round < 3; round++) {
            for (int node = 1; node <= 700; node++) {
                sink.send("r" + round + "n" + node, "net/" + node);
            }
        }
        sink.close();
        assertThat(kinesis.requests).extracting(List::size).containsExactly(500, 500, 500, 500, 100);
        for (List<String> request : kinesis.requests) {
            Set<String> nodes = new HashSet<>();
            request.forEach(line -> assertThat(nodes.add(line.substring(line.indexOf('n')))).isTrue());
        }
        assertThat(kinesis.stored).hasSize(2100);
        assertThat(sleeps).isEmpty();
        assertThat(sink.requests()).isEqualTo(5);
    }

    @Test
    void aSmallMeshSendsOneRoundPerRequest() {
        KinesisSink sink = sink(500, 8);
        for (int round = 0; round < 3; round++) {
            for (int node = 1; node <= 11; node++) {
                sink.send("r" + round + "n" + node, "default/" + node);
            }
        }
        sink.close();
        assertThat(kinesis.requests).extracting(List::size).containsExactly(11, 11, 11);
    }

    @Test
    void aRequestStaysUnderFiveMegabytes() {
        KinesisSink sink = sink(500, 8);
        String big = "x".repeat(400_000);
        for (int i = 0; i < 30; i++) {
            sink.send(big + i, "k" + i);
        }
        sink.flush();
        assertThat(kinesis.requests).extracting(List::size).containsExactly(13, 13, 4);
        assertThatThrownBy(() -> sink.send("y".repeat(KinesisSink.MAX_RECORD_BYTES), "k"))
                .hasMessageContaining("1 MB");
    }

    @Test
    void onlyTheFailedEntriesAreResentAfterABackoffAndInTheirOrder() {
        IntPredicate failing = i -> i == 1 || i == 3 || i == 4;
        kinesis.script = (call, entry) -> call == 0 && failing.test(entry) || call == 1 && entry == 0;
        KinesisSink sink = sink(500, 8);
        for (int node = 0; node < 6; node++) {
            sink.send("reading of " + node, "net/" + node);
        }
        sink.flush();
        sink.send("next batch", "net/0");
        sink.flush();

        assertThat(kinesis.requests).containsExactly(
                List.of("reading of 0", "reading of 1", "reading of 2", "reading of 3", "reading of 4", "reading of 5"),
                List.of("reading of 1", "reading of 3", "reading of 4"),
                List.of("reading of 1"),
                List.of("next batch"));
        assertThat(kinesis.stored).containsExactly("reading of 0", "reading of 2", "reading of 5", "reading of 3",
                "reading of 4", "reading of 1", "next batch");
        assertThat(sleeps).hasSize(2);
        assertThat(sleeps.get(0)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
        assertThat(sleeps.get(1)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(sink.resentRecords()).isEqualTo(4);
        assertThat(sink.requests()).isEqualTo(4);
    }

    @Test
    void entriesStillFailingAfterTheLastAttemptFailTheRunNamingTheErrorCode() {
        kinesis.script = (call, entry) -> entry == 0;
        KinesisSink sink = sink(500, 4);
        sink.send("a", "net/1");
        sink.send("b", "net/2");

        assertThatThrownBy(sink::flush).isInstanceOf(KinesisSink.PutFailed.class)
                .hasMessageContaining("1 of 1 records").hasMessageContaining("after 4 attempts")
                .hasMessageContaining("ProvisionedThroughputExceededException");
        assertThat(kinesis.requests).hasSize(4);
        assertThat(sleeps).hasSize(3);
        assertThat(sleeps).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofSeconds(2)));
    }

    @Test
    void backoffGrowsAndIsCapped() {
        KinesisSink.Retry retry = new KinesisSink.Retry(8, Duration.ofMillis(100), Duration.ofSeconds(1));
        for (int i = 0; i < 50; i++) {
            assertThat(retry.backoff(1)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
            assertThat(retry.backoff(3)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
            assertThat(retry.backoff(30)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
        }
    }
}
