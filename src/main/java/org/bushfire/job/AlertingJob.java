package org.bushfire.job;

import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.cep.CEP;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.bushfire.domain.Alert;
import org.bushfire.domain.FireEvent;
import org.bushfire.domain.IncidentMessage;
import org.bushfire.domain.InfectionChain;
import org.bushfire.domain.LineageOnset;
import org.bushfire.domain.Onset;
import org.bushfire.domain.Reading;
import org.bushfire.domain.ReadingDecoder;
import org.bushfire.domain.SensorRecord;

/**
 * The whole alerting graph, built once from a source and sinks; production, replay and tests all wire their
 * own ends into this one method:
 *
 * <pre>
 * readings ─ decode, per-split watermarks ─ split ─┬─ dead letters
 *                                                  ├─ late readings ──────────┐
 *                                                  └─ on-time readings ───────┴─ raw readings
 *                                                     watermark in 100 ms steps
 *                                                       ├ keyBy network/node ─ onset (source idleness ends) ─┐ heat reports
 *                                                       ├ keyBy network ─ fire tree order: root, lineage copies ┤ fire onsets
 *                                                       ├ keyBy chain start ─ CEP infection chain              │
 *                                                       ├ keyBy fire ─ one alert per fire (in event time) ─ alerts
 *                                                       └ keyBy network ─ fire incidents (in event time) ─ incident messages
 * </pre>
 */
public final class AlertingJob {
    /**
     * How far the watermark after the split moves at least before it goes on, and how long it is held at most
     * when the stream pauses: at most this much is added to an alert's way out (see {@link WatermarkPacing}).
     */
    public static final Duration WATERMARK_STEP = Duration.ofMillis(100);

    private final AlertingConfig config;
    private final ReadingsSource source;
    private final AlertingSinks sinks;

    public AlertingJob(AlertingConfig config, ReadingsSource source, AlertingSinks sinks) {
        this.config = config.validate();
        this.source = source;
        this.sinks = sinks;
    }

    public void build(StreamExecutionEnvironment env) {
        ReadingDecoder decoder = new ReadingDecoder(config.maxClockSkew());
        DataStream<SensorRecord> records = source.open(env, decoder, ReadingWatermarks.strategy(config));

        // Split and filter where the source reads (chained to it), so they see each split's watermark as it is.
        // Readings travel in their own compact form (ReadingWire): each crosses the exchange to the onsets.
        SingleOutputStreamOperator<Reading> split = records.process(new SplitReadings(), ReadingWire.TYPE)
                .setParallelism(records.getParallelism()).name("split readings").uid("split-readings");
        // Lateness is decided there, on the source's own watermark; from here on it moves in steps, on each of
        // the split's outputs (a side output carries every watermark too, across its own exchange).
        DataStream<Reading> onTime = paced(split, "on-time");
        DataStream<Reading> late = sinks.rawReadings != null || sinks.lateReadings != null
                ? paced(split.getSideOutput(SplitReadings.LATE_READINGS), "late") : null;
        if (sinks.deadLetters != null) {
            sinks.deadLetters.attach(paced(split.getSideOutput(SplitReadings.DEAD_LETTERS), "dead-letters"));
        }
        if (sinks.rawReadings != null) {
            sinks.rawReadings.attach(onTime.union(late));
        }

        // Every reading goes on to the onsets, cold ones too: a burning sensor's cooling is news for its incident.
        SingleOutputStreamOperator<Onset> detected = onTime
                .keyBy(new Keys.ByNode())
                .transform("onsets", TypeInformation.of(Onset.class),
                        OnsetDetector.operator(config.stateRetention(), config.threshold()))
                .uid("onsets");
        if (sinks.lateReadings != null) {
            // Late at the source, or late where all sources meet (already among the raw readings above).
            sinks.lateReadings.attach(late.union(detected.getSideOutput(SplitReadings.LATE_READINGS)));
        }
        // Source idleness has done its work here, where every source subtask's watermark meets; carried further
        // it lets the next operator's watermark pass onsets still on their way (see NeverIdle).
        DataStream<Onset> onsets = detected
                .transform("onsets never idle", detected.getType(), new NeverIdle<>()).uid("onsets-never-idle");

        SingleOutputStreamOperator<LineageOnset> lineages = onsets
                .keyBy(new Keys.ByNetwork())
                .process(new FireTreeOrder(config.stateRetention(), config.chainLength(), config.hopWindow()))
                .name("fire tree order").uid("fire-tree-order");

        DataStream<InfectionChain> chains = CEP
                .pattern(lineages.keyBy(new Keys.ByChainStart()),
                        InfectionChainPattern.create(config.chainLength(), config.hopWindow()),
                        new InfectionChainPattern.ReleaseOrder())
                .inEventTime()
                .process(new InfectionChainPattern.ToChain()).name("infection chains").uid("infection-chains-by-chain-start");

        DataStream<Alert> alerts = chains
                .keyBy(new Keys.ByFire())
                .process(new OneAlertPerFire(config.stateRetention())).name("one alert per fire").uid("one-alert-per-fire");
        if (sinks.alerts != null) {
            sinks.alerts.attach(alerts);
        }
        if (sinks.incidents != null) {
            DataStream<FireEvent> events = lineages.getSideOutput(FireTreeOrder.FIRE_ONSETS)
                    .map(FireEvent::onset, Types.POJO(FireEvent.class)).name("fire onsets").uid("fire-onsets")
                    .union(alerts.map(FireEvent::alert, Types.POJO(FireEvent.class)).name("fire alerts").uid("fire-alerts"),
                            detected.getSideOutput(OnsetDetector.HEAT_REPORTS)
                                    .map(FireEvent::heatReport, Types.POJO(FireEvent.class))
                                    .name("heat reports").uid("heat-reports"));
            DataStream<IncidentMessage> incidents = events
                    .keyBy(new Keys.ByEventNetwork())
                    .process(new FireIncidents(config)).name("fire incidents").uid("fire-incidents");
            sinks.incidents.attach(incidents);
        }
    }

    /**
     * The stream with its watermark moving in {@link #WATERMARK_STEP}s, chained where the stream is made. Named
     * "paced" only: the three of them chain to the source, and a task's name is cut at 80 characters.
     */
    private static <T> DataStream<T> paced(DataStream<T> stream, String which) {
        return stream.transform("paced", stream.getType(), new WatermarkPacing<T>(WATERMARK_STEP.toMillis()))
                .setParallelism(stream.getParallelism()).uid("watermark-pacing-" + which);
    }
}
