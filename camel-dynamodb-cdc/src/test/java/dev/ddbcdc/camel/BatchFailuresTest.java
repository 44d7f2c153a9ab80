package dev.ddbcdc.camel;

import java.util.ArrayList;
import java.util.List;

import dev.ddbcdc.camel.event.ChangeHeaders;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link BatchDelivery#firstFailed}: which item of a completed batch is the first to deliver again. */
class BatchFailuresTest {

    private final CamelContext context = new DefaultCamelContext();

    private List<Exchange> items(int count) {
        List<Exchange> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            items.add(new DefaultExchange(context));
        }
        return items;
    }

    @Test
    void noneFailedIsTheBatchsSize() {
        assertEquals(4, BatchDelivery.firstFailed(items(4), new DefaultExchange(context)));
    }

    @Test
    void theFirstItemWithAnException() {
        List<Exchange> items = items(5);
        items.get(3).setException(new IllegalStateException("3"));
        items.get(1).setException(new IllegalStateException("1"));
        assertEquals(1, BatchDelivery.firstFailed(items, new DefaultExchange(context)));
    }

    @Test
    void theSmallestOfTheReportedAndTheFailedItems() {
        List<Exchange> items = items(6);
        items.get(4).setException(new IllegalStateException("4"));
        Exchange done = new DefaultExchange(context);
        done.getMessage().setHeader(ChangeHeaders.BATCH_ITEM_FAILURES, List.of(5, items.get(2)));
        assertEquals(2, BatchDelivery.firstFailed(items, done));
        Exchange byProperty = new DefaultExchange(context);
        byProperty.setProperty(ChangeHeaders.BATCH_ITEM_FAILURES, items.get(3));
        assertEquals(3, BatchDelivery.firstFailed(items, byProperty));
        Exchange single = new DefaultExchange(context);
        single.getMessage().setHeader(ChangeHeaders.BATCH_ITEM_FAILURES, 0);
        assertEquals(0, BatchDelivery.firstFailed(items, single));
    }

    @Test
    void aReportNamingNoItemOfTheBatchIsRefused() {
        List<Exchange> items = items(3);
        Exchange done = new DefaultExchange(context);
        done.getMessage().setHeader(ChangeHeaders.BATCH_ITEM_FAILURES, List.of(new DefaultExchange(context)));
        assertThrows(IllegalArgumentException.class, () -> BatchDelivery.firstFailed(items, done));
        done.getMessage().setHeader(ChangeHeaders.BATCH_ITEM_FAILURES, 3);
        assertThrows(IllegalArgumentException.class, () -> BatchDelivery.firstFailed(items, done));
    }
}
