package dev.ddbcdc.camel.options;

import java.util.ArrayList;
import java.util.List;

/**
 * Which snapshot the options ask for, and the combinations they refuse, each with a message that names the cause and
 * the fix. Without {@code snapshotMode} the mode is what earlier versions did: {@link SnapshotMode#EXPORT} when
 * {@code exportS3Bucket} or {@code exportArn} is set, else {@link SnapshotMode#NONE}.
 */
public final class SnapshotModeRules {

    private SnapshotModeRules() {
    }

    /**
     * @param configured   {@code snapshotMode}, or {@code null} when not set
     * @param exportSource whether {@code exportS3Bucket} or {@code exportArn} is set
     * @param exportSet    the names of the export options that are set (bucket, ARN, prefix, region, owner, key)
     * @param scanSet      the names of the scan options that are set
     * @param snapshotOnly {@code snapshotOnly}
     * @return the snapshot mode in effect
     */
    public static SnapshotMode resolve(SnapshotMode configured, boolean exportSource, List<String> exportSet,
                                       List<String> scanSet, boolean snapshotOnly) {
        return resolve(configured, exportSource, exportSet, scanSet, snapshotOnly, false);
    }

    /**
     * @param bridgeExports whether incremental exports bridge gaps ({@code trimmedDataPolicy=INCREMENTAL_EXPORT}):
     *                      then the export options say where they are written, whatever the snapshot mode
     */
    public static SnapshotMode resolve(SnapshotMode configured, boolean exportSource, List<String> exportSet,
                                       List<String> scanSet, boolean snapshotOnly, boolean bridgeExports) {
        SnapshotMode mode = configured != null ? configured : exportSource ? SnapshotMode.EXPORT : SnapshotMode.NONE;
        List<String> bridgeSet = bridgeExports ? List.of() : exportSet;
        switch (mode) {
            case SCAN:
                if (!bridgeSet.isEmpty()) {
                    throw new IllegalArgumentException("snapshotMode=SCAN reads the table with Scan calls and needs no"
                                                       + " export, but " + String.join(", ", exportSet) + " "
                                                       + isOrAre(exportSet) + " set: remove "
                                                       + String.join(" and ", exportSet)
                                                       + ", or use snapshotMode=EXPORT to snapshot by an export (with"
                                                       + " trimmedDataPolicy=INCREMENTAL_EXPORT they say where its"
                                                       + " incremental exports go)");
                }
                break;
            case EXPORT:
                if (!exportSource) {
                    throw new IllegalArgumentException("snapshotMode=EXPORT needs exportS3Bucket (the bucket a new"
                                                       + " export writes to) or exportArn (an existing export); set"
                                                       + " one, or use snapshotMode=SCAN to snapshot without an export");
                }
                break;
            default:
                if (configured == SnapshotMode.NONE && !bridgeSet.isEmpty()) {
                    throw new IllegalArgumentException("snapshotMode=NONE takes no snapshot, but "
                                                       + String.join(", ", exportSet) + " " + isOrAre(exportSet)
                                                       + " set: remove " + String.join(" and ", exportSet)
                                                       + ", or use snapshotMode=EXPORT");
                }
                if (snapshotOnly) {
                    throw new IllegalArgumentException("snapshotOnly needs a snapshot: set exportS3Bucket (a new"
                                                       + " export) or exportArn (an existing one), or"
                                                       + " snapshotMode=SCAN");
                }
                break;
        }
        if (mode != SnapshotMode.SCAN && !scanSet.isEmpty()) {
            throw new IllegalArgumentException(String.join(", ", scanSet) + " " + isOrAre(scanSet) + " set, but the"
                                               + " snapshot mode is " + mode
                                               + (configured == null ? " (snapshotMode is not set)" : "")
                                               + ": set snapshotMode=SCAN to snapshot by a parallel Scan, or remove "
                                               + String.join(" and ", scanSet));
        }
        return mode;
    }

    /** The read budget of at most one of the three budget options; each {@code null} when not set. */
    public static ReadBudget budget(Double readUnitsPerSecond, Double itemsPerSecond, Double readCapacityFraction) {
        List<String> set = new ArrayList<>();
        if (readUnitsPerSecond != null) {
            set.add("scanReadUnitsPerSecond");
        }
        if (itemsPerSecond != null) {
            set.add("scanItemsPerSecond");
        }
        if (readCapacityFraction != null) {
            set.add("scanReadCapacityFraction");
        }
        if (set.size() > 1) {
            throw new IllegalArgumentException("A Scan has one read budget, but " + String.join(" and ", set)
                                               + " are set: keep one of them");
        }
        if (readUnitsPerSecond != null) {
            return positive("scanReadUnitsPerSecond", ReadBudget.Kind.READ_UNITS_PER_SECOND, readUnitsPerSecond);
        }
        if (itemsPerSecond != null) {
            return positive("scanItemsPerSecond", ReadBudget.Kind.ITEMS_PER_SECOND, itemsPerSecond);
        }
        if (readCapacityFraction != null) {
            if (!(readCapacityFraction > 0 && readCapacityFraction <= 1)) {
                throw new IllegalArgumentException("scanReadCapacityFraction must be above 0 and at most 1 (a share of"
                                                   + " the table's provisioned read capacity), was "
                                                   + readCapacityFraction);
            }
            return new ReadBudget(ReadBudget.Kind.PROVISIONED_FRACTION, readCapacityFraction);
        }
        return ReadBudget.unlimited();
    }

    private static ReadBudget positive(String option, ReadBudget.Kind kind, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(option + " must be a positive number, was " + value);
        }
        return new ReadBudget(kind, value);
    }

    private static String isOrAre(List<String> names) {
        return names.size() == 1 ? "is" : "are";
    }
}
