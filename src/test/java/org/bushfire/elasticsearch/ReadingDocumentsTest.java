package org.bushfire.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bushfire.domain.Reading;
import org.junit.jupiter.api.Test;

class ReadingDocumentsTest {
    static final long T = 1732147260000L; // 2024-11-21T00:01:00Z
    static final String SAFE_ID = "[A-Za-z0-9._~-]{1,200}";

    final ReadingDocuments documents = new ReadingDocuments(50.0);

    static Reading reading(String network, String node, long time, double temperature, String infectedBy) {
        return new Reading(network, node, time, temperature, infectedBy);
    }

    @Test
    void documentCarriesEveryFieldOfAKnownReading() {
        Reading r = reading("ridge-7", "12", T, 51.5, "11");
        r.nodeNumeric = true;
        r.lat = -33.71;
        r.lon = 150.31;

        Map<String, Object> location = new LinkedHashMap<>();
        location.put("lat", -33.71);
        location.put("lon", 150.31);
        assertThat(documents.document(r)).containsExactly(
                Map.entry("network", "ridge-7"),
                Map.entry("node", "12"),
                Map.entry("eventTime", "2024-11-21T00:01:00Z"),
                Map.entry("temperature", 51.5),
                Map.entry("infectedBy", "11"),
                Map.entry("location", location),
                Map.entry("hot", true));
    }

    @Test
    void unknownInfectorAndPositionAreLeftOut() {
        Map<String, Object> doc = documents.document(reading("default", "3", T + 500, 20.0, null));

        assertThat(doc).doesNotContainKeys("infectedBy", "location");
        assertThat(doc).containsEntry("eventTime", "2024-11-21T00:01:00.500Z").containsEntry("hot", false);
    }

    @Test
    void hotStartsExactlyAtTheThreshold() {
        assertThat(documents.document(reading("n", "1", T, 50.0, null))).containsEntry("hot", true);
        assertThat(documents.document(reading("n", "1", T, Math.nextDown(50.0), null))).containsEntry("hot", false);
        assertThat(documents.document(reading("n", "1", T, 50.5, null))).containsEntry("hot", true);
        assertThat(new ReadingDocuments(40.0).document(reading("n", "1", T, 45.0, null))).containsEntry("hot", true);
        assertThatThrownBy(() -> new ReadingDocuments(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void plainIdsAreReadable() {
        assertThat(ReadingDocuments.id(reading("default", "12", T, 20, null))).isEqualTo("default~12~1732147260000");
        assertThat(ReadingDocuments.idOf("ridge_7.a-b", "Node-5", -1L)).isEqualTo("ridge_7.a-b~Node-5~-1");
    }

    @Test
    void idDependsOnNetworkNodeAndTimeOnly() {
        Reading first = reading("default", "7", T, 20.0, null);
        Reading again = reading("default", "7", T, 88.0, "6");
        again.lat = 1.0;
        again.lon = 2.0;

        assertThat(ReadingDocuments.id(again)).isEqualTo(ReadingDocuments.id(first));
        Set<String> ids = new HashSet<>(List.of(
                ReadingDocuments.idOf("a", "1", T),
                ReadingDocuments.idOf("b", "1", T),
                ReadingDocuments.idOf("a", "2", T),
                ReadingDocuments.idOf("a", "1", T + 1),
                ReadingDocuments.idOf("a-1", "2", T),
                ReadingDocuments.idOf("a", "1-2", T),
                ReadingDocuments.idOf("ä", "bc", T),    // hashed: the length prefixes keep these apart
                ReadingDocuments.idOf("äb", "c", T),
                ReadingDocuments.idOf("ä", "b", 1L),
                ReadingDocuments.idOf("ä", "b1", 0L),
                ReadingDocuments.idOf("ä", "b", 10L)));
        assertThat(ids).hasSize(11);
    }

    @Test
    void oddIdsAreHashedIntoSafeBoundedIds() {
        String longNode = "n".repeat(128);
        List<String[]> odd = List.of(
                new String[] {"рідж-7", "5"},
                new String[] {"default", "节点"},
                new String[] {"default", "a/b"},
                new String[] {"../..", "1"},
                new String[] {"default", "a b"},
                new String[] {"default", "🔥"},
                new String[] {"default", "x~y"},
                new String[] {"default", "50%"},
                new String[] {"w".repeat(128), longNode});
        List<String> ids = new ArrayList<>();
        for (String[] o : odd) {
            String id = ReadingDocuments.idOf(o[0], o[1], T);
            assertThat(id).as("id of %s/%s", o[0], o[1])
                    .matches(SAFE_ID)
                    .startsWith("sha256~")
                    .hasSize("sha256~".length() + 43)
                    .isEqualTo(ReadingDocuments.idOf(o[0], o[1], T));
            assertThat(id.chars().filter(c -> c == '~')).hasSize(1);
            ids.add(id);
        }
        assertThat(new HashSet<>(ids)).hasSameSizeAs(ids);
    }

    @Test
    void aPlainButLongIdIsHashedToStayWithinBounds() {
        String readableLimit = "a".repeat(ReadingDocuments.MAX_READABLE_ID_LENGTH - "~1~1732147260000".length());
        assertThat(ReadingDocuments.idOf(readableLimit, "1", T)).hasSize(ReadingDocuments.MAX_READABLE_ID_LENGTH)
                .doesNotStartWith("sha256~");
        assertThat(ReadingDocuments.idOf(readableLimit + "a", "1", T)).startsWith("sha256~").matches(SAFE_ID);
        assertThat(ReadingDocuments.idOf("n".repeat(128), "1".repeat(128), T)).startsWith("sha256~");
    }

    @Test
    void hashedIdsFollowTheDocumentedFormula() throws Exception {
        String network = "рідж-7";
        String node = "a/b";
        String identity = network.length() + ":" + network + node.length() + ":" + node + T;
        String expected = "sha256~" + Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8)));

        assertThat(ReadingDocuments.idOf(network, node, T)).isEqualTo(expected);
    }
}
