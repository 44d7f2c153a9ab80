package dev.ddbcdc.camel.flow;

import java.util.ArrayList;
import java.util.List;

import dev.ddbcdc.camel.options.IncrementalExportFallback;
import dev.ddbcdc.camel.options.TrimmedDataPolicy;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every policy reports the loss the same way (count, ERROR, handler); they differ in the decision and its words. */
class LossPolicyTest {

    /** Records the order of what the policy does, and answers whether a recovery is possible. */
    static final class Steps implements LossPolicy.Sink {
        final List<String> steps = new ArrayList<>();
        final List<RuntimeException> handled = new ArrayList<>();
        String cannotRecover;
        String cannotBridge;

        @Override
        public void count(LossPolicy.Kind kind, String message) {
            steps.add("count " + kind);
        }

        @Override
        public void handle(String message, RuntimeException loss) {
            steps.add("handle");
            handled.add(loss);
        }

        @Override
        public String cannotRecover(LossPolicy.Kind kind) {
            return cannotRecover;
        }

        @Override
        public void recover(LossPolicy.Kind kind, String message) {
            steps.add("recover " + kind);
        }

        @Override
        public String cannotBridge(LossPolicy.Kind kind) {
            steps.add("can bridge? " + kind);
            return cannotBridge;
        }

        @Override
        public void bridge(LossPolicy.Kind kind, String message) {
            steps.add("bridge " + kind);
        }
    }

    static LossPolicy.Outcome bridge(IncrementalExportFallback fallback, Steps sink, LossPolicy.Kind kind) {
        return new LossPolicy(TrimmedDataPolicy.INCREMENTAL_EXPORT, fallback, sink).report(kind, "Records were lost",
                "It stops", "It goes on", null);
    }

    @Test
    void incrementalExportBridgesAfterTheReportWhenItCan() {
        Steps sink = new Steps();
        LossPolicy.Outcome bridged = bridge(IncrementalExportFallback.FAIL, sink, LossPolicy.Kind.TRIMMED_DATA);
        assertEquals(LossPolicy.Decision.RECOVER, bridged.decision());
        assertTrue(bridged.halted(), "what lost the changes stops: the next generation bridges the gap");
        assertEquals(List.of("can bridge? TRIMMED_DATA", "count TRIMMED_DATA", "handle", "bridge TRIMMED_DATA"),
                sink.steps);
        assertTrue(bridged.message().startsWith("Records were lost. The gap is bridged by incremental exports"),
                bridged.message());
        assertTrue(bridged.message().endsWith("(trimmedDataPolicy=INCREMENTAL_EXPORT)"), bridged.message());
    }

    @Test
    void aGapThatCannotBeBridgedFallsBackAsConfiguredSayingWhy() {
        String why = "point-in-time recovery reaches back to 2024-03-01T10:00:00Z only, but the gap began at"
                     + " 2024-02-28T09:00:00Z";
        Steps fail = new Steps();
        fail.cannotBridge = why;
        LossPolicy.Outcome halted = bridge(IncrementalExportFallback.FAIL, fail, LossPolicy.Kind.TRIMMED_DATA);
        assertEquals(LossPolicy.Decision.HALT, halted.decision());
        assertEquals("Records were lost. The gap cannot be bridged by incremental exports: " + why + ". It stops"
                     + " (trimmedDataPolicy=INCREMENTAL_EXPORT, incrementalExportFallback=FAIL)", halted.message());
        assertFalse(fail.steps.contains("bridge TRIMMED_DATA"));

        Steps resnapshot = new Steps();
        resnapshot.cannotBridge = why;
        LossPolicy.Outcome recovered = bridge(IncrementalExportFallback.RESNAPSHOT, resnapshot,
                LossPolicy.Kind.STREAM_REPLACED);
        assertEquals(LossPolicy.Decision.RECOVER, recovered.decision());
        assertEquals(List.of("can bridge? STREAM_REPLACED", "count STREAM_REPLACED", "handle",
                "recover STREAM_REPLACED"), resnapshot.steps, "a new snapshot, not a bridge");
        assertTrue(recovered.message().contains(why) && recovered.message().contains("A new snapshot"),
                recovered.message());

        Steps noSnapshot = new Steps();
        noSnapshot.cannotBridge = why;
        noSnapshot.cannotRecover = "this consumer takes no snapshot";
        LossPolicy.Outcome stopped = bridge(IncrementalExportFallback.RESNAPSHOT, noSnapshot,
                LossPolicy.Kind.TRIMMED_DATA);
        assertEquals(LossPolicy.Decision.HALT, stopped.decision());
        assertTrue(stopped.message().endsWith("incrementalExportFallback=RESNAPSHOT, but no new snapshot is taken:"
                                              + " this consumer takes no snapshot)"), stopped.message());

        Steps goOn = new Steps();
        goOn.cannotBridge = why;
        LossPolicy.Outcome continued = bridge(IncrementalExportFallback.CONTINUE, goOn, LossPolicy.Kind.TRIMMED_DATA);
        assertEquals(LossPolicy.Decision.CONTINUE, continued.decision());
        assertTrue(continued.message().endsWith("It goes on (trimmedDataPolicy=INCREMENTAL_EXPORT,"
                                                + " incrementalExportFallback=CONTINUE)"), continued.message());
    }

    @Test
    void onlyIncrementalExportAsksWhetherAGapCanBeBridged() {
        for (TrimmedDataPolicy policy : new TrimmedDataPolicy[] { TrimmedDataPolicy.FAIL, TrimmedDataPolicy.CONTINUE,
                TrimmedDataPolicy.RESNAPSHOT }) {
            Steps sink = new Steps();
            report(policy, sink, LossPolicy.Kind.TRIMMED_DATA);
            assertFalse(sink.steps.contains("can bridge? TRIMMED_DATA"), policy + ": " + sink.steps);
        }
    }

    static LossPolicy.Outcome report(TrimmedDataPolicy policy, Steps sink, LossPolicy.Kind kind) {
        return new LossPolicy(policy, sink).report(kind, "Records were lost", "It stops", "It goes on", null);
    }

    @Test
    void failHaltsAndContinueGoesOnWithoutRecovering() {
        Steps fail = new Steps();
        LossPolicy.Outcome halted = report(TrimmedDataPolicy.FAIL, fail, LossPolicy.Kind.TRIMMED_DATA);
        assertEquals(LossPolicy.Decision.HALT, halted.decision());
        assertTrue(halted.halted());
        assertEquals("Records were lost. It stops (trimmedDataPolicy=FAIL)", halted.message());
        assertEquals(List.of("count TRIMMED_DATA", "handle"), fail.steps);
        assertInstanceOf(TrimmedDataException.class, fail.handled.get(0));

        Steps goOn = new Steps();
        LossPolicy.Outcome continued = report(TrimmedDataPolicy.CONTINUE, goOn, LossPolicy.Kind.STREAM_REPLACED);
        assertEquals(LossPolicy.Decision.CONTINUE, continued.decision());
        assertFalse(continued.halted());
        assertEquals(List.of("count STREAM_REPLACED", "handle"), goOn.steps);
        assertInstanceOf(StreamChangedException.class, goOn.handled.get(0));
    }

    @Test
    void resnapshotRecoversAfterTheLossWasReported() {
        Steps sink = new Steps();
        LossPolicy.Outcome outcome = report(TrimmedDataPolicy.RESNAPSHOT, sink, LossPolicy.Kind.HAND_OVER_TRIMMED);
        assertEquals(LossPolicy.Decision.RECOVER, outcome.decision());
        assertTrue(outcome.halted(), "what lost the changes stops: the next generation takes over");
        assertTrue(outcome.message().startsWith("Records were lost. A new snapshot of the table is taken")
                   && outcome.message().endsWith("(trimmedDataPolicy=RESNAPSHOT)"), outcome.message());
        assertEquals(List.of("count HAND_OVER_TRIMMED", "handle", "recover HAND_OVER_TRIMMED"), sink.steps,
                "counted and handled first: whoever sees the recovery can rely on the loss being reported");
        assertInstanceOf(TrimmedDataException.class, sink.handled.get(0));
    }

    @Test
    void resnapshotThatCannotRecoverHaltsAndSaysWhy() {
        Steps sink = new Steps();
        sink.cannotRecover = "its snapshot is an adopted export";
        LossPolicy.Outcome outcome = report(TrimmedDataPolicy.RESNAPSHOT, sink, LossPolicy.Kind.TRIMMED_DATA);
        assertEquals(LossPolicy.Decision.HALT, outcome.decision());
        assertEquals("Records were lost. It stops (trimmedDataPolicy=RESNAPSHOT, but no new snapshot is taken: its"
                     + " snapshot is an adopted export)", outcome.message());
        assertEquals(List.of("count TRIMMED_DATA", "handle"), sink.steps);
    }
}
