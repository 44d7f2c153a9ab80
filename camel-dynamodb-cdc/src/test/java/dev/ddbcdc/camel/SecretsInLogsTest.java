package dev.ddbcdc.camel;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.ddbcdc.localaws.LocalAws;
import dev.ddbcdc.localaws.LocalAwsExtension;
import dev.ddbcdc.localaws.LocalDynamoDb;
import dev.ddbcdc.localaws.LocalSts;
import dev.ddbcdc.localaws.Tables;
import org.apache.camel.Endpoint;
import org.apache.camel.health.HealthCheck;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The secrets (secretKey, sessionToken, and the temporary secret access key and session token STS hands out for
 * stsRoleArn) never show in what the component, Camel and the AWS SDK log down to TRACE, in exception messages and
 * stack traces of failed starts and AWS errors, in the readiness check's message and details, or in the endpoint's
 * string forms (toString, base URI, Camel's endpoint registry and route descriptions). accessKey and stsExternalId are
 * identifiers, not secrets (AWS prints both in CloudTrail); accessKey is still masked like a secret in URIs.
 */
class SecretsInLogsTest {

    @RegisterExtension
    static LocalAwsExtension local = new LocalAwsExtension();

    static final String SECRET = "TopSecretValue987";
    static final String SESSION_TOKEN = "SessionTokenValue654";
    static final String SIGNER = "software.amazon.awssdk.http.auth.aws.internal.signer";

    /** Collects every event of the loggers it is attached to, message and stack trace. */
    static final class Capture extends AbstractAppender {
        final List<String> lines = new CopyOnWriteArrayList<>();

        Capture() {
            super("capture", null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            StringWriter text = new StringWriter();
            text.append(event.getLoggerName()).append(' ').append(event.getMessage().getFormattedMessage());
            if (event.getThrown() != null) {
                event.getThrown().printStackTrace(new PrintWriter(text));
            }
            lines.add(text.toString());
        }
    }

    /**
     * The component's and the AWS SDK's loggers down to TRACE, Camel's down to DEBUG; but the SDK's SigV4 signer only
     * down to INFO: at DEBUG it logs the canonical request, whose signed headers hold the X-Amz-Security-Token (the
     * session token). docs/reliability.md says so.
     */
    static final Map<String, Level> LOGGERS = Map.of("dev.ddbcdc", Level.TRACE, "software.amazon.awssdk", Level.TRACE,
            SIGNER, Level.INFO, "org.apache.camel", Level.DEBUG);

    final Capture capture = new Capture();
    /** Exception texts, health results and endpoint strings seen outside the logs. */
    final List<String> seen = new ArrayList<>();
    private final List<Level> levels = new ArrayList<>();
    private final List<LoggerConfig> loggers = new ArrayList<>();

    @BeforeEach
    void attach() {
        capture.start();
        LoggerContext logging = (LoggerContext) LogManager.getContext(false);
        Configuration config = logging.getConfiguration();
        // each is declared in log4j2-test.xml: attach to it and lower its level for the test
        LOGGERS.forEach((name, level) -> {
            LoggerConfig logger = config.getLoggerConfig(name);
            assertTrue(logger.getName().equals(name), name + " is declared in log4j2-test.xml");
            loggers.add(logger);
            levels.add(logger.getLevel());
            logger.addAppender(capture, level, null);
            logger.setLevel(level);
        });
        logging.updateLoggers();
    }

    @AfterEach
    void detach() {
        for (int i = 0; i < loggers.size(); i++) {
            loggers.get(i).removeAppender("capture");
            loggers.get(i).setLevel(levels.get(i));
        }
        ((LoggerContext) LogManager.getContext(false)).updateLoggers();
    }

    static String stackTrace(Throwable e) {
        StringWriter text = new StringWriter();
        e.printStackTrace(new PrintWriter(text));
        return text.toString();
    }

    /** What a running route shows of its endpoint and health. */
    void look(CdcHarness cdc) {
        Endpoint endpoint = cdc.context.getRoute(CdcHarness.ROUTE_ID).getEndpoint();
        seen.add(endpoint.toString());
        seen.add(endpoint.getEndpointBaseUri());
        seen.add(((DynamoDbCdcEndpoint) endpoint).getConfiguration().toString());
        seen.add(cdc.context.getEndpoints().toString());
        seen.add(cdc.context.getEndpointRegistry().toString());
        seen.add(cdc.context.getRoute(CdcHarness.ROUTE_ID).toString());
        seen.add(String.valueOf(cdc.context.getRoute(CdcHarness.ROUTE_ID).getConsumer()));
        HealthCheck.Result health = HealthChecks.readiness(cdc);
        seen.add(health.getMessage().orElse("") + " " + health.getDetails());
        health.getError().ifPresent(e -> seen.add(stackTrace(e)));
    }

    void startFailure(String uri) {
        CdcHarness failing = new CdcHarness();
        try {
            failing.start(uri);
            throw new AssertionError("expected the start to fail: " + uri);
        } catch (Exception expected) {
            seen.add(stackTrace(expected));
        } finally {
            failing.close();
        }
    }

    void assertNoSecret(List<String> secrets) {
        assertTrue(capture.lines.size() > 10, "the capture saw the run: " + capture.lines.size() + " lines");
        List<String> everything = new ArrayList<>(capture.lines);
        everything.addAll(seen);
        for (String text : everything) {
            for (String secret : secrets) {
                assertFalse(text.contains(secret), "a secret in: " + text);
            }
        }
    }

    @Test
    void staticCredentialsAreNeverLoggedNorShown() throws Exception {
        LocalAws aws = local.get();
        Tables.createWithStream(aws.dynamoDb(), "secrets", StreamViewType.NEW_IMAGE);
        Tables.enablePointInTimeRecovery(aws.dynamoDb(), "secrets");
        aws.createBucket("secrets");
        aws.dynamoDb().putItem(b -> b.tableName("secrets").item(Map.of("pk", AttributeValue.fromS("before"))));
        String options = "region=us-east-1&uriEndpointOverride=" + aws.dynamoDbEndpoint() + "&s3UriEndpointOverride="
                         + aws.s3Endpoint() + "&accessKey=" + LocalDynamoDb.ACCESS_KEY + "&secretKey=" + SECRET
                         + "&sessionToken=" + SESSION_TOKEN + "&exportS3Bucket=secrets&exportPollInterval=100"
                         + "&idlePollDelay=50";
        try (CdcHarness cdc = new CdcHarness().start("dynamodb-cdc:secrets?" + options)) {
            cdc.await(1, Duration.ofSeconds(20));
            cdc.awaitPhase(dev.ddbcdc.camel.checkpoint.Phase.STREAMING, Duration.ofSeconds(20));
            aws.dynamoDb().putItem(b -> b.tableName("secrets").item(Map.of("pk", AttributeValue.fromS("x"))));
            CdcHarness.awaitCondition(() -> cdc.received.stream().anyMatch(e -> "x".equals(
                    e.getMessage().getHeader(DynamoDbCdcConstants.PRIMARY_KEY))), Duration.ofSeconds(20),
                    () -> "the change after the snapshot");
            look(cdc);
        }
        startFailure("dynamodb-cdc:no_such_table?" + options);
        // an AWS error: S3 refuses a bucket name that cannot exist
        startFailure("dynamodb-cdc:secrets?" + options.replace("exportS3Bucket=secrets", "exportS3Bucket=No_Such"));
        // a bad option next to the secrets
        startFailure("dynamodb-cdc:secrets?" + options + "&maxRecordsPerRequest=0");
        assertTrue(capture.lines.stream().anyMatch(l -> l.contains("secretKey=xxxxxx")), "Camel logged the masked URI");
        assertTrue(capture.lines.stream().anyMatch(l -> l.startsWith("dev.ddbcdc.camel.engine.SnapshotRunner")),
                "the capture saw the snapshot");
        assertTrue(capture.lines.stream().anyMatch(l -> l.startsWith("software.amazon.awssdk")),
                "the capture saw the AWS SDK");
        assertNoSecret(List.of(SECRET, SESSION_TOKEN));
    }

    @Test
    void assumedRoleCredentialsAreNeverLoggedNorShown() throws Exception {
        LocalAws aws = local.get();
        Tables.createWithStream(aws.dynamoDb(), "secrets_sts", StreamViewType.NEW_IMAGE);
        List<String> secrets = new ArrayList<>(List.of(SECRET, SESSION_TOKEN));
        try (LocalSts sts = LocalSts.start()) {
            String uri = "dynamodb-cdc:secrets_sts?region=us-east-1&uriEndpointOverride=" + aws.dynamoDbEndpoint()
                         + "&accessKey=" + LocalDynamoDb.ACCESS_KEY + "&secretKey=" + SECRET + "&sessionToken="
                         + SESSION_TOKEN + "&stsRoleArn=arn:aws:iam::123456789012:role/cdc&stsExternalId=ext-1"
                         + "&stsUriEndpointOverride=" + sts.endpoint() + "&startPosition=TRIM_HORIZON&idlePollDelay=50";
            aws.dynamoDb().putItem(b -> b.tableName("secrets_sts").item(Map.of("pk", AttributeValue.fromS("sts"))));
            try (CdcHarness cdc = new CdcHarness().start(uri)) {
                cdc.await(1, Duration.ofSeconds(20));
                look(cdc);
            }
            sts.denyNext("AccessDenied", "not authorized to perform: sts:AssumeRole");
            startFailure(uri);
            for (LocalSts.Issued issued : sts.issued()) {
                secrets.add(issued.secretAccessKey());
                secrets.add(issued.sessionToken());
            }
            assertTrue(secrets.size() > 2, "STS issued credentials");
        }
        assertTrue(seen.stream().anyMatch(s -> s.contains("not authorized to perform: sts:AssumeRole")
                                               && s.contains("Status Code: 403")), "the refused AssumeRole was seen");
        assertNoSecret(secrets);
    }
}
