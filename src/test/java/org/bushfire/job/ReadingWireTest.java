package org.bushfire.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshotSerializationUtil;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.bushfire.domain.Reading;
import org.bushfire.file.JsonLinesReadingsSource;
import org.bushfire.testing.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compact form readings travel in between operators: exact, restorable, and what the job really uses. */
class ReadingWireTest {
    static final TypeSerializer<Reading> WIRE = ReadingWire.Serializer.INSTANCE;

    @TempDir
    Path dir;

    /** Every combination of the optional parts: network, infector, position, ids sent as numbers. */
    static List<Reading> everyShape() {
        List<Reading> readings = new ArrayList<>();
        for (int shape = 0; shape < 64; shape++) {
            Reading r = new Reading((shape & 1) != 0 ? Reading.DEFAULT_NETWORK : "ridge-7 ü",
                    (shape & 2) != 0 ? "42" : "sensor-ß/9", 1_732_147_200_123L + shape, -3.25 + shape * 7.5,
                    (shape & 4) != 0 ? ((shape & 8) != 0 ? "41" : "北-3") : null);
            r.nodeNumeric = (shape & 2) != 0;
            r.infectedByNumeric = (shape & 4) != 0 && (shape & 8) != 0;
            r.lat = (shape & 16) != 0 ? -33.861_234_567 : null;
            r.lon = (shape & 32) != 0 ? 151.209_876_543 : null;
            readings.add(r);
        }
        return readings;
    }

    @Test
    void everyShapeOfReadingComesBackEqual() throws IOException {
        List<Reading> readings = everyShape();
        DataOutputSerializer out = new DataOutputSerializer(64);
        for (Reading r : readings) {
            WIRE.serialize(r, out);
        }
        DataInputDeserializer in = new DataInputDeserializer(out.getSharedBuffer(), 0, out.length());
        for (Reading expected : readings) {
            Reading back = WIRE.deserialize(in);
            assertThat(back).isEqualTo(expected);
            assertThat(back.nodeNumeric).isEqualTo(expected.nodeNumeric);
            assertThat(back.infectedByNumeric).isEqualTo(expected.infectedByNumeric);
        }
        assertThat(in.available()).as("nothing left over").isZero();
    }

    @Test
    void copiesAreEqualAndIndependent() throws IOException {
        for (Reading r : everyShape()) {
            Reading copy = WIRE.copy(r);
            assertThat(copy).isEqualTo(r).isNotSameAs(r);
            copy.temperature = r.temperature + 1;
            assertThat(r).isNotEqualTo(copy);
        }
        DataOutputSerializer first = new DataOutputSerializer(64);
        WIRE.serialize(everyShape().get(63), first);
        DataOutputSerializer second = new DataOutputSerializer(64);
        WIRE.copy(new DataInputDeserializer(first.getSharedBuffer(), 0, first.length()), second);
        assertThat(second.getCopyOfBuffer()).isEqualTo(first.getCopyOfBuffer());
    }

    @Test
    void itsSnapshotRestoresTheSameSerializer() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshotSerializationUtil.writeSerializerSnapshot(out, WIRE.snapshotConfiguration());
        TypeSerializerSnapshot<Reading> restored = TypeSerializerSnapshotSerializationUtil.readSerializerSnapshot(
                new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()), getClass().getClassLoader());

        assertThat(restored.restoreSerializer()).isEqualTo(WIRE);
        TypeSerializerSchemaCompatibility<Reading> compatibility =
                WIRE.snapshotConfiguration().resolveSchemaCompatibility(restored);
        assertThat(compatibility.isCompatibleAsIs()).isTrue();
    }

    @Test
    void theReadingsOfTheJobTravelInIt() throws IOException {
        Path readings = Scenario.create().chain("default", Duration.ofMinutes(1), Duration.ofMinutes(1), 1, 2, 3)
                .write(dir.resolve("readings.jsonl"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        new AlertingJob(AlertingConfig.defaults(), new JsonLinesReadingsSource(readings),
                AlertingSinks.alertsTo(StreamSink.of(new DiscardingSink<>(), "alerts"))).build(env);
        StreamGraph graph = env.getStreamGraph();

        StreamNode onsets = graph.getStreamNodes().stream().filter(n -> n.getOperatorName().equals("onsets"))
                .findFirst().orElseThrow();
        // Its input comes across the exchange from the split (through the watermark pacing chained to it).
        assertThat(onsets.getInEdges()).hasSize(1);
        assertThat(onsets.getInEdges().get(0).getPartitioner().isPointwise()).isFalse();
        assertThat(onsets.getTypeSerializersIn()).hasSize(1);
        assertThat(onsets.getTypeSerializersIn()[0]).as("what the onsets read off the exchange")
                .isInstanceOf(ReadingWire.Serializer.class);
    }
}
