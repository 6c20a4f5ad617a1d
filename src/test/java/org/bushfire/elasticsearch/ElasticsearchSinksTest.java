package org.bushfire.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.elasticsearch.sink.RequestIndexer;
import org.apache.flink.util.InstantiationUtil;
import org.bushfire.domain.Alert;
import org.bushfire.domain.Reading;
import org.elasticsearch.action.delete.DeleteRequest;
import org.elasticsearch.action.index.IndexRequest;
import org.elasticsearch.action.update.UpdateRequest;
import org.junit.jupiter.api.Test;

/** What the sinks hand to the connector, without a cluster; the integration test runs them for real. */
class ElasticsearchSinksTest {
    static final ObjectMapper JSON = new ObjectMapper();

    /** Collects what an emitter asks the connector to send. */
    static final class CapturingIndexer implements RequestIndexer {
        final List<IndexRequest> indexed = new ArrayList<>();
        int others;

        @Override
        public void add(DeleteRequest... requests) {
            others += requests.length;
        }

        @Override
        public void add(IndexRequest... requests) {
            indexed.addAll(List.of(requests));
        }

        @Override
        public void add(UpdateRequest... requests) {
            others += requests.length;
        }
    }

    @Test
    void aReadingBecomesOneIndexRequestWithItsDeterministicId() throws Exception {
        Reading r = new Reading("ridge-7", "12", 1732147260000L, 51.5, "11");
        r.lat = -33.71;
        r.lon = 150.31;
        CapturingIndexer indexer = new CapturingIndexer();

        new ElasticsearchSinks.ReadingEmitter("it-readings", new ReadingDocuments(50.0)).emit(r, null, indexer);

        assertThat(indexer.others).isZero();
        assertThat(indexer.indexed).hasSize(1);
        IndexRequest request = indexer.indexed.get(0);
        assertThat(request.index()).isEqualTo("it-readings");
        assertThat(request.id()).isEqualTo("ridge-7~12~1732147260000");
        assertThat(request.opType().getLowercase()).as("overwrite on replay, never create-only").isEqualTo("index");
        JsonNode source = JSON.readTree(request.source().utf8ToString());
        assertThat(source).isEqualTo(JSON.valueToTree(new ReadingDocuments(50.0).document(r)));
        assertThat(source.at("/location/lat").asDouble()).isEqualTo(-33.71);
        assertThat(source.get("hot").asBoolean()).isTrue();
    }

    @Test
    void anAlertBecomesOneIndexRequestUnderItsAlertId() throws Exception {
        Alert alert = AlertDocumentsTest.alert(true);
        CapturingIndexer indexer = new CapturingIndexer();

        new ElasticsearchSinks.AlertEmitter("it-alerts").emit(alert, null, indexer);

        assertThat(indexer.indexed).hasSize(1);
        assertThat(indexer.indexed.get(0).index()).isEqualTo("it-alerts");
        assertThat(indexer.indexed.get(0).id()).isEqualTo(alert.alertId);
        assertThat(JSON.readTree(indexer.indexed.get(0).source().utf8ToString()).get("chain"))
                .isEqualTo(JSON.valueToTree(List.of("1", "2", "3", "4", "5")));
    }

    @Test
    void sinksSurviveShippingToATaskManager() throws Exception {
        ElasticsearchSettings settings = ElasticsearchSettings.defaults().resolve(Map.of("BUSHFIRE_ES_API_KEY", "id:key"));

        Sink<Reading> readings = ElasticsearchSinks.rawReadingsSink(settings, 50.0);
        Sink<Alert> alerts = ElasticsearchSinks.alertsSink(settings);

        assertThat(InstantiationUtil.clone(readings)).isNotNull();
        assertThat(InstantiationUtil.clone(alerts)).isNotNull();
    }
}
