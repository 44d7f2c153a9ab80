package dev.ddbcdc.camel.flow;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Closing what a stop leaves behind (clients, credentials, meters) without letting one failure stop the rest. */
public final class Closeables {

    private static final Logger LOG = LoggerFactory.getLogger(Closeables.class);

    private Closeables() {
    }

    /** Closes {@code closeable} if it is not {@code null}; a failure is logged at DEBUG and otherwise ignored. */
    public static void closeQuietly(Object closeable) {
        if (!(closeable instanceof AutoCloseable)) {
            return;
        }
        try {
            ((AutoCloseable) closeable).close();
        } catch (Exception e) {
            LOG.debug("Error closing {}", closeable.getClass().getSimpleName(), e);
        }
    }
}
