package dev.ddbcdc.camel.stream;

import software.amazon.awssdk.services.dynamodb.model.Record;

/** Hands a stream record to the route and reports back when its exchange completed. */
public interface RecordDispatcher {

    /** The outcome of one record's exchange; exactly one method is called, from any thread. */
    interface Acknowledgement {
        void completed();

        void failed(Throwable cause);
    }

    void dispatch(String shardId, Record record, Acknowledgement acknowledgement);
}
