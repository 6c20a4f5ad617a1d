package org.bushfire.testing;

import java.io.IOException;
import org.bushfire.elasticsearch.ElasticsearchSettings;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

/** Cleans up after a test that ran the job's Elasticsearch parts: its indices and their templates. */
public final class TestIndices {
    private TestIndices() {}

    /** Deletes the readings and alerts indices of {@code settings} and their index templates, where present. */
    public static void deleteJobIndices(RestClient es, ElasticsearchSettings settings) throws IOException {
        for (String index : new String[] {settings.readingsIndex(), settings.alertsIndex()}) {
            deleteIfPresent(es, "/" + index);
            deleteIfPresent(es, "/_index_template/" + index);
        }
    }

    private static void deleteIfPresent(RestClient es, String path) throws IOException {
        try {
            es.performRequest(new Request("DELETE", path));
        } catch (ResponseException e) {
            if (e.getResponse().getStatusLine().getStatusCode() != 404) {
                throw e;
            }
        }
    }
}
