package dev.ddbcdc.camel.port;

import java.io.InputStream;

/**
 * The export's objects in S3: a stream of an object's bytes, optionally only if it still has the ETag the export's
 * manifest gives. Other failures come as the SDK's exceptions.
 */
public interface ObjectStore {

    /** The object does not exist. */
    final class NoSuchObjectException extends RuntimeException {
        public NoSuchObjectException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The object exists but no longer has the expected ETag (HTTP 412): it was replaced. */
    final class ObjectChangedException extends RuntimeException {
        public ObjectChangedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Opens the object for reading.
     *
     * @param etag when not {@code null}, the object is sent only if it still has this ETag (without quotes)
     * @throws NoSuchObjectException   when there is no such object
     * @throws ObjectChangedException  when its ETag is not {@code etag}
     */
    InputStream open(String bucket, String key, String etag);

    /** Whether the bucket exists: TRUE, FALSE (404), or {@code null} when S3 did not say (403, another region). */
    Boolean bucketExists(String bucket);
}
