package org.bushfire.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.bushfire.domain.FireGeometry.Burning;
import org.junit.jupiter.api.Test;

/**
 * Fires of known geometry. Positions are placed with the spherical destination-point formula and areas are
 * checked against the spherical area of a latitude/longitude rectangle — both independent of the local plane
 * the code projects onto.
 */
class FireGeometryTest {
    static final double R = 6_371_008.8;
    static final double LAT = -33.70;
    static final double LON = 150.30;
    static final long T0 = 1732147200000L;
    static final long HOUR = 3_600_000L;

    /** The point {@code metres} from (lat, lon) on initial bearing {@code bearing} (degrees from north). */
    static double[] destination(double lat, double lon, double bearing, double metres) {
        double phi = Math.toRadians(lat);
        double lambda = Math.toRadians(lon);
        double theta = Math.toRadians(bearing);
        double delta = metres / R;
        double phi2 = Math.asin(Math.sin(phi) * Math.cos(delta) + Math.cos(phi) * Math.sin(delta) * Math.cos(theta));
        double lambda2 = lambda + Math.atan2(Math.sin(theta) * Math.sin(delta) * Math.cos(phi),
                Math.cos(delta) - Math.sin(phi) * Math.sin(phi2));
        return new double[] {Math.toDegrees(phi2), Math.toDegrees(lambda2)};
    }

    /** A front moving toward {@code heading} at {@code metresPerMinute} over a 15 × 15 grid of sensors 100 m apart. */
    static List<Burning> front(double heading, double metresPerMinute) {
        List<Burning> burning = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            for (int j = 0; j < 15; j++) {
                double east = (i - 7) * 100.0;
                double north = (j - 7) * 100.0;
                double[] p = destination(LAT, LON, Math.toDegrees(Math.atan2(east, north)), Math.hypot(east, north));
                double along = east * Math.sin(Math.toRadians(heading)) + north * Math.cos(Math.toRadians(heading));
                long onset = T0 + Math.round((along + 2000) / metresPerMinute * 60_000);
                burning.add(new Burning(p[0], p[1], onset));
            }
        }
        return burning;
    }

    @Test
    void aFrontMovingNorthEastAt20MetresAMinuteHasThatHeadingAndRate() {
        FireGeometry g = FireGeometry.of(front(45, 20), 10 * HOUR);
        assertThat(g.headingDegrees).isCloseTo(45.0, within(1.0));
        assertThat(g.rateOfSpreadMetresPerMinute).isCloseTo(20.0, within(0.2));
    }

    @Test
    void headingsAllRoundTheCompassAndFastFronts() {
        for (double heading : new double[] {0, 100, 180, 225, 315}) {
            FireGeometry g = FireGeometry.of(front(heading, 150), 10 * HOUR);
            double error = Math.abs(((g.headingDegrees - heading) % 360 + 540) % 360 - 180);
            assertThat(error).as("heading %s, estimated %s", heading, g.headingDegrees).isLessThan(1.0);
            assertThat(g.rateOfSpreadMetresPerMinute).isCloseTo(150.0, within(1.5));
        }
    }

    @Test
    void onlyTheRecentFrontIsFitted() {
        // the first hours burnt toward the south; the last 30 minutes toward the east, behind the southern front
        List<Burning> burning = new ArrayList<>(front(180, 10));
        long end = burning.stream().mapToLong(Burning::onsetTimestamp).max().orElseThrow();
        for (int k = 0; k < 30; k++) {
            for (int j = 0; j < 3; j++) {
                double[] p = destination(LAT - 0.02, LON, 90, k * 20.0 + j);
                double[] q = destination(p[0], p[1], 0, j * 100.0);
                burning.add(new Burning(q[0], q[1], end + (k + 1) * 60_000L));
            }
        }
        FireGeometry g = FireGeometry.of(burning, 25 * 60_000L);
        assertThat(g.headingDegrees).isCloseTo(90.0, within(2.0));
        assertThat(g.rateOfSpreadMetresPerMinute).isCloseTo(20.0, within(1.0));
    }

    @Test
    void theHullOfARectangleOfSensorsIsItsCornersAndItsSphericalArea() {
        double dLat = 0.02;
        double dLon = 0.03;
        List<Burning> burning = new ArrayList<>();
        for (int i = 0; i <= 4; i++) {
            for (int j = 0; j <= 4; j++) {
                burning.add(new Burning(LAT + dLat * i / 4, LON + dLon * j / 4, T0));
            }
        }
        FireGeometry g = FireGeometry.of(burning, HOUR);
        double expected = R * R * Math.toRadians(dLon)
                * Math.abs(Math.sin(Math.toRadians(LAT + dLat)) - Math.sin(Math.toRadians(LAT))) / 1e6;
        assertThat(expected).isCloseTo(6.17, within(0.01)); // about 2.22 km × 2.78 km
        assertThat(g.areaKm2).isCloseTo(expected, within(expected * 0.001));
        assertThat(g.hull).hasSize(4);
        for (GeoPoint corner : g.hull) {
            assertThat(corner.lat).satisfiesAnyOf(v -> assertThat(v).isCloseTo(LAT, within(1e-9)),
                    v -> assertThat(v).isCloseTo(LAT + dLat, within(1e-9)));
            assertThat(corner.lon).satisfiesAnyOf(v -> assertThat(v).isCloseTo(LON, within(1e-9)),
                    v -> assertThat(v).isCloseTo(LON + dLon, within(1e-9)));
        }
        assertThat(signedArea(g.hull)).as("counter-clockwise").isPositive();
        assertThat(g.centroid.lat).isCloseTo(LAT + dLat / 2, within(1e-9));
        assertThat(g.centroid.lon).isCloseTo(LON + dLon / 2, within(1e-9));
        assertThat(g.boundingBoxMin).isEqualTo(new GeoPoint(LAT, LON));
        assertThat(g.boundingBoxMax.lat).isCloseTo(LAT + dLat, within(1e-12));
        assertThat(g.headingDegrees).as("every onset at one instant: no front").isNull();
    }

    @Test
    void tooFewOrCollinearPositionsHaveNoHullAndNoSpread() {
        assertThat(FireGeometry.of(List.of(), HOUR).centroid).isNull();
        List<Burning> line = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            line.add(new Burning(LAT + i * 0.001, LON, T0 + i * 60_000L));
        }
        FireGeometry g = FireGeometry.of(line, HOUR);
        assertThat(g.hull).isEmpty();
        assertThat(g.areaKm2).isZero();
        assertThat(g.headingDegrees).isNull();
        assertThat(g.rateOfSpreadMetresPerMinute).isNull();
        assertThat(g.centroid).isNotNull();
        List<Burning> three = line.subList(0, 2);
        assertThat(FireGeometry.of(three, HOUR).hull).isEmpty();
    }

    @Test
    void positionsOnASlantedLineHaveNoHullThoughRoundingBendsItByANanometre() {
        // the reference scenario's sensors 1…5, 0.01° south and east of each other: on one line as written,
        // not quite once in binary and projected (a hull of area ~1e-6 m² came out before the tolerance)
        List<Burning> diagonal = new ArrayList<>();
        for (int n = 1; n <= 5; n++) {
            diagonal.add(new Burning(-33.70 - n / 100.0, 150.30 + n / 100.0, T0 + n * 60_000L));
        }
        FireGeometry g = FireGeometry.of(diagonal, HOUR);
        assertThat(g.hull).isEmpty();
        assertThat(g.areaKm2).isZero();
        assertThat(g.headingDegrees).isNull();

        // a bend of a metre over the same kilometres is a (thin) burnt area
        diagonal.add(new Burning(-33.73, 150.33 + 1.0 / (R * Math.PI / 180 * Math.cos(Math.toRadians(33.73))), T0));
        FireGeometry bent = FireGeometry.of(diagonal, HOUR);
        assertThat(bent.hull).hasSize(3);
        assertThat(bent.areaKm2).isGreaterThan(0);
    }

    private static double signedArea(GeoPoint[] hull) {
        double twice = 0;
        for (int i = 0; i < hull.length; i++) {
            GeoPoint a = hull[i];
            GeoPoint b = hull[(i + 1) % hull.length];
            twice += a.lon * b.lat - b.lon * a.lat;
        }
        return twice / 2;
    }
}
