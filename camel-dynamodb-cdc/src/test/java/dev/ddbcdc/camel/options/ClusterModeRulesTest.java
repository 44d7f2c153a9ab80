package dev.ddbcdc.camel.options;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterModeRulesTest {

    @Test
    void bucketsNeedAClusterServiceAndAPolicyThatNeedsNoNewGeneration() {
        assertDoesNotThrow(() -> ClusterModeRules.check(ClusterMode.BUCKETS, 16, 2000, true, TrimmedDataPolicy.FAIL));
        assertDoesNotThrow(() -> ClusterModeRules.check(ClusterMode.STANDBY, 16, 2000, false,
                TrimmedDataPolicy.RESNAPSHOT));
        String none = assertThrows(IllegalArgumentException.class,
                () -> ClusterModeRules.check(ClusterMode.BUCKETS, 16, 2000, false, TrimmedDataPolicy.FAIL))
                .getMessage();
        assertTrue(none.contains("clusterService"), none);
        for (TrimmedDataPolicy recovering : new TrimmedDataPolicy[] {TrimmedDataPolicy.RESNAPSHOT,
                TrimmedDataPolicy.INCREMENTAL_EXPORT}) {
            String message = assertThrows(IllegalArgumentException.class,
                    () -> ClusterModeRules.check(ClusterMode.BUCKETS, 16, 2000, true, recovering)).getMessage();
            assertTrue(message.contains("clusterMode=STANDBY") && message.contains(recovering.name()), message);
        }
    }

    @Test
    void bucketCountAndIntervalAreChecked() {
        for (int count : new int[] {0, 257}) {
            String message = assertThrows(IllegalArgumentException.class,
                    () -> ClusterModeRules.check(ClusterMode.BUCKETS, count, 2000, true, TrimmedDataPolicy.FAIL))
                    .getMessage();
            assertTrue(message.contains("shardBuckets must be between 1 and 256"), message);
        }
        assertThrows(IllegalArgumentException.class,
                () -> ClusterModeRules.check(ClusterMode.BUCKETS, 16, 0, true, TrimmedDataPolicy.FAIL));
    }
}
