package org.apache.flink.connector.elasticsearch.sink;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.bulk.BackoffPolicy;
import org.elasticsearch.action.bulk.BulkProcessor;
import org.elasticsearch.action.bulk.BulkRequest;
import org.elasticsearch.action.bulk.BulkResponse;
import org.elasticsearch.client.Cancellable;
import org.elasticsearch.client.RequestOptions;
import org.elasticsearch.client.RestHighLevelClient;
import org.elasticsearch.common.unit.ByteSizeUnit;
import org.elasticsearch.common.unit.ByteSizeValue;
import org.elasticsearch.common.unit.TimeValue;

/**
 * An Elasticsearch 7 sink whose writers send their bulk requests through a REST client that we configure, and
 * whose writers close that client only after the connector's writer has closed.
 *
 * <p>Why this class must stay, and why in the connector's package: the client needs things connector 3.0.1
 * cannot give it. The connector builds its writer's client itself from {@code NetworkClientConfig}, which
 * knows a username/password, a path prefix and three timeouts — nothing else. We also need a default
 * {@code Authorization: ApiKey} header (API keys for fine-grained access control), an SSL context trusting a
 * private CA, and a request interceptor that signs every request with SigV4 for an Amazon OpenSearch domain
 * with an IAM access policy. 3.1.0 adds an SSL context supplier, but still no header or interceptor hook, and
 * no release of it is built for Flink 1.20. The one extension point, {@link #getBulkProcessorBuilderFactory()},
 * returns a package-private type. Everything else (emitter, at-least-once flushing on checkpoints, failure
 * handling, metrics) stays the connector's. The writer's own client is still created, but sends nothing. Drop
 * this class once the connector offers a client factory.
 *
 * <p>Cancelling. The connector forces its {@link BulkProcessor} to send synchronously: whoever triggers a bulk
 * holds the processor's lock until the bulk is answered. When that is the processor's own flush-interval
 * thread, the task thread's next {@code add} parks on the lock — uninterruptibly — for as long as the node
 * takes, so a slow or hung node made the task deaf to cancelling (Flink killed the TaskManager after
 * {@code task.cancellation.timeout}). Worse, an earlier version closed its client from the emitter's
 * {@code close()}, which the writer calls before it closes its processor: the bulk in flight was never
 * answered and the writer waited forever. So here:
 * <ul>
 *   <li>the processor gets no flush interval; {@link ClientAfterWriter} flushes on a processing-time timer
 *       instead, in the task's mailbox, so every bulk is sent and awaited on the task thread, where Flink's
 *       cancel interrupts the wait;
 *   <li>closing first abandons the bulks still in flight (each is cancelled and so answered with a
 *       {@link CancellationException}) and refuses new ones, then closes the connector's writer, and only
 *       then the client. Abandoning is safe: a writer is only closed with bulks in flight when the job is
 *       failing or cancelled — a finishing job has flushed everything first — and a restart replays from
 *       the last checkpoint, which cannot have completed before its bulks were acknowledged;
 *   <li>connect and socket timeouts (set where the client is built) bound every request.
 * </ul>
 *
 * <p>Each writer gets its own client: the bulk-processor factory and the writer wrapper hold the same
 * {@link OwnedClient}, and Java serialization keeps that sharing when the sink is shipped to a task.
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

    /** Not this one: a bare connector sink would never close our client. Use {@link #buildSink()}. */
    @Override
    public ElasticsearchSink<IN> build() {
        throw new UnsupportedOperationException("use buildSink(): it closes the writers' own clients");
    }

    /** The connector's sink, its writers sending through their own client and closing it after themselves. */
    public Sink<IN> buildSink() {
        OwnedClient owned = new OwnedClient(clients);
        buildingClient = owned;
        try {
            return new ClientAfterWriterSink<>(super.build(), owned);
        } finally {
            buildingClient = null;
        }
    }

    @Override
    protected BulkProcessorBuilderFactory getBulkProcessorBuilderFactory() {
        return new OwnClientBulkProcessorFactory(Objects.requireNonNull(buildingClient, "only buildSink() asks for it"));
    }

    /**
     * One writer's client, created on first use on the task manager. It knows its bulks in flight, so that
     * closing can abandon them instead of waiting for an answer that may never come.
     */
    static final class OwnedClient implements Serializable {
        private static final long serialVersionUID = 1L;
        private final ClientFactory factory;
        private transient RestHighLevelClient client;
        /** Concurrent: the I/O threads that answer requests remove theirs without taking this object's lock. */
        private transient volatile java.util.Set<Cancellable> inFlight;
        private transient boolean abandoned;
        private transient long flushIntervalMillis = -1;

        OwnedClient(ClientFactory factory) {
            this.factory = factory;
        }

        /** Sends a bulk, unless the writer is closing: then it is answered with a cancellation at once. */
        void send(BulkRequest request, ActionListener<BulkResponse> done) {
            Cancellable cancellable;
            synchronized (this) {
                if (abandoned) {
                    cancellable = null;
                } else {
                    if (client == null) {
                        client = factory.create();
                        inFlight = java.util.concurrent.ConcurrentHashMap.newKeySet();
                    }
                    Cancellable[] self = new Cancellable[1];
                    cancellable = client.bulkAsync(request, RequestOptions.DEFAULT, ActionListener.runAfter(done,
                            () -> forget(self[0])));
                    self[0] = cancellable;
                    inFlight.add(cancellable);
                }
            }
            if (cancellable == null) {
                done.onFailure(new CancellationException("the Elasticsearch writer is closing"));
            }
        }

        /**
         * Called on an I/O thread that may hold the connection pool's lock, so it takes no lock of ours (a thread
         * sending or closing holds our lock while it waits for the pool's).
         */
        private void forget(Cancellable cancellable) {
            // null when the answer came before bulkAsync returned; that entry is removed on abandon()
            java.util.Set<Cancellable> requests = inFlight;
            if (cancellable != null && requests != null) {
                requests.remove(cancellable);
            }
        }

        /** Refuses new bulks and cancels those in flight; their listeners are answered with a cancellation. */
        void abandon() {
            List<Cancellable> cancelling;
            synchronized (this) {
                abandoned = true;
                cancelling = inFlight == null ? List.of() : new ArrayList<>(inFlight);
            }
            // Outside the lock: a cancelled request may answer its listener on this thread.
            cancelling.forEach(Cancellable::cancel);
        }

        /** The flush interval the sink was built with, learnt when the writer builds its processor. */
        synchronized long flushIntervalMillis() {
            return flushIntervalMillis;
        }

        synchronized void flushEvery(long millis) {
            flushIntervalMillis = millis;
        }

        /**
         * Closes the client outside this object's lock: closing waits for the connection pool's lock, which an
         * I/O thread may hold while it answers a failed request and calls {@link #forget}. When forget still
         * took this object's lock, closing under it deadlocked exactly so, with Elasticsearch refusing
         * connections (the outage test caught it: a writer stuck in close, its job never restarted).
         */
        void close() throws IOException {
            RestHighLevelClient closing;
            synchronized (this) {
                abandoned = true;
                closing = client;
                client = null;
                inFlight = null;
            }
            if (closing != null) {
                closing.close();
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
            BulkProcessor.Builder builder = BulkProcessor.builder(owned::send, listener);
            if (config.getBulkFlushMaxActions() != -1) {
                builder.setBulkActions(config.getBulkFlushMaxActions());
            }
            if (config.getBulkFlushMaxMb() != -1) {
                builder.setBulkSize(new ByteSizeValue(config.getBulkFlushMaxMb(), ByteSizeUnit.MB));
            }
            // Not the processor's flush thread: it would hold the lock through a slow bulk (see the class).
            owned.flushEvery(config.getBulkFlushInterval());
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

    /** The connector's sink, each writer wrapped in a {@link ClientAfterWriter}. */
    static final class ClientAfterWriterSink<IN> implements Sink<IN> {
        private static final long serialVersionUID = 1L;
        private final ElasticsearchSink<IN> sink;
        private final OwnedClient owned;

        ClientAfterWriterSink(ElasticsearchSink<IN> sink, OwnedClient owned) {
            this.sink = sink;
            this.owned = owned;
        }

        @Override
        @SuppressWarnings("deprecation") // the connector's sink implements only this one
        public SinkWriter<IN> createWriter(InitContext context) throws IOException {
            SinkWriter<IN> writer = sink.createWriter(context);
            return new ClientAfterWriter<>(writer, owned, context.getProcessingTimeService(), owned.flushIntervalMillis());
        }
    }

    /**
     * Flushes the connector's writer every flush interval on the task thread; on close abandons the bulks in
     * flight, closes the connector's writer, then the client — in that order.
     */
    static final class ClientAfterWriter<IN> implements SinkWriter<IN> {
        private final SinkWriter<IN> writer;
        private final OwnedClient owned;
        private final ProcessingTimeService time;
        private final long flushIntervalMillis;
        private boolean closed;

        ClientAfterWriter(SinkWriter<IN> writer, OwnedClient owned, ProcessingTimeService time, long flushIntervalMillis) {
            this.writer = writer;
            this.owned = owned;
            this.time = time;
            this.flushIntervalMillis = flushIntervalMillis;
            scheduleFlush();
        }

        private void scheduleFlush() {
            if (flushIntervalMillis > 0 && !closed) {
                time.registerTimer(time.getCurrentProcessingTime() + flushIntervalMillis, this::flushOnTimer);
            }
        }

        /** A mail of the task: sends what is buffered and waits, interruptibly, until it is acknowledged. */
        private void flushOnTimer(long timestamp) throws IOException, InterruptedException {
            if (closed) {
                return;
            }
            writer.flush(false);
            scheduleFlush();
        }

        @Override
        public void write(IN element, Context context) throws IOException, InterruptedException {
            writer.write(element, context);
        }

        @Override
        public void flush(boolean endOfInput) throws IOException, InterruptedException {
            writer.flush(endOfInput);
        }

        @Override
        public void writeWatermark(Watermark watermark) throws IOException, InterruptedException {
            writer.writeWatermark(watermark);
        }

        @Override
        public void close() throws Exception {
            closed = true;
            try {
                owned.abandon();
                writer.close();
            } finally {
                owned.close();
            }
        }
    }
}
