package org.bushfire.dashboards;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.bushfire.domain.Reading;

/**
 * A fire whose geometry is known without the job: sensors on a grid of {@code columns} × {@code rows}
 * positions, {@code latStep}° and {@code lonStep}° apart from a south-west corner, and a straight fire front
 * that crosses them toward {@code headingDegrees} (clockwise from true north) at {@code metresPerMinute}. A
 * sensor's onset is when the front reaches it: the ignition time plus its distance ahead of the first sensor
 * along the heading, over the speed, on a local plane around the grid (1° of latitude = R·π/180 metres, 1° of
 * longitude that times the cosine of the grid's middle latitude; rounded to the second).
 *
 * <p>Each sensor names as its infector the neighbour one step back across the front — along its row if there
 * is one, else along its column — so the fire is one tree rooted at the corner the front starts from, and
 * every hop is one grid step of the front's travel (checked against {@code maxHop}, the job's W). Each sensor
 * reports one hot reading at its onset and, when the fire burns out ({@code burnTime} given), one cold
 * reading that long after it.
 */
final class GridFire {
    /** Mean Earth radius, metres: the sphere the expected area is worked out on. */
    static final double EARTH_RADIUS_M = 6_371_008.8;
    static final double HOT = 65.0;
    static final double COLD = 24.0;

    /** One sensor of the grid. */
    record Sensor(int column, int row, String node, double lat, double lon, long onsetTimestamp, String infectedBy) {}

    final String network;
    final double headingDegrees;
    final double metresPerMinute;
    final int columns;
    final int rows;
    final Duration burnTime;
    private final List<Sensor> sensors = new ArrayList<>();
    private final double south;
    private final double west;
    private final double north;
    private final double east;

    /**
     * @param firstNode the node id of the south-west sensor; ids go east along each row, then north
     * @param burnTime how long each sensor burns before it reports cold; null: the fire is still burning
     */
    GridFire(String network, int firstNode, double south, double west, double latStep, double lonStep, int columns,
            int rows, double headingDegrees, double metresPerMinute, Instant ignition, Duration burnTime,
            Duration maxHop) {
        this.network = network;
        this.headingDegrees = headingDegrees;
        this.metresPerMinute = metresPerMinute;
        this.columns = columns;
        this.rows = rows;
        this.burnTime = burnTime;
        this.south = south;
        this.west = west;
        this.north = south + (rows - 1) * latStep;
        this.east = west + (columns - 1) * lonStep;
        double h = Math.toRadians(headingDegrees);
        int back = -(int) Math.signum(Math.round(Math.sin(h) * 1e6));   // the row step toward the front's origin
        int down = -(int) Math.signum(Math.round(Math.cos(h) * 1e6));   // the column step toward it
        if (back == 0 || down == 0) {
            throw new IllegalArgumentException("a heading along a grid axis has no single first sensor: " + headingDegrees);
        }
        double metresPerDegreeLat = EARTH_RADIUS_M * Math.PI / 180;
        double metresPerDegreeLon = metresPerDegreeLat * Math.cos(Math.toRadians((south + north) / 2));
        double[][] ahead = new double[columns][rows];
        double first = Double.POSITIVE_INFINITY;
        for (int c = 0; c < columns; c++) {
            for (int r = 0; r < rows; r++) {
                double eastMetres = c * lonStep * metresPerDegreeLon;
                double northMetres = r * latStep * metresPerDegreeLat;
                ahead[c][r] = eastMetres * Math.sin(h) + northMetres * Math.cos(h);
                first = Math.min(first, ahead[c][r]);
            }
        }
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                long onset = ignition.toEpochMilli() + Math.round((ahead[c][r] - first) / metresPerMinute * 60) * 1000;
                int[] infector = c + back >= 0 && c + back < columns ? new int[] {c + back, r}
                        : r + down >= 0 && r + down < rows ? new int[] {c, r + down} : null;
                String node = node(firstNode, c, r);
                String infectedBy = infector == null ? node : node(firstNode, infector[0], infector[1]);
                if (infector != null) {
                    double hopMinutes = (ahead[c][r] - ahead[infector[0]][infector[1]]) / metresPerMinute;
                    if (hopMinutes > maxHop.toMinutes()) {
                        throw new IllegalArgumentException("a hop of " + hopMinutes + " min is longer than " + maxHop);
                    }
                }
                sensors.add(new Sensor(c, r, node, south + r * latStep, west + c * lonStep, onset, infectedBy));
            }
        }
    }

    private String node(int firstNode, int column, int row) {
        return String.valueOf(firstNode + row * columns + column);
    }

    List<Sensor> sensors() {
        return List.copyOf(sensors);
    }

    Sensor at(int column, int row) {
        return sensors.stream().filter(s -> s.column == column && s.row == row).findFirst().orElseThrow();
    }

    /** The sensor the fire starts at. */
    Sensor root() {
        return sensors.stream().min(Comparator.comparingLong(Sensor::onsetTimestamp)).orElseThrow();
    }

    long lastOnsetTimestamp() {
        return sensors.stream().mapToLong(Sensor::onsetTimestamp).max().orElseThrow();
    }

    /**
     * The area of the grid's rectangle on the sphere, km²: R² · Δλ · (sin φ_north − sin φ_south), from its
     * corner coordinates alone. Every sensor burns, so this is the burnt area.
     */
    double areaKm2() {
        double dLon = Math.toRadians(east - west);
        return EARTH_RADIUS_M * EARTH_RADIUS_M * dLon
                * (Math.sin(Math.toRadians(north)) - Math.sin(Math.toRadians(south))) / 1e6;
    }

    /** Every reading, in event-time order. */
    List<Reading> readings() {
        List<Reading> readings = new ArrayList<>();
        for (Sensor s : sensors) {
            readings.add(reading(s, s.onsetTimestamp, HOT, s.infectedBy));
            if (burnTime != null) {
                readings.add(reading(s, s.onsetTimestamp + burnTime.toMillis(), COLD, null));
            }
        }
        readings.sort(Comparator.comparingLong(r -> r.eventTimestamp));
        return readings;
    }

    private Reading reading(Sensor s, long t, double temperature, String infectedBy) {
        Reading r = new Reading(network, s.node, t, temperature, infectedBy);
        r.nodeNumeric = true;
        r.infectedByNumeric = infectedBy != null;
        r.lat = s.lat;
        r.lon = s.lon;
        return r;
    }
}
