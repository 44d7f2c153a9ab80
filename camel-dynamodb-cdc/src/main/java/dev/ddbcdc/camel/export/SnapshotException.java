package dev.ddbcdc.camel.export;

/**
 * The snapshot cannot go on: the export failed, or a manifest or data file is missing, corrupt or inconsistent. The
 * message names the export, file and line. Nothing was skipped: the unit of work that failed is not checkpointed as
 * done, so a restart tries it again.
 */
public class SnapshotException extends RuntimeException {

    public SnapshotException(String message) {
        super(message);
    }

    public SnapshotException(String message, Throwable cause) {
        super(message, cause);
    }
}
