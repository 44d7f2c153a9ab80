package dev.ddbcdc.camel.options;

import java.util.Objects;

/**
 * The options of {@code trimmedDataPolicy=INCREMENTAL_EXPORT}, read once when the consumer starts: where the
 * incremental exports that bridge a gap are written and how they are loaded (the export options of the snapshot,
 * whatever {@code snapshotMode} is), and what to do when a gap cannot be bridged.
 *
 * @param exports  the export options: bucket, prefix, owner, KMS key, poll interval, files loaded at once, the data
 *                 files' acknowledgment timeout and {@code streamOverlap} (an EXPORT-mode {@link SnapshotOptions})
 * @param fallback what a gap that cannot be bridged does
 */
public record BridgeOptions(SnapshotOptions exports, IncrementalExportFallback fallback) {

    public BridgeOptions {
        Objects.requireNonNull(exports, "exports");
        Objects.requireNonNull(fallback, "fallback");
        if (exports.mode() != SnapshotMode.EXPORT || exports.exportS3Bucket() == null) {
            throw new IllegalArgumentException("incremental exports need an export bucket");
        }
    }
}
