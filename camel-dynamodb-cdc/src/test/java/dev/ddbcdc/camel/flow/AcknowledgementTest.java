package dev.ddbcdc.camel.flow;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AcknowledgementTest {

    /** Writes down how it was completed: alone ("x"), or as the first of a joint run ("[x y z]"). */
    record Recorded(String name, Object group, List<String> log) implements Acknowledgement.Joint {
        @Override
        public void completed() {
            log.add(name);
        }

        @Override
        public void failed(Throwable cause) {
            log.add("failed " + name);
        }

        @Override
        public Object jointGroup() {
            return group;
        }

        @Override
        public void completedJointly(List<? extends Acknowledgement> run) {
            List<String> names = new ArrayList<>();
            run.forEach(ack -> names.add(((Recorded) ack).name));
            log.add(names.toString());
        }
    }

    @Test
    void completesRunsOfOneGroupTogetherAndTheRestOneByOneInOrder() {
        List<String> log = new ArrayList<>();
        Object first = new Object();
        Object second = new Object();
        Acknowledgement plain = new Acknowledgement() {
            @Override
            public void completed() {
                log.add("plain");
            }

            @Override
            public void failed(Throwable cause) {
                log.add("failed plain");
            }
        };
        Acknowledgement.completeAll(List.of(new Recorded("a", first, log), new Recorded("b", first, log),
                new Recorded("c", second, log), plain, new Recorded("d", first, log), new Recorded("e", first, log),
                new Recorded("f", first, log)));
        assertEquals(List.of("[a, b]", "c", "plain", "[d, e, f]"), log);
    }

    @Test
    void nothingToComplete() {
        Acknowledgement.completeAll(List.of());
    }
}
