package dev.ddbcdc.bench;

/**
 * One line of the results: what was measured (median and spread over repeated runs), the baseline measured in the
 * same run, their ratio, and the target. {@code higherIsBetter} orients the ratio: it is always ours over the
 * baseline, so for times and memory a ratio below 1 is the better one.
 */
public record Figure(String scenario, String metric, String unit, Samples ours, String baselineName,
                     Samples baseline, Target target, String note) {

    public double ratio() {
        if (baseline == null || baseline.isEmpty() || baseline.median() == 0) {
            return Double.NaN;
        }
        return ours.median() / baseline.median();
    }

    /** The value the target is about: the ratio, or our median. */
    public double judged() {
        return target.onRatio() ? ratio() : ours.median();
    }

    public boolean hasTarget() {
        return target.isSet();
    }

    public boolean met() {
        return hasTarget() && !Double.isNaN(judged()) && target.metBy(judged());
    }

    public String verdict() {
        if (!hasTarget()) {
            return "-";
        }
        return met() ? "met" : "MISSED";
    }

    /** How far from the target, e.g. "0.72x of the 1.0x asked (28% short)". */
    public String shortfall() {
        double judged = judged();
        double gap = target.atLeast() ? (target.bound() - judged) / target.bound()
                : (judged - target.bound()) / target.bound();
        return Format.number(judged) + (target.onRatio() ? "x" : " " + unit) + " against " + target.text() + " ("
               + Format.percent(gap) + (target.atLeast() ? " short)" : " over)");
    }
}
