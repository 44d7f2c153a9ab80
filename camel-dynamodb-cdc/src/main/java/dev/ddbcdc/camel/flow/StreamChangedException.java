package dev.ddbcdc.camel.flow;

/**
 * The table or its stream changed under the consumer: the table was deleted, or its stream disabled or replaced by
 * a new one (new stream ARN). Changes are no longer captured, or not all of them.
 */
public class StreamChangedException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final boolean replaced;

    public StreamChangedException(String message, Throwable cause) {
        this(message, cause, false);
    }

    /** @param replaced the table has a new stream (rather than none, or no table) */
    public StreamChangedException(String message, Throwable cause, boolean replaced) {
        super(message, cause);
        this.replaced = replaced;
    }

    /** Whether the table's stream was replaced by a new one, which can be read. */
    public boolean isReplaced() {
        return replaced;
    }
}
