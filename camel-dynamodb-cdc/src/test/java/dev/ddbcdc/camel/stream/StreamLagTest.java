package dev.ddbcdc.camel.stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StreamLagTest {

    @Test
    void theShardFurthestBehindDecidesAndCaughtUpShardsCountAsZero() {
        StreamLag lag = new StreamLag();
        assertEquals(0, lag.millisBehind(10_000), "no shard read yet");
        lag.read("a", 9_000);
        lag.read("b", 4_000);
        assertEquals(6_000, lag.millisBehind(10_000));
        lag.caughtUp("b");
        assertEquals(1_000, lag.millisBehind(10_000));
        assertEquals(3_000, lag.millisBehind(12_000), "a shard not caught up falls further behind as time passes");
        lag.caughtUp("a");
        assertEquals(0, lag.millisBehind(12_000));
        lag.read("a", 11_000);
        lag.forget("a");
        assertEquals(0, lag.millisBehind(12_000), "a finished shard no longer counts");
        lag.read("c", 13_000);
        assertEquals(0, lag.millisBehind(12_000), "creation times ahead of this clock are not negative lag");
    }
}
