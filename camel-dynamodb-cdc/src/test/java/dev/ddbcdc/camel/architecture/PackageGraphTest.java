package dev.ddbcdc.camel.architecture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The component's packages form a one-way graph: each package may use only packages of a lower layer. The layers,
 * lowest first (docs/architecture.md explains each):
 * <ol>
 * <li>{@code flow} (acknowledgement window, backoff, delivery contract) and {@code options} (immutable option values
 * and enums): leaves, they use no package of the component;</li>
 * <li>{@code event} (changes to exchanges), {@code checkpoint} (positions and stores), {@code aws} (clients,
 * credentials, AWS error counting);</li>
 * <li>{@code export} (the snapshot's export and loading, and the snapshot's counters and exception) and
 * {@code stream} (reading the stream);</li>
 * <li>{@code scan} (the snapshot by parallel Scan: segments, read budget; it reports through the export package's
 * snapshot counters);</li>
 * <li>{@code engine} (the phases, the hand-over, the rules across snapshot and stream) and {@code store} (checkpoint
 * and idempotent repositories on a DynamoDB table, over the {@code aws} clients);</li>
 * <li>{@code metrics} (meters over the engine's counters) and {@code cluster} (standby: the engine run while this
 * instance leads a cluster namespace);</li>
 * <li>the root package: the Camel component, endpoint, configuration and consumer.</li>
 * </ol>
 * Reads the sources, so it needs no library: imports and fully qualified names both count.
 */
class PackageGraphTest {

    static final String BASE = "dev.ddbcdc.camel";
    static final Path SOURCES = Path.of("src", "main", "java", "dev", "ddbcdc", "camel");
    static final Map<String, Integer> LAYERS = Map.ofEntries(
            Map.entry("options", 0),
            Map.entry("flow", 1),
            Map.entry("event", 1), Map.entry("checkpoint", 1),
            Map.entry("port", 2),
            Map.entry("aws", 3), Map.entry("export", 3), Map.entry("stream", 3),
            Map.entry("scan", 4),
            Map.entry("engine", 5), Map.entry("store", 5),
            Map.entry("metrics", 6), Map.entry("cluster", 6),
            Map.entry("", 7));
    private static final Pattern USE = Pattern.compile("\\bdev\\.ddbcdc\\.camel\\.(?:([a-z]\\w*)\\.)?([A-Z]\\w*)");

    /** package -> the component's packages it uses ("" is the root). */
    static Map<String, Set<String>> graph() throws IOException {
        Map<String, Set<String>> graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
                String text = Files.readString(file);
                Matcher declared = Pattern.compile("(?m)^package ([\\w.]+);").matcher(text);
                assertTrue(declared.find(), file + " declares no package");
                String from = declared.group(1).equals(BASE) ? "" : declared.group(1).substring(BASE.length() + 1);
                Set<String> uses = graph.computeIfAbsent(from, k -> new TreeSet<>());
                Matcher use = USE.matcher(withoutComments(text.substring(declared.end())));
                while (use.find()) {
                    String to = use.group(1) == null ? "" : use.group(1);
                    if (!to.equals(from)) {
                        uses.add(to);
                    }
                }
            }
        }
        return graph;
    }

    static String withoutComments(String source) {
        return source.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "");
    }

    @Test
    void everyPackageUsesOnlyLowerLayers() throws IOException {
        Map<String, Set<String>> graph = graph();
        List<String> violations = new ArrayList<>();
        for (Map.Entry<String, Set<String>> entry : graph.entrySet()) {
            String from = entry.getKey();
            assertTrue(LAYERS.containsKey(from), "package '" + from + "' has no layer: add it to LAYERS and to"
                                                 + " docs/architecture.md");
            for (String to : entry.getValue()) {
                if (!LAYERS.containsKey(to) || LAYERS.get(to) >= LAYERS.get(from)) {
                    violations.add(name(from) + " -> " + name(to));
                }
            }
        }
        System.out.println("Package graph: " + render(graph));
        assertEquals(List.of(), violations, "a package uses one of its own or a higher layer; graph: " + render(graph));
    }

    @Test
    void theScannerSeesImportsAndQualifiedNames() {
        String source = "import dev.ddbcdc.camel.engine.Phase;\nclass X { dev.ddbcdc.camel.DynamoDbCdcConsumer c;"
                        + " // dev.ddbcdc.camel.metrics.Ignored\n}";
        Matcher use = USE.matcher(withoutComments(source));
        List<String> found = new ArrayList<>();
        while (use.find()) {
            found.add(use.group(1) == null ? "" : use.group(1));
        }
        assertEquals(List.of("engine", ""), found);
    }

    static String render(Map<String, Set<String>> graph) {
        StringBuilder out = new StringBuilder();
        graph.forEach((from, to) -> out.append("\n  ").append(name(from)).append(" -> ")
                .append(to.stream().map(PackageGraphTest::name).toList()));
        return out.toString();
    }

    static String name(String pkg) {
        return pkg.isEmpty() ? "(root)" : pkg;
    }
}
