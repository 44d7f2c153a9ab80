package dev.ddbcdc.camel.port;

import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/** The table's facts: DynamoDB's DescribeTable, behind a port so that the rules over it can be tested with fakes. */
public interface TablePort {

    /**
     * The table's description.
     *
     * @throws ResourceNotFoundException when the table does not exist
     */
    TableDescription describeTable(String tableName);
}
