package dev.ddbcdc.localaws;

/**
 * An error the emulator answers in the AWS JSON 1.0 form, so that the SDK raises the modeled exception class named by
 * {@link #errorName()} (e.g. {@code TableNotFoundException}).
 */
final class AwsServiceError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Namespace DynamoDB puts in front of its modeled error names in {@code __type}. */
    static final String DYNAMODB_NAMESPACE = "com.amazonaws.dynamodb.v20120810";
    /** Namespace AWS uses for request validation errors. */
    static final String VALIDATION_NAMESPACE = "com.amazon.coral.validate";
    /** Namespace AWS uses for requests it cannot read. */
    static final String SERVICE_NAMESPACE = "com.amazon.coral.service";

    private final String namespace;
    private final String errorName;
    private final int status;

    private AwsServiceError(String namespace, String errorName, int status, String message) {
        super(message);
        this.namespace = namespace;
        this.errorName = errorName;
        this.status = status;
    }

    static AwsServiceError of(String errorName, String message) {
        return new AwsServiceError(DYNAMODB_NAMESPACE, errorName, 400, message);
    }

    static AwsServiceError validation(String message) {
        return new AwsServiceError(VALIDATION_NAMESPACE, "ValidationException", 400, message);
    }

    static AwsServiceError serialization(String message) {
        return new AwsServiceError(SERVICE_NAMESPACE, "SerializationException", 400, message);
    }

    static AwsServiceError internal(String message) {
        return new AwsServiceError(DYNAMODB_NAMESPACE, "InternalServerError", 500, message);
    }

    static AwsServiceError tableNotFound(String message) {
        return of("TableNotFoundException", message);
    }

    String errorName() {
        return errorName;
    }

    /** The {@code __type} value: {@code <namespace>#<name>}. */
    String type() {
        return namespace + "#" + errorName;
    }

    int status() {
        return status;
    }
}
