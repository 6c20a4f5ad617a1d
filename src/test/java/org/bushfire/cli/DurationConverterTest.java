package org.bushfire.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {
    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("500ms", Duration.ofMillis(500)),
                Arguments.of("30s", Duration.ofSeconds(30)),
                Arguments.of("30m", Duration.ofMinutes(30)),
                Arguments.of("1h", Duration.ofHours(1)),
                Arguments.of("1d", Duration.ofDays(1)),
                Arguments.of("1h30m", Duration.ofMinutes(90)),
                Arguments.of("1d2h3m4s5ms", Duration.ofDays(1).plusHours(2).plusMinutes(3).plusSeconds(4).plusMillis(5)),
                Arguments.of("0s", Duration.ZERO),
                Arguments.of("30S", Duration.ofSeconds(30)),
                Arguments.of("500MS", Duration.ofMillis(500)),
                Arguments.of("1H30M", Duration.ofMinutes(90)),
                Arguments.of("1D", Duration.ofDays(1)),
                Arguments.of(" 30s ", Duration.ofSeconds(30)),
                Arguments.of("\t1h\n", Duration.ofHours(1)),
                Arguments.of("999999999ms", Duration.ofMillis(999_999_999)));
    }

    @ParameterizedTest(name = "\"{0}\" = {1}")
    @MethodSource("valid")
    void parsesOperatorDurations(String text, Duration expected) {
        assertThat(DurationConverter.parse(text)).isEqualTo(expected);
        assertThat(new DurationConverter().convert(text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "   ", "5", "5x", "-5s", "1.5h", "h", "ms", "1h 30m", "30 s", "PT30S", "30sec",
            "1234567890s", "+5s", "5s-"})
    void rejectsAnythingElseNamingTheValue(String text) {
        assertThatThrownBy(() -> new DurationConverter().convert(text))
                .isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("'" + text + "'")
                .hasMessageContaining("is not a duration");
    }

    static Stream<Arguments> formatted() {
        return Stream.of(
                Arguments.of(Duration.ZERO, "0s"),
                Arguments.of(Duration.ofMillis(500), "500ms"),
                Arguments.of(Duration.ofMillis(1500), "1500ms"),
                Arguments.of(Duration.ofSeconds(30), "30s"),
                Arguments.of(Duration.ofSeconds(90), "90s"),
                Arguments.of(Duration.ofMinutes(30), "30m"),
                Arguments.of(Duration.ofMinutes(90), "90m"),
                Arguments.of(Duration.ofHours(1), "1h"),
                Arguments.of(Duration.ofHours(25), "25h"),
                Arguments.of(Duration.ofDays(1), "1d"),
                Arguments.of(Duration.ofDays(7), "7d"));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("formatted")
    void formatUsesTheLargestUnitThatDividesEvenly(Duration d, String expected) {
        assertThat(DurationConverter.format(d)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formatted")
    void formatIsTheInverseOfParse(Duration d, String ignored) {
        assertThat(DurationConverter.parse(DurationConverter.format(d))).isEqualTo(d);
    }

    @Test
    void parseThenFormatNormalises() {
        assertThat(DurationConverter.format(DurationConverter.parse("1h30m"))).isEqualTo("90m");
        assertThat(DurationConverter.format(DurationConverter.parse("60m"))).isEqualTo("1h");
        assertThat(DurationConverter.format(DurationConverter.parse("24H"))).isEqualTo("1d");
    }
}
