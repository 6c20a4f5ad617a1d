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
import org.bushfire.domain.Alert;
import org.bushfire.job.StreamSink;
import org.bushfire.sns.SnsAlertSink;

/**
 * The real {@link SnsAlertSink} with {@link InjectedFailure#SNS_WRITER} inside its writer: each alert goes to
 * the real writer first (published at once in at-least-once mode, held for the checkpoint in exactly-once
 * mode), then the point may fail the task. In exactly-once mode the real committer publishes, then
 * {@link InjectedFailure#SNS_COMMITTER} may fail it: a crash right after a commit.
 */
final class FailingSnsWriter {
    private FailingSnsWriter() {}

    /** Attached under the real sink's name, so its uid ({@code sink/alerts to SNS}) is the production one. */
    static StreamSink<Alert> around(SnsAlertSink sink) {
        Sink<Alert> wrapped = sink instanceof SupportsCommitter ? committing(sink, (SupportsCommitter<?>) sink) : new Plain(sink);
        return StreamSink.of(wrapped, SnsAlertSink.NAME);
    }

    private static <C> Sink<Alert> committing(Sink<Alert> sink, SupportsCommitter<C> committer) {
        return new Committing<>(sink, committer);
    }

    static class Plain implements Sink<Alert> {
        private static final long serialVersionUID = 1L;
        final Sink<Alert> delegate;

        Plain(Sink<Alert> delegate) {
            this.delegate = delegate;
        }

        @Override
        @SuppressWarnings("deprecation")
        public SinkWriter<Alert> createWriter(InitContext context) throws IOException {
            return new Writer(delegate.createWriter(context));
        }

        @Override
        public SinkWriter<Alert> createWriter(WriterInitContext context) throws IOException {
            return new Writer(delegate.createWriter(context));
        }
    }

    static final class Committing<C> extends Plain implements SupportsCommitter<C> {
        private static final long serialVersionUID = 1L;
        private final SupportsCommitter<C> committer;

        Committing(Sink<Alert> delegate, SupportsCommitter<C> committer) {
            super(delegate);
            this.committer = committer;
        }

        @Override
        @SuppressWarnings({"deprecation", "unchecked"})
        public SinkWriter<Alert> createWriter(InitContext context) throws IOException {
            return new CommittingWriter<>((CommittingSinkWriter<Alert, C>) delegate.createWriter(context));
        }

        @Override
        @SuppressWarnings("unchecked")
        public SinkWriter<Alert> createWriter(WriterInitContext context) throws IOException {
            return new CommittingWriter<>((CommittingSinkWriter<Alert, C>) delegate.createWriter(context));
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
                InjectedFailure.SNS_COMMITTER.pass("a commit of " + requests.size() + " alerts");
            }
        }

        @Override
        public void close() throws Exception {
            delegate.close();
        }
    }

    static class Writer implements SinkWriter<Alert> {
        final SinkWriter<Alert> delegate;

        Writer(SinkWriter<Alert> delegate) {
            this.delegate = delegate;
        }

        @Override
        public void write(Alert alert, Context context) throws IOException, InterruptedException {
            delegate.write(alert, context);
            InjectedFailure.SNS_WRITER.pass("alert " + alert.alertId);
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

    static final class CommittingWriter<C> extends Writer implements CommittingSinkWriter<Alert, C> {
        CommittingWriter(CommittingSinkWriter<Alert, C> delegate) {
            super(delegate);
        }

        @Override
        @SuppressWarnings("unchecked")
        public Collection<C> prepareCommit() throws IOException, InterruptedException {
            return ((CommittingSinkWriter<Alert, C>) delegate).prepareCommit();
        }
    }
}
