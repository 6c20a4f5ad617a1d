package org.bushfire.reliability;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import org.bushfire.testing.LocalServices.Service;

/** What the local Elasticsearch node holds, read over its REST API the way Kibana would. */
final class IndexedDocuments {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Far more than any test indexes; a search returns at most this many hits. */
    private static final int MAX_HITS = 10_000;

    private IndexedDocuments() {}

    /** The {@code _id} of every document in {@code index} (one entry per document: a duplicate would show twice). */
    static List<String> ids(String index) throws IOException, InterruptedException {
        String base = Service.ELASTICSEARCH.endpoint() + "/" + index;
        send(HttpRequest.newBuilder(URI.create(base + "/_refresh")).POST(HttpRequest.BodyPublishers.noBody()));
        HttpResponse<String> response = send(HttpRequest.newBuilder(
                URI.create(base + "/_search?size=" + MAX_HITS + "&_source=false&track_total_hits=true")).GET());
        List<String> ids = new ArrayList<>();
        if (response.statusCode() == 404) {
            return ids;
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("search of " + index + " answered " + response.statusCode() + ": " + response.body());
        }
        var result = JSON.readTree(response.body());
        result.at("/hits/hits").forEach(hit -> ids.add(hit.get("_id").asText()));
        long total = result.at("/hits/total/value").asLong();
        if (total != ids.size()) {
            throw new IllegalStateException(index + " holds " + total + " documents, more than one search returns");
        }
        return ids;
    }

    /** Waits until {@code index} holds all of {@code expected}, then a little longer for anything extra. */
    static List<String> awaitIds(String index, Collection<String> expected, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!new HashSet<>(ids(index)).containsAll(expected)) {
            if (System.nanoTime() > deadline) {
                List<String> missing = new ArrayList<>(expected);
                missing.removeAll(ids(index));
                throw new AssertionError(index + " still lacks " + missing.size() + " of " + expected.size()
                        + " documents after " + timeout + ", e.g. " + missing.subList(0, Math.min(5, missing.size())));
            }
            Thread.sleep(500);
        }
        Thread.sleep(1500);
        return ids(index);
    }

    /** Deletes the indices and their index templates (named like the indices), if present. */
    static void delete(String... indices) throws IOException, InterruptedException {
        for (String index : indices) {
            send(HttpRequest.newBuilder(URI.create(Service.ELASTICSEARCH.endpoint() + "/" + index)).DELETE());
            send(HttpRequest.newBuilder(URI.create(Service.ELASTICSEARCH.endpoint() + "/_index_template/" + index)).DELETE());
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
