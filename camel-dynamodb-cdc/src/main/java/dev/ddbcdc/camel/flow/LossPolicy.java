package dev.ddbcdc.camel.flow;

import dev.ddbcdc.camel.options.IncrementalExportFallback;
import dev.ddbcdc.camel.options.TrimmedDataPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every detected loss of changes goes through here, whatever found it (a shard reader hitting trimmed records, a
 * parent shard gone, a snapshot that outlived the stream's retention, a stream replaced while the consumer was
 * stopped): one ERROR log that says what was lost and what happens now, one count, the consumer's exception handler,
 * and the decision the configured {@code trimmedDataPolicy} makes. Nothing is lost silently: the records a user chose
 * to skip ({@code maxRecordAge}) are reported here too, at WARN, without a decision ({@link #skipped}).
 */
public final class LossPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(LossPolicy.class);

    /** What kind of loss, for the counters ({@code errors{type=trimmed_data|stream_changed}}). */
    public enum Kind {
        /** Stream records were trimmed (or their shard is gone) before they were read. */
        TRIMMED_DATA,
        /** The table's stream was replaced: the changes between the old and the new stream are in neither. */
        STREAM_REPLACED,
        /**
         * The snapshot took longer than the stream's retention allows: the records from its hand-over on may be
         * trimmed. Counted as trimmed data.
         */
        HAND_OVER_TRIMMED
    }

    /** What the caller does next. */
    public enum Decision {
        /** Stop what lost the changes (a lineage, the stream) until the user decides (trimmedDataPolicy=FAIL). */
        HALT,
        /** Go on from the oldest record still there (trimmedDataPolicy=CONTINUE). */
        CONTINUE,
        /**
         * Stop what lost the changes; the consumer takes a new snapshot and streams from its hand-over
         * (trimmedDataPolicy=RESNAPSHOT), which {@link Sink#recover} has begun, or bridges the gap by incremental
         * exports (trimmedDataPolicy=INCREMENTAL_EXPORT), which {@link Sink#bridge} has begun.
         */
        RECOVER
    }

    /** The decision, and the message that was logged and reported (what was lost and what happens now). */
    public record Outcome(Decision decision, String message) {
        /** Whether what lost the changes stops: it halts, or the consumer recovers without it. */
        public boolean halted() {
            return decision != Decision.CONTINUE;
        }
    }

    /** Where a loss is counted and reported. */
    public interface Sink {
        /** Counts the loss and keeps its message as the last error. */
        void count(Kind kind, String message);

        /** Passes the loss to the consumer's exception handler. */
        void handle(String message, RuntimeException loss);

        /**
         * Why this loss cannot be recovered by a new snapshot (trimmedDataPolicy=RESNAPSHOT), or {@code null} when it
         * can: then {@link #recover} follows the report.
         */
        default String cannotRecover(Kind kind) {
            return "this consumer takes no snapshot";
        }

        /** Begins the recovery of a reported loss: a new snapshot, then the stream from its hand-over. */
        default void recover(Kind kind, String message) {
        }

        /**
         * Why this loss cannot be bridged by incremental exports (trimmedDataPolicy=INCREMENTAL_EXPORT: point-in-time
         * recovery off or not reaching back to the gap's start, naming both times), or {@code null} when it can:
         * then {@link #bridge} follows the report.
         */
        default String cannotBridge(Kind kind) {
            return "this consumer cannot bridge a gap";
        }

        /** Begins the bridge of a reported loss: incremental exports from the gap's start, then the stream. */
        default void bridge(Kind kind, String message) {
        }
    }

    private final TrimmedDataPolicy policy;
    private final IncrementalExportFallback fallback;
    private final Sink sink;

    public LossPolicy(TrimmedDataPolicy policy, Sink sink) {
        this(policy, IncrementalExportFallback.FAIL, sink);
    }

    /** @param fallback what a gap that cannot be bridged does, under trimmedDataPolicy=INCREMENTAL_EXPORT */
    public LossPolicy(TrimmedDataPolicy policy, IncrementalExportFallback fallback, Sink sink) {
        this.policy = policy;
        this.fallback = fallback;
        this.sink = sink;
    }

    /**
     * Reports a loss and decides.
     *
     * @param lost        what was lost, as a sentence without the consequence
     * @param ifHalted    what happens under FAIL (e.g. "Reading of this shard and its children stops")
     * @param ifContinued what happens under CONTINUE
     * @param cause       the AWS error that showed the loss, or {@code null}
     */
    public Outcome report(Kind kind, String lost, String ifHalted, String ifContinued, Throwable cause) {
        String unbridgeable = policy == TrimmedDataPolicy.INCREMENTAL_EXPORT ? sink.cannotBridge(kind) : null;
        TrimmedDataPolicy effective = unbridgeable == null ? policy : fallback.policy();
        String unrecoverable = effective == TrimmedDataPolicy.RESNAPSHOT ? sink.cannotRecover(kind) : null;
        Decision decision = switch (effective) {
            case FAIL -> Decision.HALT;
            case CONTINUE -> Decision.CONTINUE;
            case RESNAPSHOT -> unrecoverable == null ? Decision.RECOVER : Decision.HALT;
            case INCREMENTAL_EXPORT -> Decision.RECOVER;
        };
        String setting = unbridgeable == null ? "trimmedDataPolicy=" + policy
                : "trimmedDataPolicy=INCREMENTAL_EXPORT, incrementalExportFallback=" + fallback;
        String message = lost + ". " + (unbridgeable == null ? ""
                : "The gap cannot be bridged by incremental exports: " + unbridgeable + ". ") + switch (decision) {
            case HALT -> ifHalted + (unrecoverable == null ? " (" + setting + ")"
                    : " (" + setting + ", but no new snapshot is taken: " + unrecoverable + ")");
            case CONTINUE -> ifContinued + " (" + setting + ")";
            case RECOVER -> effective == TrimmedDataPolicy.INCREMENTAL_EXPORT
                    ? "The gap is bridged by incremental exports of the table from the last acknowledged change to"
                      + " now (changes before it may come again), each changed item delivered as INSERT, MODIFY or"
                      + " REMOVE, then the stream is read from their end; a sink that keeps the highest document"
                      + " version of each item converges to the table (" + setting + ")"
                    : "A new snapshot of the table is taken, then the stream is read from its hand-over; a sink"
                      + " that keeps the highest document version of each item converges to the table (" + setting
                      + ")";
        };
        sink.count(kind, message);
        LOG.error("{}", message);
        RuntimeException loss = kind == Kind.STREAM_REPLACED ? new StreamChangedException(message, cause)
                : new TrimmedDataException(message, cause);
        sink.handle(message, loss);
        if (decision == Decision.RECOVER && effective == TrimmedDataPolicy.INCREMENTAL_EXPORT) {
            sink.bridge(kind, message);
        } else if (decision == Decision.RECOVER) {
            sink.recover(kind, message);
        }
        return new Outcome(decision, message);
    }

    /**
     * Reports a loss the user chose (records skipped as older than {@code maxRecordAge}): one WARN log and the
     * consumer's exception handler. Nothing halts; the caller counts what it skipped.
     */
    public void skipped(String message, RuntimeException skip) {
        LOG.warn("{}", message);
        sink.handle(message, skip);
    }

    public TrimmedDataPolicy policy() {
        return policy;
    }
}
