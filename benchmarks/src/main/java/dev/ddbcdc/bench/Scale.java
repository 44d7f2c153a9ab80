package dev.ddbcdc.bench;

/**
 * The sizes of every scenario. Scale 1 is the full size the issue asks for (a million snapshot items, 100,000
 * stream records, 1,000 shards, 200 writes/s for 20 s); smaller scales are for development runs.
 */
record Scale(double factor) {

    boolean full() {
        return factor >= 1;
    }

    int repetitions() {
        return full() ? 3 : 2;
    }

    int snapshotItems() {
        return Math.max(20_000, (int) (1_000_000 * factor));
    }

    int snapshotWarmUpItems() {
        return Math.max(10_000, (int) (100_000 * factor));
    }

    int snapshotDataFiles() {
        return 8;
    }

    int streamRecords() {
        return Math.max(5_000, (int) (100_000 * factor));
    }

    int shardGenerations() {
        return 5;
    }

    /** Seconds of latency writes per run, and the idle window after them. */
    int latencySeconds() {
        return Math.max(5, (int) (20 * factor));
    }

    int idleSeconds() {
        return Math.max(3, (int) (10 * factor));
    }

    int writesPerSecond() {
        return 200;
    }

    int restartRecords() {
        return Math.max(200, (int) (2_000 * factor));
    }

    int restartRepetitions() {
        return full() ? 5 : 2;
    }

    /** Shard counts of the many-shards scenario; the total records stay the same for each. */
    int[] shardCounts() {
        return new int[] {10, 100, 1000};
    }

    int manyShardsRecords() {
        return Math.max(10_000, (int) (100_000 * factor));
    }

    /** Seconds a baseline that cannot finish in reasonable time is measured for (its rate over that window). */
    int windowSeconds() {
        return full() ? 20 : 6;
    }

    /** Changes in the one shard of the lanes scenario, and the items they change in turn. */
    int laneChanges() {
        return Math.max(400, (int) (2_000 * factor));
    }

    int laneKeys() {
        return 200;
    }

    /** Changes in the one shard of the JDBC sink scenario, and the items they change in turn. */
    int jdbcChanges() {
        return Math.max(5_000, (int) (50_000 * factor) / 500 * 500);
    }

    int jdbcKeys() {
        return jdbcChanges() / 10;
    }

    /**
     * Seconds the scale-out scenario waits once the buckets are spread before its window ({@link #windowSeconds()}):
     * the members that just took buckets over reach their pace.
     */
    int scaleOutSettleSeconds() {
        return full() ? 5 : 3;
    }

    /**
     * Seconds the scale-out scenario's members run at least before its window, whether one or several: the same JIT
     * warm-up for both (one member leads every bucket at once, several take longer to spread them).
     */
    int scaleOutWarmUpSeconds() {
        return full() ? 30 : 15;
    }
}
