package dev.ddbcdc.camel.export;

import java.time.Instant;

import dev.ddbcdc.camel.fakes.FakeExports;
import dev.ddbcdc.camel.options.ExportFormat;
import dev.ddbcdc.camel.options.SnapshotOptions;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.ExportTableToPointInTimeRequest;
import software.amazon.awssdk.services.dynamodb.model.ExportType;
import software.amazon.awssdk.services.dynamodb.model.ExportViewType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** A bridge's window is requested as an incremental export whose client token names consumer, table and window. */
class IncrementalRequestsTest {

    static final String TABLE_ARN = "arn:aws:dynamodb:us-east-1:1:table/t";

    static SnapshotOptions options(String consumerId) {
        return new SnapshotOptions(consumerId, null, "bucket", "prefix", null, null, ExportFormat.ION, 100, 1, 1000,
                60_000);
    }

    static ExportTableToPointInTimeRequest request(String consumerId, int generation, long from, long to) {
        FakeExports exports = new FakeExports(TABLE_ARN);
        exports.export(TABLE_ARN + "/export/01-a");
        exports.answerNextRequestWith(TABLE_ARN + "/export/01-a");
        new ExportService(exports, "t", TABLE_ARN, generation).requestIncremental(options(consumerId), from, to);
        return exports.requests().get(0);
    }

    @Test
    void aWindowIsAnIncrementalExportWithOldAndNewImagesInDynamoDbJson() {
        ExportTableToPointInTimeRequest request = request("c", 2, 1_000_000, 2_000_000);
        assertEquals(ExportType.INCREMENTAL_EXPORT, request.exportType());
        assertEquals(Instant.ofEpochMilli(1_000_000), request.incrementalExportSpecification().exportFromTime());
        assertEquals(Instant.ofEpochMilli(2_000_000), request.incrementalExportSpecification().exportToTime());
        assertEquals(ExportViewType.NEW_AND_OLD_IMAGES, request.incrementalExportSpecification().exportViewType());
        assertEquals("DYNAMODB_JSON", request.exportFormatAsString(), "whatever exportFormat says");
        assertEquals("bucket", request.s3Bucket());
        assertEquals("prefix", request.s3Prefix());
        assertEquals(null, request.exportTime());
    }

    @Test
    void theClientTokenIsTheSameForTheSameWindowOnly() {
        String token = request("c", 2, 1_000_000, 2_000_000).clientToken();
        assertEquals(token, request("c", 2, 1_000_000, 2_000_000).clientToken(), "a repeated request is the same");
        assertNotEquals(token, request("c", 2, 2_000_000, 3_000_000).clientToken(), "another window");
        assertNotEquals(token, request("c", 3, 1_000_000, 2_000_000).clientToken(), "another generation");
        assertNotEquals(token, request("d", 2, 1_000_000, 2_000_000).clientToken(), "another consumer");
    }
}
