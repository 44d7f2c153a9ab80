package dev.ddbcdc.camel.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The acknowledgement of one record registered in an {@link AckWindow}: it completes or fails the record's ticket and
 * counts it. The records of a batch are completed jointly: one step of the window and of the counter.
 */
public class TicketAcknowledgement<P> implements Acknowledgement.Joint {

    private final AckWindow<P>.Ticket ticket;
    private final LongAdder acknowledged;
    private final AtomicLong failed;

    /**
     * @param acknowledged counts the records acknowledged
     * @param failed       counts the failed exchanges
     */
    public TicketAcknowledgement(AckWindow<P>.Ticket ticket, LongAdder acknowledged, AtomicLong failed) {
        this.ticket = ticket;
        this.acknowledged = acknowledged;
        this.failed = failed;
    }

    /** The record's position in its window. */
    public final P position() {
        return ticket.position();
    }

    @Override
    public final void completed() {
        acknowledged.increment();
        ticket.complete();
    }

    @Override
    public final void failed(Throwable cause) {
        failed.incrementAndGet();
        ticket.fail();
    }

    @Override
    public final Object jointGroup() {
        return ticket.window();
    }

    @Override
    @SuppressWarnings("unchecked")
    public final void completedJointly(List<? extends Acknowledgement> run) {
        List<AckWindow<P>.Ticket> tickets = new ArrayList<>(run.size());
        for (Acknowledgement item : run) {
            tickets.add(((TicketAcknowledgement<P>) item).ticket);
        }
        acknowledged.add(run.size());
        ticket.window().completeAll(tickets);
    }
}
