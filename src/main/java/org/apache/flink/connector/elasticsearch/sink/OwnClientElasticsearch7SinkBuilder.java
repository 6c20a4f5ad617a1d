package org.apache.flink.connector.elasticsearch.sink;

import java.io.IOException;
import java.io.Serializable;
import java.util.Objects;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.elasticsearch.action.bulk.BackoffPolicy;
import org.elasticsearch.action.bulk.BulkProcessor;
import org.elasticsearch.client.RequestOptions;
import org.elasticsearch.client.RestHighLevelClient;
import org.elasticsearch.common.unit.ByteSizeUnit;
import org.elasticsearch.common.unit.ByteSizeValue;
import org.elasticsearch.common.unit.TimeValue;

/**
 * An Elasticsearch 7 sink builder whose writers send their bulk requests through a REST client that we
 * configure (default {@code Authorization} header for API keys, an SSL context trusting a private CA).
 *
 * <p>Why it lives in the connector's package: connector 3.0.1 builds its writer's client itself, with no hook
 * for headers or TLS, and the one extension point — {@link #getBulkProcessorBuilderFactory()} — returns a
 * package-private type. Everything else (emitter, at-least-once flushing on checkpoints, failure handling,
 * metrics) stays the connector's. The writer's own client is still created, but sends nothing. Drop
 * this class once the connector offers a client factory.
 *
 * <p>Each writer gets its own client: the bulk-processor factory creates it, and the emitter wrapper closes it
 * when the writer closes (the writer closes its emitter first, after flushing all pending actions). Both hold
 * the same {@link OwnedClient}, and Java serialization keeps that sharing when the sink is shipped to a task.
 */
public final class OwnClientElasticsearch7SinkBuilder<IN> extends Elasticsearch7SinkBuilder<IN> {
    /** Creates the client of one sink writer, on the task manager. */
    @FunctionalInterface
    public interface ClientFactory extends Serializable {
        RestHighLevelClient create();
    }

    private final ClientFactory clients;
    private transient OwnedClient buildingClient;

    public OwnClientElasticsearch7SinkBuilder(ClientFactory clients) {
        this.clients = Objects.requireNonNull(clients, "clients");
    }

    @Override
    public ElasticsearchSink<IN> build() {
        ElasticsearchEmitter<? super IN> userEmitter = Objects.requireNonNull(emitter, "emitter");
        buildingClient = new OwnedClient(clients);
        emitter = new ClientClosingEmitter<IN>(userEmitter, buildingClient);
        try {
            return super.build();
        } finally {
            emitter = userEmitter;
            buildingClient = null;
        }
    }

    @Override
    protected BulkProcessorBuilderFactory getBulkProcessorBuilderFactory() {
        return new OwnClientBulkProcessorFactory(Objects.requireNonNull(buildingClient, "only build() asks for it"));
    }

    /** One writer's client, created on first use on the task manager. */
    static final class OwnedClient implements Serializable {
        private static final long serialVersionUID = 1L;
        private final ClientFactory factory;
        private transient RestHighLevelClient client;

        OwnedClient(ClientFactory factory) {
            this.factory = factory;
        }

        synchronized RestHighLevelClient get() {
            if (client == null) {
                client = factory.create();
            }
            return client;
        }

        synchronized void close() throws IOException {
            if (client != null) {
                try {
                    client.close();
                } finally {
                    client = null;
                }
            }
        }
    }

    /** The connector's bulk-processor set-up, sending with our client instead of the writer's. */
    static final class OwnClientBulkProcessorFactory implements BulkProcessorBuilderFactory {
        private static final long serialVersionUID = 1L;
        private final OwnedClient owned;

        OwnClientBulkProcessorFactory(OwnedClient owned) {
            this.owned = owned;
        }

        @Override
        public BulkProcessor.Builder apply(RestHighLevelClient writersClient, BulkProcessorConfig config,
                BulkProcessor.Listener listener) {
            RestHighLevelClient client = owned.get();
            BulkProcessor.Builder builder = BulkProcessor.builder(
                    (request, done) -> client.bulkAsync(request, RequestOptions.DEFAULT, done), listener);
            if (config.getBulkFlushMaxActions() != -1) {
                builder.setBulkActions(config.getBulkFlushMaxActions());
            }
            if (config.getBulkFlushMaxMb() != -1) {
                builder.setBulkSize(new ByteSizeValue(config.getBulkFlushMaxMb(), ByteSizeUnit.MB));
            }
            if (config.getBulkFlushInterval() != -1) {
                builder.setFlushInterval(new TimeValue(config.getBulkFlushInterval()));
            }
            TimeValue delay = new TimeValue(config.getBulkFlushBackOffDelay());
            switch (config.getFlushBackoffType()) {
                case CONSTANT:
                    builder.setBackoffPolicy(BackoffPolicy.constantBackoff(delay, config.getBulkFlushBackoffRetries()));
                    break;
                case EXPONENTIAL:
                    builder.setBackoffPolicy(BackoffPolicy.exponentialBackoff(delay, config.getBulkFlushBackoffRetries()));
                    break;
                default:
                    builder.setBackoffPolicy(BackoffPolicy.noBackoff());
            }
            return builder;
        }
    }

    /** Passes everything to the real emitter, and closes the writer's own client when the writer closes. */
    static final class ClientClosingEmitter<T> implements ElasticsearchEmitter<T> {
        private static final long serialVersionUID = 1L;
        private final ElasticsearchEmitter<? super T> emitter;
        private final OwnedClient owned;

        ClientClosingEmitter(ElasticsearchEmitter<? super T> emitter, OwnedClient owned) {
            this.emitter = emitter;
            this.owned = owned;
        }

        @Override
        public void open() throws Exception {
            emitter.open();
        }

        @Override
        public void emit(T element, SinkWriter.Context context, RequestIndexer indexer) {
            emitter.emit(element, context, indexer);
        }

        @Override
        public void close() throws Exception {
            try {
                emitter.close();
            } finally {
                owned.close();
            }
        }
    }
}
