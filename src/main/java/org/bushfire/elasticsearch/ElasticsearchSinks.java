package org.bushfire.elasticsearch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.elasticsearch.sink.ElasticsearchEmitter;
import org.apache.flink.connector.elasticsearch.sink.FlushBackoffType;
import org.apache.flink.connector.elasticsearch.sink.OwnClientElasticsearch7SinkBuilder;
import org.apache.flink.connector.elasticsearch.sink.RequestIndexer;
import org.apache.http.HttpHost;
import org.bushfire.domain.Alert;
import org.bushfire.domain.IncidentMessage;
import org.bushfire.domain.Reading;
import org.bushfire.job.StreamSink;
import org.elasticsearch.action.index.IndexRequest;
import org.elasticsearch.client.RestHighLevelClient;
import org.elasticsearch.common.xcontent.XContentType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job's Elasticsearch outputs: every valid reading (late ones included) into the readings index, and every
 * alert into the alerts index. At-least-once: a writer flushes its pending bulk on every checkpoint, and since
 * each document has a deterministic {@code _id}, what a restart replays overwrites instead of duplicating.
 *
 * <p>Install the index templates first ({@link IndexTemplates#install}); that also fails fast when
 * Elasticsearch is unreachable. A bulk item Elasticsearch refuses fails the job rather than losing a reading.
 */
public final class ElasticsearchSinks {
    public static final String RAW_READINGS_SINK = "raw readings elasticsearch";
    public static final String ALERTS_SINK = "alerts elasticsearch";
    public static final String INCIDENTS_SINK = "incidents elasticsearch";

    private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchSinks.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private ElasticsearchSinks() {}

    /** Raw readings into {@code settings.readingsIndex()}; {@code threshold} (T) decides each document's {@code hot}. */
    public static StreamSink<Reading> rawReadings(ElasticsearchSettings settings, double threshold) {
        return StreamSink.of(rawReadingsSink(settings, threshold), RAW_READINGS_SINK);
    }

    /** Alerts into {@code settings.alertsIndex()}, each sent as soon as it is raised. */
    public static StreamSink<Alert> alerts(ElasticsearchSettings settings) {
        return StreamSink.of(alertsSink(settings), ALERTS_SINK);
    }

    /**
     * Each fire's incident into {@code settings.alertsIndex()}: the fire's document, overwritten by each message
     * as it is sent ({@link IncidentDocuments}), so the index holds every incident's latest state.
     */
    public static StreamSink<IncidentMessage> incidents(ElasticsearchSettings settings) {
        return StreamSink.of(incidentsSink(settings), INCIDENTS_SINK);
    }

    public static Sink<IncidentMessage> incidentsSink(ElasticsearchSettings settings) {
        ElasticsearchSettings s = settings.resolved();
        // Messages are rare and urgent, as alerts are: a bulk of one.
        return build(s, new IncidentEmitter(s.alertsIndex()), 1);
    }

    public static Sink<Reading> rawReadingsSink(ElasticsearchSettings settings, double threshold) {
        ElasticsearchSettings s = settings.resolved();
        return build(s, new ReadingEmitter(s.readingsIndex(), new ReadingDocuments(threshold)), s.bulkFlushMaxActions());
    }

    public static Sink<Alert> alertsSink(ElasticsearchSettings settings) {
        ElasticsearchSettings s = settings.resolved();
        // Alerts are rare and urgent: a bulk of one, rather than waiting for the flush interval.
        return build(s, new AlertEmitter(s.alertsIndex()), 1);
    }

    private static <T> Sink<T> build(ElasticsearchSettings s, ElasticsearchEmitter<T> emitter, int maxActions) {
        warnIfCredentialsTravelInClear(s);
        OwnClientElasticsearch7SinkBuilder<T> builder = new OwnClientElasticsearch7SinkBuilder<>(new SettingsClients(s));
        builder.setEmitter(emitter);
        builder.setHosts(s.httpHosts())
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .setBulkFlushMaxActions(maxActions)
                .setBulkFlushMaxSizeMb(s.bulkFlushMaxSizeMb())
                .setBulkFlushInterval(s.bulkFlushInterval().toMillis());
        if (s.backoff() != ElasticsearchSettings.Backoff.NONE) {
            builder.setBulkFlushBackoffStrategy(FlushBackoffType.valueOf(s.backoff().name()), s.backoffRetries(),
                    s.backoffDelay().toMillis());
        }
        return builder.buildSink();
    }

    private static void warnIfCredentialsTravelInClear(ElasticsearchSettings s) {
        if (s.credentials().kind() == Credentials.Kind.NONE) {
            return;
        }
        for (HttpHost h : s.httpHosts()) {
            if (!"https".equals(h.getSchemeName())) {
                LOG.warn("Elasticsearch credentials are sent in clear text to {}: use https", h.toURI());
            }
        }
    }

    /** The writers' REST client, configured like the template installer's, created on the task manager. */
    static final class SettingsClients implements OwnClientElasticsearch7SinkBuilder.ClientFactory {
        private static final long serialVersionUID = 1L;
        private final ElasticsearchSettings settings;

        SettingsClients(ElasticsearchSettings settings) {
            this.settings = settings;
        }

        @Override
        public RestHighLevelClient create() {
            return new RestHighLevelClient(ElasticsearchClients.restClient(settings));
        }
    }

    /** One index request per reading, with the reading's deterministic id. */
    static final class ReadingEmitter implements ElasticsearchEmitter<Reading> {
        private static final long serialVersionUID = 1L;
        private final String index;
        private final ReadingDocuments documents;

        ReadingEmitter(String index, ReadingDocuments documents) {
            this.index = index;
            this.documents = documents;
        }

        @Override
        public void emit(Reading reading, SinkWriter.Context context, RequestIndexer indexer) {
            indexer.add(request(index, ReadingDocuments.id(reading), documents.document(reading)));
        }
    }

    /** One index request per alert, with the alert's id. */
    static final class AlertEmitter implements ElasticsearchEmitter<Alert> {
        private static final long serialVersionUID = 1L;
        private final String index;

        AlertEmitter(String index) {
            this.index = index;
        }

        @Override
        public void emit(Alert alert, SinkWriter.Context context, RequestIndexer indexer) {
            indexer.add(request(index, AlertDocuments.id(alert), AlertDocuments.document(alert)));
        }
    }

    /** One index request per incident message, with its fire's alert id: the document ends at the latest. */
    static final class IncidentEmitter implements ElasticsearchEmitter<IncidentMessage> {
        private static final long serialVersionUID = 1L;
        private final String index;

        IncidentEmitter(String index) {
            this.index = index;
        }

        @Override
        public void emit(IncidentMessage message, SinkWriter.Context context, RequestIndexer indexer) {
            indexer.add(request(index, IncidentDocuments.id(message), IncidentDocuments.document(message)));
        }
    }

    static IndexRequest request(String index, String id, Map<String, Object> document) {
        try {
            return new IndexRequest(index).id(id).source(JSON.writeValueAsBytes(document), XContentType.JSON);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render document " + id, e);
        }
    }
}
