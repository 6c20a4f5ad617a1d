package org.bushfire.bench;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The benchmark's readings, generated once and kept as pre-serialized JSON bytes, as they come out of Kinesis.
 * Sensors sit in networks of {@value #NETWORK_SIZE}; every sensor reports once a round (a minute apart). Each
 * fire ignites a sensor and spreads to the next sensor id every round for {@value #FIRE_LENGTH} hops, so every
 * fire has a chain of the default length N = 5 and should raise exactly one alert.
 *
 * <p>The readings are laid out in {@code partitions} contiguous blocks — whole networks per block, each block in
 * event-time order — because Flink's sequence splits hand each source subtask one contiguous range.
 */
public final class BenchWorkload {
    static final int NETWORK_SIZE = 100;
    static final int FIRE_LENGTH = 6;
    static final long ROUND_MILLIS = 60_000L;

    /** The current workload; the MiniCluster runs in this JVM, so sources read it directly. */
    static volatile BenchWorkload current;

    final byte[][] readings;
    final int sensors;
    final int rounds;
    final int fires;
    final long startMillis;

    private BenchWorkload(byte[][] readings, int sensors, int rounds, int fires, long startMillis) {
        this.readings = readings;
        this.sensors = sensors;
        this.rounds = rounds;
        this.fires = fires;
        this.startMillis = startMillis;
    }

    static BenchWorkload generate(int sensors, int rounds, int fires, int partitions, long seed) {
        int networks = Math.max(1, (sensors + NETWORK_SIZE - 1) / NETWORK_SIZE);
        SplittableRandom random = new SplittableRandom(seed);
        // fireHop[network][node] = round at which the fire reaches node, or -1; fireFrom = infector.
        int[][] burnsAt = new int[networks][];
        int placed = 0;
        int[] fireNetworks = new int[fires];
        for (int f = 0; f < fires; f++) {
            fireNetworks[f] = networks <= fires ? f % networks : random.nextInt(networks);
        }
        for (int f = 0; f < fires; f++) {
            int network = fireNetworks[f];
            int size = networkSize(network, networks, sensors);
            if (size < FIRE_LENGTH || rounds < FIRE_LENGTH) {
                continue;
            }
            if (burnsAt[network] == null) {
                burnsAt[network] = new int[size];
                java.util.Arrays.fill(burnsAt[network], -1);
            }
            int start = random.nextInt(size - FIRE_LENGTH + 1);
            int round = random.nextInt(rounds - FIRE_LENGTH + 1);
            boolean free = true;
            for (int h = 0; h < FIRE_LENGTH; h++) {
                free &= burnsAt[network][start + h] < 0;
            }
            if (!free) {
                continue;
            }
            for (int h = 0; h < FIRE_LENGTH; h++) {
                burnsAt[network][start + h] = round + h;
            }
            placed++;
        }
        long startMillis = (System.currentTimeMillis() / ROUND_MILLIS - rounds - 1) * ROUND_MILLIS;
        byte[][] readings = new byte[(int) ((long) sensors * rounds)][];
        int i = 0;
        for (int p = 0; p < partitions; p++) {
            for (int round = 0; round < rounds; round++) {
                for (int network = p; network < networks; network += partitions) {
                    int size = networkSize(network, networks, sensors);
                    for (int node = 0; node < size; node++) {
                        readings[i++] = reading(network, node, round, startMillis, burnsAt[network], random);
                    }
                }
            }
        }
        return new BenchWorkload(readings, sensors, rounds, placed, startMillis);
    }

    private static int networkSize(int network, int networks, int sensors) {
        return network < networks - 1 ? NETWORK_SIZE : sensors - NETWORK_SIZE * (networks - 1);
    }

    private static byte[] reading(int network, int node, int round, long startMillis, int[] burnsAt,
            SplittableRandom random) {
        boolean burning = burnsAt != null && burnsAt[node] >= 0 && round >= burnsAt[node];
        double temperature = burning ? 60 + random.nextInt(200) / 10.0 : 15 + random.nextInt(150) / 10.0;
        StringBuilder json = new StringBuilder(128)
                .append("{\"network\":\"net-").append(network)
                .append("\",\"node\":").append(node)
                .append(",\"eventTimestamp\":").append(startMillis + round * ROUND_MILLIS + (node % 60) * 100L)
                .append(",\"temperature\":").append(String.format(Locale.ROOT, "%.1f", temperature));
        if (burning) {
            boolean ignition = node == 0 || burnsAt[node - 1] < 0 || burnsAt[node - 1] != burnsAt[node] - 1;
            json.append(",\"infectedBy\":").append(ignition ? node : node - 1);
        }
        json.append(",\"lat\":").append(String.format(Locale.ROOT, "%.5f", -33.7 - network * 0.01 - node * 0.0001))
                .append(",\"lon\":").append(String.format(Locale.ROOT, "%.5f", 150.3 + node * 0.0001))
                .append('}');
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    long totalBytes() {
        long total = 0;
        for (byte[] r : readings) {
            total += r.length;
        }
        return total;
    }
}
