package dev.ddbcdc.camel.cluster;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterNamespaceTest {

    @Test
    void aValidNameIsKeptAsItIs() {
        assertEquals("dynamodb-cdc-default-orders", ClusterNamespace.derive("default", "orders"));
    }

    @Test
    void anythingChangedGetsAHashSoDifferentConsumersNeverShareANamespace() {
        String upper = ClusterNamespace.derive("Search", "Orders_2026");
        String lower = ClusterNamespace.derive("search", "orders-2026");
        assertTrue(upper.matches("dynamodb-cdc-search-orders-2026-[0-9a-f]{8}"), upper);
        assertEquals("dynamodb-cdc-search-orders-2026", lower);
        assertNotEquals(upper, lower);
    }

    @Test
    void longNamesAreCutTo63CharactersWithTheirHash() {
        String name = ClusterNamespace.derive("default", "a".repeat(200));
        assertEquals(ClusterNamespace.MAX_LENGTH, name.length());
        assertTrue(name.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?"), name);
        assertNotEquals(name, ClusterNamespace.derive("default", "a".repeat(199)));
    }
}
