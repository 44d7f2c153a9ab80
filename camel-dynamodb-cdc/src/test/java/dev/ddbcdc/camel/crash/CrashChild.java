package dev.ddbcdc.camel.crash;

import java.io.File;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import dev.ddbcdc.camel.DynamoDbCdcConstants;
import dev.ddbcdc.camel.checkpoint.FileCheckpointRepository;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The consumer under test, in a JVM of its own so that the test can kill it with SIGKILL: one route
 * {@code dynamodb-cdc:} into a {@link DurableSink}, checkpointing in a {@link FileCheckpointRepository}. The exchange
 * completes (and so is acknowledged and checkpointed) only after its sink line was forced to disk.
 * <p>
 * Arguments: run number, endpoint URI (with {@code checkpointRepository=#checkpoints}), checkpoint file, sink file.
 * Prints {@link #STARTED} once the route started, then runs until killed (SIGTERM stops the route in order).
 */
public final class CrashChild {

    static final String STARTED = "CRASH-CHILD-STARTED";

    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        int run = Integer.parseInt(args[0]);
        String uri = args[1];
        File checkpoints = new File(args[2]);
        DurableSink sink = new DurableSink(Path.of(args[3]));
        if (sink.tornBytes() > 0) {
            System.out.println("CRASH-CHILD-TORN-LINE " + sink.tornBytes() + " bytes cut off the sink");
        }
        CamelContext context = new DefaultCamelContext();
        context.getRegistry().bind("checkpoints", new FileCheckpointRepository(checkpoints));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("crash").process(exchange -> sink.append(lineOf(run, exchange)));
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(context::stop));
        context.start();
        System.out.println(STARTED);
        System.out.flush();
        Thread.currentThread().join();
    }

    /** The sink line of an exchange delivered by child {@code run}, stamped with the wall time of now. */
    @SuppressWarnings("unchecked")
    public static SinkLine lineOf(int run, Exchange exchange) {
        Instant now = Instant.now();
        long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
        Message in = exchange.getMessage();
        String op = in.getHeader(DynamoDbCdcConstants.OPERATION, String.class);
        String key = in.getHeader(DynamoDbCdcConstants.PRIMARY_KEY, String.class);
        long documentVersion = in.getHeader(DynamoDbCdcConstants.DOCUMENT_VERSION, Long.class);
        long version;
        String image;
        if ("REMOVE".equals(op)) {
            Map<String, Object> old = in.getHeader(DynamoDbCdcConstants.OLD_IMAGE, Map.class);
            version = ((BigDecimal) old.get("v")).longValueExact() + 1;
            image = null;
        } else {
            Map<String, Object> item = in.getBody(Map.class);
            version = ((BigDecimal) item.get("v")).longValueExact();
            image = canonical(item);
        }
        if ("READ".equals(op)) {
            return new SinkLine(run, op, key, version, documentVersion, null, null,
                    in.getHeader(DynamoDbCdcConstants.EXPORT_DATA_FILE, String.class),
                    in.getHeader(DynamoDbCdcConstants.EXPORT_LINE, Long.class), image, micros);
        }
        return new SinkLine(run, op, key, version, documentVersion,
                in.getHeader(DynamoDbCdcConstants.SHARD_ID, String.class),
                in.getHeader(DynamoDbCdcConstants.SEQUENCE_NUMBER, String.class), null, 0, image, micros);
    }

    /** An item as a string both the sink and the test's table scan produce the same way. */
    public static String canonical(Map<String, Object> item) {
        return new TreeMap<>(item).toString();
    }
}
