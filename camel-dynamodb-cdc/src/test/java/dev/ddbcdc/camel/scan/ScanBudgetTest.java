package dev.ddbcdc.camel.scan;

import dev.ddbcdc.camel.options.ReadBudget;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScanBudgetTest {

    static TableDescription provisioned(long readUnits) {
        return TableDescription.builder().tableName("orders")
                .billingModeSummary(b -> b.billingMode(BillingMode.PROVISIONED))
                .provisionedThroughput(p -> p.readCapacityUnits(readUnits).writeCapacityUnits(5L)).build();
    }

    @Test
    void aFractionOfTheProvisionedReadCapacityBecomesReadUnitsASecond() {
        ScanBudget budget = ScanBudget.resolve(new ReadBudget(ReadBudget.Kind.PROVISIONED_FRACTION, 0.25),
                provisioned(400));
        assertEquals(new ScanBudget(100, false), budget);
    }

    @Test
    void anOnDemandTableHasNoProvisionedCapacityToTakeAFractionOf() {
        TableDescription onDemand = TableDescription.builder().tableName("orders")
                .billingModeSummary(b -> b.billingMode(BillingMode.PAY_PER_REQUEST))
                .provisionedThroughput(p -> p.readCapacityUnits(0L).writeCapacityUnits(0L)).build();
        String message = assertThrows(IllegalArgumentException.class, () -> ScanBudget.resolve(
                new ReadBudget(ReadBudget.Kind.PROVISIONED_FRACTION, 0.5), onDemand)).getMessage();
        assertTrue(message.contains("orders is on-demand") && message.contains("scanReadUnitsPerSecond"), message);
    }

    @Test
    void plainRatesAndNone() {
        assertEquals(new ScanBudget(30, false), ScanBudget.resolve(
                new ReadBudget(ReadBudget.Kind.READ_UNITS_PER_SECOND, 30), provisioned(1)));
        assertEquals(new ScanBudget(900, true), ScanBudget.resolve(
                new ReadBudget(ReadBudget.Kind.ITEMS_PER_SECOND, 900), provisioned(1)));
        assertFalse(ScanBudget.resolve(ReadBudget.unlimited(), provisioned(1)).limited());
    }
}
