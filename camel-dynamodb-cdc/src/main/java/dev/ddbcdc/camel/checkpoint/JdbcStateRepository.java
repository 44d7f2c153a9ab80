package dev.ddbcdc.camel.checkpoint;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.regex.Pattern;
import javax.sql.DataSource;

import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.StateRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * A {@link StateRepository} in a relational database, for checkpoints that outlive a pod or a host: one row per key,
 * written through at every {@link #setState}, so a restart on another machine resumes from the last acknowledged
 * position. Needs only a {@link DataSource} (use a connection pool: every call takes a connection) and plain SQL
 * that H2, PostgreSQL, MySQL/MariaDB, Oracle and SQL Server all accept.
 * <p>
 * Keys can be longer than databases allow in a primary key (they include S3 object keys), so the primary key is the
 * key's SHA-256 in hex, and the key itself is kept beside it for people reading the table. The table is created at
 * start when it does not exist:
 *
 * <pre>
 * CREATE TABLE dynamodb_cdc_checkpoint (
 *     key_hash    CHAR(64)       NOT NULL PRIMARY KEY,
 *     state_key   VARCHAR(4000)  NOT NULL,
 *     state_value VARCHAR(4000)  NOT NULL)
 * </pre>
 *
 * Conditional writes ({@link #setStateIf}) run in one transaction that first locks the guard row with an update that
 * changes nothing but matches only the expected value: a concurrent writer of the guard (a new leader taking its
 * epoch) waits for that transaction, and the fenced write is refused once the guard holds another value.
 */
public class JdbcStateRepository extends ServiceSupport implements FencedStateRepository {

    public static final String DEFAULT_TABLE = "dynamodb_cdc_checkpoint";
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");
    private static final int MAX_LENGTH = 4000;

    private final DataSource dataSource;
    private final String table;
    private boolean createTable = true;

    public JdbcStateRepository(DataSource dataSource) {
        this(dataSource, DEFAULT_TABLE);
    }

    public JdbcStateRepository(DataSource dataSource, String table) {
        if (dataSource == null) {
            throw new IllegalArgumentException("JdbcStateRepository needs a DataSource");
        }
        if (table == null || !TABLE_NAME.matcher(table).matches()) {
            throw new IllegalArgumentException("Not a plain SQL table name: '" + table + "'");
        }
        this.dataSource = dataSource;
        this.table = table;
    }

    /** Whether to create the table at start when it does not exist (default true). */
    public void setCreateTable(boolean createTable) {
        this.createTable = createTable;
    }

    public String getTable() {
        return table;
    }

    @Override
    protected void doStart() throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            if (tableExists(connection)) {
                return;
            }
            if (!createTable) {
                throw new IllegalStateException("Checkpoint table " + table + " does not exist (createTable=false)");
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE " + table + " (key_hash CHAR(64) NOT NULL PRIMARY KEY,"
                                  + " state_key VARCHAR(" + MAX_LENGTH + ") NOT NULL,"
                                  + " state_value VARCHAR(" + MAX_LENGTH + ") NOT NULL)");
            } catch (SQLException e) {
                // another instance may have created it meanwhile
                if (!tableExists(connection)) {
                    throw e;
                }
            }
        }
    }

    private boolean tableExists(Connection connection) {
        try (Statement statement = connection.createStatement()) {
            statement.executeQuery("SELECT key_hash FROM " + table + " WHERE 1 = 0").close();
            return true;
        } catch (SQLException e) {
            return false;
        } finally {
            rollbackQuietly(connection);
        }
    }

    @Override
    public String getState(String key) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection
                     .prepareStatement("SELECT state_value FROM " + table + " WHERE key_hash = ?")) {
            select.setString(1, hash(key));
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new RuntimeCamelException("Could not read checkpoint " + key + " from table " + table, e);
        }
    }

    /** Writes the value through: when this returns, the row is committed. A null value removes the key. */
    @Override
    public void setState(String key, String value) {
        if (key.length() > MAX_LENGTH || value != null && value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("Checkpoint key or value longer than " + MAX_LENGTH + " characters: "
                                               + key);
        }
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                write(connection, key, value);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection);
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new RuntimeCamelException("Could not write checkpoint " + key + " to table " + table, e);
        }
    }

    @Override
    public boolean setStateIf(String guardKey, String guardValue, String key, String value) {
        FencedStateRepository.checkGuard(guardKey, guardValue, key);
        if (key.length() > MAX_LENGTH || value != null && value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("Checkpoint key or value longer than " + MAX_LENGTH + " characters: "
                                               + key);
        }
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                boolean written = writeIf(connection, guardKey, guardValue, key, value);
                if (written) {
                    connection.commit();
                } else {
                    connection.rollback();
                }
                return written;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection);
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new RuntimeCamelException("Could not write checkpoint " + key + " to table " + table
                                            + " guarded by " + guardKey, e);
        }
    }

    private boolean writeIf(Connection connection, String guardKey, String guardValue, String key, String value)
            throws SQLException {
        if (guardValue == null) { // insert if absent: the primary key decides between racing writers
            if (value == null) {
                return getState(key) == null;
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
                                                                        + " (key_hash, state_key, state_value) VALUES (?, ?, ?)")) {
                insert.setString(1, hash(key));
                insert.setString(2, key);
                insert.setString(3, value);
                return insert.executeUpdate() == 1;
            } catch (SQLException e) {
                if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                    return false;
                }
                throw e;
            }
        }
        boolean self = guardKey.equals(key);
        // locks the guard row only while it holds the expected value; a compare-and-set writes in the same statement
        try (PreparedStatement guard = connection.prepareStatement("UPDATE " + table + " SET state_value = ?"
                                                                   + " WHERE key_hash = ? AND state_value = ?")) {
            guard.setString(1, self && value != null ? value : guardValue);
            guard.setString(2, hash(guardKey));
            guard.setString(3, guardValue);
            if (guard.executeUpdate() != 1) {
                return false;
            }
        }
        if (!self || value == null) {
            write(connection, key, value);
        }
        return true;
    }

    private void write(Connection connection, String key, String value) throws SQLException {
        String hash = hash(key);
        if (value == null) {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table
                                                                        + " WHERE key_hash = ?")) {
                delete.setString(1, hash);
                delete.executeUpdate();
            }
            return;
        }
        if (update(connection, hash, value) > 0) {
            return;
        }
        // undoes the failed insert only: rolling the whole transaction back would also release the guard row's lock
        Savepoint beforeInsert = connection.setSavepoint();
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
                                                                    + " (key_hash, state_key, state_value) VALUES (?, ?, ?)")) {
            insert.setString(1, hash);
            insert.setString(2, key);
            insert.setString(3, value);
            insert.executeUpdate();
        } catch (SQLException e) {
            // inserted by another writer since the update: SQL state class 23 is an integrity constraint violation
            if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
                throw e;
            }
            connection.rollback(beforeInsert);
            if (update(connection, hash, value) == 0) {
                throw e;
            }
        }
    }

    private int update(Connection connection, String hash, String value) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + table
                                                                    + " SET state_value = ? WHERE key_hash = ?")) {
            update.setString(1, value);
            update.setString(2, hash);
            return update.executeUpdate();
        }
    }

    static String hash(String key) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
        } catch (SQLException ignored) {
            // the connection is closed next anyway
        }
    }
}
