package dev.ddbcdc.camel.options;

/** The body of each exchange; the headers are the same in every format. */
public enum OutputFormat {
    /** The item as a {@code Map} of plain Java values (new image; for REMOVE the keys or old image). */
    MAP,
    /** A {@code Map} with {@code op}, {@code keys}, {@code before}, {@code after} and {@code source}. */
    ENVELOPE,
    /**
     * A CloudEvent as TriggerMesh's AWSDynamoDBSource emits it: Camel CloudEvent headers (type
     * {@code com.amazon.dynamodb.stream_record}, source the table ARN, id the event id, subject the key attribute
     * names, extension {@code dynamodboperation}) and, as the body, the whole stream record as a JSON string:
     * {@code AwsRegion}, {@code EventID}, {@code EventName}, {@code EventSource} and {@code Dynamodb} (keys and
     * images in DynamoDB JSON).
     */
    CLOUDEVENTS
}
