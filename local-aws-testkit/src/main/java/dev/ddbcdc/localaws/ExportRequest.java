package dev.ddbcdc.localaws;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The parameters of an ExportTableToPointInTime request, validated as far as they can be without the table: full
 * exports, and incremental ones with their {@link IncrementalExportSpec} as requested (null for a full export).
 */
record ExportRequest(String tableArn, Instant requestedExportTime, String clientToken, String s3Bucket,
        String s3BucketOwner, String s3Prefix, String s3SseAlgorithm, String s3SseKmsKeyId, String exportFormat,
        String exportType, IncrementalExportSpec incremental) {

    static final String FULL_EXPORT = "FULL_EXPORT";
    static final String INCREMENTAL_EXPORT = "INCREMENTAL_EXPORT";

    private static final Pattern BUCKET = Pattern.compile("^[a-z0-9A-Z]+[\\.\\-\\w]*[a-z0-9A-Z]+$");
    private static final Pattern CLIENT_TOKEN = Pattern.compile("^[^$]+$");

    static ExportRequest parse(ObjectNode body) {
        String tableArn = AwsJson.requiredText(body, "TableArn");
        String bucket = AwsJson.requiredText(body, "S3Bucket");
        if (bucket.length() > 255 || !BUCKET.matcher(bucket).matches()) {
            throw AwsServiceError.validation("1 validation error detected: Value '" + bucket
                    + "' at 's3Bucket' failed to satisfy constraint: Member must satisfy regular expression pattern: "
                    + BUCKET.pattern());
        }
        String clientToken = AwsJson.text(body, "ClientToken");
        if (clientToken != null && !CLIENT_TOKEN.matcher(clientToken).matches()) {
            throw AwsServiceError.validation("1 validation error detected: Value '" + clientToken
                    + "' at 'clientToken' failed to satisfy constraint: Member must satisfy regular expression "
                    + "pattern: " + CLIENT_TOKEN.pattern());
        }
        String prefix = AwsJson.text(body, "S3Prefix");
        if (prefix != null && prefix.length() > 1024) {
            throw AwsServiceError.validation("S3Prefix is longer than 1024 characters");
        }
        String sse = AwsJson.text(body, "S3SseAlgorithm");
        if (sse != null && !sse.equals("AES256") && !sse.equals("KMS")) {
            throw AwsServiceError.validation("1 validation error detected: Value '" + sse
                    + "' at 's3SseAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: "
                    + "[AES256, KMS]");
        }
        String format = AwsJson.text(body, "ExportFormat");
        format = ExportLineFormat.of(format == null ? DynamoDbJsonLineFormat.NAME : format).exportFormat();
        String type = AwsJson.text(body, "ExportType");
        if (type != null && !type.equals(FULL_EXPORT) && !type.equals(INCREMENTAL_EXPORT)) {
            throw AwsServiceError.validation("1 validation error detected: Value '" + type
                    + "' at 'exportType' failed to satisfy constraint: Member must satisfy enum value set: "
                    + "[FULL_EXPORT, INCREMENTAL_EXPORT]");
        }
        IncrementalExportSpec incremental = IncrementalExportSpec.parse(body, type);
        if (body.hasNonNull("FilterSpecification")) {
            throw AwsServiceError.validation(
                    "The export emulator of the local AWS test kit does not do filtered exports (FilterSpecification)");
        }
        return new ExportRequest(tableArn, AwsJson.timestamp(body, "ExportTime"), clientToken, bucket,
                AwsJson.text(body, "S3BucketOwner"), prefix, sse, AwsJson.text(body, "S3SseKmsKeyId"), format,
                type == null ? FULL_EXPORT : type, incremental);
    }

    boolean isIncremental() {
        return incremental != null;
    }

    /** Whether a request with the same client token asks for the same export (everything but the token equal). */
    boolean sameParametersAs(ExportRequest other) {
        return tableArn.equals(other.tableArn) && Objects.equals(requestedExportTime, other.requestedExportTime)
                && s3Bucket.equals(other.s3Bucket) && Objects.equals(s3BucketOwner, other.s3BucketOwner)
                && Objects.equals(s3Prefix, other.s3Prefix) && Objects.equals(s3SseAlgorithm, other.s3SseAlgorithm)
                && Objects.equals(s3SseKmsKeyId, other.s3SseKmsKeyId) && exportFormat.equals(other.exportFormat)
                && exportType.equals(other.exportType) && Objects.equals(incremental, other.incremental);
    }
}
