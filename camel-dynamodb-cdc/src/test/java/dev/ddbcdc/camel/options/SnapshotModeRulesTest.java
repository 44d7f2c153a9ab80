package dev.ddbcdc.camel.options;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotModeRulesTest {

    static final List<String> NONE_SET = List.of();

    static String refused(SnapshotMode mode, boolean exportSource, List<String> export, List<String> scan,
                          boolean snapshotOnly) {
        return assertThrows(IllegalArgumentException.class,
                () -> SnapshotModeRules.resolve(mode, exportSource, export, scan, snapshotOnly)).getMessage();
    }

    @Test
    void withoutTheOptionTheModeIsWhatEarlierVersionsDid() {
        assertEquals(SnapshotMode.EXPORT, SnapshotModeRules.resolve(null, true, List.of("exportS3Bucket"), NONE_SET,
                false));
        assertEquals(SnapshotMode.NONE, SnapshotModeRules.resolve(null, false, NONE_SET, NONE_SET, false));
        assertEquals(SnapshotMode.NONE, SnapshotModeRules.resolve(null, false, List.of("exportS3Prefix"), NONE_SET,
                false), "a stray prefix without a bucket was ignored before, and still is");
        assertEquals(SnapshotMode.SCAN, SnapshotModeRules.resolve(SnapshotMode.SCAN, false, NONE_SET,
                List.of("scanSegments"), true));
    }

    @Test
    void eachRefusalNamesTheCauseAndTheFix() {
        String message = refused(SnapshotMode.SCAN, true, List.of("exportS3Bucket", "exportS3Prefix"), NONE_SET, false);
        assertTrue(message.contains("snapshotMode=SCAN") && message.contains("exportS3Bucket, exportS3Prefix are set")
                   && message.contains("remove exportS3Bucket and exportS3Prefix")
                   && message.contains("snapshotMode=EXPORT"), message);
        message = refused(SnapshotMode.EXPORT, false, NONE_SET, NONE_SET, false);
        assertTrue(message.contains("snapshotMode=EXPORT needs exportS3Bucket") && message.contains("exportArn")
                   && message.contains("snapshotMode=SCAN"), message);
        message = refused(SnapshotMode.NONE, true, List.of("exportArn"), NONE_SET, false);
        assertTrue(message.contains("snapshotMode=NONE takes no snapshot, but exportArn is set")
                   && message.contains("remove exportArn"), message);
        message = refused(null, false, NONE_SET, NONE_SET, true);
        assertTrue(message.contains("snapshotOnly needs a snapshot") && message.contains("snapshotMode=SCAN"),
                message);
        message = refused(SnapshotMode.NONE, false, NONE_SET, NONE_SET, true);
        assertTrue(message.contains("snapshotOnly needs a snapshot"), message);
        message = refused(null, false, NONE_SET, List.of("scanSegments", "scanItemsPerSecond"), false);
        assertTrue(message.contains("scanSegments, scanItemsPerSecond are set, but the snapshot mode is NONE"
                                    + " (snapshotMode is not set)")
                   && message.contains("set snapshotMode=SCAN"), message);
        message = refused(null, true, List.of("exportS3Bucket"), List.of("scanPageSize"), false);
        assertTrue(message.contains("scanPageSize is set, but the snapshot mode is EXPORT"), message);
    }

    @Test
    void atMostOneReadBudget() {
        assertEquals(ReadBudget.unlimited(), SnapshotModeRules.budget(null, null, null));
        assertEquals(new ReadBudget(ReadBudget.Kind.READ_UNITS_PER_SECOND, 25),
                SnapshotModeRules.budget(25.0, null, null));
        assertEquals(new ReadBudget(ReadBudget.Kind.ITEMS_PER_SECOND, 500), SnapshotModeRules.budget(null, 500.0, null));
        assertEquals(new ReadBudget(ReadBudget.Kind.PROVISIONED_FRACTION, 0.25),
                SnapshotModeRules.budget(null, null, 0.25));
        String message = assertThrows(IllegalArgumentException.class,
                () -> SnapshotModeRules.budget(25.0, null, 0.5)).getMessage();
        assertTrue(message.contains("scanReadUnitsPerSecond and scanReadCapacityFraction are set")
                   && message.contains("keep one"), message);
        message = assertThrows(IllegalArgumentException.class, () -> SnapshotModeRules.budget(null, null, 1.5))
                .getMessage();
        assertTrue(message.contains("scanReadCapacityFraction must be above 0 and at most 1"), message);
        message = assertThrows(IllegalArgumentException.class, () -> SnapshotModeRules.budget(-1.0, null, null))
                .getMessage();
        assertTrue(message.contains("scanReadUnitsPerSecond must be a positive number"), message);
    }

    @Test
    void scanOptionRanges() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ScanOptions(0, ReadBudget.unlimited(), false,
                0, 1000)).getMessage().contains("scanSegments must be between 1 and 100"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ScanOptions(4, ReadBudget.unlimited(), false,
                -1, 1000)).getMessage().contains("scanPageSize must be positive"));
        assertEquals(4, ScanOptions.defaults().segments());
    }
}
