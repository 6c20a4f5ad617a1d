package org.bushfire.sns;

import org.bushfire.cap.CapSettings;
import org.bushfire.job.StartupCheckFailed;
import java.io.Serializable;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.AuthorizationErrorException;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.SnsException;

/**
 * Where alerts go and how: the SNS topic, its region, an optional endpoint (a VPC endpoint, or a local stand-in
 * in tests), the {@link AlertDelivery} mode, how many attempts the SDK makes per publish, and for incident
 * messages the optional CAP topic with the CAP sender and status ({@link CapSettings}). Immutable; every
 * {@code with*} returns a copy. Credentials are not settings: they come from the AWS default provider chain
 * (environment, Java system properties, profile, container or instance role), never from the command line.
 *
 * <p>{@link #validate()} checks the values and names the command-line option to fix; {@link #checkReachable()}
 * also asks SNS whether the topic exists, for a job that should fail at start rather than at its first fire.
 */
public final class SnsSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final int DEFAULT_MAX_ATTEMPTS = 6;
    public static final int MAX_MAX_ATTEMPTS = 20;

    private static final Pattern TOPIC_ARN = Pattern.compile(
            "arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-[a-z]):sns:([a-z0-9-]+):(\\d{12}):([A-Za-z0-9_-]{1,256}(\\.fifo)?)");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");
    private static final String ARN_EXAMPLE = "arn:aws:sns:ap-southeast-2:123456789012:bushfire-alerts.fifo";

    private String topicArn;
    private String region;
    /** Null when the region's AWS endpoint is meant. */
    private URI endpoint;
    private AlertDelivery delivery = AlertDelivery.AT_LEAST_ONCE;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    /** Null when incident messages' CAP documents are not published. */
    private String capTopicArn;
    private CapSettings cap = CapSettings.defaults();

    private SnsSettings() {}

    /** At-least-once delivery to {@code topicArn} in {@code region}, through the region's AWS endpoint. */
    public static SnsSettings of(String topicArn, String region) {
        SnsSettings s = new SnsSettings();
        s.topicArn = topicArn;
        s.region = region;
        return s;
    }

    private SnsSettings copy() {
        SnsSettings s = new SnsSettings();
        s.topicArn = topicArn;
        s.region = region;
        s.endpoint = endpoint;
        s.delivery = delivery;
        s.maxAttempts = maxAttempts;
        s.capTopicArn = capTopicArn;
        s.cap = cap;
        return s;
    }

    public String topicArn() {
        return topicArn;
    }

    public String region() {
        return region;
    }

    public Optional<URI> endpoint() {
        return Optional.ofNullable(endpoint);
    }

    public AlertDelivery delivery() {
        return delivery;
    }

    /** Attempts per publish, the first included, before the SDK gives up on an alert. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** SNS FIFO topic names end in {@code .fifo}; publishing to one needs a message group and deduplication id. */
    public boolean isFifoTopic() {
        return isFifoTopic(topicArn);
    }

    public static boolean isFifoTopic(String arn) {
        return arn != null && arn.endsWith(".fifo");
    }

    /** The topic that receives each incident message's CAP 1.2 document, when set ({@code --cap-topic-arn}). */
    public Optional<String> capTopicArn() {
        return Optional.ofNullable(capTopicArn);
    }

    /** The CAP sender and status of the CAP documents. */
    public CapSettings cap() {
        return cap;
    }

    /** Null: no CAP documents are published. */
    public SnsSettings withCapTopicArn(String value) {
        SnsSettings s = copy();
        s.capTopicArn = value;
        return s;
    }

    public SnsSettings withCap(CapSettings value) {
        SnsSettings s = copy();
        s.cap = value;
        return s;
    }

    /** Null means the AWS endpoint of the region. */
    public SnsSettings withEndpoint(URI value) {
        SnsSettings s = copy();
        s.endpoint = value;
        return s;
    }

    public SnsSettings withDelivery(AlertDelivery value) {
        SnsSettings s = copy();
        s.delivery = value;
        return s;
    }

    public SnsSettings withMaxAttempts(int value) {
        SnsSettings s = copy();
        s.maxAttempts = value;
        return s;
    }

    /** Fails fast, naming the option to fix. */
    public SnsSettings validate() {
        if (topicArn == null || topicArn.isBlank()) {
            throw new IllegalArgumentException("--sns-topic-arn is required: the ARN of the alert topic, e.g. " + ARN_EXAMPLE);
        }
        Matcher arn = TOPIC_ARN.matcher(topicArn);
        if (!arn.matches()) {
            throw new IllegalArgumentException("--sns-topic-arn '" + topicArn
                    + "' is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME, e.g. " + ARN_EXAMPLE + ")");
        }
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("--region is required: the AWS region of the alert topic, e.g. ap-southeast-2");
        }
        if (!REGION.matcher(region).matches()) {
            throw new IllegalArgumentException("--region '" + region + "' is not an AWS region name (e.g. ap-southeast-2)");
        }
        if (!arn.group(2).equals(region)) {
            throw new IllegalArgumentException("--sns-topic-arn names region " + arn.group(2) + " but --region is "
                    + region + ": SNS only publishes to a topic from its own region");
        }
        if (capTopicArn != null) {
            Matcher capArn = TOPIC_ARN.matcher(capTopicArn);
            if (!capArn.matches()) {
                throw new IllegalArgumentException("--cap-topic-arn '" + capTopicArn
                        + "' is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME, e.g. " + ARN_EXAMPLE + ")");
            }
            if (!capArn.group(2).equals(region)) {
                throw new IllegalArgumentException("--cap-topic-arn names region " + capArn.group(2)
                        + " but --region is " + region + ": SNS only publishes to a topic from its own region");
            }
            if (capTopicArn.equals(topicArn)) {
                throw new IllegalArgumentException("--cap-topic-arn is the same topic as --sns-topic-arn: CAP documents "
                        + "need a topic of their own, or subscribers could not tell them from the JSON and text messages");
            }
        }
        if (cap == null) {
            throw new IllegalArgumentException("--cap-sender and --cap-status are required");
        }
        cap.validate();
        if (endpoint != null) {
            String scheme = endpoint.getScheme();
            if (!endpoint.isAbsolute() || endpoint.getHost() == null
                    || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
                throw new IllegalArgumentException("--sns-endpoint '" + endpoint
                        + "' must be an http(s) URL with a host, e.g. https://sns.ap-southeast-2.amazonaws.com");
            }
            if (endpoint.getUserInfo() != null) {
                throw new IllegalArgumentException("--sns-endpoint must not carry credentials: they come from the AWS "
                        + "default credential chain");
            }
        }
        if (delivery == null) {
            throw new IllegalArgumentException("--alert-delivery is required: at-least-once or exactly-once");
        }
        if (maxAttempts < 1 || maxAttempts > MAX_MAX_ATTEMPTS) {
            throw new IllegalArgumentException("--sns-max-attempts must be between 1 and " + MAX_MAX_ATTEMPTS
                    + " (was " + maxAttempts + ")");
        }
        return this;
    }

    /**
     * Asks SNS for the topic's attributes with short timeouts, so a job with a wrong topic, region, endpoint or
     * missing credentials fails at start with what to fix, rather than logging undeliverable alerts later.
     *
     * @throws IllegalArgumentException when a setting is wrong (e.g. the topic does not exist)
     * @throws IllegalStateException when SNS cannot be reached or the credentials are missing or not allowed
     */
    public SnsSettings checkReachable() {
        validate();
        try (DefaultCredentialsProvider credentials = DefaultCredentialsProvider.builder().build()) {
            try {
                credentials.resolveCredentials();
            } catch (SdkClientException e) {
                throw new StartupCheckFailed("no AWS credentials to publish alerts with: the AWS default credential "
                        + "chain (environment, Java system properties, ~/.aws profile, container or instance role) "
                        + "found none (" + e.getMessage() + ")", e);
            }
            try (SnsClient sns = SnsClients.forStartupCheck(this, credentials)) {
                checkTopic(sns, topicArn, "--sns-topic-arn");
                if (capTopicArn != null) {
                    checkTopic(sns, capTopicArn, "--cap-topic-arn");
                }
            }
        }
        return this;
    }

    private void checkTopic(SnsClient sns, String topic, String option) {
        try {
            sns.getTopicAttributes(r -> r.topicArn(topic));
        } catch (NotFoundException e) {
            throw new IllegalArgumentException("SNS topic " + topic + " does not exist at " + where()
                    + " (" + option + ")", e);
        } catch (AuthorizationErrorException e) {
            throw notAllowed(topic, e);
        } catch (SnsException e) {
            if (e.statusCode() == 403) {
                throw notAllowed(topic, e);
            }
            throw new IllegalArgumentException("SNS refused topic " + topic + " (" + option + "): "
                    + serviceMessage(e), e);
        } catch (SdkClientException e) {
            throw new StartupCheckFailed("cannot reach SNS at " + where() + " (" + endpointOption() + "): "
                    + e.getMessage(), e);
        }
    }

    private static StartupCheckFailed notAllowed(String topic, SnsException e) {
        return new StartupCheckFailed("the AWS credentials found are not allowed to use SNS topic " + topic
                + ": the job's role needs sns:GetTopicAttributes and sns:Publish on it (" + serviceMessage(e) + ")", e);
    }

    private static String serviceMessage(SnsException e) {
        return e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null
                ? e.awsErrorDetails().errorMessage() : e.getMessage();
    }

    private String where() {
        return endpoint != null ? endpoint.toString() : "the AWS endpoint of region " + region;
    }

    private String endpointOption() {
        return endpoint != null ? "--sns-endpoint" : "--region, or --sns-endpoint for a VPC endpoint";
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SnsSettings)) {
            return false;
        }
        SnsSettings s = (SnsSettings) o;
        return maxAttempts == s.maxAttempts && Objects.equals(topicArn, s.topicArn) && Objects.equals(region, s.region)
                && Objects.equals(endpoint, s.endpoint) && delivery == s.delivery
                && Objects.equals(capTopicArn, s.capTopicArn) && Objects.equals(cap, s.cap);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topicArn, region, endpoint, delivery, maxAttempts, capTopicArn, cap);
    }

    @Override
    public String toString() {
        return "topic=" + topicArn + " region=" + region + (endpoint == null ? "" : " endpoint=" + endpoint)
                + " delivery=" + delivery + " maxAttempts=" + maxAttempts
                + (capTopicArn == null ? "" : " capTopic=" + capTopicArn) + " cap(" + cap + ")";
    }
}
