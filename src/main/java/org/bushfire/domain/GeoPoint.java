package org.bushfire.domain;

import java.util.Objects;

/** A position in WGS 84 degrees, as sensors report it. A POJO, so Flink serializes it without Kryo. */
public class GeoPoint {
    public double lat;
    public double lon;

    public GeoPoint() {}

    public GeoPoint(double lat, double lon) {
        this.lat = lat;
        this.lon = lon;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GeoPoint p && Double.compare(p.lat, lat) == 0 && Double.compare(p.lon, lon) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(lat, lon);
    }

    @Override
    public String toString() {
        return lat + "," + lon;
    }
}
