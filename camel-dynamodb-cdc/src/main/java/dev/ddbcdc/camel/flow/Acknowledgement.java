package dev.ddbcdc.camel.flow;

/** The outcome of one record's exchange (a stream record, a snapshot item); exactly one method is called, from any thread. */
public interface Acknowledgement {

    void completed();

    void failed(Throwable cause);
}
