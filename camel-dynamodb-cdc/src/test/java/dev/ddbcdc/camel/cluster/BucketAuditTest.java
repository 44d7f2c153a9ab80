package dev.ddbcdc.camel.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.ddbcdc.camel.checkpoint.Phase;
import dev.ddbcdc.camel.crash.CrashAudit;
import dev.ddbcdc.camel.crash.SinkLine;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The audits of the bucket test catch what they are for: leads of one bucket that overlap, a shard read by a member
 * that did not lead its bucket, more late records than were in flight, a child read before its parent ended; and a
 * bucket that comes back to a member that led it before is no late delivery.
 */
class BucketAuditTest {

    static final Map<String, String> BUCKET_OF = Map.of("s1", "bucket-1", "s2", "bucket-2", "c1", "bucket-2");

    final List<SinkLine> sink = new ArrayList<>();
    final CrashAudit audit = new CrashAudit(sink);
    final ClusterAudit cluster = new ClusterAudit(audit);
    final BucketAudit buckets = new BucketAudit(audit);
    int sequence;

    static MemberStatus state(long micros, String... units) {
        return new MemberStatus(micros, Phase.STREAMING, units.length > 0, 1, 0, List.of(units));
    }

    void line(int member, String shard, long micros) {
        sequence++;
        sink.add(new SinkLine(member, "MODIFY", "k" + sequence, 1, 1, shard, Integer.toString(sequence), null, 0,
                "{}", micros));
    }

    void audit(List<BucketAudit.Tenure> tenures, int allowedLate) {
        buckets.shardsReadByTheirBucketsLeaders(sink, tenures, BUCKET_OF::get, allowedLate, cluster);
    }

    @Test
    void aMembersTenuresComeFromTheUnitsItsStatesList() {
        List<BucketAudit.Tenure> tenures = BucketAudit.tenures(1, List.of(state(10), state(20, "bucket-1"),
                state(30, "bucket-1", "bucket-2"), state(40, "bucket-2"), state(50, "bucket-1", "bucket-2")), 99);

        assertEquals(List.of(new BucketAudit.Tenure(1, "bucket-1", 1, 20, 40),
                new BucketAudit.Tenure(1, "bucket-2", 1, 30, 99), new BucketAudit.Tenure(1, "bucket-1", 2, 50, 99)),
                tenures);
    }

    @Test
    void leadsOfOneBucketThatOverlapAreFound() {
        long gap = buckets.oneLeaderPerUnitAtATime(List.of(new BucketAudit.Tenure(1, "bucket-1", 1, 0, 5_000_000),
                new BucketAudit.Tenure(2, "bucket-1", 1, 7_000_000, 9_000_000),
                new BucketAudit.Tenure(3, "bucket-2", 1, 0, 9_000_000)));
        assertEquals(List.of(), audit.violations());
        assertEquals(2000, gap);

        buckets.oneLeaderPerUnitAtATime(List.of(new BucketAudit.Tenure(1, "bucket-1", 1, 0, 5_000_000),
                new BucketAudit.Tenure(2, "bucket-1", 1, 1_000_000, 2_000_000),
                new BucketAudit.Tenure(3, "bucket-1", 1, 3_000_000, 4_000_000)));
        assertEquals(2, audit.violations().size(), audit.violations().toString());
    }

    @Test
    void aBucketBackWithAMemberThatLedItBeforeIsNoLateDelivery() {
        List<BucketAudit.Tenure> tenures = List.of(new BucketAudit.Tenure(1, "bucket-1", 1, 0, 10_000_000),
                new BucketAudit.Tenure(2, "bucket-1", 1, 12_000_000, 20_000_000),
                new BucketAudit.Tenure(1, "bucket-1", 2, 23_000_000, 30_000_000));
        line(1, "s1", 1_000_000);
        line(1, "s1", 9_000_000);
        line(2, "s1", 13_000_000);
        line(2, "s1", 19_000_000);
        line(1, "s1", 24_000_000);
        line(1, "s1", 25_000_000);

        audit(tenures, 0);
        assertEquals(List.of(), audit.violations());

        new ClusterAudit(audit).oneReaderPerShardAtATime(sink, 0);
        assertEquals(1, audit.violations().size(), "per member, the lines of its second lead look late: "
                                                   + audit.violations());
    }

    @Test
    void aRecordInFlightWhenTheLeadEndedIsLateWithinTheAllowance() {
        List<BucketAudit.Tenure> tenures = List.of(new BucketAudit.Tenure(1, "bucket-1", 1, 0, 10_000_000),
                new BucketAudit.Tenure(2, "bucket-1", 1, 10_500_000, 20_000_000));
        line(1, "s1", 9_000_000);
        line(2, "s1", 10_600_000);
        line(1, "s1", 10_700_000); // in flight at the end of member 1's lead, completed after member 2 began
        line(2, "s1", 10_800_000);

        audit(tenures, 1);
        assertEquals(List.of(), audit.violations());
        assertEquals(1, buckets.lateAfterEnd());
        assertEquals(1, cluster.maxLate());

        line(1, "s1", 10_900_000);
        audit(tenures, 1);
        assertTrue(audit.violations().size() >= 2 && audit.violations().get(0).contains("after it ended"),
                audit.violations().toString());
    }

    @Test
    void aShardReadByAMemberThatDidNotLeadItsBucketIsFound() {
        List<BucketAudit.Tenure> tenures = List.of(new BucketAudit.Tenure(1, "bucket-1", 1, 0, 10_000_000),
                new BucketAudit.Tenure(2, "bucket-2", 1, 0, 10_000_000));
        line(1, "s1", 1_000_000);
        line(2, "s2", 1_000_000);
        line(1, "s2", 2_000_000);
        // member 2's lead shows in its status line a little after its first delivery
        line(2, "c1", -BucketAudit.START_SLACK_MICROS / 2);

        audit(tenures, 1);
        assertEquals(1, audit.violations().size(), audit.violations().toString());
        assertTrue(audit.violations().get(0).startsWith("member 1 delivered s2@"), audit.violations().get(0));
    }

    @Test
    void aChildReadBeforeItsParentsLastRecordIsFound() {
        Map<String, String> parents = Map.of("s2", "s1", "c1", "s2");
        line(1, "s1", 1_000);
        line(1, "s1", 2_000);
        line(2, "c1", 3_000);
        assertEquals(1, cluster.childrenAfterTheirParents(sink, parents), "c1 after its grandparent s1");
        assertEquals(List.of(), audit.violations());

        line(3, "s1", 3_500); // delivered again after the child began
        cluster.childrenAfterTheirParents(sink, parents);
        assertEquals(1, audit.violations().size(), audit.violations().toString());
        assertTrue(audit.violations().get(0).contains("shard c1") && audit.violations().get(0).contains("s1"),
                audit.violations().get(0));
    }
}
