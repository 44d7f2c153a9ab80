package dev.ddbcdc.example;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;

/**
 * The H2 database that holds the replica table {@value #TABLE}: one row per item of the DynamoDB table, with the
 * item as JSON, the document version of the change that wrote it, and whether that change was a REMOVE (a
 * tombstone). {@link ReplicaSinkRoute} writes it; {@link ReplicaComparison} reads it.
 */
public final class ReplicaDatabase implements AutoCloseable {

    public static final String TABLE = "orders_replica";
    /** The replica table; application.properties creates the same one through H2's {@code INIT} URL setting. */
    public static final String SCHEMA = "CREATE TABLE IF NOT EXISTS " + TABLE + " (pk VARCHAR PRIMARY KEY,"
                                        + " item CLOB NOT NULL, version BIGINT NOT NULL, deleted BOOLEAN NOT NULL)";

    /** One row of the replica: the item as JSON (for a tombstone: the REMOVE's body), its version, a tombstone? */
    public record Row(String item, long version, boolean deleted) {
    }

    private final DataSource dataSource;

    private ReplicaDatabase(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A named in-memory database that lives until {@link #close()}, with the replica table created. */
    public static ReplicaDatabase inMemory(String name) throws SQLException {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
        ReplicaDatabase database = new ReplicaDatabase(dataSource);
        database.execute(SCHEMA);
        return database;
    }

    /** The database behind a data source whose replica table exists already (e.g. a camel-main bean). */
    public static ReplicaDatabase of(DataSource dataSource) {
        return new ReplicaDatabase(dataSource);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Every row, tombstones included, by primary key. */
    public Map<String, Row> rows() throws SQLException {
        Map<String, Row> rows = new TreeMap<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT pk, item, version, deleted FROM " + TABLE)) {
            while (result.next()) {
                rows.put(result.getString("pk"), new Row(result.getString("item"), result.getLong("version"),
                        result.getBoolean("deleted")));
            }
        }
        return rows;
    }

    /** Empties the replica table. */
    public void clear() throws SQLException {
        execute("DELETE FROM " + TABLE);
    }

    /** Shuts the database down (an in-memory one is gone afterwards). */
    @Override
    public void close() throws SQLException {
        execute("SHUTDOWN");
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
