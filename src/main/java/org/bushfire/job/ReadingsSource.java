package org.bushfire.job;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.bushfire.domain.ReadingDecoder;
import org.bushfire.domain.SensorRecord;

/**
 * Where readings come from (a file, Kinesis). A source decodes each record with the job's
 * {@link ReadingDecoder} and applies the job's watermark strategy itself, so watermarks are generated per
 * split (file, shard) and a lagging or silent split is handled where it happens.
 */
public interface ReadingsSource {
    DataStream<SensorRecord> open(
            StreamExecutionEnvironment env, ReadingDecoder decoder, WatermarkStrategy<SensorRecord> watermarks);
}
