package dev.ddbcdc.camel.options;

/**
 * How fast a Scan snapshot may read the table, over all its segments together: at most so many read capacity units a
 * second, or items a second, or a fraction of the table's provisioned read capacity (turned into read units a second
 * when the scan starts, since on-demand tables have none), or {@link #unlimited()}.
 *
 * @param kind  what {@code value} counts
 * @param value read units or items a second, or the fraction (0 to 1]; 0 when unlimited
 */
public record ReadBudget(Kind kind, double value) {

    /** What a budget counts. */
    public enum Kind {
        UNLIMITED, READ_UNITS_PER_SECOND, ITEMS_PER_SECOND, PROVISIONED_FRACTION
    }

    public ReadBudget {
        if (kind != Kind.UNLIMITED && !(value > 0)) {
            throw new IllegalArgumentException("a read budget must be positive, was " + value);
        }
        if (kind == Kind.PROVISIONED_FRACTION && value > 1) {
            throw new IllegalArgumentException("a fraction of the provisioned read capacity is at most 1, was " + value);
        }
    }

    public static ReadBudget unlimited() {
        return new ReadBudget(Kind.UNLIMITED, 0);
    }

    public boolean isUnlimited() {
        return kind == Kind.UNLIMITED;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case UNLIMITED -> "unlimited";
            case READ_UNITS_PER_SECOND -> value + " read units/s";
            case ITEMS_PER_SECOND -> value + " items/s";
            case PROVISIONED_FRACTION -> value + " of the provisioned read capacity";
        };
    }
}
