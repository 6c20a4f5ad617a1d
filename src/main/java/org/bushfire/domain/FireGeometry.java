package org.bushfire.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The shape and spread of a fire from the positions and onset times of its burning sensors.
 *
 * <p>Positions are projected onto a local plane around their mean (equirectangular: east = Δlon · cos(lat₀) · R,
 * north = Δlat · R, R = 6,371,008.8 m, the mean Earth radius). Over the few kilometres of a fire the error
 * against a geodesic computation is far below a sensor's spacing.
 * <ul>
 *   <li><b>Burnt area</b>: the convex hull of the positions (Andrew's monotone chain, counter-clockwise, no
 *       collinear corners) and its area by the shoelace formula, in km². Fewer than three positions, or all on
 *       one line, have no hull and area 0.</li>
 *   <li><b>Centroid</b>: the mean position of the burning sensors (where the sensors are, not the hull's
 *       centre of mass); <b>bounding box</b>: their south-west and north-east corners.</li>
 *   <li><b>Spread</b>: the onset time is fitted, by least squares, as a plane over the positions of the recent
 *       front — the onsets within {@code frontWindow} before the newest one — t ≈ t₀ + gₑ·east + gₙ·north. The
 *       gradient (gₑ, gₙ) is the slowness of the front (minutes per metre): the fire moves along it, so the
 *       <b>heading</b> is its direction (degrees clockwise from true north, the direction the fire moves
 *       toward) and the <b>rate of spread</b> is 1 / |g| metres per minute. Only the recent front is fitted, so
 *       a fire that turns with the wind reports where it goes now, not where it went on average. No estimate
 *       (null) with fewer than {@value #MIN_FRONT} positioned onsets on the front, positions on one line, or a
 *       front that does not move (all onsets at one instant, or a gradient too flat to be a front).</li>
 * </ul>
 */
public final class FireGeometry {
    /** Mean Earth radius (IUGG), metres. */
    static final double EARTH_RADIUS_M = 6_371_008.8;
    /** A turn smaller than this (radians; a micrometre in a kilometre) is a straight line. */
    static final double COLLINEAR = 1e-9;
    /** Positioned onsets the spread fit needs at least. */
    public static final int MIN_FRONT = 4;

    public final GeoPoint[] hull;
    public final double areaKm2;
    public final GeoPoint centroid;
    public final GeoPoint boundingBoxMin;
    public final GeoPoint boundingBoxMax;
    public final Double headingDegrees;
    public final Double rateOfSpreadMetresPerMinute;

    private FireGeometry(GeoPoint[] hull, double areaKm2, GeoPoint centroid, GeoPoint min, GeoPoint max,
            Double heading, Double rate) {
        this.hull = hull;
        this.areaKm2 = areaKm2;
        this.centroid = centroid;
        this.boundingBoxMin = min;
        this.boundingBoxMax = max;
        this.headingDegrees = heading;
        this.rateOfSpreadMetresPerMinute = rate;
    }

    /** A burning sensor's position and onset time. */
    public record Burning(double lat, double lon, long onsetTimestamp) {}

    /** The geometry of {@code burning} (positioned sensors only); the front is the last {@code frontWindowMillis}. */
    public static FireGeometry of(List<Burning> burning, long frontWindowMillis) {
        if (burning.isEmpty()) {
            return new FireGeometry(new GeoPoint[0], 0, null, null, null, null, null);
        }
        double lat0 = 0;
        double lon0 = 0;
        double minLat = Double.POSITIVE_INFINITY;
        double minLon = Double.POSITIVE_INFINITY;
        double maxLat = Double.NEGATIVE_INFINITY;
        double maxLon = Double.NEGATIVE_INFINITY;
        for (Burning b : burning) {
            lat0 += b.lat;
            lon0 += b.lon;
            minLat = Math.min(minLat, b.lat);
            minLon = Math.min(minLon, b.lon);
            maxLat = Math.max(maxLat, b.lat);
            maxLon = Math.max(maxLon, b.lon);
        }
        lat0 /= burning.size();
        lon0 /= burning.size();
        Plane plane = new Plane(lat0, lon0);

        List<double[]> points = new ArrayList<>(burning.size());
        for (Burning b : burning) {
            points.add(plane.project(b.lat, b.lon));
        }
        List<double[]> hull = convexHull(points);
        GeoPoint[] corners = new GeoPoint[hull.size() >= 3 ? hull.size() : 0];
        for (int i = 0; i < corners.length; i++) {
            corners[i] = plane.unproject(hull.get(i));
        }
        double area = corners.length == 0 ? 0 : shoelace(hull) / 1e6;

        long newest = Long.MIN_VALUE;
        for (Burning b : burning) {
            newest = Math.max(newest, b.onsetTimestamp);
        }
        List<double[]> front = new ArrayList<>();
        List<Double> minutes = new ArrayList<>();
        for (int i = 0; i < burning.size(); i++) {
            Burning b = burning.get(i);
            if (b.onsetTimestamp >= newest - frontWindowMillis) {
                front.add(points.get(i));
                minutes.add((b.onsetTimestamp - newest) / 60_000.0);
            }
        }
        double[] slowness = front.size() >= MIN_FRONT ? fitSlowness(front, minutes) : null;
        Double heading = null;
        Double rate = null;
        if (slowness != null) {
            double magnitude = Math.hypot(slowness[0], slowness[1]);
            if (magnitude > 1e-9) { // slower than 1,000 km/min is a front; flatter is a fire that does not move
                heading = (Math.toDegrees(Math.atan2(slowness[0], slowness[1])) + 360) % 360;
                rate = 1 / magnitude;
            }
        }
        return new FireGeometry(corners, area, new GeoPoint(lat0, lon0), new GeoPoint(minLat, minLon),
                new GeoPoint(maxLat, maxLon), heading, rate);
    }

    /** Least squares t = t₀ + gₑ·x + gₙ·y; null when the positions lie on one line or the times do not vary. */
    private static double[] fitSlowness(List<double[]> xy, List<Double> t) {
        int n = xy.size();
        double mx = 0;
        double my = 0;
        double mt = 0;
        for (int i = 0; i < n; i++) {
            mx += xy.get(i)[0];
            my += xy.get(i)[1];
            mt += t.get(i);
        }
        mx /= n;
        my /= n;
        mt /= n;
        double sxx = 0;
        double syy = 0;
        double sxy = 0;
        double sxt = 0;
        double syt = 0;
        double stt = 0;
        for (int i = 0; i < n; i++) {
            double dx = xy.get(i)[0] - mx;
            double dy = xy.get(i)[1] - my;
            double dt = t.get(i) - mt;
            sxx += dx * dx;
            syy += dy * dy;
            sxy += dx * dy;
            sxt += dx * dt;
            syt += dy * dt;
            stt += dt * dt;
        }
        double det = sxx * syy - sxy * sxy;
        if (stt == 0 || det <= 1e-9 * (sxx + syy) * (sxx + syy)) {
            return null;
        }
        return new double[] {(syy * sxt - sxy * syt) / det, (sxx * syt - sxy * sxt) / det};
    }

    /**
     * Andrew's monotone chain: counter-clockwise, without collinear points. Three points count as on one line
     * when they turn by less than {@link #COLLINEAR} radians: positions written on a line (say 0.01° south and
     * east of each other) are not exactly on one once in binary and projected, and a hull of area 10⁻⁶ m² is
     * not a burnt area.
     */
    static List<double[]> convexHull(List<double[]> points) {
        List<double[]> sorted = new ArrayList<>(points);
        sorted.sort(Comparator.<double[]>comparingDouble(p -> p[0]).thenComparingDouble(p -> p[1]));
        List<double[]> unique = new ArrayList<>();
        for (double[] p : sorted) {
            if (unique.isEmpty() || !samePoint(unique.get(unique.size() - 1), p)) {
                unique.add(p);
            }
        }
        if (unique.size() < 3) {
            return unique;
        }
        double[][] hull = new double[2 * unique.size()][];
        int k = 0;
        for (double[] p : unique) {
            while (k >= 2 && !turnsLeft(hull[k - 2], hull[k - 1], p)) {
                k--;
            }
            hull[k++] = p;
        }
        for (int i = unique.size() - 2, lower = k + 1; i >= 0; i--) {
            double[] p = unique.get(i);
            while (k >= lower && !turnsLeft(hull[k - 2], hull[k - 1], p)) {
                k--;
            }
            hull[k++] = p;
        }
        List<double[]> result = new ArrayList<>(k - 1);
        for (int i = 0; i < k - 1; i++) {
            result.add(hull[i]);
        }
        return result;
    }

    private static boolean samePoint(double[] a, double[] b) {
        return a[0] == b[0] && a[1] == b[1];
    }

    /** o → a → b turns counter-clockwise by more than {@link #COLLINEAR} (the cross product is |oa|·|ob|·sin). */
    private static boolean turnsLeft(double[] o, double[] a, double[] b) {
        double ax = a[0] - o[0];
        double ay = a[1] - o[1];
        double bx = b[0] - o[0];
        double by = b[1] - o[1];
        return ax * by - ay * bx > COLLINEAR * Math.hypot(ax, ay) * Math.hypot(bx, by);
    }

    /** Area of a simple polygon, m². */
    static double shoelace(List<double[]> polygon) {
        double twice = 0;
        for (int i = 0; i < polygon.size(); i++) {
            double[] a = polygon.get(i);
            double[] b = polygon.get((i + 1) % polygon.size());
            twice += a[0] * b[1] - b[0] * a[1];
        }
        return Math.abs(twice) / 2;
    }

    /** The local plane: metres east and north of (lat₀, lon₀). */
    private record Plane(double lat0, double lon0, double cosLat0) {
        Plane(double lat0, double lon0) {
            this(lat0, lon0, Math.cos(Math.toRadians(lat0)));
        }

        double[] project(double lat, double lon) {
            return new double[] {Math.toRadians(lon - lon0) * cosLat0 * EARTH_RADIUS_M,
                Math.toRadians(lat - lat0) * EARTH_RADIUS_M};
        }

        GeoPoint unproject(double[] p) {
            return new GeoPoint(lat0 + Math.toDegrees(p[1] / EARTH_RADIUS_M),
                    lon0 + Math.toDegrees(p[0] / (cosLat0 * EARTH_RADIUS_M)));
        }
    }
}
