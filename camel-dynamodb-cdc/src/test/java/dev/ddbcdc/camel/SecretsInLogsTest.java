package dev.ddbcdc.camel;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.ddbcdc.localaws.LocalAws;
import dev.ddbcdc.localaws.LocalAwsExtension;
import dev.ddbcdc.localaws.LocalDynamoDb;
import dev.ddbcdc.localaws.Tables;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the component and Camel log at DEBUG, through a snapshot-then-stream run (export, load, stream) and a failed
 * start, never holds the secret key.
 */
class SecretsInLogsTest {

    @RegisterExtension
    static LocalAwsExtension local = new LocalAwsExtension();

    static final String SECRET = "TopSecretValue987";

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

    @Test
    void theSecretKeyIsNeverLogged() throws Exception {
        LocalAws aws = local.get();
        Tables.createWithStream(aws.dynamoDb(), "secrets", StreamViewType.NEW_IMAGE);
        Tables.enablePointInTimeRecovery(aws.dynamoDb(), "secrets");
        aws.createBucket("secrets");
        aws.dynamoDb().putItem(b -> b.tableName("secrets").item(Map.of("pk", AttributeValue.fromS("before"))));
        Capture capture = new Capture();
        capture.start();
        LoggerContext logging = (LoggerContext) LogManager.getContext(false);
        Configuration config = logging.getConfiguration();
        // both are declared in log4j2-test.xml: attach to them and lower their level for the test
        List<LoggerConfig> loggers = List.of(config.getLoggerConfig("dev.ddbcdc"),
                config.getLoggerConfig("org.apache.camel"));
        List<Level> levels = loggers.stream().map(LoggerConfig::getLevel).toList();
        try {
            for (LoggerConfig logger : loggers) {
                logger.addAppender(capture, Level.DEBUG, null);
                logger.setLevel(Level.DEBUG);
            }
            logging.updateLoggers();

            String options = "region=us-east-1&uriEndpointOverride=" + aws.dynamoDbEndpoint() + "&s3UriEndpointOverride="
                             + aws.s3Endpoint() + "&accessKey=" + LocalDynamoDb.ACCESS_KEY + "&secretKey=" + SECRET
                             + "&exportS3Bucket=secrets&exportPollInterval=100&idlePollDelay=50";
            try (CdcHarness cdc = new CdcHarness().start("dynamodb-cdc:secrets?" + options)) {
                cdc.await(1, Duration.ofSeconds(20));
                cdc.awaitPhase(dev.ddbcdc.camel.engine.Phase.STREAMING, Duration.ofSeconds(20));
                aws.dynamoDb().putItem(b -> b.tableName("secrets").item(Map.of("pk", AttributeValue.fromS("x"))));
                CdcHarness.awaitCondition(() -> cdc.received.stream().anyMatch(e -> "x".equals(
                        e.getMessage().getHeader(DynamoDbCdcConstants.PRIMARY_KEY))), Duration.ofSeconds(20),
                        () -> "the change after the snapshot");
            }
            CdcHarness failing = new CdcHarness();
            try {
                failing.start("dynamodb-cdc:no_such_table?" + options);
            } catch (Exception expected) {
                capture.lines.add(expected.toString());
            } finally {
                failing.close();
            }
        } finally {
            for (int i = 0; i < loggers.size(); i++) {
                loggers.get(i).removeAppender("capture");
                loggers.get(i).setLevel(levels.get(i));
            }
            logging.updateLoggers();
        }
        assertTrue(capture.lines.size() > 10, "the capture saw the run: " + capture.lines.size() + " lines");
        assertTrue(capture.lines.stream().anyMatch(l -> l.contains("secretKey=xxxxxx")), "Camel logged the masked URI");
        assertTrue(capture.lines.stream().anyMatch(l -> l.startsWith("dev.ddbcdc.camel.engine.SnapshotRunner")),
                "the capture saw the snapshot");
        for (String line : capture.lines) {
            assertFalse(line.contains(SECRET), line);
        }
    }
}
