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
 * <p>Watermarks are assigned per source subtask, right after the source, not per shard inside it: the 4.3.0
 * polling reader answers an empty poll without naming its shard, so Flink never creates that shard's
 * watermark output, its idleness never fires, and one silent shard would hold every alert back forever.
 * Per subtask, processing-time idleness works; shards read by one subtask share its watermark, which the
 * out-of-orderness bound B covers as long as they lag each other by less than B.
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
        DataStream<SensorRecord> records;
        if (settings.reader == KinesisSettings.Reader.EFO) {
            FlinkKinesisConsumer<SensorRecord> consumer =
                    new FlinkKinesisConsumer<>(settings.streamName(), new LegacyRecordDecoding(decoder), efoProperties());
            records = env.addSource(consumer, "kinesis " + settings.streamName() + " (efo)").uid("kinesis-readings-efo");
        } else {
            KinesisStreamsSource<SensorRecord> source = KinesisStreamsSource.<SensorRecord>builder()
                    .setStreamArn(streamArn)
                    .setSourceConfig(sourceConfig())
                    .setDeserializationSchema(new RecordDecoding(decoder))
                    .build();
            // This source does not report its produced type; name it, or Flink cannot infer it.
            records = env.fromSource(source, WatermarkStrategy.noWatermarks(), "kinesis " + settings.streamName(),
                    Types.POJO(SensorRecord.class)).uid("kinesis-readings");
        }
        return records.assignTimestampsAndWatermarks(watermarks).name("readings watermarks").uid("kinesis-watermarks");
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
