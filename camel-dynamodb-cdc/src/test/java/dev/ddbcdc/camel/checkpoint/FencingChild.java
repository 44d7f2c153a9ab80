package dev.ddbcdc.camel.checkpoint;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * One process of {@link FileCheckpointFencingTest}'s two-process test, in a JVM of its own: starts a
 * {@link FileCheckpointRepository} on the shared file, says {@link #READY}, waits for the go file, then makes
 * {@code n} compare-and-set increments of one counter (and a plain write of its own key after each).
 * Arguments: file, counter key, n, maxFileSize, go file, name.
 */
final class FencingChild {

    static final String READY = "READY";
    static final String DONE = "DONE";

    private FencingChild() {
    }

    public static void main(String[] args) throws Exception {
        String key = args[1];
        int n = Integer.parseInt(args[2]);
        Path go = Path.of(args[4]);
        FileCheckpointRepository repository = new FileCheckpointRepository(new File(args[0]));
        repository.setMaxFileSize(Long.parseLong(args[3]));
        repository.start();
        System.out.println(READY);
        System.out.flush();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(go)) {
            if (System.nanoTime() > deadline) {
                System.out.println("no go file within 30 s");
                System.exit(2);
            }
            Thread.sleep(1);
        }
        int conflicts = 0;
        for (int done = 0; done < n;) {
            String current = repository.getState(key);
            String next = Integer.toString(current == null ? 1 : Integer.parseInt(current) + 1);
            if (repository.compareAndSet(key, current, next)) {
                done++;
                repository.setState("child/" + args[5], Integer.toString(done));
            } else {
                conflicts++;
            }
        }
        repository.stop();
        System.out.println(DONE + " " + n + " increments, " + conflicts + " conflicts");
    }
}
