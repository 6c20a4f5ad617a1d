package org.bushfire.job;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;

/** Attaches one output of the job (alerts, dead letters, …) to wherever it goes. */
@FunctionalInterface
public interface StreamSink<T> {
    void attach(DataStream<T> stream);

    /** Sinks get uids in their own namespace, so a sink's name can never clash with an operator's uid. */
    static <T> StreamSink<T> of(Sink<T> sink, String name) {
        return stream -> stream.sinkTo(sink).name(name).uid("sink/" + name);
    }

    static <T> StreamSink<T> of(Sink<T> sink, String name, int parallelism) {
        return stream -> stream.sinkTo(sink).name(name).uid("sink/" + name).setParallelism(parallelism);
    }

    /** Both sinks on the same stream; either may be null. */
    static <T> StreamSink<T> both(StreamSink<T> first, StreamSink<T> second) {
        if (first == null || second == null) {
            return first == null ? second : first;
        }
        return stream -> {
            first.attach(stream);
            second.attach(stream);
        };
    }
}
