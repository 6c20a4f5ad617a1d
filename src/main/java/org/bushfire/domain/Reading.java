package org.bushfire.domain;

import java.util.Objects;

/**
 * One temperature report of one sensor, as the contract in ALERT-SEMANTICS.md defines it.
 *
 * <p>A plain mutable class with public fields so Flink serializes it as a POJO (no Kryo). Node ids keep
 * their text (ids compare by text: {@code 5} equals {@code "5"}) and remember whether the sensor sent them
 * as a JSON number, so alerts can name nodes the way they appeared in the input.
 */
public class Reading {
    public static final String DEFAULT_NETWORK = "default";

    public String network = DEFAULT_NETWORK;
    public String node;
    public boolean nodeNumeric;
    /** Event time, epoch milliseconds. */
    public long eventTimestamp;
    /** Degrees Celsius. */
    public double temperature;
    /** The neighbour that spread the fire to this node, or null when there is no infector. */
    public String infectedBy;
    public boolean infectedByNumeric;
    /** WGS84 degrees; both null when the position is unknown. */
    public Double lat;
    public Double lon;

    public Reading() {}

    public Reading(String network, String node, long eventTimestamp, double temperature, String infectedBy) {
        this.network = network;
        this.node = node;
        this.eventTimestamp = eventTimestamp;
        this.temperature = temperature;
        this.infectedBy = infectedBy;
    }

    public boolean hasPosition() {
        return lat != null && lon != null;
    }

    public boolean isHot(double threshold) {
        return temperature >= threshold;
    }

    public SensorId nodeId() {
        return new SensorId(node, nodeNumeric);
    }

    public SensorId infectedById() {
        return infectedBy == null ? null : new SensorId(infectedBy, infectedByNumeric);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Reading)) {
            return false;
        }
        Reading r = (Reading) o;
        return nodeNumeric == r.nodeNumeric
                && eventTimestamp == r.eventTimestamp
                && Double.compare(temperature, r.temperature) == 0
                && infectedByNumeric == r.infectedByNumeric
                && Objects.equals(network, r.network)
                && Objects.equals(node, r.node)
                && Objects.equals(infectedBy, r.infectedBy)
                && Objects.equals(lat, r.lat)
                && Objects.equals(lon, r.lon);
    }

    @Override
    public int hashCode() {
        return Objects.hash(network, node, eventTimestamp, temperature, infectedBy);
    }

    @Override
    public String toString() {
        return network + "/" + node + "@" + eventTimestamp + " " + temperature + "°C"
                + (infectedBy == null ? "" : " infectedBy " + infectedBy);
    }
}
