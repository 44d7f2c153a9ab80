package dev.ddbcdc.localaws;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link LocalAws} for a test class: {@code @RegisterExtension static LocalAwsExtension aws = new
 * LocalAwsExtension();} then {@code aws.get()}.
 */
public final class LocalAwsExtension implements BeforeAllCallback, AfterAllCallback {

    private LocalAws aws;

    @Override
    public void beforeAll(ExtensionContext context) {
        aws = LocalAws.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (aws != null) {
            aws.close();
            aws = null;
        }
    }

    public LocalAws get() {
        if (aws == null) {
            throw new IllegalStateException(
                    "LocalAws is started in beforeAll: register the extension on a static field");
        }
        return aws;
    }
}
