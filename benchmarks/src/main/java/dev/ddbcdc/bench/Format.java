package dev.ddbcdc.bench;

import java.util.Locale;

/** Numbers as the report prints them: three significant digits, thousands separated. */
final class Format {

    private Format() {
    }

    static String number(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        double abs = Math.abs(value);
        if (abs >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (abs >= 100) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        if (abs >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        if (abs >= 1 || abs == 0) {
            return String.format(Locale.ROOT, "%.2f", value);
        }
        return String.format(Locale.ROOT, "%.3f", value);
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.0f%%", fraction * 100);
    }

    /** "median (min-max, n runs)". */
    static String samples(Samples samples) {
        if (samples == null || samples.isEmpty()) {
            return "-";
        }
        if (samples.count() == 1) {
            return number(samples.median()) + " (1 run)";
        }
        return number(samples.median()) + " (" + number(samples.min()) + "-" + number(samples.max()) + ", "
               + samples.count() + " runs)";
    }
}
