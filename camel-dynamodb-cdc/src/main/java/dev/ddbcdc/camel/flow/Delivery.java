package dev.ddbcdc.camel.flow;

import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.ddbcdc.camel.flow.Acknowledgement;
import org.apache.camel.Exchange;

/** Hands one change to the route as one exchange; implemented by the consumer. */
public interface Delivery {

    /**
     * @param filler       fills the new exchange's body and headers
     * @param deliveredKey the change's id in the idempotent repository (asked for only when one is configured)
     * @param description  what the change is, for error messages
     * @param ack          told exactly once how the exchange ended
     */
    void deliver(Consumer<Exchange> filler, Supplier<String> deliveredKey, Supplier<String> description,
                 Acknowledgement ack);

    /**
     * As above, for a change of {@code source} (a data file): changes of one source may be batched into one
     * exchange, in order. Without batching, the same as the method above.
     */
    default void deliver(String source, Consumer<Exchange> filler, Supplier<String> deliveredKey,
                         Supplier<String> description, Acknowledgement ack) {
        deliver(filler, deliveredKey, description, ack);
    }

    /**
     * The last change of {@code source} was handed over: a batch of its changes still being collected is sent now
     * rather than after its window. Without batching, nothing to do.
     */
    default void endOf(String source) {
    }
}
