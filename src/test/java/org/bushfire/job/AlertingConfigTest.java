package org.bushfire.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.bushfire.cli.AlertingOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine.Option;

class AlertingConfigTest {
    @Test
    void defaultsMatchTheContract() {
        AlertingConfig c = AlertingConfig.defaults();

        assertThat(c.threshold()).isEqualTo(50.0);
        assertThat(c.chainLength()).isEqualTo(5);
        assertThat(c.hopWindow()).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.outOfOrderness()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void defaultsOfTheOperationalKnobs() {
        AlertingConfig c = AlertingConfig.defaults();

        assertThat(c.idleTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.maxClockSkew()).isEqualTo(Duration.ofMinutes(15));
        assertThat(c.stateRetention()).isEqualTo(Duration.ofHours(24));
        assertThat(c.chainSpan()).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void defaultsAreValid() {
        AlertingConfig c = AlertingConfig.defaults();

        assertThat(c.validate()).isSameAs(c);
    }

    @Test
    void withReturnsACopyAndLeavesTheOriginalAlone() {
        AlertingConfig original = AlertingConfig.defaults();

        AlertingConfig changed = original.withThreshold(60).withChainLength(3).withHopWindow(Duration.ofMinutes(5))
                .withOutOfOrderness(Duration.ofSeconds(1)).withIdleTimeout(Duration.ofSeconds(2))
                .withMaxClockSkew(Duration.ofSeconds(3)).withStateRetention(Duration.ofHours(4));

        assertThat(changed).isNotSameAs(original);
        assertThat(changed.threshold()).isEqualTo(60.0);
        assertThat(changed.chainLength()).isEqualTo(3);
        assertThat(changed.hopWindow()).isEqualTo(Duration.ofMinutes(5));
        assertThat(changed.outOfOrderness()).isEqualTo(Duration.ofSeconds(1));
        assertThat(changed.idleTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(changed.maxClockSkew()).isEqualTo(Duration.ofSeconds(3));
        assertThat(changed.stateRetention()).isEqualTo(Duration.ofHours(4));
        assertThat(changed.chainSpan()).isEqualTo(Duration.ofMinutes(10));
        assertThat(original.threshold()).isEqualTo(50.0);
        assertThat(original.chainLength()).isEqualTo(5);
        assertThat(original.hopWindow()).isEqualTo(Duration.ofMinutes(30));
        assertThat(original.stateRetention()).isEqualTo(Duration.ofHours(24));
    }

    static Arguments caseOf(String description, String option, UnaryOperator<AlertingConfig> change) {
        return Arguments.of(description, option, change);
    }

    static Stream<Arguments> invalidConfigs() {
        return Stream.of(
                caseOf("chain length 1", "--chain-length", c -> c.withChainLength(1)),
                caseOf("chain length 0", "--chain-length", c -> c.withChainLength(0)),
                caseOf("chain length -5", "--chain-length", c -> c.withChainLength(-5)),
                caseOf("chain length 101", "--chain-length", c -> c.withChainLength(101)),
                caseOf("threshold NaN", "--threshold", c -> c.withThreshold(Double.NaN)),
                caseOf("threshold +Infinity", "--threshold", c -> c.withThreshold(Double.POSITIVE_INFINITY)),
                caseOf("threshold -Infinity", "--threshold", c -> c.withThreshold(Double.NEGATIVE_INFINITY)),
                caseOf("threshold below -100", "--threshold", c -> c.withThreshold(-100.5)),
                caseOf("threshold above 2000", "--threshold", c -> c.withThreshold(2000.5)),
                caseOf("zero window", "--window", c -> c.withHopWindow(Duration.ZERO)),
                caseOf("negative window", "--window", c -> c.withHopWindow(Duration.ofMinutes(-30))),
                caseOf("no window", "--window", c -> c.withHopWindow(null)),
                caseOf("negative out-of-orderness", "--out-of-orderness",
                        c -> c.withOutOfOrderness(Duration.ofMillis(-1))),
                caseOf("no out-of-orderness", "--out-of-orderness", c -> c.withOutOfOrderness(null)),
                caseOf("zero idle timeout", "--idle-timeout", c -> c.withIdleTimeout(Duration.ZERO)),
                caseOf("negative clock skew", "--max-clock-skew", c -> c.withMaxClockSkew(Duration.ofSeconds(-1))),
                caseOf("zero state retention", "--state-retention", c -> c.withStateRetention(Duration.ZERO)),
                caseOf("retention one ms shorter than (N-1)·W", "--state-retention",
                        c -> c.withStateRetention(Duration.ofHours(2).minusMillis(1))),
                caseOf("retention shorter than a longer chain", "--state-retention",
                        c -> c.withChainLength(10).withStateRetention(Duration.ofHours(4))),
                caseOf("retention shorter than a wider window", "--state-retention",
                        c -> c.withHopWindow(Duration.ofHours(7)).withStateRetention(Duration.ofHours(24))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidConfigs")
    void validateRejectsNamingTheOption(String description, String option, UnaryOperator<AlertingConfig> change) {
        AlertingConfig c = change.apply(AlertingConfig.defaults());

        assertThatThrownBy(c::validate)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(option + " ");
    }

    @Test
    void retentionMessageExplainsTheMinimum() {
        AlertingConfig c = AlertingConfig.defaults().withStateRetention(Duration.ofMinutes(90));

        assertThatThrownBy(c::validate)
                .hasMessageContaining("--state-retention")
                .hasMessageContaining(Duration.ofMinutes(90).toString())
                .hasMessageContaining(Duration.ofHours(2).toString());
    }

    static Stream<Arguments> validBoundaries() {
        return Stream.of(
                caseOf("chain length 2", "", c -> c.withChainLength(2)),
                caseOf("chain length 100", "", c -> c.withChainLength(100).withHopWindow(Duration.ofMinutes(1))),
                caseOf("threshold -100", "", c -> c.withThreshold(-100)),
                caseOf("threshold 2000", "", c -> c.withThreshold(2000)),
                caseOf("zero out-of-orderness", "", c -> c.withOutOfOrderness(Duration.ZERO)),
                caseOf("zero clock skew", "", c -> c.withMaxClockSkew(Duration.ZERO)),
                caseOf("1 ms window", "", c -> c.withHopWindow(Duration.ofMillis(1))),
                caseOf("retention exactly (N-1)·W", "", c -> c.withStateRetention(Duration.ofHours(2))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validBoundaries")
    void validateAcceptsTheBoundaries(String description, String unused, UnaryOperator<AlertingConfig> change) {
        AlertingConfig c = change.apply(AlertingConfig.defaults());

        assertThat(c.validate()).isSameAs(c);
    }

    /** Every option a validation message names must be one the command line really has. */
    @Test
    void optionsNamedByValidationExistOnTheCommandLine() {
        Set<String> options = new HashSet<>();
        for (Field f : AlertingOptions.class.getDeclaredFields()) {
            Option o = f.getAnnotation(Option.class);
            if (o != null) {
                options.addAll(Set.of(o.names()));
            }
        }

        Set<String> named = new HashSet<>();
        invalidConfigs().forEach(args -> named.add((String) args.get()[1]));

        assertThat(options).containsAll(named);
        assertThat(named).containsExactlyInAnyOrder("--threshold", "--chain-length", "--window",
                "--out-of-orderness", "--idle-timeout", "--max-clock-skew", "--state-retention");
    }
}
