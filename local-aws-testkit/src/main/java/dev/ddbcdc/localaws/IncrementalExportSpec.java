package dev.ddbcdc.localaws;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@code IncrementalExportSpecification} of an incremental export: changes from {@code exportFromTime}
 * (inclusive) to {@code exportToTime} (exclusive; null in a request that names none, which means "up to now"), in the
 * view {@code NEW_AND_OLD_IMAGES} (the default) or {@code NEW_IMAGE}.
 *
 * <p>Errors as AWS answers them (probed against the service; wording of the last two not seen there): the couplings
 * of {@code ExportType} and the specification are {@code ValidationException}s checked before anything else; the
 * window is checked against the table's point-in-time recovery window and raises {@code InvalidExportTimeException}:
 * a start before the earliest restorable time (or any start when PITR is off), an end after the current time, an end
 * not after the start, a window shorter than 15 minutes or longer than 24 hours. AWS's message for a start outside the
 * recovery window speaks of "the table creation time" whatever the cause; the emulator adds the cause in parentheses.
 */
record IncrementalExportSpec(Instant exportFromTime, Instant exportToTime, String exportViewType) {

    static final String NEW_IMAGE = "NEW_IMAGE";
    static final String NEW_AND_OLD_IMAGES = "NEW_AND_OLD_IMAGES";
    static final Duration SHORTEST_WINDOW = Duration.ofMinutes(15);
    static final Duration LONGEST_WINDOW = Duration.ofHours(24);

    private static final String FIELD = "IncrementalExportSpecification";

    /**
     * The specification of a request of type {@code exportType} (already checked to be FULL_EXPORT or
     * INCREMENTAL_EXPORT, or null when the request names none), or null for a full export.
     */
    static IncrementalExportSpec parse(ObjectNode body, String exportType) {
        JsonNode node = body.get(FIELD);
        boolean given = node != null && !node.isNull();
        if (exportType == null) {
            if (given) {
                throw AwsServiceError.validation("Invalid Request: Export Type expected to be Incremental Export "
                        + "when incremental export specification is provided");
            }
            return null;
        }
        if (exportType.equals(ExportRequest.FULL_EXPORT)) {
            if (given) {
                throw AwsServiceError.validation("Invalid Request: When Export Type is Full Export , Incremental "
                        + "Export Specification should not be provided");
            }
            return null;
        }
        if (!given) {
            throw AwsServiceError.validation("Invalid Request: Incremental Export Specification expected when export "
                    + "type is set as Incremental Export");
        }
        if (!node.isObject()) {
            throw AwsServiceError.serialization("Field " + FIELD + " must be an object");
        }
        ObjectNode specification = (ObjectNode) node;
        String view = AwsJson.text(specification, "ExportViewType");
        if (view != null && !view.equals(NEW_IMAGE) && !view.equals(NEW_AND_OLD_IMAGES)) {
            throw AwsServiceError.validation("1 validation error detected: Value '" + view
                    + "' at 'incrementalExportSpecification.exportViewType' failed to satisfy constraint: Member must "
                    + "satisfy enum value set: [NEW_IMAGE, NEW_AND_OLD_IMAGES]");
        }
        Instant from = AwsJson.timestamp(specification, "ExportFromTime");
        if (from == null) {
            throw AwsServiceError.validation(
                    "Invalid Request: ExportFromTime must be provided in IncrementalExportSpecification");
        }
        if (body.hasNonNull("ExportTime")) {
            throw AwsServiceError.validation("Invalid Request: When Export Type is Incremental Export , Export Time "
                    + "should not be provided (the window is ExportFromTime to ExportToTime)");
        }
        return new IncrementalExportSpec(from, AwsJson.timestamp(specification, "ExportToTime"),
                view == null ? NEW_AND_OLD_IMAGES : view);
    }

    /**
     * The window the export covers: {@code exportToTime} defaults to {@code now}; checked against the recovery window
     * of {@code table}, whose earliest restorable time is {@code earliestRestorable} (null when PITR is off).
     */
    IncrementalExportSpec resolve(Instant now, Instant earliestRestorable, TableInfo table) {
        if (earliestRestorable == null) {
            throw fromTimeTooEarly("point-in-time recovery is not enabled for table '" + table.name() + "'");
        }
        if (exportFromTime.isBefore(earliestRestorable)) {
            throw fromTimeTooEarly("the earliest restorable time of table '" + table.name() + "' is "
                    + earliestRestorable);
        }
        if (exportToTime != null && exportToTime.isAfter(now)) {
            throw invalidTime("Incremental export period to time cannot be greater than the current time : "
                    + seconds(exportToTime) + " (now is " + now + ")");
        }
        Instant to = exportToTime != null ? exportToTime : now.truncatedTo(ChronoUnit.MILLIS);
        if (!exportFromTime.isBefore(to)) {
            throw invalidTime("Incremental export period from time should not be greater or equal to incremental "
                    + "export period to time (" + exportFromTime + " to " + to + ")");
        }
        Duration window = Duration.between(exportFromTime, to);
        if (window.compareTo(SHORTEST_WINDOW) < 0) {
            throw invalidTime("Difference between export period from time and export period to time is less than 15 "
                    + "minutes (" + exportFromTime + " to " + to + ")");
        }
        if (window.compareTo(LONGEST_WINDOW) > 0) {
            throw invalidTime("Difference between export period from time and export period to time is more than 24 "
                    + "hours (" + exportFromTime + " to " + to + ")");
        }
        return new IncrementalExportSpec(exportFromTime, to, exportViewType);
    }

    /** Whether lines carry the item's image at ExportFromTime ({@code OldImage}). */
    boolean oldImages() {
        return exportViewType.equals(NEW_AND_OLD_IMAGES);
    }

    /** The IncrementalExportSpecification structure of ExportDescription. */
    ObjectNode describe() {
        ObjectNode d = AwsJson.object();
        AwsJson.putTimestamp(d, "ExportFromTime", exportFromTime);
        AwsJson.putTimestamp(d, "ExportToTime", exportToTime);
        d.put("ExportViewType", exportViewType);
        return d;
    }

    private AwsServiceError fromTimeTooEarly(String cause) {
        return invalidTime("Incremental export period from time cannot be less than the table creation time : "
                + seconds(exportFromTime) + " (" + cause + ")");
    }

    private static AwsServiceError invalidTime(String message) {
        return AwsServiceError.of("InvalidExportTimeException", message);
    }

    private static String seconds(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
