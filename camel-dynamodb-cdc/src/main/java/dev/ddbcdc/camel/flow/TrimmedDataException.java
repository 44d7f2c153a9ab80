package dev.ddbcdc.camel.flow;

/** Stream records that this consumer had not read yet were trimmed or their shard is gone: changes were lost. */
public class TrimmedDataException extends RuntimeException {

    public TrimmedDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
