package dev.ddbcdc.camel.cluster;

import java.util.List;

import dev.ddbcdc.camel.checkpoint.Phase;
import dev.ddbcdc.camel.engine.CdcEngine;

/**
 * A clustered consumer's part in its cluster: one namespace it stands by in ({@link Standby}), or one per bucket of
 * shards and one for the snapshot ({@link Buckets}). What the consumer, its readiness check, console and meters ask.
 */
public interface Membership {

    /** Stops reading but keeps what is led, so that exchanges in flight store their positions under its epochs. */
    void stopReading();

    /** Leaves the cluster, waiting up to {@code awaitMillis} for the engines to stop. */
    void stop(long awaitMillis) throws Exception;

    /** STANDBY while nothing is led, FAILED when taking over failed, else the phase of what is read. */
    Phase phase();

    /** Why taking over failed, or why an engine failed; {@code null} if nothing did. */
    String failure();

    /** Whether this instance leads anything (and reads). */
    boolean isLeader();

    /** The highest epoch of what this instance leads or led last, 0 if it never led. */
    long epoch();

    /** Checkpoint writes refused because another instance had taken a newer epoch. */
    long refusedWrites();

    String memberId();

    /** The namespace stood by in, or the base of the buckets' namespaces. */
    String namespace();

    /** The engines of what is led now or was led last: to flush at a stop, and for consoles. */
    List<CdcEngine> engines();

    /** What this instance leads now: {@code consumer} for a standby, else bucket units and {@code snapshot}. */
    List<String> led();
}
