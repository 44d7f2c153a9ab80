package dev.ddbcdc.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Runs one measurement in a JVM of its own (same classpath), so that its heap is its own and capped, and its JIT and
 * garbage start clean. The child prints one {@code RESULT {json}} line; anything else it prints goes to our stderr.
 */
final class ChildJvm {

    static final String RESULT = "RESULT ";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ChildJvm() {
    }

    /** Runs {@code main} with {@code jvmOptions} and {@code args}; returns the child's result. */
    static Map<String, Object> run(Class<?> main, List<String> jvmOptions, List<String> args, long timeoutSeconds) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(args);
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String result = null;
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith(RESULT)) {
                        result = line.substring(RESULT.length());
                    } else {
                        System.err.println("  [" + main.getSimpleName() + "] " + line);
                    }
                }
            }
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(main.getSimpleName() + " did not end within " + timeoutSeconds + " s");
            }
            if (process.exitValue() != 0 || result == null) {
                throw new IllegalStateException(main.getSimpleName() + " " + args + " failed (exit "
                                                + process.exitValue() + ", result " + result + ")");
            }
            return JSON.readValue(result, new TypeReference<Map<String, Object>>() {
            });
        } catch (IOException e) {
            throw new IllegalStateException("Could not run " + main.getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while " + main.getSimpleName() + " ran", e);
        }
    }

    /** For the child: prints the result line the parent reads. */
    static void printResult(Map<String, ?> result) {
        try {
            System.out.println(RESULT + JSON.writeValueAsString(result));
            System.out.flush();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static double number(Map<String, Object> result, String key) {
        Object value = result.get(key);
        if (!(value instanceof Number n)) {
            throw new IllegalStateException("The child's result has no number " + key + ": " + result);
        }
        return n.doubleValue();
    }
}
