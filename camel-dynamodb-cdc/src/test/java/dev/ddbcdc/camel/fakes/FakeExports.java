package dev.ddbcdc.camel.fakes;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ddbcdc.camel.port.ExportPort;
import software.amazon.awssdk.services.dynamodb.model.ExportDescription;
import software.amazon.awssdk.services.dynamodb.model.ExportFormat;
import software.amazon.awssdk.services.dynamodb.model.ExportNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ExportStatus;
import software.amazon.awssdk.services.dynamodb.model.ExportTableToPointInTimeRequest;
import software.amazon.awssdk.services.dynamodb.model.ExportType;
import software.amazon.awssdk.services.dynamodb.model.PointInTimeRecoveryStatus;

/**
 * DynamoDB's export calls with scripted answers. Each export is defined up front ({@link #export(String)}): its table,
 * export time, type, where its manifest is, and the statuses successive DescribeExport calls answer (the last one
 * repeats). An ExportTableToPointInTime request is answered with the next export queued by
 * {@link #answerNextRequestWith(String)}, IN_PROGRESS; a request repeating an earlier client token gets the same
 * export again, as DynamoDB's idempotency promises. Requests and client tokens are recorded, calls counted.
 */
public final class FakeExports implements ExportPort {

    /** One scripted export. */
    public final class Export {
        private final String arn;
        private String tableArn;
        private Instant exportTime = Instant.parse("2024-03-01T10:15:42.345Z");
        private ExportType type = ExportType.FULL_EXPORT;
        private String bucket;
        private String manifestKey;
        private Long itemCount;
        private String failureCode;
        private String failureMessage;
        private final Deque<ExportStatus> statuses = new ArrayDeque<>(List.of(ExportStatus.COMPLETED));

        Export(String arn, String tableArn) {
            this.arn = arn;
            this.tableArn = tableArn;
        }

        public Export ofTable(String arn) {
            this.tableArn = arn;
            return this;
        }

        public Export at(Instant time) {
            this.exportTime = time;
            return this;
        }

        public Export type(ExportType exportType) {
            this.type = exportType;
            return this;
        }

        /** Where a completed export's manifest-summary.json is. */
        public Export written(ExportFiles.Written files) {
            this.bucket = files.bucket();
            this.manifestKey = files.manifestSummaryKey();
            this.itemCount = files.itemCount();
            return this;
        }

        /** The statuses successive DescribeExport calls answer; the last one repeats. */
        public Export statuses(ExportStatus... answers) {
            statuses.clear();
            statuses.addAll(List.of(answers));
            return this;
        }

        /** Ends in FAILED with this code and message (after the statuses given before, if any were IN_PROGRESS). */
        public Export fails(String code, String message) {
            this.failureCode = code;
            this.failureMessage = message;
            if (statuses.peekLast() != ExportStatus.FAILED) {
                statuses.remove(ExportStatus.COMPLETED);
                statuses.addLast(ExportStatus.FAILED);
            }
            return this;
        }

        public String arn() {
            return arn;
        }

        ExportDescription describe(ExportStatus status) {
            ExportDescription.Builder d = ExportDescription.builder()
                    .exportArn(arn)
                    .exportStatus(status)
                    .tableArn(tableArn)
                    .exportTime(exportTime)
                    .startTime(exportTime)
                    .exportType(type)
                    .exportFormat(ExportFormat.DYNAMODB_JSON)
                    .s3Bucket(bucket);
            if (status == ExportStatus.COMPLETED) {
                d.exportManifest(manifestKey).itemCount(itemCount).endTime(exportTime.plusSeconds(300));
            }
            if (status == ExportStatus.FAILED) {
                d.failureCode(failureCode).failureMessage(failureMessage).endTime(exportTime.plusSeconds(60));
            }
            return d.build();
        }

        ExportStatus nextStatus() {
            return statuses.size() > 1 ? statuses.removeFirst() : statuses.peekFirst();
        }
    }

    private final String defaultTableArn;
    private final Map<String, Export> exports = new LinkedHashMap<>();
    private final Deque<String> nextRequests = new ArrayDeque<>();
    private final Map<String, String> arnByClientToken = new HashMap<>();
    private final List<ExportTableToPointInTimeRequest> requests = new ArrayList<>();
    private final Map<String, Integer> describeCalls = new HashMap<>();
    private int pointInTimeRecoveryCalls;
    private Instant earliestRestorable = Instant.EPOCH;

    public FakeExports(String defaultTableArn) {
        this.defaultTableArn = defaultTableArn;
    }

    /** Defines an export (completed at once unless {@link Export#statuses} or {@link Export#fails} say otherwise). */
    public synchronized Export export(String arn) {
        Export export = new Export(arn, defaultTableArn);
        exports.put(arn, export);
        return export;
    }

    /** The next ExportTableToPointInTime request (with a new client token) starts this export. */
    public synchronized FakeExports answerNextRequestWith(String arn) {
        nextRequests.addLast(arn);
        return this;
    }

    @Override
    public synchronized PointInTimeRecoveryStatus pointInTimeRecovery(String tableName) {
        pointInTimeRecoveryCalls++;
        return PointInTimeRecoveryStatus.ENABLED;
    }

    @Override
    public synchronized Instant earliestRestorableTime(String tableName) {
        pointInTimeRecoveryCalls++;
        return earliestRestorable;
    }

    /** What {@link #earliestRestorableTime} answers ({@code null}: point-in-time recovery is off). */
    public synchronized FakeExports earliestRestorable(Instant time) {
        earliestRestorable = time;
        return this;
    }

    @Override
    public synchronized ExportDescription exportTableToPointInTime(ExportTableToPointInTimeRequest request) {
        requests.add(request);
        String arn = request.clientToken() == null ? null : arnByClientToken.get(request.clientToken());
        if (arn == null) {
            arn = nextRequests.pollFirst();
            if (arn == null) {
                throw new AssertionError("unexpected ExportTableToPointInTime request " + request);
            }
            if (request.clientToken() != null) {
                arnByClientToken.put(request.clientToken(), arn);
            }
        }
        return exports.get(arn).describe(ExportStatus.IN_PROGRESS);
    }

    @Override
    public synchronized ExportDescription describeExport(String exportArn) {
        describeCalls.merge(exportArn, 1, Integer::sum);
        Export export = exports.get(exportArn);
        if (export == null) {
            throw ExportNotFoundException.builder().message("Export not found: " + exportArn).build();
        }
        return export.describe(export.nextStatus());
    }

    /** Every ExportTableToPointInTime request, in order. */
    public synchronized List<ExportTableToPointInTimeRequest> requests() {
        return List.copyOf(requests);
    }

    /** The client tokens of the requests, in order. */
    public synchronized List<String> clientTokens() {
        return requests.stream().map(ExportTableToPointInTimeRequest::clientToken).toList();
    }

    public synchronized int describeCalls(String exportArn) {
        return describeCalls.getOrDefault(exportArn, 0);
    }

    /** Every call of any kind. */
    public synchronized int calls() {
        return requests.size() + pointInTimeRecoveryCalls
               + describeCalls.values().stream().mapToInt(Integer::intValue).sum();
    }
}
