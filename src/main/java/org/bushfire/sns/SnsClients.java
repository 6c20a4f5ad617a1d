package org.bushfire.sns;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.SnsClientBuilder;

/**
 * The two kinds of SNS client the alert sink uses: a patient one that publishes alerts, and an impatient one for
 * the start-up check. Both take the region and optional endpoint from {@link SnsSettings}; retries and backoff
 * are the SDK's own standard strategy, tuned here.
 */
final class SnsClients {
    /** A publish is a few kilobytes: an attempt still running after this is stuck, and another one is better. */
    static final Duration PUBLISH_ATTEMPT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration CHECK_ATTEMPT_TIMEOUT = Duration.ofSeconds(3);
    static final Duration CHECK_CALL_TIMEOUT = Duration.ofSeconds(8);
    static final int CHECK_MAX_ATTEMPTS = 2;

    private SnsClients() {}

    static SnsClient forAlerts(SnsSettings settings, AwsCredentialsProvider credentials) {
        return builder(settings, credentials)
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(retryStrategy(settings.maxAttempts()))
                        .apiCallAttemptTimeout(PUBLISH_ATTEMPT_TIMEOUT)
                        .build())
                .build();
    }

    /** Short timeouts: a job that cannot reach its alert topic should say so within seconds, not minutes. */
    static SnsClient forStartupCheck(SnsSettings settings, AwsCredentialsProvider credentials) {
        return builder(settings, credentials)
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(retryStrategy(CHECK_MAX_ATTEMPTS))
                        .apiCallAttemptTimeout(CHECK_ATTEMPT_TIMEOUT)
                        .apiCallTimeout(CHECK_CALL_TIMEOUT)
                        .build())
                .build();
    }

    /**
     * The SDK's standard strategy (it retries throttling, 5xx and I/O errors, and nothing else) with our attempt
     * count and backoff. Its circuit breaker is off: alerts are rare, and each one deserves all its attempts
     * even right after an outage emptied the retry token bucket.
     */
    static RetryStrategy retryStrategy(int maxAttempts) {
        return AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(maxAttempts)
                .backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(200), Duration.ofSeconds(10)))
                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofSeconds(1), Duration.ofSeconds(20)))
                .circuitBreakerEnabled(false)
                .build();
    }

    private static SnsClientBuilder builder(SnsSettings settings, AwsCredentialsProvider credentials) {
        SnsClientBuilder builder = SnsClient.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials);
        settings.endpoint().ifPresent(builder::endpointOverride);
        return builder;
    }
}
