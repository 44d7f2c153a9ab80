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
    static final String STATUS = "STATUS ";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ChildJvm() {
    }

    /** The command line of a child JVM running {@code main} on this JVM's class path. */
    private static List<String> command(Class<?> main, List<String> jvmOptions, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(args);
        return command;
    }

    /** Runs {@code main} with {@code jvmOptions} and {@code args}; returns the child's result. */
    static Map<String, Object> run(Class<?> main, List<String> jvmOptions, List<String> args, long timeoutSeconds) {
        List<String> command = command(main, jvmOptions, args);
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

    /**
     * Starts {@code main} with {@code jvmOptions} and {@code args} and returns at once: for children that run side by
     * side and are told what to do on their standard input. The child's {@code STATUS {json}} lines are kept (the
     * latest one), its {@code RESULT {json}} line is the result; anything else it prints goes to our stderr, tagged
     * with {@code name}.
     */
    static Running start(Class<?> main, String name, List<String> jvmOptions, List<String> args) {
        List<String> command = command(main, jvmOptions, args);
        try {
            return new Running(name,
                    new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
        } catch (IOException e) {
            throw new IllegalStateException("Could not start " + name, e);
        }
    }

    /** A child started by {@link #start}: its latest status, commands to it, its result and its end. */
    static final class Running implements AutoCloseable {

        private final String name;
        private final Process process;
        private final java.io.Writer stdin;
        private final java.util.concurrent.CompletableFuture<Map<String, Object>> result =
                new java.util.concurrent.CompletableFuture<>();
        private volatile Map<String, Object> status = Map.of();

        private Running(String name, Process process) {
            this.name = name;
            this.process = process;
            this.stdin = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread reader = new Thread(this::read, name + "-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith(STATUS)) {
                        status = JSON.readValue(line.substring(STATUS.length()),
                                new TypeReference<Map<String, Object>>() {
                                });
                    } else if (line.startsWith(RESULT)) {
                        result.complete(JSON.readValue(line.substring(RESULT.length()),
                                new TypeReference<Map<String, Object>>() {
                                }));
                    } else {
                        System.err.println("  [" + name + "] " + line);
                    }
                }
            } catch (IOException e) {
                result.completeExceptionally(e);
            }
            result.completeExceptionally(new IllegalStateException(name + " ended without a result"));
        }

        String name() {
            return name;
        }

        /** The latest status the child printed (empty before the first). */
        Map<String, Object> status() {
            return status;
        }

        boolean isAlive() {
            return process.isAlive();
        }

        /** Sends one line to the child's standard input. */
        void send(String command) {
            try {
                stdin.write(command + "\n");
                stdin.flush();
            } catch (IOException e) {
                throw new IllegalStateException("Could not tell " + name + " to " + command
                                                + (process.isAlive() ? "" : " (it ended, exit "
                                                                            + process.exitValue() + ")"), e);
            }
        }

        /** The child's result, once it printed it. */
        Map<String, Object> awaitResult(long timeoutSeconds) {
            try {
                return result.get(timeoutSeconds, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException(name + " gave no result within " + timeoutSeconds + " s");
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(name + " failed: " + e.getCause().getMessage(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + name, e);
            }
        }

        /** Waits for the child to end; throws if it does not in time or ends with an error. */
        void awaitExit(long timeoutSeconds) {
            try {
                if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(name + " did not end within " + timeoutSeconds + " s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + name, e);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(name + " ended with exit " + process.exitValue());
            }
        }

        /** Ends the child if it still runs (after a failure elsewhere). */
        @Override
        public void close() {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }

    /** For the child: prints a status line the parent keeps (the latest). */
    static void printStatus(Map<String, ?> status) {
        try {
            String line = STATUS + JSON.writeValueAsString(status);
            synchronized (System.out) {
                System.out.println(line);
                System.out.flush();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
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
