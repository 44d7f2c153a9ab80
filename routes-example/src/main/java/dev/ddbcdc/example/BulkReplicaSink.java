package dev.ddbcdc.example;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ddbcdc.camel.DynamoDbCdcConstants;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a batch of changes (the body of a {@code batchSize} exchange: a {@code List} of item exchanges) into the
 * replica table with the versioned upsert of {@link ReplicaSinkRoute#UPSERT}, as one JDBC batch
 * ({@code addBatch}/{@code executeBatch}) in one transaction:
 * <ul>
 * <li>every statement succeeded: the transaction is committed, and the batch exchange completes, so the component
 * acknowledges every change of it;</li>
 * <li>a statement failed (or a change lacks a header the upsert needs): the transaction is rolled back, the changes
 * before the first failed one are written again as one batch and committed, and the failed change is reported to the
 * component ({@link DynamoDbCdcConstants#BATCH_ITEM_FAILURES} = its index, and its item exchange gets the exception):
 * the component acknowledges the changes before it and delivers that one and all after it again;</li>
 * <li>anything else (no connection, the commit failed): the exception fails the batch exchange, and every change of
 * the batch is delivered again.</li>
 * </ul>
 * The upsert is idempotent (a row is only replaced by a higher version), so delivering a change again never harms.
 * After the batch, the header {@value #WRITTEN} says how many changes were committed.
 */
public class BulkReplicaSink implements Processor {

    /** Header on the batch exchange once processed: how many changes (from the first) were committed. */
    public static final String WRITTEN = "replicaWritten";

    private static final Logger LOG = LoggerFactory.getLogger(BulkReplicaSink.class);
    private static final Pattern NAMED_PARAMETER = Pattern.compile(":\\?(\\w+)");
    /** The per-change route's statement with plain JDBC parameters. */
    static final String UPSERT = NAMED_PARAMETER.matcher(ReplicaSinkRoute.UPSERT).replaceAll("?");
    /** The headers of a change that the parameters are set from, in their order in {@link #UPSERT}. */
    static final List<String> PARAMETERS = parameterNames(ReplicaSinkRoute.UPSERT);

    private static final ObjectMapper ITEM_JSON = new ObjectMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private final DataSource dataSource;

    public BulkReplicaSink(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        List<Exchange> changes = changes(exchange);
        List<Object[]> rows = new ArrayList<>(changes.size());
        int firstFailed = changes.size();
        Exception cause = null;
        for (Exchange change : changes) {
            try {
                rows.add(parameters(change));
            } catch (IllegalArgumentException e) {
                // cannot be written; the changes after it must wait for it (per-item order), so they are not written
                firstFailed = rows.size();
                cause = e;
                break;
            }
        }
        if (!rows.isEmpty()) {
            try (Connection connection = dataSource.getConnection()) {
                boolean autoCommit = connection.getAutoCommit();
                connection.setAutoCommit(false);
                try {
                    try {
                        executeBatch(connection, rows);
                        connection.commit();
                    } catch (BatchUpdateException e) {
                        connection.rollback();
                        int failedStatement = failedStatement(e, rows.size());
                        firstFailed = failedStatement;
                        cause = new SQLException("the upsert of change " + failedStatement + " of the batch failed: "
                                                 + e.getMessage(), e.getSQLState(), e);
                        // commit what came before it, so that the component can acknowledge exactly those changes
                        if (failedStatement > 0) {
                            executeBatch(connection, rows.subList(0, failedStatement));
                        }
                        connection.commit();
                    }
                } catch (SQLException | RuntimeException e) {
                    connection.rollback();
                    throw e;
                } finally {
                    connection.setAutoCommit(autoCommit);
                }
            }
        }
        exchange.getMessage().setHeader(WRITTEN, firstFailed);
        if (firstFailed < changes.size()) {
            Exchange failed = changes.get(firstFailed);
            failed.setException(cause);
            exchange.setProperty(DynamoDbCdcConstants.BATCH_ITEM_FAILURES, List.of(firstFailed));
            LOG.warn("Replica: wrote {} of {} changes of the batch; change {} ({} {}) failed and is delivered again,"
                     + " with the {} after it: {}", firstFailed, changes.size(), firstFailed,
                    failed.getMessage().getHeader(DynamoDbCdcConstants.OPERATION),
                    failed.getMessage().getHeader(DynamoDbCdcConstants.PRIMARY_KEY),
                    changes.size() - firstFailed - 1, cause.getMessage().lines().findFirst().orElse(""));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Exchange> changes(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (body instanceof List<?> list && list.stream().allMatch(Exchange.class::isInstance)) {
            return (List<Exchange>) list;
        }
        throw new IllegalArgumentException("expected a batch of changes (a List of exchanges: batchSize above 1),"
                                           + " got " + (body == null ? "no body" : body.getClass().getName()));
    }

    /** The upsert's parameters for one change, as camel-jdbc's useHeadersAsParameters would set them. */
    private static Object[] parameters(Exchange change) {
        Object[] values = new Object[PARAMETERS.size()];
        for (int i = 0; i < values.length; i++) {
            String name = PARAMETERS.get(i);
            Object value = name.equals(ReplicaSinkRoute.ITEM_HEADER) ? json(change.getMessage().getBody())
                    : change.getMessage().getHeader(name);
            if (value == null) {
                throw new IllegalArgumentException("Cannot find header [" + name + "] for the upsert of "
                                                   + change.getMessage().getHeader(DynamoDbCdcConstants.PRIMARY_KEY));
            }
            values[i] = value;
        }
        return values;
    }

    private static void executeBatch(Connection connection, List<Object[]> rows) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(UPSERT)) {
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    statement.setObject(i + 1, row[i]);
                }
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    /**
     * The first statement of a failed batch that failed: a driver that stops at the first failure returns the counts
     * of the statements before it; one that goes on marks each failed statement {@code EXECUTE_FAILED}.
     */
    private static int failedStatement(BatchUpdateException e, int statements) throws BatchUpdateException {
        int[] counts = e.getUpdateCounts();
        if (counts == null) {
            throw e; // which statement failed is unknown: the whole batch fails
        }
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == Statement.EXECUTE_FAILED) {
                return i;
            }
        }
        if (counts.length < statements) {
            return counts.length;
        }
        throw e;
    }

    private static String json(Object body) {
        if (!(body instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("expected the item as a Map (outputFormat=MAP), got "
                                               + (body == null ? "no body" : body.getClass().getName()));
        }
        try {
            return ITEM_JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the item as JSON: " + e.getMessage(), e);
        }
    }

    private static List<String> parameterNames(String sql) {
        List<String> names = new ArrayList<>();
        Matcher matcher = NAMED_PARAMETER.matcher(sql);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return List.copyOf(names);
    }
}
