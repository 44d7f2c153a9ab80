package dev.ddbcdc.camel.scan;

import dev.ddbcdc.camel.options.ReadBudget;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * A scan's read budget as the limiter counts it: so many read units, or items, a second ({@code 0}: no limit). A
 * fraction of the provisioned read capacity becomes read units a second from the table's description when the scan
 * starts; an on-demand table has no provisioned capacity, which is refused with what to use instead.
 *
 * @param perSecond read units or items a second; 0 without a budget
 * @param items     whether items are counted rather than read units
 */
public record ScanBudget(double perSecond, boolean items) {

    public static ScanBudget resolve(ReadBudget budget, TableDescription table) {
        switch (budget.kind()) {
            case READ_UNITS_PER_SECOND:
                return new ScanBudget(budget.value(), false);
            case ITEMS_PER_SECOND:
                return new ScanBudget(budget.value(), true);
            case PROVISIONED_FRACTION:
                Long provisioned = table.provisionedThroughput() == null ? null
                        : table.provisionedThroughput().readCapacityUnits();
                boolean onDemand = table.billingModeSummary() != null
                                   && table.billingModeSummary().billingMode() == BillingMode.PAY_PER_REQUEST;
                if (onDemand || provisioned == null || provisioned <= 0) {
                    throw new IllegalArgumentException("scanReadCapacityFraction=" + budget.value() + ": table "
                                                       + table.tableName() + " is on-demand (PAY_PER_REQUEST) and has"
                                                       + " no provisioned read capacity to take a fraction of. Use a"
                                                       + " plain rate instead: scanReadUnitsPerSecond (read units a"
                                                       + " second) or scanItemsPerSecond");
                }
                return new ScanBudget(provisioned * budget.value(), false);
            default:
                return new ScanBudget(0, false);
        }
    }

    public boolean limited() {
        return perSecond > 0;
    }

    @Override
    public String toString() {
        return !limited() ? "no read budget" : perSecond + (items ? " items/s" : " read units/s");
    }
}
