package dev.ddbcdc.localaws;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.function.Function;
import java.util.zip.CRC32;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An HTTP front on a loopback port, speaking the DynamoDB AWS JSON 1.0 protocol, that adds to DynamoDB Local what it
 * lacks for snapshots: point-in-time recovery settings (DescribeContinuousBackups, UpdateContinuousBackups) and full
 * and incremental exports to S3 (ExportTableToPointInTime, DescribeExport, ListExports), written into S3 (S3Mock) in
 * the layout of AWS. Every other request, DynamoDB Streams included, goes to DynamoDB Local unchanged, so both the
 * DynamoDB and the DynamoDB Streams clients of code under test point at {@link #endpoint()}.
 *
 * <p>Incremental exports ({@code ExportType=INCREMENTAL_EXPORT}) hold each item written in their window once, compacted
 * to its last state, with its state at the window's start ({@link IncrementalExportSpec} has the rules AWS applies to
 * the request, {@link ChangeHistory} the compaction). The emulator knows item histories as PITR does: from the moment
 * PITR is enabled through the front it keeps the table's items, then records each write that passes through the front
 * ({@link WriteRecorder}) at the time of {@link #clock()}. Writes made around the front, directly to DynamoDB Local,
 * are not seen until {@link #recordOutsideChanges(String)}; TTL deletions are not seen either. Tests get windows of 15
 * minutes and more without waiting by moving the emulator's clock ({@link #advanceClock(Duration)}) between writes.
 *
 * <p>An export reads the table when it is requested (a consistent Scan, started in the background unless
 * {@link #scanAtRequest(boolean)}), writes {@code _started} at once, and writes its data files and manifests and turns
 * COMPLETED only once {@link #exportDelay(Duration)} has passed since the request, so that tests can change the table
 * while an export "runs". The export holds the table as of the scan, not as of ExportTime; AWS promises no more than
 * that too (changes within about a minute of ExportTime may or may not be in it).
 *
 * <p>Errors come back as AWS sends them (HTTP 400, {@code __type} and {@code x-amzn-ErrorType}), so the SDK raises
 * the modeled exceptions: {@code TableNotFoundException}, {@code PointInTimeRecoveryUnavailableException},
 * {@code InvalidExportTimeException}, {@code ExportNotFoundException}, {@code IdempotentParameterMismatchException},
 * and {@code ValidationException} as a plain {@code DynamoDbException}.
 *
 * <p>Forwarding costs about 0.1-0.2 ms per call (pooled keep-alive connections to DynamoDB Local, requests and answers
 * passed as bytes); DynamoDB Local itself is the limit. The JDK HTTP server must run with TCP_NODELAY, which this class
 * switches on ({@code sun.net.httpserver.nodelay}) unless the property is set: if another {@code HttpServer} was created
 * in this JVM before, start the JVM with {@code -Dsun.net.httpserver.nodelay=true}, or every small answer waits for a
 * delayed ACK (about 40 ms).
 */
public final class ExportEmulator implements AutoCloseable {

    static {
        // The JDK HTTP server writes response headers and body separately; without TCP_NODELAY small responses can
        // wait for a delayed ACK (tens of milliseconds). Takes effect if no HttpServer was created before.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    public static final int DEFAULT_DATA_FILES_PER_EXPORT = 4;
    /** How long a ClientToken makes ExportTableToPointInTime idempotent. */
    public static final Duration CLIENT_TOKEN_VALIDITY = ExportRegistry.CLIENT_TOKEN_VALIDITY;
    /** The failure code of an export whose bucket does not exist. */
    public static final String S3_NO_SUCH_BUCKET = ExportRunner.S3_NO_SUCH_BUCKET;

    private static final String DYNAMODB_TARGET_PREFIX = "DynamoDB_20120810.";

    private final HttpServer server;
    private final ExecutorService requestThreads;
    private final DynamoDbForwarder forwarder;
    private final DynamoDbClient dynamoDbLocal;
    private final EmulatorClock clock = new EmulatorClock(Clock.systemUTC());
    private final ChangeHistory history = new ChangeHistory();
    private final PointInTimeRecovery pointInTimeRecovery;
    /** How far DynamoDB Local's event times (and so its tables' creation times) were dilated. */
    private final Supplier<Duration> aged;
    private final WriteRecorder recorder;
    private final ExportRegistry registry = new ExportRegistry();
    private final ExportRunner runner;

    private final AtomicInteger exportRequestCount = new AtomicInteger();
    private final AtomicReference<ExportRunner.Failure> nextFailure = new AtomicReference<>();
    private volatile Duration exportDelay = Duration.ZERO;
    private volatile int dataFilesPerExport = DEFAULT_DATA_FILES_PER_EXPORT;
    private volatile boolean scanAtRequest;

    private DynamoDbClient client;
    private DynamoDbStreamsClient streamsClient;

    private ExportEmulator(LocalDynamoDb dynamoDb, S3Client s3) throws IOException {
        this.dynamoDbLocal = dynamoDb.client();
        this.aged = dynamoDb::dilated;
        this.pointInTimeRecovery = new PointInTimeRecovery(clock, dynamoDbLocal, aged, history);
        this.recorder = new WriteRecorder(dynamoDbLocal, history, clock);
        this.runner = new ExportRunner(new ExportWriter(dynamoDbLocal, s3), history, clock);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        this.requestThreads = Executors.newCachedThreadPool(ExportRunner.daemonThreads("ddb-front-request-"));
        this.forwarder = new DynamoDbForwarder(dynamoDb.endpoint());
        server.createContext("/", this::handle);
        server.setExecutor(requestThreads);
        server.start();
    }

    /**
     * Starts the front on a free loopback port, in front of {@code dynamoDb}, writing exports with {@code s3} (which
     * stays owned by the caller).
     */
    public static ExportEmulator start(LocalDynamoDb dynamoDb, S3Client s3) {
        try {
            return new ExportEmulator(dynamoDb, s3);
        } catch (IOException e) {
            throw new IllegalStateException("Could not start the DynamoDB export emulator", e);
        }
    }

    /** The front's endpoint, e.g. {@code http://127.0.0.1:41234}, for DynamoDB and DynamoDB Streams clients. */
    public URI endpoint() {
        return URI.create("http://" + server.getAddress().getAddress().getHostAddress() + ":" + port());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** A DynamoDB client through the front (with the test kit's credentials and region). */
    public synchronized DynamoDbClient client() {
        if (client == null) {
            client = DynamoDbClient.builder().endpointOverride(endpoint()).region(LocalDynamoDb.REGION)
                    .credentialsProvider(LocalDynamoDb.credentials()).httpClient(UrlConnectionHttpClient.create())
                    .build();
        }
        return client;
    }

    /** A DynamoDB Streams client through the front. */
    public synchronized DynamoDbStreamsClient streamsClient() {
        if (streamsClient == null) {
            streamsClient = DynamoDbStreamsClient.builder().endpointOverride(endpoint()).region(LocalDynamoDb.REGION)
                    .credentialsProvider(LocalDynamoDb.credentials()).httpClient(UrlConnectionHttpClient.create())
                    .build();
        }
        return streamsClient;
    }

    // ---- test controls ------------------------------------------------------------------------------------------

    /** Exports requested from now on finish no earlier than this long after their request (default 0). */
    public ExportEmulator exportDelay(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("Export delay must not be negative: " + delay);
        }
        this.exportDelay = delay;
        return this;
    }

    /** How many data files exports requested from now on have (default 4); items go by a hash of their key. */
    public ExportEmulator dataFilesPerExport(int dataFiles) {
        if (dataFiles < 1) {
            throw new IllegalArgumentException("An export has at least one data file: " + dataFiles);
        }
        this.dataFilesPerExport = dataFiles;
        return this;
    }

    /**
     * Whether the table is read before ExportTableToPointInTime answers (true), or in the background right after
     * (false, the default). True makes the content deterministic: every write acknowledged before the request is in
     * the export, every write made after the answer is not.
     */
    public ExportEmulator scanAtRequest(boolean scanAtRequest) {
        this.scanAtRequest = scanAtRequest;
        return this;
    }

    /**
     * The next export requested (a new one, not one returned again for a ClientToken) ends FAILED with this code and
     * message once its delay has passed; only its {@code _started} marker is written.
     */
    public ExportEmulator failNextExport(String failureCode, String failureMessage) {
        nextFailure.set(new ExportRunner.Failure(Objects.requireNonNull(failureCode, "failureCode"),
                Objects.requireNonNull(failureMessage, "failureMessage")));
        return this;
    }

    /**
     * Back to the defaults: no delay, four data files, background scan, no pending failure. The clock stays where it
     * is: emulated time only goes forward.
     */
    public ExportEmulator resetControls() {
        exportDelay = Duration.ZERO;
        dataFilesPerExport = DEFAULT_DATA_FILES_PER_EXPORT;
        scanAtRequest = false;
        nextFailure.set(null);
        return this;
    }

    /**
     * The emulator's clock: the system clock plus however far {@link #advanceClock(Duration)} moved it. Point-in-time
     * recovery windows, the write times recorded for incremental exports, and export times are on it; a test that
     * computes an ExportTime or an incremental window takes "now" from here, not from {@code Instant.now()}.
     */
    public Clock clock() {
        return clock;
    }

    /**
     * Moves the emulator's clock forward by {@code by}, at once: writes made after the call are dated that much later,
     * so a test makes changes minutes or hours apart, for incremental export windows of 15 minutes to 24 hours, without
     * waiting. Exports waiting for their delay may finish at once. DynamoDB Local's stream times do not move; to age
     * those as well use {@link LocalAws#advanceClock(Duration)}.
     */
    public ExportEmulator advanceClock(Duration by) {
        clock.advance(by);
        return this;
    }

    /**
     * Enables point-in-time recovery of {@code tableName} as if that had been done at {@code since}, in the past (even
     * before the table was created): its earliest restorable time is {@code since}, and its history starts then with
     * the table as it is now, as if it had not changed in between. For tests of incremental exports whose window must
     * start 15 minutes or more before now around a change made a moment ago, without moving {@link #clock()} (which
     * would put the emulator's times ahead of DynamoDB Local's stream record times). Fails when point-in-time recovery
     * is enabled already.
     */
    public void enablePointInTimeRecoverySince(String tableName, Instant since) {
        if (since.isAfter(clock.instant())) {
            throw new IllegalArgumentException("point-in-time recovery is enabled since a time in the past, not "
                    + since);
        }
        TableInfo table = TableInfo.describe(dynamoDbLocal, aged.get(), tableName);
        if (pointInTimeRecovery.enabled(table) != null) {
            throw new IllegalStateException("Point-in-time recovery of table " + tableName + " is enabled already");
        }
        Instant at = since.truncatedTo(ChronoUnit.MILLIS);
        pointInTimeRecovery.enableSince(table, at);
        history.start(table, at, ExportWriter.scanItems(dynamoDbLocal, tableName));
    }

    /**
     * Records, at the current time of {@link #clock()}, the changes made to a table with point-in-time recovery
     * around the front (directly in DynamoDB Local, where the emulator does not see writes): the table is read whole
     * and compared with the emulator's history of it. Returns how many items changed.
     */
    public int recordOutsideChanges(String tableName) {
        TableInfo table = TableInfo.describe(dynamoDbLocal, aged.get(), tableName);
        ChangeHistory.TableHistory changes = pointInTimeRecovery.enabled(table) == null ? null : history.of(table);
        if (changes == null) {
            throw new IllegalStateException("Point-in-time recovery is not enabled for table " + tableName
                    + " through the front: no change history is kept for it");
        }
        return recorder.reconcile(changes);
    }

    /** How many ExportTableToPointInTime calls created a new export (idempotent repeats and errors not counted). */
    public int exportRequestCount() {
        return exportRequestCount.get();
    }

    /** Waits until no export is IN_PROGRESS; throws {@link IllegalStateException} naming them after the timeout. */
    public void awaitNoExportRunning(Duration timeout) {
        registry.awaitNoneRunning(timeout);
    }

    /**
     * Adds a COMPLETED full export of {@code tableName} whose data files hold {@code items} instead of what the table
     * holds, for loads too large to write through DynamoDB Local (a benchmark of a million items). It is written at
     * once, in the layout and format of any other export ({@code _started}, {@link #dataFilesPerExport(int)} data
     * files spread by a hash of the item keys, both manifests with their checksums), and DescribeExport and
     * ListExports know it. As for ExportTableToPointInTime, the table must exist with point-in-time recovery enabled,
     * and the bucket must exist. Items are streamed to temporary files, so millions need no heap.
     *
     * @param exportFormat {@code DYNAMODB_JSON} or {@code ION}
     * @return the export ARN, e.g. for a reader's {@code exportArn}
     */
    public String completedExportOf(String tableName, String s3Bucket, String exportFormat,
            Iterator<Map<String, AttributeValue>> items) {
        ObjectNode body = exportRequest(tableName, s3Bucket, exportFormat);
        return completedExport(body, Objects.requireNonNull(items, "items"));
    }

    /**
     * Adds a COMPLETED incremental export of the changes of {@code tableName} from {@code exportFromTime} (inclusive)
     * to {@code exportToTime} (exclusive; null for now), written at once: the same request, checks, layout and lines
     * as ExportTableToPointInTime with {@code ExportType=INCREMENTAL_EXPORT} gives once the export has run, without
     * waiting for it. Times are on {@link #clock()}. A request AWS would refuse throws {@code AwsServiceError} (a
     * window shorter than 15 minutes, point-in-time recovery off, ...).
     *
     * @param exportFormat {@code DYNAMODB_JSON} or {@code ION}
     * @param exportViewType {@code NEW_AND_OLD_IMAGES} or {@code NEW_IMAGE}
     * @return the export ARN; DescribeExport gives its manifest, {@link ExportTampering} reads its lines
     */
    public String completedIncrementalExportOf(String tableName, String s3Bucket, String exportFormat,
            Instant exportFromTime, Instant exportToTime, String exportViewType) {
        ObjectNode body = exportRequest(tableName, s3Bucket, exportFormat);
        body.put("ExportType", ExportRequest.INCREMENTAL_EXPORT);
        ObjectNode specification = body.putObject("IncrementalExportSpecification");
        AwsJson.putTimestamp(specification, "ExportFromTime", Objects.requireNonNull(exportFromTime, "from"));
        AwsJson.putTimestamp(specification, "ExportToTime", exportToTime);
        specification.put("ExportViewType", exportViewType);
        return completedExport(body, null);
    }

    private ObjectNode exportRequest(String tableName, String s3Bucket, String exportFormat) {
        ObjectNode body = AwsJson.object();
        body.put("TableArn", TableInfo.describe(dynamoDbLocal, aged.get(), tableName).arn());
        body.put("S3Bucket", s3Bucket);
        body.put("ExportFormat", exportFormat);
        return body;
    }

    private String completedExport(ObjectNode body, Iterator<Map<String, AttributeValue>> items) {
        ExportRequest request = ExportRequest.parse(body);
        TableInfo table = TableInfo.describe(dynamoDbLocal, aged.get(), TableInfo.nameFromArn(request.tableArn()));
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Export export = registry.exportFor(request, table, now, id -> newExport(id, request, table, now)).export();
        runner.completeNow(export, items);
        return export.arn();
    }

    // ---- HTTP ---------------------------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) {
        try {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            Function<ObjectNode, ObjectNode> operation = emulatedOperation(target);
            if (operation == null) {
                forward(exchange, target, body);
                return;
            }
            byte[] response;
            try {
                response = AwsJson.bytes(operation.apply(AwsJson.parseRequest(body)));
            } catch (AwsServiceError error) {
                respondError(exchange, error);
                return;
            } catch (RuntimeException unexpected) {
                respondError(exchange, AwsServiceError.internal("Export emulator failed: " + unexpected));
                return;
            }
            respond(exchange, 200, response, null);
        } catch (IOException clientGone) {
            // nothing to answer to
        } finally {
            exchange.close();
        }
    }

    private Function<ObjectNode, ObjectNode> emulatedOperation(String target) {
        if (target == null || !target.startsWith(DYNAMODB_TARGET_PREFIX)) {
            return null;
        }
        return switch (target.substring(DYNAMODB_TARGET_PREFIX.length())) {
            case "ExportTableToPointInTime" -> this::exportTableToPointInTime;
            case "DescribeExport" -> this::describeExport;
            case "ListExports" -> this::listExports;
            case "DescribeContinuousBackups" -> pointInTimeRecovery::describeContinuousBackups;
            case "UpdateContinuousBackups" -> pointInTimeRecovery::updateContinuousBackups;
            default -> null;
        };
    }

    /** Forwards to DynamoDB Local, recording the writes to tables with point-in-time recovery on the way. */
    private void forward(HttpExchange exchange, String target, byte[] body) throws IOException {
        LoopbackHttpClient.Response response;
        try {
            response = recorder.forward(target, body, () -> forwarder.send(exchange, body));
        } catch (IOException e) {
            respondError(exchange, AwsServiceError.internal("Could not reach DynamoDB Local: " + e));
            return;
        }
        forwarder.respond(exchange, response);
    }

    private static void respondError(HttpExchange exchange, AwsServiceError error) throws IOException {
        ObjectNode body = AwsJson.object();
        body.put("__type", error.type());
        body.put("message", error.getMessage());
        respond(exchange, error.status(), AwsJson.bytes(body), error.errorName());
    }

    private static void respond(HttpExchange exchange, int status, byte[] body, String errorType) throws IOException {
        Headers headers = exchange.getResponseHeaders();
        headers.set("Content-Type", AwsJson.CONTENT_TYPE);
        headers.set("x-amzn-RequestId", UUID.randomUUID().toString());
        CRC32 crc32 = new CRC32();
        crc32.update(body);
        headers.set("x-amz-crc32", Long.toString(crc32.getValue()));
        if (errorType != null) {
            headers.set("x-amzn-ErrorType", errorType);
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    // ---- exports ------------------------------------------------------------------------------------------------

    private ObjectNode exportTableToPointInTime(ObjectNode body) {
        ExportRequest request = ExportRequest.parse(body);
        TableInfo table = TableInfo.describe(dynamoDbLocal, aged.get(), TableInfo.nameFromArn(request.tableArn()));
        if (!table.arn().equals(request.tableArn())) {
            throw AwsServiceError.tableNotFound("Table not found: " + request.tableArn() + " (the table named "
                    + table.name() + " has the ARN " + table.arn() + ")");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        ExportRegistry.Outcome outcome = registry.exportFor(request, table, now,
                id -> newExport(id, request, table, now));
        ObjectNode response = exportDescription(outcome.export()); // IN_PROGRESS for a new one, as AWS answers
        if (outcome.isNew()) {
            exportRequestCount.incrementAndGet();
            runner.launch(outcome.export(), nextFailure.getAndSet(null), scanAtRequest);
        }
        return response;
    }

    /**
     * A new export of {@code table}; checks point-in-time recovery and the export time (full export) or window
     * (incremental export) as AWS does.
     */
    private Export newExport(String id, ExportRequest request, TableInfo table, Instant now) {
        PointInTimeRecovery.Enabled pitr = pointInTimeRecovery.enabled(table);
        if (request.isIncremental()) {
            IncrementalExportSpec window = request.incremental().resolve(now,
                    pitr == null ? null : pitr.earliestRestorable(now), table);
            return new Export(id, request, table, now, null, window, now.plus(exportDelay), dataFilesPerExport);
        }
        if (pitr == null) {
            throw AwsServiceError.of("PointInTimeRecoveryUnavailableException",
                    "Point in time recovery is not enabled for table '" + table.name() + "'");
        }
        Instant exportTime = request.requestedExportTime() == null ? now : request.requestedExportTime();
        if (exportTime.isAfter(now)) {
            throw AwsServiceError.of("InvalidExportTimeException", "ExportTime " + exportTime
                    + " is in the future (now is " + now + ")");
        }
        Instant earliest = pitr.earliestRestorable(now);
        if (exportTime.isBefore(earliest)) {
            throw AwsServiceError.of("InvalidExportTimeException", "ExportTime " + exportTime
                    + " is before the earliest restorable time " + earliest + " of table '" + table.name() + "'");
        }
        return new Export(id, request, table, now, exportTime, null, now.plus(exportDelay), dataFilesPerExport);
    }

    private static ObjectNode exportDescription(Export export) {
        ObjectNode response = AwsJson.object();
        response.set("ExportDescription", export.describe());
        return response;
    }

    private ObjectNode describeExport(ObjectNode request) {
        return exportDescription(registry.byArn(AwsJson.requiredText(request, "ExportArn")));
    }

    private ObjectNode listExports(ObjectNode request) {
        return registry.list(request);
    }

    // ---- life cycle ---------------------------------------------------------------------------------------------

    /** Stops the front; exports still running end FAILED. Does not close DynamoDB Local or the S3 client. */
    @Override
    public void close() {
        server.stop(0);
        runner.close();
        requestThreads.shutdownNow();
        forwarder.close();
        synchronized (this) {
            if (client != null) {
                client.close();
            }
            if (streamsClient != null) {
                streamsClient.close();
            }
        }
        registry.failRunning(clock.instant(), "The export emulator was closed");
    }
}
