package dev.ddbcdc.bench;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import dev.ddbcdc.localaws.LocalAws;

/**
 * Runs the benchmark scenarios against the in-process local AWS test kit, prints the results table and writes it,
 * with the machine it ran on, to the report file. {@code --scale=1} is the full size; {@code --scenarios=} a
 * comma-separated subset of snapshot, catchup, latency, restart, shards, lanes, jdbc, scaleout (default all).
 */
public final class BenchmarkMain {

    static final String COMMAND = "mvn -B -DskipTests -Pbenchmarks verify";

    private BenchmarkMain() {
    }

    static List<Scenario> all() {
        return List.of(new SnapshotLoadScenario(), new StreamCatchUpScenario(), new LatencyScenario(),
                new RestartScenario(), new ManyShardsScenario(), new LanesScenario(), new JdbcSinkScenario(),
                new ScaleOutScenario());
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        Scale scale = new Scale(args.getDouble("scale", 1));
        String selection = args.get("scenarios", "all");
        Set<String> wanted = Arrays.stream(selection.split(",")).map(String::trim).collect(Collectors.toSet());
        List<Scenario> scenarios = all().stream().filter(s -> wanted.contains("all") || wanted.contains(s.id()))
                .toList();
        if (scenarios.isEmpty()) {
            throw new IllegalArgumentException("No scenario matches --scenarios=" + selection + "; ids: "
                                               + all().stream().map(Scenario::id).toList());
        }
        Instant started = Instant.now();
        long start = System.nanoTime();
        String loadBefore = Machine.loadAverage();
        List<ScenarioResult> results = new ArrayList<>();
        for (Scenario scenario : scenarios) {
            System.err.println("== " + scenario.id() + " (scale " + scale.factor() + ")");
            long scenarioStart = System.nanoTime();
            String loadAtStart = Machine.loadAverage();
            ScenarioResult result;
            // a fresh test kit for each scenario: what one scenario left in DynamoDB Local must not slow another
            try (LocalAws aws = scenario.needsLocalAws() ? LocalAws.start() : null) {
                result = scenario.run(aws, scale);
            }
            result.seconds = (System.nanoTime() - scenarioStart) / 1e9;
            result.loadAverages = loadAtStart + " at its start, " + Machine.loadAverage() + " at its end";
            results.add(result);
            System.err.printf("== %s done in %.0f s%n", scenario.id(), result.seconds);
        }
        double total = (System.nanoTime() - start) / 1e9;
        Report report = new Report(results, Machine.describe(), COMMAND, started, total, loadBefore,
                Machine.loadAverage(), scale);
        System.out.println();
        System.out.print(report.consoleTable());
        Path file = Path.of(args.get("report", "docs/benchmarks.md"));
        report.write(file);
        System.out.printf("%nWritten to %s (%.1f min)%n", file.toAbsolutePath().normalize(), total / 60);
        System.exit(0);
    }
}
