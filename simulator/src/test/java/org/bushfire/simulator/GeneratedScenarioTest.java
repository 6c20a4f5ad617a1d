package org.bushfire.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pieces of a generated run: mesh, fire spread, sensor temperatures, ignitions. */
class GeneratedScenarioTest {
    static final Mesh.Layout LAYOUT = new Mesh.Layout(500, 2, -33.7, 150.3, Double.NaN, 250, "ridge");

    @Test
    void meshLinksSensorsWithinRadioRangeBothWays() {
        Mesh mesh = Mesh.generate(LAYOUT, SeededRandom.of(1, "mesh"));
        assertThat(mesh.size()).isEqualTo(500);
        assertThat(mesh.networks()).extracting(Mesh.Network::name).containsExactly("ridge-1", "ridge-2");
        assertThat(mesh.networks().get(0).sensors()).hasSize(250);
        assertThat(mesh.meanNeighbours()).as("about 8 neighbours").isBetween(6.0, 9.0);
        for (int i = 0; i < mesh.size(); i++) {
            Mesh.Sensor s = mesh.sensor(i);
            for (int j : s.neighbours()) {
                Mesh.Sensor n = mesh.sensor(j);
                assertThat(n.network).isEqualTo(s.network);
                assertThat(Mesh.distance(s, n)).isLessThanOrEqualTo(250.0);
                assertThat(n.neighbours()).contains(i);
                assertThat(Mesh.distanceMetres(s.lat, s.lon, n.lat, n.lon)).isCloseTo(Mesh.distance(s, n),
                        org.assertj.core.data.Offset.offset(2.0));
            }
        }
        Mesh again = Mesh.generate(LAYOUT, SeededRandom.of(1, "mesh"));
        assertThat(again.sensor(321).lat).isEqualTo(mesh.sensor(321).lat);
        assertThat(again.sensor(321).neighbours()).isEqualTo(mesh.sensor(321).neighbours());
    }

    @Test
    void longerLinksAndUpwindLinksTakeLonger() {
        Mesh mesh = Mesh.generate(new Mesh.Layout(3, 1, 0, 0, 1000, 1000, "n"), SeededRandom.of(2, "mesh"));
        FireSpread.Params calm = new FireSpread.Params(10, 0, 0, Long.MAX_VALUE);
        FireSpread.Params windy = new FireSpread.Params(10, 270, 30, Long.MAX_VALUE);
        Mesh.Sensor a = mesh.sensor(0);
        Mesh.Sensor b = mesh.sensor(1);
        double calmMean = meanDelay(a, b, calm);
        assertThat(calmMean / 60_000).as("minutes to cross %s m at 10 m/min", Mesh.distance(a, b))
                .isCloseTo(Mesh.distance(a, b) / 10, org.assertj.core.data.Percentage.withPercentage(5));
        boolean abEastward = b.x > a.x;
        double downwind = meanDelay(abEastward ? a : b, abEastward ? b : a, windy);
        double upwind = meanDelay(abEastward ? b : a, abEastward ? a : b, windy);
        assertThat(downwind).isLessThan(calmMean);
        assertThat(upwind).isGreaterThan(calmMean);
        assertThat(new FireSpread.Params(10, 270, 30, 1).windFactor(90)).isCloseTo(Math.exp(0.06 * 30),
                org.assertj.core.data.Offset.offset(1e-9));
    }

    private static double meanDelay(Mesh.Sensor from, Mesh.Sensor to, FireSpread.Params params) {
        SeededRandom random = SeededRandom.of(3, "delays");
        double total = 0;
        for (int i = 0; i < 20_000; i++) {
            total += FireSpread.delay(from, to, params, random);
        }
        return total / 20_000;
    }

    @Test
    void aSensorBurnsOnceInfectedByABurningNeighbourAndFireStopsAtTheHorizon() {
        Mesh mesh = Mesh.generate(LAYOUT, SeededRandom.of(1, "mesh"));
        FireSpread.Params params = new FireSpread.Params(15, 315, 20, Duration.ofMinutes(30).toMillis());
        long horizon = Duration.ofHours(2).toMillis();
        FireSpread spread = FireSpread.simulate(mesh, List.of(new FireSpread.Start(10, 0), new FireSpread.Start(10, 5),
                new FireSpread.Start(300, 60_000)), params, horizon, SeededRandom.of(1, "spread"));
        assertThat(spread.fires()).as("a second start at a burning sensor is no fire").isEqualTo(2);
        for (int s : spread.order()) {
            int by = spread.infectedBy(s);
            assertThat(spread.infectionTime(s)).isLessThanOrEqualTo(horizon);
            if (by >= 0) {
                assertThat(mesh.sensor(by).neighbours()).contains(s);
                assertThat(spread.fire(by)).isEqualTo(spread.fire(s));
                long delay = spread.infectionTime(s) - spread.infectionTime(by);
                assertThat(delay).isPositive().isLessThanOrEqualTo(params.burnMillis());
            }
        }
        assertThat(spread.order().stream().filter(s -> mesh.sensor(s).network.equals("ridge-2")).map(spread::fire))
                .as("fire never crosses networks").containsOnly(2);
    }

    @Test
    void temperatureIsHotExactlyWhileBurningAndWarmsBelowTheThresholdBefore() {
        HeatModel heat = new HeatModel(50, new HeatModel.Climate(45, 8, 3), Duration.ofMinutes(30).toMillis());
        SeededRandom noise = SeededRandom.of(4, "noise");
        long infection = Duration.ofHours(5).toMillis();
        for (long t = 0; t < Duration.ofHours(10).toMillis(); t += 7_000) {
            double ambient = heat.ambient(150.3, t) + 1.5;
            double never = heat.temperature(ambient, t, FireSpread.NEVER, 400, noise.nextGaussian() * 3);
            assertThat(never).as("no fire, hot day, big noise").isLessThan(50);
            double reading = heat.temperature(ambient, t, infection, 400, noise.nextGaussian() * 3);
            if (t < infection) {
                assertThat(reading).isLessThan(50);
            } else if (t < infection + Duration.ofMinutes(30).toMillis()) {
                assertThat(reading).isGreaterThanOrEqualTo(50);
            }
            assertThat(reading * 10).isCloseTo(Math.rint(reading * 10), org.assertj.core.data.Offset.offset(1e-6));
        }
        double approaching = heat.temperature(20, infection - 60_000, infection, 400, 0);
        assertThat(approaching).as("a minute before the fire").isBetween(40.0, 49.9);
        double peak = heat.temperature(20, infection + Duration.ofMinutes(4).toMillis(), infection, 400, 0);
        assertThat(peak).isGreaterThan(300);
        double cooled = heat.temperature(20, infection + Duration.ofHours(4).toMillis(), infection, 400, 0);
        assertThat(cooled).isLessThan(25);
    }

    @Test
    void ambientFollowsTheDayWarmestMidAfternoonLocalTime() {
        HeatModel heat = new HeatModel(50, new HeatModel.Climate(22, 8, 0.5), 60_000);
        long day = java.time.Instant.parse("2024-11-21T00:00:00Z").toEpochMilli();
        // 150° E is UTC+10 in solar time: 15:00 local is 05:00 UTC, 03:00 local is 17:00 UTC
        assertThat(heat.ambient(150, day + Duration.ofHours(5).toMillis())).isCloseTo(30.0,
                org.assertj.core.data.Offset.offset(1e-6));
        assertThat(heat.ambient(150, day + Duration.ofHours(17).toMillis())).isCloseTo(14.0,
                org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void ignitionsAreGivenBySensorOrPlace() {
        assertThat(Ignition.parse("ridge-2/17@5m")).isEqualTo(Ignition.atSensor("ridge-2", 17, Duration.ofMinutes(5)));
        assertThat(Ignition.parse("ridge-2/17")).isEqualTo(Ignition.atSensor("ridge-2", 17, Duration.ZERO));
        assertThat(Ignition.parse("-33.7,150.31@1h30m")).isEqualTo(Ignition.atPlace(-33.7, 150.31, Duration.ofMinutes(90)));
        assertThatThrownBy(() -> Ignition.parse("somewhere@5m")).hasMessageContaining("NETWORK/NODE");

        Mesh mesh = Mesh.generate(LAYOUT, SeededRandom.of(1, "mesh"));
        Mesh.Sensor target = mesh.sensor(400);
        assertThat(mesh.nearest(target.lat, target.lon)).isSameAs(target);
        assertThat(mesh.find("ridge-2", 151)).isSameAs(target);
    }

    @Test
    void sameSeedSameStreamsAndPartsAreIndependent() {
        SeededRandom a = SeededRandom.of(42, "noise");
        SeededRandom b = SeededRandom.of(42, "noise");
        SeededRandom c = SeededRandom.of(42, "faults");
        for (int i = 0; i < 100; i++) {
            double x = a.nextGaussian();
            assertThat(b.nextGaussian()).isEqualTo(x);
            assertThat(c.nextGaussian()).isNotEqualTo(x);
        }
    }
}
