package org.bushfire.simulator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Geo-located sensor networks: each network is a square area of randomly placed sensors, and two sensors are
 * neighbours when they are within radio range of each other. Random placement leaves the dense patches and the
 * gaps a real deployment has; the default area gives each sensor about {@value #TARGET_NEIGHBOURS} neighbours
 * on average, which keeps a mesh connected without making every sensor hear every other.
 */
public final class Mesh {
    /** Mean number of neighbours the default area aims for. */
    static final double TARGET_NEIGHBOURS = 8.0;
    private static final double METRES_PER_DEGREE_LAT = 111_320.0;

    /** How to lay the networks out. {@code sideMetres} NaN means: derived from the sensors and the radio range. */
    public record Layout(int sensors, int networks, double centreLat, double centreLon, double sideMetres,
                         double radioRangeMetres, String networkPrefix) {
        public Layout {
            if (sensors < 1) {
                throw new IllegalArgumentException("--sensors must be at least 1 (was " + sensors + ")");
            }
            if (networks < 1 || networks > sensors) {
                throw new IllegalArgumentException("--networks must be between 1 and --sensors (was " + networks + ")");
            }
            if (!(Math.abs(centreLat) <= 85.0) || !(Math.abs(centreLon) <= 180.0)) {
                throw new IllegalArgumentException("--center must be LAT,LON within ±85, ±180 (was " + centreLat + ","
                        + centreLon + ")");
            }
            if (!(radioRangeMetres > 0)) {
                throw new IllegalArgumentException("--radio-range must be positive (was " + radioRangeMetres + ")");
            }
            if (!Double.isNaN(sideMetres) && !(sideMetres > 0)) {
                throw new IllegalArgumentException("--area-km must be positive");
            }
        }

        int sensorsInNetwork(int n) {
            return sensors / networks + (n < sensors % networks ? 1 : 0);
        }

        /** Side of each network's square area, in metres. */
        public double side() {
            if (!Double.isNaN(sideMetres)) {
                return sideMetres;
            }
            int largest = sensorsInNetwork(0);
            return Math.sqrt(largest * Math.PI * radioRangeMetres * radioRangeMetres / TARGET_NEIGHBOURS);
        }
    }

    /** One sensor: its network, its id there (1, 2, ...), where it is, and whom it can hear. */
    public static final class Sensor {
        public final int index;
        public final String network;
        public final int id;
        /** Metres east and north of its network's centre. */
        public final double x;
        public final double y;
        public final double lat;
        public final double lon;
        int[] neighbours = new int[0];

        Sensor(int index, String network, int id, double x, double y, double lat, double lon) {
            this.index = index;
            this.network = network;
            this.id = id;
            this.x = x;
            this.y = y;
            this.lat = lat;
            this.lon = lon;
        }

        public int[] neighbours() {
            return neighbours.clone();
        }

        public String idText() {
            return Integer.toString(id);
        }

        @Override
        public String toString() {
            return network + "/" + id;
        }
    }

    /** One sensor network (mesh): fire never crosses from one to another. */
    public record Network(String name, double lat, double lon, double sideMetres, List<Sensor> sensors) {}

    private final Layout layout;
    private final List<Network> networks;
    private final Sensor[] sensors;

    private Mesh(Layout layout, List<Network> networks, Sensor[] sensors) {
        this.layout = layout;
        this.networks = networks;
        this.sensors = sensors;
    }

    public static Mesh generate(Layout layout, SeededRandom random) {
        double side = layout.side();
        int columns = (int) Math.ceil(Math.sqrt(layout.networks()));
        int rows = (int) Math.ceil(layout.networks() / (double) columns);
        double spacing = side * 1.5;
        List<Network> networks = new ArrayList<>();
        List<Sensor> all = new ArrayList<>();
        for (int n = 0; n < layout.networks(); n++) {
            String name = layout.networkPrefix() + "-" + (n + 1);
            double cx = (n % columns - (columns - 1) / 2.0) * spacing;
            double cy = ((rows - 1) / 2.0 - n / columns) * spacing;
            double lat = layout.centreLat() + cy / METRES_PER_DEGREE_LAT;
            double lon = layout.centreLon() + cx / metresPerDegreeLon(layout.centreLat());
            List<Sensor> members = new ArrayList<>();
            for (int id = 1; id <= layout.sensorsInNetwork(n); id++) {
                double x = random.nextDouble(-side / 2, side / 2);
                double y = random.nextDouble(-side / 2, side / 2);
                Sensor s = new Sensor(all.size(), name, id, x, y,
                        round6(lat + y / METRES_PER_DEGREE_LAT), round6(lon + x / metresPerDegreeLon(lat)));
                members.add(s);
                all.add(s);
            }
            networks.add(new Network(name, lat, lon, side, Collections.unmodifiableList(members)));
        }
        Mesh mesh = new Mesh(layout, Collections.unmodifiableList(networks), all.toArray(new Sensor[0]));
        for (Network network : networks) {
            mesh.connect(network.sensors(), layout.radioRangeMetres());
        }
        return mesh;
    }

    /** Neighbours within radio range, found through a grid of range-sized cells instead of every pair. */
    private void connect(List<Sensor> members, double range) {
        Map<Long, List<Sensor>> cells = new HashMap<>();
        for (Sensor s : members) {
            cells.computeIfAbsent(cell(s.x, s.y, range), k -> new ArrayList<>()).add(s);
        }
        for (Sensor s : members) {
            long cx = (long) Math.floor(s.x / range);
            long cy = (long) Math.floor(s.y / range);
            int[] found = new int[8];
            int count = 0;
            for (long dx = -1; dx <= 1; dx++) {
                for (long dy = -1; dy <= 1; dy++) {
                    for (Sensor other : cells.getOrDefault(key(cx + dx, cy + dy), List.of())) {
                        if (other != s && distance(s, other) <= range) {
                            if (count == found.length) {
                                found = Arrays.copyOf(found, count * 2);
                            }
                            found[count++] = other.index;
                        }
                    }
                }
            }
            int[] neighbours = Arrays.copyOf(found, count);
            Arrays.sort(neighbours);
            s.neighbours = neighbours;
        }
    }

    private static long cell(double x, double y, double range) {
        return key((long) Math.floor(x / range), (long) Math.floor(y / range));
    }

    private static long key(long cx, long cy) {
        return (cx << 32) ^ (cy & 0xFFFFFFFFL);
    }

    static double metresPerDegreeLon(double lat) {
        return METRES_PER_DEGREE_LAT * Math.cos(Math.toRadians(lat));
    }

    private static double round6(double degrees) {
        return Math.round(degrees * 1e6) / 1e6;
    }

    public static double distance(Sensor a, Sensor b) {
        return Math.hypot(a.x - b.x, a.y - b.y);
    }

    /** Compass bearing from a to b: 0 north, 90 east. */
    public static double bearing(Sensor a, Sensor b) {
        double degrees = Math.toDegrees(Math.atan2(b.x - a.x, b.y - a.y));
        return degrees < 0 ? degrees + 360 : degrees;
    }

    /** Great-circle distance in metres (haversine), for checks against reported positions. */
    public static double distanceMetres(double lat1, double lon1, double lat2, double lon2) {
        double p1 = Math.toRadians(lat1);
        double p2 = Math.toRadians(lat2);
        double dp = p2 - p1;
        double dl = Math.toRadians(lon2 - lon1);
        double h = Math.sin(dp / 2) * Math.sin(dp / 2) + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) * Math.sin(dl / 2);
        return 2 * 6_371_000.0 * Math.asin(Math.min(1, Math.sqrt(h)));
    }

    public Layout layout() {
        return layout;
    }

    public List<Network> networks() {
        return networks;
    }

    public int size() {
        return sensors.length;
    }

    public Sensor sensor(int index) {
        return sensors[index];
    }

    /** The sensor of {@code network} with id {@code id}, or null. */
    public Sensor find(String network, int id) {
        for (Network n : networks) {
            if (n.name().equals(network)) {
                return id >= 1 && id <= n.sensors().size() ? n.sensors().get(id - 1) : null;
            }
        }
        return null;
    }

    /** The sensor nearest to a place, over all networks. */
    public Sensor nearest(double lat, double lon) {
        Sensor best = null;
        double bestDistance = Double.MAX_VALUE;
        for (Sensor s : sensors) {
            double d = distanceMetres(lat, lon, s.lat, s.lon);
            if (d < bestDistance) {
                best = s;
                bestDistance = d;
            }
        }
        return best;
    }

    /** Mean number of neighbours, for the run's description. */
    public double meanNeighbours() {
        long links = 0;
        for (Sensor s : sensors) {
            links += s.neighbours.length;
        }
        return sensors.length == 0 ? 0 : links / (double) sensors.length;
    }
}
