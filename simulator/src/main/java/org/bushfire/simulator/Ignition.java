package org.bushfire.simulator;

import java.time.Duration;
import org.bushfire.cli.DurationConverter;

/**
 * Where and when a fire starts, as given on the command line: {@code NETWORK/NODE@OFFSET} (a sensor by its id)
 * or {@code LAT,LON@OFFSET} (the sensor nearest to a place), the offset counted from the start of the run;
 * without {@code @OFFSET} the fire starts with the run.
 */
public record Ignition(String network, int node, double lat, double lon, Duration offset) {
    public boolean bySensor() {
        return network != null;
    }

    public static Ignition atSensor(String network, int node, Duration offset) {
        return new Ignition(network, node, Double.NaN, Double.NaN, offset);
    }

    public static Ignition atPlace(double lat, double lon, Duration offset) {
        return new Ignition(null, 0, lat, lon, offset);
    }

    public static Ignition parse(String spec) {
        String text = spec.trim();
        Duration offset = Duration.ZERO;
        int at = text.lastIndexOf('@');
        if (at >= 0) {
            offset = DurationConverter.parse(text.substring(at + 1));
            text = text.substring(0, at);
        }
        int slash = text.lastIndexOf('/');
        if (slash > 0) {
            try {
                return atSensor(text.substring(0, slash), Integer.parseInt(text.substring(slash + 1).trim()), offset);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--ignite '" + spec + "': the node after '/' must be a sensor number");
            }
        }
        String[] latLon = text.split(",");
        if (latLon.length == 2) {
            try {
                double lat = Double.parseDouble(latLon[0].trim());
                double lon = Double.parseDouble(latLon[1].trim());
                if (Math.abs(lat) <= 90 && Math.abs(lon) <= 180) {
                    return atPlace(lat, lon, offset);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException("--ignite '" + spec + "' is neither NETWORK/NODE[@OFFSET] nor LAT,LON[@OFFSET]"
                + " (e.g. ridge-1/17@5m or -33.70,150.31@10m)");
    }

    @Override
    public String toString() {
        return (bySensor() ? network + "/" + node : lat + "," + lon) + "@" + DurationConverter.format(offset);
    }
}
