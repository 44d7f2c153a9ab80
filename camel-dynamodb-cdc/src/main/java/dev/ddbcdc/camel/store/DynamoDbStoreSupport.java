package dev.ddbcdc.camel.store;

import java.util.Map;
import java.util.regex.Pattern;

import dev.ddbcdc.camel.aws.AwsConnections;
import dev.ddbcdc.camel.options.AwsOptions;
import org.apache.camel.support.service.ServiceSupport;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What both DynamoDB stores share: the table options and the same connection and credential options as the
 * {@code dynamodb-cdc} endpoint, set through a no-arg constructor and setters (a bean in YAML, XML or Java). The
 * client is built at start through the component's {@link AwsConnections} (so credentials, STS and endpoint overrides
 * behave exactly as the endpoint's) and closed at stop; a {@link DynamoDbClient} given with
 * {@link #setDynamoDbClient} is used as it is and never closed here.
 */
public abstract class DynamoDbStoreSupport extends ServiceSupport {

    /** The table both stores use unless told otherwise. */
    public static final String DEFAULT_TABLE = "dynamodb-cdc-checkpoints";
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z0-9_.-]{3,255}");

    private String tableName = DEFAULT_TABLE;
    private boolean createTable = true;
    private String region;
    private String uriEndpointOverride;
    private String accessKey;
    private String secretKey;
    private String sessionToken;
    private String profileCredentialsName;
    private boolean useDefaultCredentialsProvider;
    private String stsRoleArn;
    private String stsExternalId;
    private String stsRoleSessionName = "camel-dynamodb-cdc";
    private String stsUriEndpointOverride;
    private DynamoDbClient dynamoDbClient;

    private volatile AwsConnections connections;
    private volatile DynamoDbClient client;

    @Override
    protected void doStart() throws Exception {
        if (tableName == null || !TABLE_NAME.matcher(tableName).matches()) {
            throw new IllegalArgumentException("tableName must be a DynamoDB table name (3 to 255 of A-Z a-z 0-9 _ . -),"
                                               + " was '" + tableName + "'");
        }
        AwsOptions options = awsOptions();
        options.checkCredentials();
        AwsConnections own = new AwsConnections(options, null, dynamoDbClient, null, null);
        try {
            DynamoDbClient started = own.dynamoDb();
            DynamoDbCheckpointTable prepared = new DynamoDbCheckpointTable(started, tableName);
            boolean created = prepared.prepare(createTable);
            tablePrepared(prepared, created);
            connections = own;
            client = started;
        } catch (RuntimeException e) {
            own.close();
            throw e;
        }
    }

    /** Called at start once the table is there and ACTIVE; {@code created}: this start created it. */
    void tablePrepared(DynamoDbCheckpointTable table, boolean created) {
    }

    @Override
    protected void doStop() throws Exception {
        AwsConnections own = connections;
        connections = null;
        client = null;
        if (own != null) {
            own.close();
        }
    }

    /** The started client; fails clearly when the store is used before it was started. */
    DynamoDbClient client() {
        DynamoDbClient current = client;
        if (current == null) {
            throw new IllegalStateException(getClass().getSimpleName() + " on table " + tableName
                                            + " is not started: start it (a route's consumer starts the repositories"
                                            + " it is given) before using it");
        }
        return current;
    }

    /** How to reach AWS, in the endpoint's own option record (its {@code table} holds the checkpoint table). */
    AwsOptions awsOptions() {
        return new AwsOptions(tableName, region, uriEndpointOverride, accessKey, secretKey, sessionToken,
                profileCredentialsName, useDefaultCredentialsProvider, stsRoleArn, stsExternalId, stsRoleSessionName,
                Map.of(), stsUriEndpointOverride, null, null);
    }

    /** A description without secrets. */
    @Override
    public String toString() {
        return getClass().getSimpleName() + "[tableName=" + tableName + ", region=" + region
               + (uriEndpointOverride != null ? ", uriEndpointOverride=" + uriEndpointOverride : "")
               + ", credentials=" + (dynamoDbClient != null ? "given client" : awsOptions().credentialsKind()) + details()
               + "]";
    }

    /** More of {@link #toString()}, for a subclass: ", name=value" pairs, no secret. */
    String details() {
        return "";
    }

    // ---- options

    public String getTableName() {
        return tableName;
    }

    /** The DynamoDB table (default {@value #DEFAULT_TABLE}); both stores may share one. */
    public void setTableName(String tableName) {
        this.tableName = tableName;
    }

    public boolean isCreateTable() {
        return createTable;
    }

    /** Whether to create the table at start when it does not exist (default true); false needs no CreateTable. */
    public void setCreateTable(boolean createTable) {
        this.createTable = createTable;
    }

    public String getRegion() {
        return region;
    }

    public void setRegion(String region) {
        this.region = region;
    }

    public String getUriEndpointOverride() {
        return uriEndpointOverride;
    }

    public void setUriEndpointOverride(String uriEndpointOverride) {
        this.uriEndpointOverride = uriEndpointOverride;
    }

    public String getAccessKey() {
        return accessKey;
    }

    public void setAccessKey(String accessKey) {
        this.accessKey = accessKey;
    }

    /** Write-only, like {@link #setSessionToken}: no getter hands a secret to whatever lists a bean's properties. */
    public void setSecretKey(String secretKey) {
        this.secretKey = secretKey;
    }

    public void setSessionToken(String sessionToken) {
        this.sessionToken = sessionToken;
    }

    public String getProfileCredentialsName() {
        return profileCredentialsName;
    }

    public void setProfileCredentialsName(String profileCredentialsName) {
        this.profileCredentialsName = profileCredentialsName;
    }

    public boolean isUseDefaultCredentialsProvider() {
        return useDefaultCredentialsProvider;
    }

    public void setUseDefaultCredentialsProvider(boolean useDefaultCredentialsProvider) {
        this.useDefaultCredentialsProvider = useDefaultCredentialsProvider;
    }

    public String getStsRoleArn() {
        return stsRoleArn;
    }

    public void setStsRoleArn(String stsRoleArn) {
        this.stsRoleArn = stsRoleArn;
    }

    public String getStsExternalId() {
        return stsExternalId;
    }

    public void setStsExternalId(String stsExternalId) {
        this.stsExternalId = stsExternalId;
    }

    public String getStsRoleSessionName() {
        return stsRoleSessionName;
    }

    public void setStsRoleSessionName(String stsRoleSessionName) {
        this.stsRoleSessionName = stsRoleSessionName;
    }

    public String getStsUriEndpointOverride() {
        return stsUriEndpointOverride;
    }

    public void setStsUriEndpointOverride(String stsUriEndpointOverride) {
        this.stsUriEndpointOverride = stsUriEndpointOverride;
    }

    public DynamoDbClient getDynamoDbClient() {
        return dynamoDbClient;
    }

    /** A ready client to use instead of building one from the options; never closed by the store. */
    public void setDynamoDbClient(DynamoDbClient dynamoDbClient) {
        this.dynamoDbClient = dynamoDbClient;
    }
}
