package dev.ddbcdc.localaws;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * What the emulator needs to know about a table, read from DynamoDB Local with DescribeTable. DynamoDB Local has no
 * TableId, so one is derived from the ARN and the creation time: stable for a table, new when it is recreated.
 */
record TableInfo(String name, String arn, String id, Instant created, List<String> keyAttributes) {

    private static final String TABLE_MARKER = ":table/";

    /**
     * @param aged how far DynamoDB Local's event times were dilated: its creation times are that much earlier than the
     *             table's real one, which identifies the table's incarnation and must not move
     */
    static TableInfo describe(DynamoDbClient dynamoDb, Duration aged, String table) {
        TableDescription description;
        try {
            description = dynamoDb.describeTable(b -> b.tableName(table)).table();
        } catch (ResourceNotFoundException e) {
            throw AwsServiceError.tableNotFound("Table not found: " + table);
        } catch (DynamoDbException e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            if ("ValidationException".equals(code)) {
                throw AwsServiceError.validation(e.awsErrorDetails().errorMessage());
            }
            throw e;
        }
        Instant created = description.creationDateTime() == null ? null : description.creationDateTime().plus(aged);
        String id = description.tableId() != null ? description.tableId()
                : UUID.nameUUIDFromBytes((description.tableArn() + "@" + created)
                        .getBytes(StandardCharsets.UTF_8)).toString();
        return new TableInfo(description.tableName(), description.tableArn(), id, created,
                description.keySchema().stream().map(KeySchemaElement::attributeName).toList());
    }

    /** Table name of a table ARN ({@code arn:aws:dynamodb:<region>:<account>:table/<name>}). */
    static String nameFromArn(String tableArn) {
        int at = tableArn.indexOf(TABLE_MARKER);
        if (!tableArn.startsWith("arn:") || at < 0 || tableArn.indexOf('/', at + TABLE_MARKER.length()) >= 0
                || at + TABLE_MARKER.length() == tableArn.length()) {
            throw AwsServiceError.validation("Invalid TableArn: " + tableArn
                    + " (expected arn:aws:dynamodb:<region>:<account>:table/<name>)");
        }
        return tableArn.substring(at + TABLE_MARKER.length());
    }

    /** A table name, or a table ARN as DescribeContinuousBackups and UpdateContinuousBackups also accept. */
    static String nameFromNameOrArn(String tableNameOrArn) {
        return tableNameOrArn.startsWith("arn:") ? nameFromArn(tableNameOrArn) : tableNameOrArn;
    }
}
