package org.bushfire.reliability;

import java.io.IOException;
import java.util.Collection;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.bushfire.domain.IncidentMessage;
import org.bushfire.job.StreamSink;
import org.bushfire.sns.SnsAlertSink;

/**
 * The real {@link SnsAlertSink} of incident messages, the one {@code run} uses, with
 * {@link InjectedFailure#SNS_WRITER} inside its writer: each message goes to the real writer first (published at
 * once in at-least-once mode, held for the checkpoint in exactly-once mode), then the point may fail the task —
 * counting alerts only, so the struck message is a fire's alert. In exactly-once mode the real committer
 * publishes, then {@link InjectedFailure#SNS_COMMITTER} may fail it: a crash right after a commit.
 */
final class FailingSnsWriter {
    private FailingSnsWriter() {}

    /**
     * The incident-message sink as {@code run} attaches it — keyed by alertId, under the real sink's name, so its
     * uid ({@code sink/alerts to SNS}) is the production one — with the failure points inside.
     */
    static StreamSink<IncidentMessage> around(SnsAlertSink<IncidentMessage> sink) {
        Sink<IncidentMessage> wrapped = sink instanceof SupportsCommitter
                ? committing(sink, (SupportsCommitter<?>) sink) : new Plain(sink);
        return stream -> SnsAlertSink.attachIncidents(wrapped, stream);
    }

    private static <C> Sink<IncidentMessage> committing(Sink<IncidentMessage> sink, SupportsCommitter<C> committer) {
        return new Committing<>(sink, committer);
    }

    static class Plain implements Sink<IncidentMessage> {
        private static final long serialVersionUID = 1L;
        final Sink<IncidentMessage> delegate;

        Plain(Sink<IncidentMessage> delegate) {
            this.delegate = delegate;
        }

        @Override
        @SuppressWarnings("deprecation")
        public SinkWriter<IncidentMessage> createWriter(InitContext context) throws IOException {
            return new Writer(delegate.createWriter(context));
        }

        @Override
        public SinkWriter<IncidentMessage> createWriter(WriterInitContext context) throws IOException {
            return new Writer(delegate.createWriter(context));
        }
    }

    static final class Committing<C> extends Plain implements SupportsCommitter<C> {
        private static final long serialVersionUID = 1L;
        private final SupportsCommitter<C> committer;

        Committing(Sink<IncidentMessage> delegate, SupportsCommitter<C> committer) {
            super(delegate);
            this.committer = committer;
        }

        @Override
        @SuppressWarnings({"deprecation", "unchecked"})
        public SinkWriter<IncidentMessage> createWriter(InitContext context) throws IOException {
            return new CommittingWriter<>((CommittingSinkWriter<IncidentMessage, C>) delegate.createWriter(context));
        }

        @Override
        @SuppressWarnings("unchecked")
        public SinkWriter<IncidentMessage> createWriter(WriterInitContext context) throws IOException {
            return new CommittingWriter<>((CommittingSinkWriter<IncidentMessage, C>) delegate.createWriter(context));
        }

        @Override
        public Committer<C> createCommitter(CommitterInitContext context) throws IOException {
            return new FailingCommitter<>(committer.createCommitter(context));
        }

        @Override
        public SimpleVersionedSerializer<C> getCommittableSerializer() {
            return committer.getCommittableSerializer();
        }
    }

    static final class FailingCommitter<C> implements Committer<C> {
        private final Committer<C> delegate;

        FailingCommitter(Committer<C> delegate) {
            this.delegate = delegate;
        }

        @Override
        public void commit(Collection<CommitRequest<C>> requests) throws IOException, InterruptedException {
            delegate.commit(requests);
            if (!requests.isEmpty()) {
                InjectedFailure.SNS_COMMITTER.pass("a commit of " + requests.size() + " incident messages");
            }
        }

        @Override
        public void close() throws Exception {
            delegate.close();
        }
    }

    static class Writer implements SinkWriter<IncidentMessage> {
        final SinkWriter<IncidentMessage> delegate;

        Writer(SinkWriter<IncidentMessage> delegate) {
            this.delegate = delegate;
        }

        @Override
        public void write(IncidentMessage message, Context context) throws IOException, InterruptedException {
            delegate.write(message, context);
            InjectedFailure.SNS_WRITER.passIncidentMessage(message);
        }

        @Override
        public void flush(boolean endOfInput) throws IOException, InterruptedException {
            delegate.flush(endOfInput);
        }

        @Override
        public void writeWatermark(Watermark watermark) throws IOException, InterruptedException {
            delegate.writeWatermark(watermark);
        }

        @Override
        public void close() throws Exception {
            delegate.close();
        }
    }

    static final class CommittingWriter<C> extends Writer implements CommittingSinkWriter<IncidentMessage, C> {
        CommittingWriter(CommittingSinkWriter<IncidentMessage, C> delegate) {
            super(delegate);
        }

        @Override
        @SuppressWarnings("unchecked")
        public Collection<C> prepareCommit() throws IOException, InterruptedException {
            return ((CommittingSinkWriter<IncidentMessage, C>) delegate).prepareCommit();
        }
    }
}
