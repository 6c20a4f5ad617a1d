package org.bushfire.bench;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.bushfire.domain.ReadingDecoder;
import org.bushfire.domain.SensorRecord;
import org.bushfire.job.ReadingsSource;

/**
 * The benchmark workload as a FLIP-27 source: each split walks its range of the pre-serialized readings and
 * decodes them with the job's decoder, so parsing is measured exactly as in production. It runs as many
 * subtasks as the workload has blocks ({@code bench --readers}): one, as {@code run} reads Kinesis, or the
 * job's parallelism, as the EFO reader and {@code replay} read.
 */
final class InMemoryReadings implements ReadingsSource {
    @Override
    public DataStream<SensorRecord> open(
            StreamExecutionEnvironment env, ReadingDecoder decoder, WatermarkStrategy<SensorRecord> watermarks) {
        return env.fromSource(source(decoder), watermarks, "bench readings").uid("bench-readings")
                .setParallelism(readers());
    }

    /** One source subtask per block of the workload: each reads its block in event-time order. */
    static int readers() {
        return BenchWorkload.current.partitions;
    }

    static DataGeneratorSource<SensorRecord> source(ReadingDecoder decoder) {
        int count = BenchWorkload.current.readings.length;
        return new DataGeneratorSource<>(new Decode(decoder), count, Types.POJO(SensorRecord.class));
    }

    static final class Decode implements GeneratorFunction<Long, SensorRecord> {
        private static final long serialVersionUID = 1L;
        private final ReadingDecoder decoder;
        private transient byte[][] readings;

        Decode(ReadingDecoder decoder) {
            this.decoder = decoder;
        }

        @Override
        public SensorRecord map(Long index) {
            if (readings == null) {
                readings = BenchWorkload.current.readings;
            }
            return decoder.decode(readings[index.intValue()], null);
        }
    }
}
