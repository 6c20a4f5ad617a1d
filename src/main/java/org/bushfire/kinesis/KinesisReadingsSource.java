package org.bushfire.kinesis;

import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kinesis.source.KinesisStreamsSource;
import org.apache.flink.connector.kinesis.source.config.KinesisStreamsSourceConfigConstants;
import org.apache.flink.connector.kinesis.source.serialization.KinesisDeserializationSchema;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.model.Record;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.connectors.kinesis.FlinkKinesisConsumer;
import org.apache.flink.streaming.connectors.kinesis.config.ConsumerConfigConstants;
import org.apache.flink.util.Collector;
import org.bushfire.domain.ReadingDecoder;
import org.bushfire.domain.SensorRecord;
import org.bushfire.job.ReadingsSource;

/**
 * Readings from Amazon Kinesis.
 *
 * <p>Polling (the default) uses the FLIP-27 {@link KinesisStreamsSource}: it survives the move to Flink 2,
 * where {@code SourceFunction} is gone. In connector 4.3.0 that source has no enhanced fan-out, so
 * {@code --kinesis-reader efo} uses the connector's legacy {@link FlinkKinesisConsumer} in EFO mode.
 *
 * <p>Polling readings get their watermarks per shard, inside the source, so a reading is late only when it is
 * more than B behind a newer reading of its own shard — never because the reader drained another shard first.
 * The source runs as a single subtask: then every shard's watermark meets in one reader, where a shard's
 * silence can be judged against the rest of the stream ({@link org.bushfire.job.ShardIdleness}), and no
 * watermark of another source subtask can run ahead of shards it does not read. The rest of the job runs at
 * the job's parallelism. (Connector 4.3.0's polling reader answers an empty poll without naming its shard;
 * on Flink 1.20 that no longer matters: the source operator makes every shard's watermark output when the
 * shard is assigned, and idleness is decided on its periodic tick, with or without records.)
 *
 * <p>The legacy EFO consumer is a {@code SourceFunction} with no per-shard hook for this strategy: its
 * watermarks are still assigned per source subtask right after it, with Flink's own idleness rule, and it
 * keeps the limits that come with that (see docs/event-time.md).
 */
public final class KinesisReadingsSource implements ReadingsSource {
    private final KinesisSettings settings;

    public KinesisReadingsSource(KinesisSettings settings) {
        this.settings = settings.validate();
    }

    @Override
    public DataStream<SensorRecord> open(
            StreamExecutionEnvironment env, ReadingDecoder decoder, WatermarkStrategy<SensorRecord> watermarks) {
        String streamArn = KinesisStreams.describe(settings);
        if (settings.reader == KinesisSettings.Reader.EFO) {
            FlinkKinesisConsumer<SensorRecord> consumer =
                    new FlinkKinesisConsumer<>(settings.streamName(), new LegacyRecordDecoding(decoder), efoProperties());
            return env.addSource(consumer, "kinesis " + settings.streamName() + " (efo)").uid("kinesis-readings-efo")
                    .assignTimestampsAndWatermarks(watermarks).name("readings watermarks").uid("kinesis-watermarks");
        }
        KinesisStreamsSource<SensorRecord> source = KinesisStreamsSource.<SensorRecord>builder()
                .setStreamArn(streamArn)
                .setSourceConfig(sourceConfig())
                .setDeserializationSchema(new RecordDecoding(decoder))
                .build();
        // This source does not report its produced type; name it, or Flink cannot infer it.
        return env.fromSource(source, watermarks, "kinesis " + settings.streamName(), Types.POJO(SensorRecord.class))
                .setParallelism(1).uid("kinesis-readings");
    }

    Configuration sourceConfig() {
        Configuration config = new Configuration();
        config.setString("aws.region", settings.region);
        if (settings.endpoint != null) {
            config.setString("aws.endpoint", settings.endpoint.toString());
        }
        config.set(KinesisStreamsSourceConfigConstants.STREAM_INITIAL_POSITION,
                KinesisStreamsSourceConfigConstants.InitialPosition.valueOf(settings.initialPosition.name()));
        if (settings.initialTimestamp != null) {
            config.set(KinesisStreamsSourceConfigConstants.STREAM_INITIAL_TIMESTAMP,
                    String.valueOf(settings.initialTimestamp.toEpochMilli() / 1000.0));
        }
        return config;
    }

    Properties efoProperties() {
        Properties props = new Properties();
        props.setProperty("aws.region", settings.region);
        if (settings.endpoint != null) {
            props.setProperty("aws.endpoint", settings.endpoint.toString());
        }
        props.setProperty(ConsumerConfigConstants.STREAM_INITIAL_POSITION, settings.initialPosition.name());
        if (settings.initialTimestamp != null) {
            props.setProperty(ConsumerConfigConstants.STREAM_INITIAL_TIMESTAMP,
                    String.valueOf(settings.initialTimestamp.toEpochMilli() / 1000.0));
        }
        props.setProperty(ConsumerConfigConstants.RECORD_PUBLISHER_TYPE, "EFO");
        props.setProperty(ConsumerConfigConstants.EFO_CONSUMER_NAME, settings.efoConsumerName);
        return props;
    }

    /** Decodes each Kinesis record; a malformed one becomes a dead letter naming its shard and sequence number. */
    static final class RecordDecoding implements KinesisDeserializationSchema<SensorRecord> {
        private static final long serialVersionUID = 1L;
        private final ReadingDecoder decoder;

        RecordDecoding(ReadingDecoder decoder) {
            this.decoder = decoder;
        }

        @Override
        public void deserialize(Record record, String stream, String shardId, Collector<SensorRecord> out) {
            out.collect(decoder.decode(record.data().asByteArray(),
                    origin(stream, shardId, record.sequenceNumber())));
        }

        @Override
        public TypeInformation<SensorRecord> getProducedType() {
            return Types.POJO(SensorRecord.class);
        }
    }

    /** The same decoding for the legacy consumer's interface. */
    static final class LegacyRecordDecoding
            implements org.apache.flink.streaming.connectors.kinesis.serialization.KinesisDeserializationSchema<SensorRecord> {
        private static final long serialVersionUID = 1L;
        private final ReadingDecoder decoder;

        LegacyRecordDecoding(ReadingDecoder decoder) {
            this.decoder = decoder;
        }

        @Override
        public SensorRecord deserialize(byte[] data, String partitionKey, String sequenceNumber,
                long approximateArrivalTimestamp, String stream, String shardId) {
            return decoder.decode(data, origin(stream, shardId, sequenceNumber));
        }

        @Override
        public TypeInformation<SensorRecord> getProducedType() {
            return Types.POJO(SensorRecord.class);
        }
    }

    static String origin(String stream, String shardId, String sequenceNumber) {
        return "kinesis " + stream + " " + shardId + " seq " + sequenceNumber;
    }
}
