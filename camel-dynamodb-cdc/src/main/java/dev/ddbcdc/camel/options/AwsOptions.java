package dev.ddbcdc.camel.options;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The options that say how to reach AWS, read once from the endpoint's configuration. {@link #toString()} names
 * which credentials are set, never their values.
 */
public record AwsOptions(String table, String region, String uriEndpointOverride, String accessKey, String secretKey,
                         String sessionToken, String profileCredentialsName, boolean useDefaultCredentialsProvider,
                         String stsRoleArn, String stsExternalId, String stsRoleSessionName,
                         Map<String, Object> stsHeaderOverrides, String stsUriEndpointOverride,
                         String exportS3Region, String s3UriEndpointOverride) {

    public AwsOptions {
        stsHeaderOverrides = stsHeaderOverrides == null ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(stsHeaderOverrides));
    }

    /**
     * Checks the combinations of the credential options (the endpoint's and the DynamoDB checkpoint stores'); every
     * message names the options involved.
     */
    public void checkCredentials() {
        if ((accessKey == null) != (secretKey == null)) {
            throw new IllegalArgumentException("accessKey and secretKey must be set together");
        }
        if (sessionToken != null && accessKey == null) {
            throw new IllegalArgumentException("sessionToken needs accessKey and secretKey");
        }
        if (useDefaultCredentialsProvider && (accessKey != null || profileCredentialsName != null)) {
            throw new IllegalArgumentException("useDefaultCredentialsProvider=true cannot be combined with accessKey or"
                                               + " profileCredentialsName: choose one source of credentials");
        }
        if (accessKey != null && profileCredentialsName != null) {
            throw new IllegalArgumentException("accessKey and profileCredentialsName cannot be combined: choose one");
        }
        if (stsExternalId != null && stsRoleArn == null) {
            throw new IllegalArgumentException("stsExternalId needs stsRoleArn");
        }
        if (!stsHeaderOverrides.isEmpty() && stsRoleArn == null) {
            throw new IllegalArgumentException("stsHeaderOverrides needs stsRoleArn");
        }
        if (stsUriEndpointOverride != null && stsRoleArn == null) {
            throw new IllegalArgumentException("stsUriEndpointOverride needs stsRoleArn");
        }
    }

    /** Which credentials are in use, for logs: never a secret. */
    public String credentialsKind() {
        String base = accessKey != null ? "static" : profileCredentialsName != null ? "profile " + profileCredentialsName
                : "default chain";
        return stsRoleArn != null ? base + " + assume role " + stsRoleArn : base;
    }

    @Override
    public String toString() {
        return "AwsOptions[table=" + table + ", region=" + region + ", uriEndpointOverride=" + uriEndpointOverride
               + ", accessKey=" + (accessKey == null ? "unset" : "set") + ", secretKey="
               + (secretKey == null ? "unset" : "set") + ", sessionToken=" + (sessionToken == null ? "unset" : "set")
               + ", profileCredentialsName=" + profileCredentialsName + ", stsRoleArn=" + stsRoleArn
               + ", stsExternalId=" + (stsExternalId == null ? "unset" : "set") + ", exportS3Region=" + exportS3Region
               + ", s3UriEndpointOverride=" + s3UriEndpointOverride + "]";
    }
}
