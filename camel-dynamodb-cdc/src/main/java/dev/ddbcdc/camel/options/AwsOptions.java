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
