package org.bushfire.cap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bushfire.domain.Alert;
import org.bushfire.domain.IncidentMessage;
import org.bushfire.testing.CapXml;
import org.bushfire.testing.IncidentFixtures;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * CAP documents parsed back with the JDK's DOM parser and checked element by element against the CAP 1.2 rules
 * (OASIS standard, sections 3.2 and 3.3): the required elements, in the order the schema's sequences give,
 * the enumerated values, {@code sent} with a numeric offset, identifier characters, the references format, a
 * closed polygon of at least 4 pairs. The official XSD is not available from the package registries this build
 * can use, so these checks stand in for schema validation; they do not invent a schema.
 */
class CapDocumentTest {
    static final String SENDER = "bushfire-alerts@rfs.example.gov.au";
    static final CapSettings ACTUAL = CapSettings.of(SENDER, CapSettings.Status.ACTUAL);
    static final String ALERT_ID = Alert.idOf("ridge-7", "1", IncidentFixtures.T0);

    /** CAP 1.2's alert sequence, in schema order. */
    static final List<String> ALERT_ORDER = List.of("identifier", "sender", "sent", "status", "msgType", "source",
            "scope", "restriction", "addresses", "code", "note", "references", "incidents", "info");
    static final Set<String> ALERT_REQUIRED = Set.of("identifier", "sender", "sent", "status", "msgType", "scope");
    /** CAP 1.2's info sequence, in schema order. */
    static final List<String> INFO_ORDER = List.of("language", "category", "event", "responseType", "urgency",
            "severity", "certainty", "audience", "eventCode", "effective", "onset", "expires", "senderName",
            "headline", "description", "instruction", "web", "contact", "parameter", "resource", "area");
    static final Set<String> INFO_REQUIRED = Set.of("category", "event", "urgency", "severity", "certainty");
    static final List<String> AREA_ORDER = List.of("areaDesc", "polygon", "circle", "geocode", "altitude", "ceiling");

    static final String SENT_FORM = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d[-+]\\d\\d:\\d\\d";

    @Test
    void anUpdateIsAValidCap12AlertElementByElement() throws Exception {
        IncidentMessage m = IncidentFixtures.update("ridge-7");

        Element alert = parse(CapDocument.of(m, ACTUAL));

        assertThat(alert.getNamespaceURI()).isEqualTo("urn:oasis:names:tc:emergency:cap:1.2");
        assertThat(alert.getLocalName()).isEqualTo("alert");
        assertInSchemaOrder(alert, ALERT_ORDER, ALERT_REQUIRED);
        assertThat(names(alert)).containsExactly("identifier", "sender", "sent", "status", "msgType", "scope", "code",
                "references", "incidents", "info");
        assertThat(text(alert, "identifier")).isEqualTo(ALERT_ID + ".2").doesNotContain(" ", ",", "<", "&");
        assertThat(text(alert, "sender")).isEqualTo(SENDER);
        assertThat(text(alert, "sent")).matches(SENT_FORM).isEqualTo("2024-11-21T00:20:00+00:00");
        assertThat(text(alert, "status")).isEqualTo("Actual");
        assertThat(text(alert, "msgType")).isEqualTo("Update");
        assertThat(text(alert, "scope")).isEqualTo("Public");
        assertThat(text(alert, "code")).isEqualTo("urn:oasis:names:tc:emergency:cap:1.2:profile:CAP-AU:1.0");
        assertThat(text(alert, "references")).isEqualTo(SENDER + "," + ALERT_ID + ".1,2024-11-21T00:04:00+00:00");
        assertThat(text(alert, "incidents")).isEqualTo(ALERT_ID);

        Element info = child(alert, "info");
        assertInSchemaOrder(info, INFO_ORDER, INFO_REQUIRED);
        assertThat(text(info, "language")).isEqualTo("en-AU");
        assertThat(text(info, "category")).isEqualTo("Fire");
        assertThat(text(info, "event")).isEqualTo("Bushfire");
        assertThat(text(info, "responseType")).isEqualTo("Monitor");
        assertThat(text(info, "urgency")).isEqualTo("Immediate");
        assertThat(text(info, "severity")).isEqualTo("Severe");
        assertThat(text(info, "certainty")).isEqualTo("Observed");
        assertThat(text(info, "onset")).matches(SENT_FORM).isEqualTo("2024-11-21T00:00:00+00:00");
        assertThat(text(info, "headline")).isEqualTo("Bushfire update 2 in sensor network ridge-7: 10 sensors burning, "
                + "20.6 km², heading NE (45°) at 30.0 m/min");
        assertThat(text(info, "description"))
                .contains("Sensors burning: 10 (10 with a position)")
                .contains("Burnt area: 20.6 km²")
                .contains("Spread: heading NE (45°) at 30.0 m/min")
                .contains("First chain: 1 → 2 → 3 → 4 → 5");
        assertThat(text(info, "web")).isEqualTo("https://www.openstreetmap.org/?mlat=-33.71500&mlon=150.32000"
                + "#map=14/-33.71500/150.32000");
        assertThat(parameters(info)).containsExactly("messageSequence=2", "burningSensors=10", "locatedSensors=10",
                "burntAreaKm2=20.600", "headingDegrees=45", "rateOfSpreadMetresPerMinute=30.0",
                "firstChain=1 → 2 → 3 → 4 → 5");

        Element area = child(info, "area");
        assertInSchemaOrder(area, AREA_ORDER, Set.of("areaDesc"));
        assertThat(text(area, "areaDesc")).contains("ridge-7");
        String polygon = text(area, "polygon");
        assertClosedPolygon(polygon);
        assertThat(polygon).isEqualTo("-33.74000,150.30000 -33.74000,150.34000 -33.69000,150.34000 "
                + "-33.69000,150.30000 -33.74000,150.30000");
    }

    @Test
    void theAlertIsAnAlertWithoutReferencesAndACircleWhenTooFewSensorsSpanAHull() throws Exception {
        Element alert = parse(CapDocument.of(IncidentFixtures.alert("ridge-7", true), ACTUAL));

        assertInSchemaOrder(alert, ALERT_ORDER, ALERT_REQUIRED);
        assertThat(text(alert, "identifier")).isEqualTo(ALERT_ID + ".1");
        assertThat(text(alert, "msgType")).isEqualTo("Alert");
        assertThat(text(alert, "sent")).isEqualTo("2024-11-21T00:04:00+00:00");
        assertThat(names(alert)).doesNotContain("references");
        Element area = child(child(alert, "info"), "area");
        assertThat(names(area)).containsExactly("areaDesc", "circle");
        // Centroid -33.72,150.32; bounding box 0.04° by 0.04°: 4.448 km by 3.700 km, diagonal 5.785 km, half 2.89.
        assertThat(text(area, "circle")).isEqualTo("-33.72000,150.32000 2.89");
    }

    @Test
    void theAllClearIsAnUpdateWithResponseTypeAllClearReferencingEveryEarlierMessage() throws Exception {
        Element alert = parse(CapDocument.of(IncidentFixtures.allClear("ridge-7"), ACTUAL));

        assertThat(text(alert, "msgType")).isEqualTo("Update");
        String[] references = text(alert, "references").split(" ");
        assertThat(references).containsExactly(
                SENDER + "," + ALERT_ID + ".1,2024-11-21T00:04:00+00:00",
                SENDER + "," + ALERT_ID + ".2,2024-11-21T00:20:00+00:00");
        for (String reference : references) {
            assertThat(reference.split(",")).hasSize(3);
            assertThat(reference.split(",")[2]).matches(SENT_FORM);
        }
        Element info = child(alert, "info");
        assertThat(text(info, "responseType")).isEqualTo("AllClear");
        assertThat(text(info, "urgency")).isEqualTo("Past");
        assertThat(text(info, "severity")).isEqualTo("Minor");
        assertThat(text(info, "certainty")).isEqualTo("Observed");
        assertThat(text(info, "headline")).isEqualTo("Bushfire all clear in sensor network ridge-7: the fire is out");
    }

    @Test
    void exerciseDocumentsSaySoInStatusAndNote() throws Exception {
        Element alert = parse(CapDocument.of(IncidentFixtures.update("ridge-7"),
                CapSettings.of(SENDER, CapSettings.Status.EXERCISE)));

        assertInSchemaOrder(alert, ALERT_ORDER, ALERT_REQUIRED);
        assertThat(text(alert, "status")).isEqualTo("Exercise");
        assertThat(text(alert, "note")).startsWith("Exercise");
    }

    @Test
    void withoutPositionsTheAreaHasOnlyItsDescription() throws Exception {
        Element alert = parse(CapDocument.of(IncidentFixtures.alert("default", false), ACTUAL));

        Element info = child(alert, "info");
        assertThat(names(child(info, "area"))).containsExactly("areaDesc");
        assertThat(names(info)).doesNotContain("web");
    }

    @Test
    void untrustedIdsCannotBreakTheDocument() throws Exception {
        IncidentMessage m = IncidentFixtures.update("ridge</areaDesc><x>&amp;\u0007\u202E7");

        Element alert = parse(CapDocument.of(m, ACTUAL));

        String headline = text(child(alert, "info"), "headline");
        assertThat(headline).contains("sensor network ridge</areaDesc><x>&amp;7").doesNotContain("\u0007", "\u202E");
        assertThat(text(child(child(alert, "info"), "area"), "areaDesc")).contains("ridge</areaDesc><x>&amp;7");
    }

    @Test
    void anIdentifierCapForbidsIsRefusedNotWritten() {
        IncidentMessage m = IncidentFixtures.update("ridge-7");
        m.messageId = "fire 7,2";

        assertThatThrownBy(() -> CapDocument.of(m, ACTUAL)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a CAP identifier");
    }

    @Test
    void settingsRefuseASenderCapForbidsAndNameTheOption() {
        assertThatThrownBy(() -> CapSettings.of("rural fire service", CapSettings.Status.ACTUAL).validate())
                .hasMessageStartingWith("--cap-sender 'rural fire service' is not a CAP sender");
        assertThatThrownBy(() -> CapSettings.of("a,b", CapSettings.Status.ACTUAL).validate())
                .hasMessageContaining("--cap-sender");
        assertThatThrownBy(() -> CapSettings.of("a<b", CapSettings.Status.ACTUAL).validate())
                .hasMessageContaining("--cap-sender");
        assertThatThrownBy(() -> CapSettings.of(SENDER, null).validate()).hasMessageContaining("--cap-status");
        assertThat(CapSettings.Status.fromCliName("exercise")).isEqualTo(CapSettings.Status.EXERCISE);
        assertThat(CapSettings.Status.fromCliName("Actual")).isEqualTo(CapSettings.Status.ACTUAL);
        assertThatThrownBy(() -> CapSettings.Status.fromCliName("Test"))
                .hasMessage("--cap-status must be Actual or Exercise (was 'Test')");
    }

    @Test
    void sentHasASecondsPrecisionAndANumericOffset() {
        assertThat(CapDocument.sent(IncidentFixtures.T0 + 999)).isEqualTo("2024-11-21T00:00:00+00:00");
    }

    // ------------------------------------------------------------------ CAP rules

    static void assertInSchemaOrder(Element parent, List<String> order, Set<String> required) {
        List<String> names = names(parent);
        assertThat(names).as("required children of <%s>", parent.getLocalName()).containsAll(required);
        int last = -1;
        for (String name : names) {
            int at = order.indexOf(name);
            assertThat(at).as("<%s> is an element of <%s>", name, parent.getLocalName()).isNotNegative();
            assertThat(at).as("<%s> in schema order within <%s>: %s", name, parent.getLocalName(), names)
                    .isGreaterThanOrEqualTo(last);
            last = at;
        }
        for (Element child : children(parent)) {
            assertThat(child.getNamespaceURI()).isEqualTo(CapDocument.NAMESPACE);
        }
    }

    /** CAP 1.2 3.3.3: "a paired series of points ... the first and last pairs of coordinates MUST be the same". */
    static void assertClosedPolygon(String polygon) {
        String[] pairs = polygon.split(" ");
        assertThat(pairs.length).as("at least 4 pairs").isGreaterThanOrEqualTo(4);
        assertThat(pairs[pairs.length - 1]).as("closed").isEqualTo(pairs[0]);
        for (String pair : pairs) {
            String[] latLon = pair.split(",");
            assertThat(latLon).hasSize(2);
            assertThat(Math.abs(Double.parseDouble(latLon[0]))).isLessThanOrEqualTo(90.0);
            assertThat(Math.abs(Double.parseDouble(latLon[1]))).isLessThanOrEqualTo(180.0);
        }
    }

    static Element parse(String xml) throws Exception {
        return CapXml.parse(xml);
    }

    static List<Element> children(Element parent) {
        List<Element> children = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element) {
                children.add((Element) n);
            } else {
                assertThat(n.getNodeType()).as("only whitespace between elements").isEqualTo(Node.TEXT_NODE);
                assertThat(n.getTextContent()).isBlank();
            }
        }
        return children;
    }

    static List<String> names(Element parent) {
        List<String> names = new ArrayList<>();
        for (Element e : children(parent)) {
            names.add(e.getLocalName());
        }
        return names;
    }

    static Element child(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Element e : children(parent)) {
            if (e.getLocalName().equals(name)) {
                found.add(e);
            }
        }
        assertThat(found).as("one <%s> in <%s>", name, parent.getLocalName()).hasSize(1);
        return found.get(0);
    }

    static String text(Element parent, String name) {
        return child(parent, name).getTextContent();
    }

    static List<String> parameters(Element info) {
        List<String> values = new ArrayList<>();
        for (Element e : children(info)) {
            if (e.getLocalName().equals("parameter")) {
                values.add(text(e, "valueName") + "=" + text(e, "value"));
            }
        }
        return values;
    }
}
