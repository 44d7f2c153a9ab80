package dev.ddbcdc.localaws;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** How one item (or one change) becomes one line of an export data file: DynamoDB JSON or text Ion. */
interface ExportLineFormat {

    /** The {@code ExportFormat} value, {@code DYNAMODB_JSON} or {@code ION}. */
    String exportFormat();

    /** Data file name suffix, {@code .json.gz} or {@code .ion.gz}. */
    String fileSuffix();

    /** Writes the item as one line, newline included; the line has no other newline. */
    void writeLine(Map<String, AttributeValue> item, OutputStream out) throws IOException;

    /**
     * Writes a line of an incremental export, newline included: {@code Metadata} (with {@code WriteTimestampMicros}),
     * {@code Keys}, then {@code OldImage} and {@code NewImage} when the change has them.
     */
    void writeChangeLine(ChangeRecord change, OutputStream out) throws IOException;

    static ExportLineFormat of(String exportFormat) {
        return switch (exportFormat) {
            case DynamoDbJsonLineFormat.NAME -> new DynamoDbJsonLineFormat();
            case IonLineFormat.NAME -> new IonLineFormat();
            default -> throw AwsServiceError.validation("1 validation error detected: Value '" + exportFormat
                    + "' at 'exportFormat' failed to satisfy constraint: Member must satisfy enum value set: "
                    + "[DYNAMODB_JSON, ION]");
        };
    }
}
