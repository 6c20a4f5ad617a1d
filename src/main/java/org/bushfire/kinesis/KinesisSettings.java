package org.bushfire.kinesis;

import java.io.Serializable;
import java.net.URI;
import java.time.Instant;

/**
 * Where the job reads readings from. Credentials are never part of this: they come from the AWS default
 * provider chain (the instance profile on EMR, the environment locally).
 */
public final class KinesisSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Where in the stream a job without a checkpoint starts reading. */
    public enum InitialPosition { LATEST, TRIM_HORIZON, AT_TIMESTAMP }

    /** How records are fetched: polling GetRecords (shared throughput) or enhanced fan-out (dedicated). */
    public enum Reader { POLLING, EFO }

    public String stream;
    public String region;
    public URI endpoint;
    public InitialPosition initialPosition = InitialPosition.LATEST;
    public Instant initialTimestamp;
    public Reader reader = Reader.POLLING;
    public String efoConsumerName = "bushfire-alerting";

    public KinesisSettings validate() {
        if (stream == null || stream.isBlank()) {
            throw new IllegalArgumentException("--stream is required: the Kinesis stream name or ARN to read readings from");
        }
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("--region is required (or set AWS_REGION)");
        }
        if (endpoint != null && (endpoint.getScheme() == null || endpoint.getHost() == null
                || !(endpoint.getScheme().equals("http") || endpoint.getScheme().equals("https")))) {
            throw new IllegalArgumentException("--kinesis-endpoint must be an http(s) URL, e.g. http://127.0.0.1:4568 (was "
                    + endpoint + ")");
        }
        if (initialPosition == InitialPosition.AT_TIMESTAMP && initialTimestamp == null) {
            throw new IllegalArgumentException("--initial-position AT_TIMESTAMP needs --initial-timestamp");
        }
        if (initialPosition != InitialPosition.AT_TIMESTAMP && initialTimestamp != null) {
            throw new IllegalArgumentException("--initial-timestamp only goes with --initial-position AT_TIMESTAMP");
        }
        if (reader == Reader.EFO && (efoConsumerName == null || efoConsumerName.isBlank())) {
            throw new IllegalArgumentException("--efo-consumer-name must not be empty with --kinesis-reader efo");
        }
        return this;
    }

    /** The stream's name, whether it was given as a name or an ARN. */
    public String streamName() {
        int slash = stream.lastIndexOf("stream/");
        return stream.startsWith("arn:") && slash >= 0 ? stream.substring(slash + "stream/".length()) : stream;
    }

    @Override
    public String toString() {
        return "kinesis stream=" + stream + " region=" + region + (endpoint == null ? "" : " endpoint=" + endpoint)
                + " initialPosition=" + initialPosition + (initialTimestamp == null ? "" : "@" + initialTimestamp)
                + " reader=" + reader;
    }
}
