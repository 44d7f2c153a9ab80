package dev.ddbcdc.camel;

import dev.ddbcdc.camel.options.BridgeOptions;
import dev.ddbcdc.camel.options.ExportFormat;
import dev.ddbcdc.camel.options.IncrementalExportFallback;
import dev.ddbcdc.camel.options.SnapshotMode;
import dev.ddbcdc.camel.options.TrimmedDataPolicy;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What trimmedDataPolicy=INCREMENTAL_EXPORT and incrementalExportFallback need, each refusal naming cause and fix. */
class IncrementalExportOptionsTest {

    static DynamoDbCdcConfiguration bridging(SnapshotMode mode, String bucket) {
        DynamoDbCdcConfiguration configuration = new DynamoDbCdcConfiguration();
        configuration.setTable("orders");
        configuration.setAccessKey("AKIDEXAMPLE");
        configuration.setSecretKey("secret");
        configuration.setRegion("us-east-1");
        configuration.setTrimmedDataPolicy(TrimmedDataPolicy.INCREMENTAL_EXPORT);
        configuration.setSnapshotMode(mode);
        configuration.setExportS3Bucket(bucket);
        return configuration;
    }

    @Test
    void theBridgeNeedsABucketWhateverTheSnapshotMode() {
        for (SnapshotMode mode : new SnapshotMode[] { null, SnapshotMode.SCAN, SnapshotMode.NONE }) {
            String message = assertThrows(IllegalArgumentException.class, () -> bridging(mode, null).validate())
                    .getMessage();
            assertTrue(message.contains("trimmedDataPolicy=INCREMENTAL_EXPORT") && message.contains("exportS3Bucket")
                       && message.contains("RESNAPSHOT"), message);
        }
    }

    @Test
    void withScanOrNoSnapshotTheBucketIsWhereTheBridgeWrites() {
        for (SnapshotMode mode : new SnapshotMode[] { SnapshotMode.SCAN, SnapshotMode.NONE }) {
            DynamoDbCdcConfiguration configuration = bridging(mode, "bridges");
            configuration.setExportS3Prefix("cdc");
            configuration.setExportFormat(ExportFormat.ION);
            configuration.validate();
            assertEquals(mode, configuration.effectiveSnapshotMode(), "the bucket does not make an export snapshot");
            BridgeOptions bridge = configuration.bridgeOptions();
            assertEquals("bridges", bridge.exports().exportS3Bucket());
            assertEquals("cdc", bridge.exports().exportS3Prefix());
            assertEquals(ExportFormat.DYNAMODB_JSON, bridge.exports().exportFormat(), "always read as JSON");
            assertEquals(IncrementalExportFallback.FAIL, bridge.fallback());
        }
        DynamoDbCdcConfiguration export = bridging(null, "bridges");
        export.validate();
        assertEquals(SnapshotMode.EXPORT, export.effectiveSnapshotMode());
        DynamoDbCdcConfiguration scan = bridging(SnapshotMode.SCAN, "bridges");
        scan.setTrimmedDataPolicy(TrimmedDataPolicy.RESNAPSHOT);
        assertThrows(IllegalArgumentException.class, scan::validate, "without the bridge, SCAN takes no bucket");
        assertNull(scan.bridgeOptions());
    }

    @Test
    void aResnapshotFallbackNeedsASnapshotThatCanBeTakenAgain() {
        DynamoDbCdcConfiguration none = bridging(SnapshotMode.NONE, "bridges");
        none.setIncrementalExportFallback(IncrementalExportFallback.RESNAPSHOT);
        String message = assertThrows(IllegalArgumentException.class, none::validate).getMessage();
        assertTrue(message.contains("incrementalExportFallback=RESNAPSHOT") && message.contains("snapshotMode=EXPORT or"
                                                                                                 + " SCAN"), message);
        DynamoDbCdcConfiguration scan = bridging(SnapshotMode.SCAN, "bridges");
        scan.setIncrementalExportFallback(IncrementalExportFallback.RESNAPSHOT);
        scan.validate();
        DynamoDbCdcConfiguration continuing = bridging(SnapshotMode.NONE, "bridges");
        continuing.setIncrementalExportFallback(IncrementalExportFallback.CONTINUE);
        continuing.validate();
    }
}
