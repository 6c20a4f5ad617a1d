package org.bushfire.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.bushfire.cap.CapSettings;
import org.bushfire.sns.SnsSettings;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The SNS options as the command line gives them, CAP ones included, and the settings they become. */
class SnsOptionsTest {
    static final String REGION = "ap-southeast-2";
    static final String TOPIC = "arn:aws:sns:" + REGION + ":123456789012:bushfire-alerts.fifo";
    static final String CAP_TOPIC = "arn:aws:sns:" + REGION + ":123456789012:bushfire-cap";

    static SnsSettings settings(String... args) {
        SnsOptions options = new SnsOptions();
        new CommandLine(options).parseArgs(args);
        return options.toSettings(REGION);
    }

    @Test
    void withoutCapOptionsNoCapTopicTheDefaultSenderAndStatusActual() {
        SnsSettings s = settings("--sns-topic-arn", TOPIC);

        assertThat(s.capTopicArn()).isEmpty();
        assertThat(s.cap()).isEqualTo(CapSettings.of(CapSettings.DEFAULT_SENDER, CapSettings.Status.ACTUAL));
    }

    @Test
    void capOptionsReachTheSettings() {
        SnsSettings s = settings("--sns-topic-arn", TOPIC, "--cap-topic-arn", CAP_TOPIC,
                "--cap-sender", "bushfire-alerts@rfs.example.gov.au", "--cap-status", "Exercise");

        assertThat(s.capTopicArn()).contains(CAP_TOPIC);
        assertThat(s.cap().sender()).isEqualTo("bushfire-alerts@rfs.example.gov.au");
        assertThat(s.cap().status()).isEqualTo(CapSettings.Status.EXERCISE);
    }

    @Test
    void wrongCapOptionsFailAtStartNamingTheOption() {
        assertThatThrownBy(() -> settings("--sns-topic-arn", TOPIC, "--cap-status", "Maybe"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--cap-status must be Actual or Exercise (was 'Maybe')");
        assertThatThrownBy(() -> settings("--sns-topic-arn", TOPIC, "--cap-sender", "Rural Fire Service"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--cap-sender 'Rural Fire Service' is not a CAP sender");
        assertThatThrownBy(() -> settings("--sns-topic-arn", TOPIC, "--cap-topic-arn", "cap"))
                .hasMessageContaining("--cap-topic-arn 'cap' is not an SNS topic ARN");
    }
}
