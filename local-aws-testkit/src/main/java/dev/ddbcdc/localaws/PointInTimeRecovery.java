package dev.ddbcdc.localaws;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Point-in-time recovery settings per table, and the two operations on them (DescribeContinuousBackups,
 * UpdateContinuousBackups): disabled until UpdateContinuousBackups enables it, as in AWS. A setting belongs to one
 * incarnation of a table: when the table is deleted and created again, PITR is off again. Enabling PITR starts the
 * table's {@link ChangeHistory} (what incremental exports read), disabling it ends it, as in AWS.
 */
final class PointInTimeRecovery {

    static final int DEFAULT_RECOVERY_PERIOD_DAYS = 35;

    /** PITR is on for the table created at {@code tableCreated} since {@code enabledAt}. */
    record Enabled(Instant tableCreated, Instant enabledAt, int recoveryPeriodInDays) {

        /** The start of the recovery window at {@code now}: the recovery period back, not before enablement. */
        Instant earliestRestorable(Instant now) {
            Instant windowStart = now.minus(recoveryPeriodInDays, ChronoUnit.DAYS);
            return enabledAt.isAfter(windowStart) ? enabledAt : windowStart;
        }
    }

    private final Map<String, Enabled> byTableArn = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Supplier<Duration> aged;
    private final DynamoDbClient dynamoDbLocal;
    private final ChangeHistory history;

    PointInTimeRecovery(Clock clock, DynamoDbClient dynamoDbLocal, Supplier<Duration> aged, ChangeHistory history) {
        this.clock = clock;
        this.aged = aged;
        this.dynamoDbLocal = dynamoDbLocal;
        this.history = history;
    }

    /**
     * The PITR setting of this incarnation of the table, or null when PITR is disabled (and then no change history is
     * kept under its name: one left from an earlier table of the name goes).
     */
    Enabled enabled(TableInfo table) {
        Enabled enabled = byTableArn.get(table.arn());
        if (enabled != null && !enabled.tableCreated().equals(table.created())) {
            byTableArn.remove(table.arn(), enabled);
            enabled = null;
        }
        if (enabled == null) {
            history.stop(table.name());
        }
        return enabled;
    }

    ObjectNode describeContinuousBackups(ObjectNode request) {
        TableInfo table = TableInfo.describe(dynamoDbLocal, aged.get(),
                TableInfo.nameFromNameOrArn(AwsJson.requiredText(request, "TableName")));
        ObjectNode response = AwsJson.object();
        response.set("ContinuousBackupsDescription", describe(enabled(table)));
        return response;
    }

    /** Enabling PITR starts the table's change history with its items as they are; disabling ends it. */
    ObjectNode updateContinuousBackups(ObjectNode request) {
        TableInfo table = TableInfo.describe(dynamoDbLocal, aged.get(),
                TableInfo.nameFromNameOrArn(AwsJson.requiredText(request, "TableName")));
        JsonNode specification = request.get("PointInTimeRecoverySpecification");
        if (specification == null || !specification.isObject()) {
            throw AwsServiceError.validation("1 validation error detected: Value null at "
                    + "'pointInTimeRecoverySpecification' failed to satisfy constraint: Member must not be null");
        }
        Boolean enable = AwsJson.bool((ObjectNode) specification, "PointInTimeRecoveryEnabled");
        if (enable == null) {
            throw AwsServiceError.validation("1 validation error detected: Value null at "
                    + "'pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled' failed to satisfy constraint: "
                    + "Member must not be null");
        }
        Integer days = AwsJson.integer((ObjectNode) specification, "RecoveryPeriodInDays");
        Enabled before = enabled(table);
        Enabled after = update(table, enable, days);
        if (after == null) {
            history.stop(table.name());
        } else if (before == null || history.of(table) == null) {
            history.start(table, after.enabledAt(), ExportWriter.scanItems(dynamoDbLocal, table.name()));
        }
        ObjectNode response = AwsJson.object();
        response.set("ContinuousBackupsDescription", describe(after));
        return response;
    }

    /** Enables PITR as if it had been enabled at {@code since} ({@link ExportEmulator#enablePointInTimeRecoverySince}). */
    void enableSince(TableInfo table, Instant since) {
        byTableArn.put(table.arn(), new Enabled(table.created(), since,
                DEFAULT_RECOVERY_PERIOD_DAYS));
    }

    /** Enables (keeping an earlier enablement and its window) or disables PITR. */
    Enabled update(TableInfo table, boolean enable, Integer recoveryPeriodInDays) {
        if (recoveryPeriodInDays != null && (recoveryPeriodInDays < 1 || recoveryPeriodInDays > 35)) {
            throw AwsServiceError.validation("RecoveryPeriodInDays must be between 1 and 35, was "
                    + recoveryPeriodInDays);
        }
        if (!enable) {
            if (recoveryPeriodInDays != null) {
                throw AwsServiceError.validation(
                        "RecoveryPeriodInDays can only be set when PointInTimeRecoveryEnabled is true");
            }
            byTableArn.remove(table.arn());
            return null;
        }
        int days = recoveryPeriodInDays == null ? DEFAULT_RECOVERY_PERIOD_DAYS : recoveryPeriodInDays;
        return byTableArn.compute(table.arn(), (arn, current) -> {
            if (current != null && current.tableCreated().equals(table.created())) {
                return new Enabled(current.tableCreated(), current.enabledAt(), days);
            }
            return new Enabled(table.created(), clock.instant().truncatedTo(ChronoUnit.MILLIS), days);
        });
    }

    /** The ContinuousBackupsDescription structure of DescribeContinuousBackups and UpdateContinuousBackups. */
    ObjectNode describe(Enabled enabled) {
        ObjectNode description = AwsJson.object();
        description.put("ContinuousBackupsStatus", "ENABLED");
        ObjectNode pitr = description.putObject("PointInTimeRecoveryDescription");
        if (enabled == null) {
            pitr.put("PointInTimeRecoveryStatus", "DISABLED");
        } else {
            Instant now = clock.instant();
            pitr.put("PointInTimeRecoveryStatus", "ENABLED");
            pitr.put("RecoveryPeriodInDays", enabled.recoveryPeriodInDays());
            AwsJson.putTimestamp(pitr, "EarliestRestorableDateTime", enabled.earliestRestorable(now));
            AwsJson.putTimestamp(pitr, "LatestRestorableDateTime", now);
        }
        return description;
    }
}
