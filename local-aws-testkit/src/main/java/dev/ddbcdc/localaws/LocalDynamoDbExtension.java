package dev.ddbcdc.localaws;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link LocalDynamoDb} for a test class: {@code @RegisterExtension static LocalDynamoDbExtension ddb = new
 * LocalDynamoDbExtension();} then {@code ddb.get()}.
 */
public final class LocalDynamoDbExtension implements BeforeAllCallback, AfterAllCallback {

    private LocalDynamoDb ddb;

    @Override
    public void beforeAll(ExtensionContext context) {
        ddb = LocalDynamoDb.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        ddb.close();
    }

    public LocalDynamoDb get() {
        return ddb;
    }
}
