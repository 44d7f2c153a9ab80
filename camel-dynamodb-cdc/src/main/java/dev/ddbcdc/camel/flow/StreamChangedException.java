package dev.ddbcdc.camel.flow;

/**
 * The table or its stream changed under the consumer: the table was deleted, or its stream disabled or replaced by
 * a new one (new stream ARN). Changes are no longer captured, or not all of them.
 */
public class StreamChangedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StreamChangedException(String message, Throwable cause) {
        super(message, cause);
    }
}
