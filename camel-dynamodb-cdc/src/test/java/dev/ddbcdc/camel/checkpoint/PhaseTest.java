package dev.ddbcdc.camel.checkpoint;

import dev.ddbcdc.camel.checkpoint.Phase;
import org.junit.jupiter.api.Test;

import static dev.ddbcdc.camel.checkpoint.Phase.DONE;
import static dev.ddbcdc.camel.checkpoint.Phase.EXPORTING;
import static dev.ddbcdc.camel.checkpoint.Phase.FAILED;
import static dev.ddbcdc.camel.checkpoint.Phase.INIT;
import static dev.ddbcdc.camel.checkpoint.Phase.LOADING;
import static dev.ddbcdc.camel.checkpoint.Phase.SCANNING;
import static dev.ddbcdc.camel.checkpoint.Phase.STANDBY;
import static dev.ddbcdc.camel.checkpoint.Phase.STOPPED;
import static dev.ddbcdc.camel.checkpoint.Phase.STREAMING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PhaseTest {

    @Test
    void streamOnly() {
        assertEquals(STREAMING, INIT.moveTo(STREAMING));
    }

    @Test
    void snapshotThenStream() {
        assertEquals(EXPORTING, INIT.moveTo(EXPORTING));
        assertEquals(LOADING, EXPORTING.moveTo(LOADING));
        assertEquals(STREAMING, LOADING.moveTo(STREAMING));
    }

    @Test
    void snapshotByScanThenStreamOrDone() {
        assertEquals(SCANNING, INIT.moveTo(SCANNING));
        assertEquals(STREAMING, SCANNING.moveTo(STREAMING));
        assertEquals(DONE, SCANNING.moveTo(DONE));
        assertEquals(FAILED, SCANNING.moveTo(FAILED));
        assertEquals(STANDBY, SCANNING.moveTo(STANDBY));
        assertEquals(STOPPED, SCANNING.moveTo(STOPPED));
        assertThrows(IllegalStateException.class, () -> SCANNING.moveTo(LOADING));
        assertThrows(IllegalStateException.class, () -> SCANNING.moveTo(EXPORTING));
        assertThrows(IllegalStateException.class, () -> EXPORTING.moveTo(SCANNING));
        assertThrows(IllegalStateException.class, () -> STREAMING.moveTo(SCANNING));
    }

    @Test
    void resumeAtACheckpointedPhase() {
        assertEquals(LOADING, INIT.moveTo(LOADING));
    }

    @Test
    void snapshotFailures() {
        assertEquals(FAILED, EXPORTING.moveTo(FAILED));
        assertEquals(FAILED, LOADING.moveTo(FAILED));
        assertEquals(STOPPED, FAILED.moveTo(STOPPED));
        assertThrows(IllegalStateException.class, () -> FAILED.moveTo(STREAMING));
        // the one way from STREAMING to FAILED: a shard finds the stream trimmed past the snapshot's hand-over
        // (SnapshotTrimmedStreamTest); the user guide promises FAILED there, not a running consumer
        assertEquals(FAILED, STREAMING.moveTo(FAILED));
        assertEquals(FAILED, INIT.moveTo(FAILED), "hand-over of a snapshot finished before the restart");
    }

    @Test
    void everyPhaseCanStop() {
        for (Phase p : new Phase[] { INIT, EXPORTING, LOADING, STREAMING, FAILED }) {
            assertEquals(STOPPED, p.moveTo(STOPPED));
        }
    }

    @Test
    void aStandbyLeadsFromInitAndEveryPhaseGoesBackToStandbyWhenTheLeadIsLost() {
        assertEquals(INIT, STANDBY.moveTo(INIT));
        for (Phase p : new Phase[] { INIT, EXPORTING, LOADING, STREAMING, FAILED }) {
            assertEquals(STANDBY, p.moveTo(STANDBY));
        }
        assertThrows(IllegalStateException.class, () -> STANDBY.moveTo(STREAMING));
    }

    @Test
    void noWayBack() {
        assertThrows(IllegalStateException.class, () -> STREAMING.moveTo(LOADING));
        assertEquals(EXPORTING, LOADING.moveTo(EXPORTING), "a bridge's next window");
        assertThrows(IllegalStateException.class, () -> EXPORTING.moveTo(STREAMING));
        assertThrows(IllegalStateException.class, () -> STOPPED.moveTo(STREAMING));
    }
}
