package dev.ddbcdc.camel.options;

/** The file format of the table export that makes the snapshot; both are read with exact numbers. */
public enum ExportFormat {
    /** One {@code {"Item":{...}}} per line, attribute values typed as in DynamoDB's JSON. */
    DYNAMODB_JSON,
    /** Amazon Ion text, one {@code $ion_1_0 {Item:{...}}} per line. */
    ION
}
