package org.bushfire.domain;

import java.util.Locale;
import java.util.Optional;

/**
 * An incident message in words, for people: the e-mail subject and body a duty officer reads, and the headline
 * of the CAP document. Everything comes from the message itself (no clock, no lookup), so the same message
 * always reads the same; untrusted ids pass through {@link UntrustedText}.
 *
 * <p>"What changed since the previous message" is told from what the message carries: the onsets newer than
 * the previous message's sent time among its newest onsets, and for an update the milestone or period that
 * triggered it.
 */
public final class IncidentText {
    /** SNS refuses a subject of 100 characters or more; it must also be ASCII without line breaks. */
    public static final int MAX_SUBJECT_LENGTH = 99;

    private static final String[] COMPASS = {"N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE",
            "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW"};

    private IncidentText() {}

    /**
     * The SNS message attribute {@code msgType}: {@code Alert}, {@code Update} or {@code AllClear}. (In CAP the
     * all-clear is an {@code Update} with responseType {@code AllClear}; the attribute names it on its own so a
     * filter policy can ask for it.)
     */
    public static String msgType(IncidentMessage.Stage stage) {
        if (stage == null) {
            return null;
        }
        switch (stage) {
            case ALERT:
                return "Alert";
            case UPDATE:
                return "Update";
            default:
                return "AllClear";
        }
    }

    /** The 16-point compass name of a heading in degrees clockwise from true north: 45 → NE, 350 → N. */
    public static String compassPoint(double degrees) {
        double normal = ((degrees % 360.0) + 360.0) % 360.0;
        return COMPASS[(int) Math.round(normal / 22.5) % 16];
    }

    /** ASCII, one line, under 100 characters: what SNS accepts and e-mail shows as the subject. */
    public static String subject(IncidentMessage m) {
        String network = UntrustedText.ascii(UntrustedText.visible(networkOf(m)));
        String prefix;
        String suffix;
        switch (stageOf(m)) {
            case ALERT:
                prefix = "Bushfire alert: ";
                suffix = " - fire spread through " + m.firstChain.length + " sensors";
                break;
            case UPDATE:
                prefix = "Bushfire update " + m.sequence + ": ";
                suffix = " - " + m.burningSensors + " sensors burning"
                        + (m.areaKm2 > 0 ? ", " + km2(m.areaKm2) + " km2" : "")
                        + (m.headingDegrees == null ? "" : ", heading " + compassPoint(m.headingDegrees));
                break;
            default:
                prefix = "Bushfire all clear: ";
                suffix = " - fire out after " + m.burningSensors + " sensors";
                break;
        }
        int room = Math.max(4, MAX_SUBJECT_LENGTH - prefix.length() - suffix.length());
        String subject = prefix + UntrustedText.cap(network, room, "...") + suffix;
        return subject.length() <= MAX_SUBJECT_LENGTH ? subject : subject.substring(0, MAX_SUBJECT_LENGTH);
    }

    /** One line for the CAP headline: the stage, the network and the state of the fire. */
    public static String headline(IncidentMessage m) {
        String network = UntrustedText.displayed(networkOf(m));
        switch (stageOf(m)) {
            case ALERT:
                return "Bushfire alert in sensor network " + network + ": fire spread through "
                        + m.firstChain.length + " sensors";
            case UPDATE:
                return "Bushfire update " + m.sequence + " in sensor network " + network + ": " + m.burningSensors
                        + " sensors burning" + (m.areaKm2 > 0 ? ", " + km2(m.areaKm2) + " km²" : "")
                        + spread(m).map(s -> ", " + s).orElse("");
            default:
                return "Bushfire all clear in sensor network " + network + ": the fire is out";
        }
    }

    /** The body of the e-mail, and the CAP description: the state of the fire, why now, and what changed. */
    public static String body(IncidentMessage m) {
        StringBuilder b = new StringBuilder(1024);
        String network = UntrustedText.displayed(networkOf(m));
        IncidentMessage.Stage stage = stageOf(m);
        b.append(title(stage, m.sequence)).append(" in sensor network ").append(network).append('\n');
        b.append('\n');
        b.append("Why now: ").append(why(m)).append('\n');
        b.append("Decided at ").append(ContractJson.isoTime(m.sentTimestamp)).append(" (event time, UTC).\n");
        b.append('\n');
        b.append(stage == IncidentMessage.Stage.ALL_CLEAR ? "Sensors that burnt: " : "Sensors burning: ")
                .append(m.burningSensors).append(" (").append(m.positionedSensors).append(" with a position)\n");
        b.append("Burnt area: ");
        if (m.hull.length >= 3) {
            b.append(km2(m.areaKm2)).append(" km² (convex hull of the located burning sensors)\n");
        } else {
            b.append("not known (fewer than 3 located sensors)\n");
        }
        b.append("Spread: ").append(spread(m).orElse("not estimated (too few located onsets on the front)"))
                .append('\n');
        if (m.boundingBoxMin != null && m.boundingBoxMax != null) {
            b.append("Extent: ").append(UntrustedText.coordinate(m.boundingBoxMin.lat)).append(", ")
                    .append(UntrustedText.coordinate(m.boundingBoxMin.lon)).append(" to ")
                    .append(UntrustedText.coordinate(m.boundingBoxMax.lat)).append(", ")
                    .append(UntrustedText.coordinate(m.boundingBoxMax.lon)).append(" (south-west to north-east)\n");
        }
        GeoPoint centre = mapCentre(m);
        if (centre == null) {
            b.append("Map: no sensor of this fire reported a position.\n");
        } else {
            b.append("Map: ").append(UntrustedText.mapLink(centre.lat, centre.lon))
                    .append(m.centroid != null ? " (centre of the burning sensors)" : " (latest located sensor)")
                    .append('\n');
        }
        b.append('\n');
        b.append("Fire root: sensor ").append(UntrustedText.displayed(m.fireRoot)).append(", onset ")
                .append(ContractJson.isoTime(m.fireRootOnsetTimestamp)).append(".\n");
        b.append("First chain: ").append(path(m.firstChain)).append('\n');
        b.append("Newest onset: ").append(ContractJson.isoTime(m.lastOnsetTimestamp)).append(".\n");
        b.append('\n');
        changes(b, m);
        b.append('\n');
        b.append("Message id: ").append(UntrustedText.displayed(m.messageId)).append(" (message ").append(m.sequence)
                .append(" of this incident");
        if (m.previousMessageId != null) {
            b.append("; previous ").append(UntrustedText.displayed(m.previousMessageId));
        }
        b.append(")\n");
        b.append("Alert id: ").append(UntrustedText.displayed(m.alertId)).append('\n');
        return b.toString();
    }

    /** "heading NE (45°) at 35.0 m/min", or empty when the front's motion could not be estimated. */
    public static Optional<String> spread(IncidentMessage m) {
        if (m.headingDegrees == null || !Double.isFinite(m.headingDegrees)) {
            return Optional.empty();
        }
        String heading = "heading " + compassPoint(m.headingDegrees) + " (" + Math.round(normalDegrees(m.headingDegrees))
                + "°)";
        if (m.rateOfSpreadMetresPerMinute == null || !Double.isFinite(m.rateOfSpreadMetresPerMinute)) {
            return Optional.of(heading);
        }
        return Optional.of(heading + " at " + String.format(Locale.ROOT, "%.1f", m.rateOfSpreadMetresPerMinute)
                + " m/min");
    }

    /** Where the map link points: the centroid, else the newest located onset, else the first chain's. */
    public static GeoPoint mapCentre(IncidentMessage m) {
        if (m.centroid != null && UntrustedText.isUsablePosition(m.centroid.lat, m.centroid.lon)) {
            return m.centroid;
        }
        for (Onset o : m.newestOnsets) {
            if (UntrustedText.isUsablePosition(o.reading.lat, o.reading.lon)) {
                return new GeoPoint(o.reading.lat, o.reading.lon);
            }
        }
        for (int i = m.firstChain.length - 1; i >= 0; i--) {
            Reading r = m.firstChain[i].reading;
            if (UntrustedText.isUsablePosition(r.lat, r.lon)) {
                return new GeoPoint(r.lat, r.lon);
            }
        }
        return null;
    }

    /** The first chain as "1 → 2 → 3", ids as shown to a person. */
    public static String path(Onset[] chain) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < chain.length; i++) {
            sb.append(i == 0 ? "" : " → ").append(UntrustedText.displayed(chain[i].node()));
        }
        return sb.toString();
    }

    private static void changes(StringBuilder b, IncidentMessage m) {
        if (m.references.length == 0) {
            b.append("Sensors, in the order the fire reached them:\n");
            for (int i = 0; i < m.firstChain.length; i++) {
                b.append(i + 1).append(". ").append(onsetLine(m.firstChain[i].reading)).append('\n');
            }
            return;
        }
        IncidentMessage.Reference previous = m.references[m.references.length - 1];
        b.append("Since the previous message (").append(ContractJson.isoTime(previous.sentTimestamp)).append("): ");
        if (m.stage == IncidentMessage.Stage.ALL_CLEAR) {
            b.append("no new onset since ").append(ContractJson.isoTime(m.lastOnsetTimestamp))
                    .append(", and every burning sensor has reported below the threshold since.\n");
            return;
        }
        int newer = 0;
        for (Onset o : m.newestOnsets) {
            if (o.timestamp() > previous.sentTimestamp) {
                newer++;
            }
        }
        if (newer == 0) {
            b.append("no new onset among the newest shown.\n");
            return;
        }
        b.append("new onsets, newest first").append(newer == m.newestOnsets.length ? " (the newest " + newer + ")" : "")
                .append(":\n");
        for (Onset o : m.newestOnsets) {
            if (o.timestamp() > previous.sentTimestamp) {
                b.append("- ").append(onsetLine(o.reading)).append('\n');
            }
        }
    }

    private static String onsetLine(Reading r) {
        StringBuilder sb = new StringBuilder();
        sb.append("sensor ").append(UntrustedText.displayed(r.node))
                .append(": onset ").append(ContractJson.isoTime(r.eventTimestamp))
                .append(", ").append(r.temperature).append(" °C, ");
        if (r.infectedBy == null) {
            sb.append("no infector reported (ignition)");
        } else {
            sb.append("infected by ").append(UntrustedText.displayed(r.infectedBy));
        }
        sb.append(", position ");
        if (UntrustedText.isUsablePosition(r.lat, r.lon)) {
            sb.append(UntrustedText.coordinate(r.lat)).append(", ").append(UntrustedText.coordinate(r.lon));
        } else {
            sb.append("unknown");
        }
        return sb.toString();
    }

    private static String title(IncidentMessage.Stage stage, int sequence) {
        switch (stage) {
            case ALERT:
                return "BUSHFIRE ALERT";
            case UPDATE:
                return "BUSHFIRE UPDATE " + sequence;
            default:
                return "BUSHFIRE ALL CLEAR";
        }
    }

    private static String why(IncidentMessage m) {
        if (m.reason == null) {
            return "not stated.";
        }
        switch (m.reason) {
            case FIRST_CHAIN:
                return "the fire's first chain of " + m.firstChain.length + " sensors completed.";
            case MILESTONE:
                return "the burning count reached the milestone of " + m.milestone + " sensors.";
            case PERIODIC:
                return "the periodic update: more sensors have burnt since the last message.";
            default:
                return "no new onset for the quiet period, and every burning sensor has reported below the "
                        + "threshold since: the fire is out.";
        }
    }

    private static IncidentMessage.Stage stageOf(IncidentMessage m) {
        return m.stage == null ? IncidentMessage.Stage.ALERT : m.stage;
    }

    private static String networkOf(IncidentMessage m) {
        return m.network == null ? Reading.DEFAULT_NETWORK : m.network;
    }

    private static double normalDegrees(double degrees) {
        double d = ((degrees % 360.0) + 360.0) % 360.0;
        return Math.round(d) == 360 ? 0 : d;
    }

    private static String km2(double km2) {
        return String.format(Locale.ROOT, km2 < 10 ? "%.2f" : "%.1f", km2);
    }
}
