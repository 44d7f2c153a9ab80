package dev.ddbcdc.camel;

import dev.ddbcdc.camel.checkpoint.JdbcStateRepository;
import org.apache.camel.component.zookeeper.cluster.ZooKeeperClusterService;
import org.apache.curator.test.TestingServer;
import org.h2.jdbcx.JdbcDataSource;

/**
 * A real ZooKeeper in the test JVM (curator-test's TestingServer), the cluster services of the instances that join
 * it, and checkpoints they share in one in-memory H2 database: what in-process standby tests need.
 */
final class ZooKeeperTestCluster implements AutoCloseable {

    private final TestingServer server;

    ZooKeeperTestCluster() throws Exception {
        server = new TestingServer(true);
    }

    /** A ZooKeeper cluster service for one instance, with a session timeout short enough for quick tests. */
    ZooKeeperClusterService service(String member) {
        ZooKeeperClusterService service = new ZooKeeperClusterService();
        service.setId(member);
        service.setNodes(server.getConnectString());
        service.setBasePath("/standby-test");
        service.setSessionTimeout(4000);
        service.setConnectTimeout(2000);
        return service;
    }

    /** A JdbcStateRepository on the in-memory database {@code db}; every instance given the same name shares it. */
    static JdbcStateRepository sharedCheckpoints(String db) {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:" + db + ";DB_CLOSE_DELAY=-1");
        return new JdbcStateRepository(dataSource);
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
