package dev.ddbcdc.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The results as a console table and as docs/benchmarks.md, with the machine they were measured on. */
final class Report {

    private final List<ScenarioResult> results;
    private final List<String> machine;
    private final String command;
    private final Instant started;
    private final double totalSeconds;
    private final String loadBefore;
    private final String loadAfter;
    private final Scale scale;

    Report(List<ScenarioResult> results, List<String> machine, String command, Instant started, double totalSeconds,
           String loadBefore, String loadAfter, Scale scale) {
        this.results = results;
        this.machine = machine;
        this.command = command;
        this.started = started;
        this.totalSeconds = totalSeconds;
        this.loadBefore = loadBefore;
        this.loadAfter = loadAfter;
        this.scale = scale;
    }

    String consoleTable() {
        StringBuilder out = new StringBuilder();
        String format = "%-26s %-30s %-30s %-34s %-28s %-9s %-14s %s%n";
        out.append(String.format(Locale.ROOT, format, "scenario", "figure", "ours: median (min-max, runs)",
                "baseline", "baseline: median (min-max)", "ratio", "target", "verdict"));
        for (ScenarioResult result : results) {
            for (Figure f : result.figures) {
                out.append(String.format(Locale.ROOT, format, result.title, f.metric() + " [" + f.unit() + "]",
                        Format.samples(f.ours()), f.baselineName() == null ? "-" : f.baselineName(),
                        Format.samples(f.baseline()), Double.isNaN(f.ratio()) ? "-" : Format.number(f.ratio()) + "x",
                        f.target().text(), f.verdict()));
            }
        }
        return out.toString();
    }

    void write(Path file) throws IOException {
        List<String> md = new ArrayList<>();
        md.add("# Benchmarks");
        md.add("");
        md.add("Written by the benchmark run itself (`" + command + "`); do not edit by hand. Every figure is the median"
               + " of repeated runs, with the spread (min-max) beside it, and is measured side by side with its"
               + " baseline in the same run: on a shared, noisy machine the ratios are the result, the absolute"
               + " numbers are context.");
        md.add("");
        md.add("## Machine");
        md.add("");
        machine.forEach(line -> md.add("- " + line));
        md.add("- Load average (1 min) when the run started: " + loadBefore + ", when it ended: " + loadAfter
               + " (other builds shared the machine)");
        md.add("- Run started " + started.truncatedTo(ChronoUnit.SECONDS) + ", took "
               + String.format(Locale.ROOT, "%.1f", totalSeconds / 60) + " min; scale " + scale.factor()
               + (scale.full() ? " (full size)" : " (a reduced development run, not the full size)"));
        md.add("");
        md.add("## Results");
        md.add("");
        md.add("| Scenario | Figure | Ours: median (min-max, runs) | Baseline | Baseline: median (min-max, runs) "
               + "| Ratio | Target | Verdict |");
        md.add("|---|---|---|---|---|---|---|---|");
        for (ScenarioResult result : results) {
            for (Figure f : result.figures) {
                md.add("| " + String.join(" | ", result.title, f.metric() + " (" + f.unit() + ")"
                        + (f.note().isEmpty() ? "" : "; " + f.note()), Format.samples(f.ours()),
                        f.baselineName() == null ? "-" : f.baselineName(), Format.samples(f.baseline()),
                        Double.isNaN(f.ratio()) ? "-" : Format.number(f.ratio()) + "x", f.target().text(),
                        f.hasTarget() ? (f.met() ? "met" : "**missed**") : "-") + " |");
            }
        }
        md.add("");
        md.add("Ratio is ours over the baseline (for times and memory, below 1 is better).");
        for (ScenarioResult result : results) {
            md.add("");
            md.add("## " + result.title);
            md.add("");
            md.add(result.setup);
            md.add("");
            md.add(String.format(Locale.ROOT, "Scenario time: %.0f s; load average (1 min) %s.", result.seconds,
                    result.loadAverages));
            List<String> missed = new ArrayList<>();
            for (Figure f : result.figures) {
                if (f.hasTarget() && !f.met()) {
                    missed.add("- Missed: " + f.metric() + ": " + f.shortfall() + ".");
                }
            }
            if (!missed.isEmpty()) {
                md.add("");
                md.addAll(missed);
            }
            if (!result.notes.isEmpty()) {
                md.add("");
                md.add("```");
                md.addAll(result.notes);
                md.add("```");
            }
        }
        md.add("");
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, md, StandardCharsets.UTF_8);
    }
}
