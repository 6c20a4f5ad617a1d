package org.bushfire.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.bushfire.domain.Alert;
import org.bushfire.domain.ReadingDecoder;
import org.bushfire.domain.SensorRecord;
import org.bushfire.job.AlertingConfig;
import org.bushfire.job.AlertingJob;
import org.bushfire.job.AlertingSinks;
import org.bushfire.job.ReadingsSource;
import org.bushfire.job.StreamSink;

/**
 * Alert latency in a real-time-paced run: sensors report at wall-clock time; every {@value #FIRE_EVERY_TICKS}
 * ticks a fire starts and spreads one sensor per tick. Latency is from the moment the reading that completes a
 * chain is generated (it enters the job) to the moment its alert reaches the sink (it leaves the job).
 */
final class LatencyRun {
    static final int SENSORS = 200;
    static final int FIRE_EVERY_TICKS = 10;
    static final int CHAIN = 5;
    static final long TICK_MILLIS = 1000;

    /** "network|node" of a chain's last node → wall time its completing reading entered the job. */
    static final Map<String, Long> ENTERED = new ConcurrentHashMap<>();
    static final List<Long> LATENCIES = Collections.synchronizedList(new ArrayList<>());

    private LatencyRun() {}

    static List<Long> measure(AlertingConfig config, int parallelism, Duration length) throws Exception {
        ENTERED.clear();
        LATENCIES.clear();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism);
        ReadingsSource paced = (e, decoder, watermarks) -> e.fromSource(
                new DataGeneratorSource<>(new PacedReadings(decoder), Long.MAX_VALUE,
                        RateLimiterStrategy.perSecond(SENSORS * 1000.0 / TICK_MILLIS), Types.POJO(SensorRecord.class)),
                watermarks, "paced readings");
        new AlertingJob(config, paced,
                AlertingSinks.alertsTo(StreamSink.of(new TimedAlerts(), "timed alerts"))
                        .rawReadingsTo(StreamSink.of(new DiscardingSink<>(), "raw readings")))
                .build(env);
        JobClient job = env.executeAsync("bench: latency");
        Thread.sleep(length.toMillis());
        job.cancel().get();
        synchronized (LATENCIES) {
            List<Long> sorted = new ArrayList<>(LATENCIES);
            Collections.sort(sorted);
            return sorted;
        }
    }

    /** Reading {@code index}: sensor index % SENSORS at tick index / SENSORS, stamped with the wall clock. */
    static final class PacedReadings implements GeneratorFunction<Long, SensorRecord> {
        private static final long serialVersionUID = 1L;
        private final ReadingDecoder decoder;

        PacedReadings(ReadingDecoder decoder) {
            this.decoder = decoder;
        }

        @Override
        public SensorRecord map(Long index) {
            int sensor = (int) (index % SENSORS);
            long tick = index / SENSORS;
            String network = "net-" + (sensor % 2);
            int node = sensor / 2;
            long now = System.currentTimeMillis();
            // Fire k starts at tick k * FIRE_EVERY_TICKS at node (k * 7) % 90 of network k % 2, one node per tick.
            String infectedBy = null;
            boolean hot = false;
            long fire = tick / FIRE_EVERY_TICKS;
            long hop = tick - fire * FIRE_EVERY_TICKS;
            int root = (int) ((fire * 7) % 90);
            if (("net-" + (fire % 2)).equals(network) && node >= root && node - root <= hop && node - root < CHAIN + 1) {
                hot = true;
                infectedBy = node == root ? null : String.valueOf(node - 1);
                if (node - root == CHAIN - 1 && hop == CHAIN - 1) {
                    ENTERED.put(network + "|" + node, now);
                }
            }
            String json = "{\"network\":\"" + network + "\",\"node\":" + node + ",\"eventTimestamp\":" + now
                    + ",\"temperature\":" + (hot ? 75.0 : 20.0)
                    + (infectedBy == null ? "" : ",\"infectedBy\":" + infectedBy) + "}";
            return decoder.decode(json.getBytes(StandardCharsets.UTF_8), null);
        }
    }

    /** Records, for each alert, the wall time it leaves the job minus the time its last reading entered. */
    static final class TimedAlerts implements Sink<Alert> {
        private static final long serialVersionUID = 1L;

        @Override
        @SuppressWarnings("deprecation")
        public SinkWriter<Alert> createWriter(InitContext context) {
            return new SinkWriter<>() {
                @Override
                public void write(Alert alert, Context ctx) {
                    long now = System.currentTimeMillis();
                    String last = alert.chain[alert.chain.length - 1].node();
                    Long entered = ENTERED.remove(alert.network + "|" + last);
                    if (entered != null) {
                        LATENCIES.add(now - entered);
                    }
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }
}
