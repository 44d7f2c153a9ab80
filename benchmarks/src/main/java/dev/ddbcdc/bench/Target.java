package dev.ddbcdc.bench;

/** A target a figure must meet: at least or at most a bound, on the ratio to its baseline or on the value itself. */
public record Target(String text, boolean onRatio, boolean atLeast, double bound) {

    public static Target ratioAtLeast(double bound) {
        return new Target(">= " + Format.number(bound) + "x", true, true, bound);
    }

    public static Target ratioAtMost(double bound) {
        return new Target("<= " + Format.number(bound) + "x", true, false, bound);
    }

    public static Target atMost(double bound, String unit) {
        return new Target("<= " + Format.number(bound) + " " + unit, false, false, bound);
    }

    public static Target atLeast(double bound, String unit) {
        return new Target(">= " + Format.number(bound) + " " + unit, false, true, bound);
    }

    public static Target none() {
        return new Target("(context)", false, true, Double.NaN);
    }

    public boolean isSet() {
        return !Double.isNaN(bound);
    }

    /** Whether the median value (or ratio) meets the bound. */
    public boolean metBy(double value) {
        return atLeast ? value >= bound : value <= bound;
    }
}
