package dev.ddbcdc.camel.flow;

import java.util.ArrayList;
import java.util.List;

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
