package dev.ddbcdc.camel.stream;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static dev.ddbcdc.camel.stream.ShardLineageTracker.State.FINISHED;
import static dev.ddbcdc.camel.stream.ShardLineageTracker.State.READING;
import static dev.ddbcdc.camel.stream.ShardLineageTracker.State.WAITING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShardLineageTrackerTest {

    @Test
    void childWaitsUntilItsParentIsFinished() {
        ShardLineageTracker lineage = new ShardLineageTracker();
        lineage.add("parent", null, WAITING);
        lineage.add("child", "parent", WAITING);
        lineage.add("grandchild", "child", WAITING);
        assertEquals(List.of("parent"), lineage.takeReady());
        assertEquals(READING, lineage.state("parent"));
        assertEquals(List.of(), lineage.takeReady());
        lineage.finished("parent");
        assertEquals(List.of("child"), lineage.takeReady());
        lineage.finished("child");
        assertEquals(List.of("grandchild"), lineage.takeReady());
    }

    @Test
    void splitChildrenAreReadTogetherAfterTheParent() {
        ShardLineageTracker lineage = new ShardLineageTracker();
        lineage.add("p", null, FINISHED);
        lineage.add("left", "p", WAITING);
        lineage.add("right", "p", WAITING);
        assertEquals(List.of("left", "right"), lineage.takeReady());
    }

    @Test
    void knowsWhetherAShardsChildIsListed() {
        ShardLineageTracker lineage = new ShardLineageTracker();
        lineage.add("p", null, WAITING);
        lineage.add("other", null, WAITING);
        assertFalse(lineage.hasChild("p"));
        lineage.add("c", "p", WAITING);
        assertTrue(lineage.hasChild("p"));
        assertFalse(lineage.hasChild("other"));
    }

    @Test
    void aParentNoLongerListedDoesNotBlock() {
        ShardLineageTracker lineage = new ShardLineageTracker();
        lineage.add("orphan", "trimmed-away", WAITING);
        assertEquals(List.of("orphan"), lineage.takeReady());
    }

    @Test
    void aStoppedParentBlocksItsChildren() {
        ShardLineageTracker lineage = new ShardLineageTracker();
        lineage.add("p", null, WAITING);
        lineage.add("c", "p", WAITING);
        lineage.takeReady();
        lineage.halted("p");
        assertEquals(List.of(), lineage.takeReady());
    }

    @Test
    void finishedShardsNoLongerListedAreForgotten() {
        ShardLineageTracker lineage = new ShardLineageTracker();
        lineage.add("old", null, FINISHED);
        lineage.add("open", "old", WAITING);
        lineage.forgetFinishedExcept(Set.of("open"));
        assertFalse(lineage.knows("old"));
        assertTrue(lineage.knows("open"));
        assertEquals(List.of("open"), lineage.takeReady(), "an unknown parent does not block");
    }
}
