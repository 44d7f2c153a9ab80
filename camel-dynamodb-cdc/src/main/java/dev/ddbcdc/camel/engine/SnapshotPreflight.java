package dev.ddbcdc.camel.engine;

import dev.ddbcdc.camel.checkpoint.SnapshotCheckpointStore;
import dev.ddbcdc.camel.checkpoint.SnapshotState;
import dev.ddbcdc.camel.export.ExportService;
import dev.ddbcdc.camel.options.SnapshotOptions;
import dev.ddbcdc.camel.port.ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the snapshot needs, checked before anything runs so that bad configuration fails the route's start with a
 * message that says what to do: an adopted export must be the one the checkpoint holds; a new export needs
 * point-in-time recovery and an existing bucket.
 */
final class SnapshotPreflight {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotPreflight.class);

    private SnapshotPreflight() {
    }

    static void check(SnapshotOptions options, SnapshotCheckpointStore store, ExportService exports,
                      ObjectStore objects, String tableName) {
        SnapshotState state = store.load();
        String adopt = options.exportArn();
        if (adopt != null && state != null && !adopt.equals(state.exportArn())) {
            throw new IllegalStateException("exportArn is " + adopt + ", but this consumer's checkpoint (key "
                                            + store.key() + ") holds a snapshot of export " + state.exportArn()
                                            + ". Use another consumerId, or remove that key, to adopt the new export");
        }
        if (state == null && adopt == null) {
            exports.requirePointInTimeRecovery();
            String bucket = options.exportS3Bucket();
            Boolean exists = objects.bucketExists(bucket);
            if (Boolean.FALSE.equals(exists)) {
                throw new IllegalStateException("exportS3Bucket '" + bucket + "' does not exist (check the name and"
                                                + " exportS3Region)");
            }
            if (exists == null) {
                // 403 without s3:ListBucket, 301 another region: the export itself reports them with AWS's code
                LOG.debug("Could not check exportS3Bucket {}; the export will tell", bucket);
            }
        }
        if (state != null && state.isDone()) {
            LOG.info("Table {}: the snapshot (export {}) was done before; going on with the stream", tableName,
                    state.exportArn());
        }
    }
}
