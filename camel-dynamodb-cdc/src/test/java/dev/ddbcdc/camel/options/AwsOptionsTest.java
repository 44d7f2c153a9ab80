package dev.ddbcdc.camel.options;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The AWS options value names which credentials are set, never their values. */
class AwsOptionsTest {

    @Test
    void toStringNamesNoSecret() {
        AwsOptions options = new AwsOptions("orders", "eu-west-1", null, "AKIAEXAMPLEKEY", "s3cr3t-value",
                "session-token-value", null, false, "arn:aws:iam::123456789012:role/cdc", "external-id-value",
                "camel-dynamodb-cdc", Map.of("x-amz-h", "header-value"), null, null, null);
        String text = options.toString();
        for (String secret : new String[] { "AKIAEXAMPLEKEY", "s3cr3t-value", "session-token-value",
                                            "external-id-value", "header-value" }) {
            assertFalse(text.contains(secret), secret + " in " + text);
        }
        assertTrue(text.contains("accessKey=set") && text.contains("secretKey=set"), text);
    }
}
