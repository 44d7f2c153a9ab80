package dev.ddbcdc.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * A Java Flight Recorder CPU profile of this JVM while something runs, summarised where the time goes: by the
 * library of the sampled top frame (self time), and by the component's methods on the stack (inclusive time).
 */
final class JfrProfile implements AutoCloseable {

    /** Top-frame class name prefixes, in order, and the area they count for. */
    private static final Map<String, String> AREAS = new LinkedHashMap<>();

    static {
        AREAS.put("java.util.zip", "gzip inflate");
        AREAS.put("sun.security.provider.MD5", "MD5");
        AREAS.put("sun.security.provider.DigestBase", "MD5");
        AREAS.put("com.fasterxml.jackson", "JSON parsing (Jackson)");
        AREAS.put("com.amazon.ion", "Ion parsing");
        AREAS.put("java.math", "BigDecimal");
        AREAS.put("software.amazon.awssdk", "AWS SDK");
        AREAS.put("org.apache.http", "HTTP client");
        AREAS.put("sun.nio.cs", "charset decoding");
        AREAS.put("sun.nio", "sockets and files");
        AREAS.put("java.net", "sockets and files");
        AREAS.put("sun.net", "sockets and files");
        AREAS.put("java.io", "java.io streams and readers");
        AREAS.put("org.apache.camel", "Camel routing and exchanges");
        AREAS.put("dev.ddbcdc.camel", "dynamodb-cdc component");
        AREAS.put("org.apache.logging", "logging");
        AREAS.put("java.util", "collections and java.util");
        AREAS.put("java.lang", "java.lang (strings, objects)");
        AREAS.put("jdk.internal", "JDK internals");
    }

    private final Recording recording;
    private final Path file;

    JfrProfile(Path file) {
        try {
            this.file = file;
            // CPU samples only: the "profile" settings add allocation and lock events that slow the run measured
            recording = new Recording();
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10)).withStackTrace();
            recording.setToDisk(true);
            recording.setDestination(file);
            recording.start();
        } catch (IOException e) {
            throw new IllegalStateException("Could not start a JFR recording", e);
        }
    }

    /** Stops and summarises: lines such as {@code 31% gzip inflate}. */
    List<String> stopAndSummarise(int top) {
        recording.stop();
        try {
            recording.close();
            return summarise(file, top);
        } catch (IOException e) {
            throw new IllegalStateException("Could not read the JFR recording " + file, e);
        }
    }

    static List<String> summarise(Path file, int top) throws IOException {
        Map<String, Integer> areas = new HashMap<>();
        Map<String, Integer> componentMethods = new HashMap<>();
        Map<String, Integer> selfMethods = new HashMap<>();
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            if (!"jdk.ExecutionSample".equals(event.getEventType().getName())) {
                continue;
            }
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            List<RecordedFrame> frames = stack.getFrames();
            String topType = frames.get(0).getMethod().getType().getName();
            areas.merge(area(topType), 1, Integer::sum);
            selfMethods.merge(name(frames.get(0)), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame frame : frames) {
                String type = frame.getMethod().getType().getName();
                if (type.startsWith("dev.ddbcdc.camel") && !type.contains("$$Lambda") && seen.add(name(frame))) {
                    componentMethods.merge(name(frame), 1, Integer::sum);
                }
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add(samples + " CPU samples (JFR jdk.ExecutionSample, every thread of the measured JVM; Java code only:"
                  + " time in native code such as zlib's inflate and socket reads is not sampled, so Java hot spots"
                  + " weigh more here than in wall time)");
        lines.add("Self time by area of the sampled frame:");
        lines.addAll(topShares(areas, samples, top));
        lines.add("Inclusive time of the component's methods (on the stack):");
        lines.addAll(topShares(componentMethods, samples, top));
        lines.add("Hottest methods (self time):");
        lines.addAll(topShares(selfMethods, samples, top));
        Files.deleteIfExists(file);
        return lines;
    }

    private static String area(String type) {
        for (Map.Entry<String, String> area : AREAS.entrySet()) {
            if (type.startsWith(area.getKey())) {
                return area.getValue();
            }
        }
        return "other (" + (type.lastIndexOf('.') > 0 ? type.substring(0, type.lastIndexOf('.')) : type) + ")";
    }

    private static String name(RecordedFrame frame) {
        String type = frame.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName();
    }

    private static List<String> topShares(Map<String, Integer> counts, int total, int top) {
        return counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .map(e -> String.format(Locale.ROOT, "  %4.1f%% %s", 100.0 * e.getValue() / Math.max(1, total),
                        e.getKey()))
                .toList();
    }

    @Override
    public void close() {
        recording.close();
    }
}
