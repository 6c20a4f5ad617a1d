package org.bushfire.sns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class SnsSettingsTest {
    static final String ARN = "arn:aws:sns:ap-southeast-2:123456789012:bushfire-alerts.fifo";

    @Test
    void validSettingsPassAndKnowAFifoTopic() {
        SnsSettings s = SnsSettings.of(ARN, "ap-southeast-2").withEndpoint(URI.create("http://127.0.0.1:4575"))
                .withDelivery(AlertDelivery.EXACTLY_ONCE).withMaxAttempts(3).validate();

        assertThat(s.isFifoTopic()).isTrue();
        assertThat(s.delivery()).isEqualTo(AlertDelivery.EXACTLY_ONCE);
        assertThat(s.maxAttempts()).isEqualTo(3);
        assertThat(s.endpoint()).contains(URI.create("http://127.0.0.1:4575"));
        assertThat(SnsSettings.of("arn:aws:sns:us-east-1:123456789012:alerts", "us-east-1").validate().isFifoTopic())
                .isFalse();
    }

    @Test
    void defaultsAreAtLeastOnceThroughTheRegionsEndpoint() {
        SnsSettings s = SnsSettings.of(ARN, "ap-southeast-2");

        assertThat(s.delivery()).isEqualTo(AlertDelivery.AT_LEAST_ONCE);
        assertThat(s.endpoint()).isEmpty();
        assertThat(s.maxAttempts()).isEqualTo(SnsSettings.DEFAULT_MAX_ATTEMPTS);
    }

    @Test
    void validateNamesTheOptionToFix() {
        assertThatThrownBy(() -> SnsSettings.of(null, "ap-southeast-2").validate())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("--sns-topic-arn is required");
        assertThatThrownBy(() -> SnsSettings.of("bushfire-alerts", "ap-southeast-2").validate())
                .hasMessageContaining("--sns-topic-arn 'bushfire-alerts' is not an SNS topic ARN");
        assertThatThrownBy(() -> SnsSettings.of("arn:aws:sqs:ap-southeast-2:123456789012:q", "ap-southeast-2").validate())
                .hasMessageContaining("--sns-topic-arn");
        assertThatThrownBy(() -> SnsSettings.of(ARN, " ").validate()).hasMessageStartingWith("--region is required");
        assertThatThrownBy(() -> SnsSettings.of(ARN, "Sydney").validate())
                .hasMessageContaining("--region 'Sydney' is not an AWS region name");
        assertThatThrownBy(() -> SnsSettings.of(ARN, "us-east-1").validate())
                .hasMessageContaining("--sns-topic-arn names region ap-southeast-2 but --region is us-east-1");
        assertThatThrownBy(() -> SnsSettings.of(ARN, "ap-southeast-2").withEndpoint(URI.create("localhost:4575")).validate())
                .hasMessageContaining("--sns-endpoint 'localhost:4575' must be an http(s) URL");
        assertThatThrownBy(() -> SnsSettings.of(ARN, "ap-southeast-2")
                .withEndpoint(URI.create("http://key:secret@127.0.0.1:4575")).validate())
                .hasMessageContaining("--sns-endpoint must not carry credentials");
        assertThatThrownBy(() -> SnsSettings.of(ARN, "ap-southeast-2").withDelivery(null).validate())
                .hasMessageContaining("--alert-delivery");
        assertThatThrownBy(() -> SnsSettings.of(ARN, "ap-southeast-2").withMaxAttempts(0).validate())
                .hasMessageContaining("--sns-max-attempts must be between 1 and 20 (was 0)");
    }

    @Test
    void withCopiesLeaveTheOriginalAlone() {
        SnsSettings original = SnsSettings.of(ARN, "ap-southeast-2");

        original.withDelivery(AlertDelivery.EXACTLY_ONCE).withMaxAttempts(2);

        assertThat(original).isEqualTo(SnsSettings.of(ARN, "ap-southeast-2"));
    }

    @Test
    void deliveryModesHaveTheirCommandLineNames() {
        assertThat(AlertDelivery.fromCliName("at-least-once")).isEqualTo(AlertDelivery.AT_LEAST_ONCE);
        assertThat(AlertDelivery.fromCliName("exactly-once")).isEqualTo(AlertDelivery.EXACTLY_ONCE);
        assertThat(AlertDelivery.EXACTLY_ONCE.cliName()).isEqualTo("exactly-once");
        assertThatThrownBy(() -> AlertDelivery.fromCliName("twice"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--alert-delivery must be at-least-once or exactly-once (was 'twice')");
    }
}
