package dev.ddbcdc.localaws;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The exports the emulator knows, in the order they were requested: by ARN for DescribeExport, by ClientToken for
 * idempotent requests (8 hours, as AWS), and paged for ListExports.
 */
final class ExportRegistry {

    /** How long a ClientToken makes ExportTableToPointInTime idempotent. */
    static final Duration CLIENT_TOKEN_VALIDITY = Duration.ofHours(8);

    private static final int LIST_EXPORTS_MAX_RESULTS = 25;

    /** The export a request gets: an earlier one of the same ClientToken, or a new one. */
    record Outcome(Export export, boolean isNew) {
    }

    private final Object lock = new Object();
    private final List<Export> exports = new ArrayList<>();
    private final Map<String, Export> byArn = new HashMap<>();
    private final Map<String, Export> byClientToken = new HashMap<>();

    /**
     * The earlier export of the request's ClientToken, if used less than 8 hours ago with the same parameters
     * ({@code IdempotentParameterMismatchException} when they differ); otherwise a new export from {@code create},
     * given a fresh export id, registered. {@code create} may refuse the request by throwing: nothing is registered.
     */
    Outcome exportFor(ExportRequest request, TableInfo table, Instant now, Function<String, Export> create) {
        synchronized (lock) {
            Export earlier = request.clientToken() == null ? null : byClientToken.get(request.clientToken());
            if (earlier != null && tokenStillValid(earlier, now)) {
                if (!earlier.request().sameParametersAs(request)) {
                    throw AwsServiceError.of("IdempotentParameterMismatchException", "ClientToken "
                            + request.clientToken() + " was used for export " + earlier.arn()
                            + " with different parameters less than 8 hours ago");
                }
                return new Outcome(earlier, false);
            }
            String id;
            do {
                id = String.format("%013d-%08x", now.toEpochMilli(), ThreadLocalRandom.current().nextInt());
            } while (byArn.containsKey(table.arn() + "/export/" + id));
            Export export = create.apply(id);
            exports.add(export);
            byArn.put(export.arn(), export);
            if (request.clientToken() != null) {
                byClientToken.put(request.clientToken(), export);
            }
            return new Outcome(export, true);
        }
    }

    private static boolean tokenStillValid(Export export, Instant now) {
        Instant from = export.endTime() == null ? now : export.endTime();
        return now.isBefore(from.plus(CLIENT_TOKEN_VALIDITY));
    }

    /** The export of this ARN; {@code ExportNotFoundException} when there is none. */
    Export byArn(String arn) {
        Export export;
        synchronized (lock) {
            export = byArn.get(arn);
        }
        if (export == null) {
            throw AwsServiceError.of("ExportNotFoundException", "Export not found: " + arn);
        }
        return export;
    }

    /** Waits until no export is IN_PROGRESS; throws {@link IllegalStateException} naming them after the timeout. */
    void awaitNoneRunning(Duration timeout) {
        List<Export> running;
        synchronized (lock) {
            running = exports.stream().filter(e -> !e.done().isDone()).toList();
        }
        try {
            CompletableFuture.allOf(running.stream().map(Export::done).toArray(CompletableFuture[]::new))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Exports still running after " + timeout + ": "
                    + running.stream().filter(x -> !x.done().isDone()).toList());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for exports", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Ends every export still running FAILED (the emulator closes). */
    void failRunning(Instant now, String message) {
        synchronized (lock) {
            exports.forEach(e -> e.fail(now, "UNKNOWN", message));
        }
    }

    /** The ListExports answer: ExportSummaries of the table's exports (or all), paged by an opaque NextToken. */
    ObjectNode list(ObjectNode request) {
        String tableArn = AwsJson.text(request, "TableArn");
        Integer maxResults = AwsJson.integer(request, "MaxResults");
        if (maxResults != null && (maxResults < 1 || maxResults > LIST_EXPORTS_MAX_RESULTS)) {
            throw AwsServiceError.validation("1 validation error detected: Value '" + maxResults
                    + "' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and "
                    + LIST_EXPORTS_MAX_RESULTS);
        }
        int limit = maxResults == null ? LIST_EXPORTS_MAX_RESULTS : maxResults;
        int from = decodeNextToken(AwsJson.text(request, "NextToken"));
        ObjectNode response = AwsJson.object();
        ArrayNode summaries = response.putArray("ExportSummaries");
        synchronized (lock) {
            int i = from;
            for (; i < exports.size() && summaries.size() < limit; i++) {
                Export export = exports.get(i);
                if (tableArn == null || tableArn.equals(export.table().arn())) {
                    summaries.add(export.summarize());
                }
            }
            boolean more = false;
            for (int j = i; j < exports.size() && !more; j++) {
                more = tableArn == null || tableArn.equals(exports.get(j).table().arn());
            }
            if (more) {
                response.put("NextToken", encodeNextToken(i));
            }
        }
        return response;
    }

    private static String encodeNextToken(int index) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("exports:" + index).getBytes(StandardCharsets.UTF_8));
    }

    private static int decodeNextToken(String token) {
        if (token == null) {
            return 0;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (decoded.startsWith("exports:")) {
                int index = Integer.parseInt(decoded.substring("exports:".length()));
                if (index >= 0) {
                    return index;
                }
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below
        }
        throw AwsServiceError.validation("Invalid NextToken: " + token);
    }
}
