package dev.ddbcdc.camel.fakes;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.ddbcdc.camel.flow.LossPolicy;

/** A loss sink that keeps what it was told: the counted messages and the exceptions handed to the handler. */
public final class RecordedLosses implements LossPolicy.Sink {

    public final List<String> counted = new CopyOnWriteArrayList<>();
    public final List<LossPolicy.Kind> kinds = new CopyOnWriteArrayList<>();
    public final List<RuntimeException> handled = new CopyOnWriteArrayList<>();

    @Override
    public void count(LossPolicy.Kind kind, String message) {
        kinds.add(kind);
        counted.add(message);
    }

    @Override
    public void handle(String message, RuntimeException loss) {
        handled.add(loss);
    }
}
