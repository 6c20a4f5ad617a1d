package org.bushfire.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.http.HttpHost;
import org.bushfire.domain.Reading;
import org.bushfire.testing.ElasticsearchProxy;
import org.bushfire.testing.LocalServices;
import org.bushfire.testing.TestCluster;
import org.bushfire.testing.TestIndices;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The regression test of the writer-close deadlock: a job indexing readings into a node that takes its time
 * (every response held back by {@link ElasticsearchProxy#holdResponses()}) is cancelled while its bulks wait for an answer. Its
 * tasks must cancel within seconds — before the fix, a writer closed its client under the bulk in flight and
 * then waited forever for the bulk processor's lock, and Flink killed the TaskManager after 180 s.
 */
class SlowElasticsearchCancelIntegrationTest {
    @RegisterExtension
    static final LocalServices SERVICES = LocalServices.of(LocalServices.Service.ELASTICSEARCH);

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestCluster.twoSlots();

    /** Far below task.cancellation.timeout (180 s) and the socket timeout below (120 s). */
    static final Duration CANCEL_BOUND = Duration.ofSeconds(15);

    ElasticsearchSettings settings;
    ElasticsearchProxy slow;

    @BeforeEach
    void slowNode() throws Exception {
        String run = "it-" + UUID.randomUUID().toString().substring(0, 8);
        slow = new ElasticsearchProxy(LocalServices.Service.ELASTICSEARCH.endpoint());
        slow.holdResponses();
        settings = ElasticsearchSettings.defaults()
                .withHosts(List.of(LocalServices.Service.ELASTICSEARCH.endpoint().toString()))
                .withReadingsIndex(run + "-readings")
                .withAlertsIndex(run + "-alerts")
                .withBulkFlushInterval(Duration.ofMillis(100))
                .resolve(Map.of());
        IndexTemplates.install(settings);
        // A socket timeout longer than the test: only abandoning the bulks in flight can make cancelling quick.
        settings = settings.withHosts(List.of(slow.endpoint()))
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(120))
                .resolve(Map.of());
    }

    @AfterEach
    void cleanUp() throws IOException {
        slow.close();
        try (RestClient es = RestClient.builder(HttpHost.create(LocalServices.Service.ELASTICSEARCH.endpoint().toString())).build()) {
            TestIndices.deleteJobIndices(es, settings);
        }
    }

    @Test
    @Timeout(120)
    void aJobWhoseBulksWaitForASlowNodeCancelsWithinSeconds() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.fromSource(new DataGeneratorSource<>(SlowElasticsearchCancelIntegrationTest::reading, Long.MAX_VALUE,
                        RateLimiterStrategy.perSecond(20), TypeInformation.of(Reading.class)),
                        WatermarkStrategy.noWatermarks(), "readings")
                .sinkTo(ElasticsearchSinks.rawReadingsSink(settings, 50.0)).name("raw readings");
        JobClient job = env.executeAsync("slow elasticsearch");

        // Both writers have sent a bulk that the node will not answer.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (slow.bulksSent() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(slow.bulksSent()).as("bulks in flight").isGreaterThanOrEqualTo(2);
        assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);

        long cancelled = System.nanoTime();
        job.cancel().get();
        JobStatus status = job.getJobStatus().get();
        while (!status.isTerminalState() && System.nanoTime() - cancelled < Duration.ofSeconds(100).toNanos()) {
            Thread.sleep(50);
            status = job.getJobStatus().get();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - cancelled);

        assertThat(status).isEqualTo(JobStatus.CANCELED);
        assertThat(took).as("time from cancel to CANCELED").isLessThan(CANCEL_BOUND);
        System.out.printf("slow elasticsearch: %d bulks in flight, cancelled in %d ms%n", slow.bulksSent(), took.toMillis());
    }

    static Reading reading(long i) {
        return new Reading("default", Long.toString(i % 100), 1732147200000L + i * 1000, 20.0, null);
    }
}
