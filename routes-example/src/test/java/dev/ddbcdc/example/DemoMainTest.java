package dev.ddbcdc.example;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's demo, run as a test so that it cannot rot (once: it takes several seconds). */
class DemoMainTest {

    @Test
    void everyChangeOfTheDemoArrivesAndBothReplicasEqualTheTable() throws Exception {
        DemoMain.Summary summary = DemoMain.run(false);
        assertTrue(summary.complete(), summary.toString());
        assertEquals(Map.of("READ", 20, "INSERT", 20 + 5, "MODIFY", 3, "REMOVE", 1), summary.perOperation());

        ReplicaComparison replica = summary.replica();
        assertTrue(replica.equal(), replica.describe());
        // 20 existing orders and 5 new ones, one of which was deleted
        assertEquals(24, replica.tableItems());
        assertEquals(24, replica.liveRows());
        assertEquals(1, replica.tombstones());

        // the bulk route's replica, fed by batches of the same changes, ends the same
        assertEquals(summary.expected(), summary.bulkReceived());
        ReplicaComparison bulkReplica = summary.bulkReplica();
        assertTrue(bulkReplica.equal(), bulkReplica.describe());
        assertEquals(24, bulkReplica.liveRows());
        assertEquals(1, bulkReplica.tombstones());
        assertTrue(summary.succeeded());
    }
}
