package dev.ddbcdc.camel.flow;

import java.util.List;

/** The outcome of one record's exchange (a stream record, a snapshot item); exactly one method is called, from any thread. */
public interface Acknowledgement {

    void completed();

    void failed(Throwable cause);

    /**
     * An acknowledgement that can be completed together with others of its group (e.g. the items of one data file,
     * one acknowledgement window), in one step that has the effect of completing each in turn.
     */
    interface Joint extends Acknowledgement {

        /** Acknowledgements of the same group (compared by identity) can be completed together. */
        Object jointGroup();

        /** Completes {@code run}, acknowledgements of this one's group in order, as {@link #completed()} on each would. */
        void completedJointly(List<? extends Acknowledgement> run);
    }

    /**
     * Completes {@code acks} in order, as {@link #completed()} on each in turn would; each run of consecutive
     * {@link Joint} acknowledgements of one group in one step.
     */
    static void completeAll(List<? extends Acknowledgement> acks) {
        int start = 0;
        while (start < acks.size()) {
            Acknowledgement first = acks.get(start);
            int end = start + 1;
            if (first instanceof Joint joint) {
                Object group = joint.jointGroup();
                while (end < acks.size() && acks.get(end) instanceof Joint next && next.jointGroup() == group) {
                    end++;
                }
                if (end - start > 1) {
                    joint.completedJointly(acks.subList(start, end));
                    start = end;
                    continue;
                }
            }
            first.completed();
            start = end;
        }
    }
}
