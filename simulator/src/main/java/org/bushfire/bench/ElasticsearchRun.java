package org.bushfire.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.bushfire.domain.Reading;
import org.bushfire.domain.ReadingDecoder;
import org.bushfire.domain.ReadingParser;
import org.bushfire.elasticsearch.ElasticsearchSettings;
import org.bushfire.elasticsearch.ElasticsearchSinks;
import org.bushfire.elasticsearch.IndexTemplates;
import org.bushfire.elasticsearch.ReadingDocuments;

/**
 * Our Elasticsearch readings sink against a plain {@code _bulk} loader, same documents, same ids, same node,
 * each into a fresh index. The loader is the ceiling: as many threads as the job's parallelism, each posting
 * bulk bodies of the same size back to back.
 */
final class ElasticsearchRun {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ElasticsearchRun() {}

    /** {sink docs/s, plain loader docs/s}; {@code sinkFirst} decides the order, so runs can alternate it. */
    static double[] measure(String esUrl, ReadingDecoder decoder, double threshold, int parallelism, int bulkActions,
            boolean sinkFirst) throws Exception {
        byte[][] readings = BenchWorkload.current.readings;
        String suffix = Long.toString(System.currentTimeMillis(), 36);
        String plainIndex = "bench-plain-" + suffix;
        String sinkIndex = "bench-sink-" + suffix;
        ElasticsearchSettings settings = ElasticsearchSettings.defaults().withHosts(List.of(esUrl))
                .withReadingsIndex(sinkIndex).withAlertsIndex("bench-alerts-" + suffix)
                .withBulkFlushMaxActions(bulkActions).validate().resolved();
        IndexTemplates.install(settings);
        IndexTemplates.install(settings.withReadingsIndex(plainIndex).withAlertsIndex("bench-plain-alerts-" + suffix));
        try {
            double plain = sinkFirst ? 0 : plainBulk(esUrl, plainIndex, readings, threshold, bulkActions, parallelism);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism);
            env.fromSource(InMemoryReadings.source(decoder), WatermarkStrategy.noWatermarks(), "bench readings")
                    .filter(r -> r.isReading()).map(r -> r.reading).returns(Reading.class)
                    .sinkTo(ElasticsearchSinks.rawReadingsSink(settings, threshold));
            JobExecutionResult result = env.execute("bench: elasticsearch sink");
            double sink = readings.length * 1000.0 / Math.max(1, result.getNetRuntime(TimeUnit.MILLISECONDS));
            long indexed = count(esUrl, sinkIndex);
            if (indexed != readings.length) {
                throw new IllegalStateException("the sink indexed " + indexed + " of " + readings.length + " readings");
            }
            if (sinkFirst) {
                plain = plainBulk(esUrl, plainIndex, readings, threshold, bulkActions, parallelism);
            }
            return new double[] {sink, plain};
        } finally {
            for (String index : List.of(plainIndex, sinkIndex)) {
                HTTP.send(HttpRequest.newBuilder(URI.create(esUrl + "/" + index)).DELETE().build(),
                        HttpResponse.BodyHandlers.discarding());
            }
        }
    }

    private static double plainBulk(String esUrl, String index, byte[][] readings, double threshold, int bulkActions,
            int threads) throws Exception {
        ReadingDocuments documents = new ReadingDocuments(threshold);
        long start = System.nanoTime();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<?>> loaders = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                loaders.add(pool.submit(() -> {
                    StringBuilder body = new StringBuilder();
                    int inBody = 0;
                    for (int i = first; i < readings.length; i += threads) {
                        Reading r = ReadingParser.parse(readings[i]);
                        body.append("{\"index\":{\"_index\":\"").append(index).append("\",\"_id\":")
                                .append(JSON.writeValueAsString(ReadingDocuments.id(r))).append("}}\n")
                                .append(JSON.writeValueAsString(documents.document(r))).append('\n');
                        if (++inBody == bulkActions) {
                            post(esUrl, body);
                            inBody = 0;
                        }
                    }
                    if (inBody > 0) {
                        post(esUrl, body);
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> loader : loaders) {
                loader.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return readings.length / ((System.nanoTime() - start) / 1e9);
    }

    private static void post(String esUrl, StringBuilder body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(esUrl + "/_bulk"))
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
        body.setLength(0);
        JsonNode result = JSON.readTree(response.body());
        if (response.statusCode() != 200 || result.path("errors").asBoolean()) {
            throw new IllegalStateException("plain _bulk failed: " + response.body().substring(0,
                    Math.min(500, response.body().length())));
        }
    }

    private static long count(String esUrl, String index) throws Exception {
        HTTP.send(HttpRequest.newBuilder(URI.create(esUrl + "/" + index + "/_refresh"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(esUrl + "/" + index + "/_count"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body()).path("count").asLong(-1);
    }
}
