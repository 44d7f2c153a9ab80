package dev.ddbcdc.camel.stream;

import dev.ddbcdc.camel.flow.Acknowledgement;
import software.amazon.awssdk.services.dynamodb.model.Record;

/** Hands a stream record to the route and reports back when its exchange completed. */
public interface RecordDispatcher {

    void dispatch(String shardId, Record record, Acknowledgement acknowledgement);
}
