package dev.ddbcdc.localaws;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Produces an export: reads the table with a consistent, paginated Scan (or takes given items; or, for an incremental
 * export, the {@link ChangeRecord}s of its window), spreads the lines over the data files by a hash of their item's key
 * (so a given item always lands in the same file index), and writes the data files and the two manifests (each with
 * its {@code .md5}) into S3. The manifest summary is written last. Data files are written to temporary files first, so
 * an export of millions of items needs no heap for them.
 */
final class ExportWriter {

    static final String MANIFEST_VERSION = "2020-06-30";
    /** The manifest summary version of incremental exports (AWS's example of one shows it). */
    static final String INCREMENTAL_MANIFEST_VERSION = "2023-08-01";
    /** AWS bills an incremental export for at least 10 MB of changes (DescribeExport of an empty one says so). */
    static final long INCREMENTAL_MINIMUM_BILLED_BYTES = 10_000_000L;

    /** How one kind of line is written: the item of a full export, the change of an incremental one. */
    private interface Lines<T> {
        /** The item's key attributes (or the whole item), which choose the data file. */
        Map<String, AttributeValue> key(T line);

        void write(ExportLineFormat format, T line, OutputStream out) throws IOException;

        long billedBytes(T line);
    }

    private static final Lines<Map<String, AttributeValue>> ITEMS = new Lines<>() {
        @Override
        public Map<String, AttributeValue> key(Map<String, AttributeValue> item) {
            return item;
        }

        @Override
        public void write(ExportLineFormat format, Map<String, AttributeValue> item, OutputStream out)
                throws IOException {
            format.writeLine(item, out);
        }

        @Override
        public long billedBytes(Map<String, AttributeValue> item) {
            return ItemSize.of(item);
        }
    };

    private static final Lines<ChangeRecord> CHANGES = new Lines<>() {
        @Override
        public Map<String, AttributeValue> key(ChangeRecord change) {
            return change.keys();
        }

        @Override
        public void write(ExportLineFormat format, ChangeRecord change, OutputStream out) throws IOException {
            format.writeChangeLine(change, out);
        }

        @Override
        public long billedBytes(ChangeRecord change) {
            return (change.newImage() == null ? ItemSize.of(change.keys()) : ItemSize.of(change.newImage()))
                    + (change.oldImage() == null ? 0 : ItemSize.of(change.oldImage()));
        }
    };

    /** One gzip data file in a temporary file, ready to upload; its MD5 was taken while it was written. */
    record DataFile(String key, Path content, long itemCount, String md5Base64) {
    }

    /** The table as read for an export. */
    record Snapshot(List<DataFile> files, long itemCount, long billedSizeBytes) {

        /** Deletes the temporary files (after upload, or when the export ends without one). */
        void discard() {
            files.forEach(f -> f.content().toFile().delete());
        }
    }

    private final DynamoDbClient dynamoDb;
    private final S3Client s3;

    ExportWriter(DynamoDbClient dynamoDb, S3Client s3) {
        this.dynamoDb = dynamoDb;
        this.s3 = s3;
    }

    void writeStarted(Export export) {
        s3.putObject(b -> b.bucket(export.request().s3Bucket()).key(export.layout().started()),
                RequestBody.empty());
    }

    /** Reads the table with a consistent, paginated Scan into data files. */
    Snapshot scan(Export export) {
        return collect(export, scanItems(dynamoDb, export.table().name()));
    }

    /** The items of a table, read page by page with a consistent Scan as the iterator goes. */
    static Iterator<Map<String, AttributeValue>> scanItems(DynamoDbClient dynamoDb, String table) {
        return new ScanItems(dynamoDb, table);
    }

    /**
     * Writes the given items into data files, as if the table had held them: spread by a hash of their key like a
     * scanned table. The items are streamed: only the data files, on disk, hold them all.
     */
    Snapshot collect(Export export, Iterator<Map<String, AttributeValue>> items) {
        return collect(export, items, ITEMS, 0);
    }

    /**
     * Writes the lines of an incremental export into data files, spread by a hash of their item's key; the billed size
     * is that of the images, at least {@link #INCREMENTAL_MINIMUM_BILLED_BYTES}.
     */
    Snapshot collectChanges(Export export, Iterator<ChangeRecord> changes) {
        return collect(export, changes, CHANGES, INCREMENTAL_MINIMUM_BILLED_BYTES);
    }

    private <T> Snapshot collect(Export export, Iterator<T> lines, Lines<T> kind, long minimumBilled) {
        ExportLineFormat format = ExportLineFormat.of(export.request().exportFormat());
        int fileCount = export.dataFiles();
        Path[] paths = new Path[fileCount];
        MessageDigest[] digests = new MessageDigest[fileCount];
        OutputStream[] outs = new OutputStream[fileCount];
        long[] counts = new long[fileCount];
        long billed = 0;
        MessageDigest keyHash = md5();
        boolean complete = false;
        try {
            for (int i = 0; i < fileCount; i++) {
                paths[i] = Files.createTempFile("export-data-", format.fileSuffix());
                paths[i].toFile().deleteOnExit();
                digests[i] = md5();
                outs[i] = new BufferedOutputStream(new GZIPOutputStream(new DigestOutputStream(
                        new BufferedOutputStream(Files.newOutputStream(paths[i]), 65536), digests[i]), 8192), 65536);
            }
            while (lines.hasNext()) {
                T line = lines.next();
                int file = fileOf(kind.key(line), export.table().keyAttributes(), fileCount, keyHash);
                kind.write(format, line, outs[file]);
                counts[file]++;
                billed += kind.billedBytes(line);
            }
            List<DataFile> files = new ArrayList<>(fileCount);
            long total = 0;
            for (int i = 0; i < fileCount; i++) {
                outs[i].close();
                files.add(new DataFile(export.layout().newDataFile(format.fileSuffix()), paths[i], counts[i],
                        Base64.getEncoder().encodeToString(digests[i].digest())));
                total += counts[i];
            }
            complete = true;
            return new Snapshot(files, total, Math.max(billed, minimumBilled));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (!complete) {
                for (int i = 0; i < fileCount; i++) {
                    closeQuietly(outs[i]);
                    if (paths[i] != null) {
                        paths[i].toFile().delete();
                    }
                }
            }
        }
    }

    /** The items of a table, page by page (consistent Scan). */
    private static final class ScanItems implements Iterator<Map<String, AttributeValue>> {
        private final DynamoDbClient dynamoDb;
        private final String table;
        private Iterator<Map<String, AttributeValue>> page = Collections.emptyIterator();
        private Map<String, AttributeValue> startKey;
        private boolean lastPage;

        ScanItems(DynamoDbClient dynamoDb, String table) {
            this.dynamoDb = dynamoDb;
            this.table = table;
        }

        @Override
        public boolean hasNext() {
            while (!page.hasNext() && !lastPage) {
                Map<String, AttributeValue> exclusiveStartKey = startKey;
                ScanResponse response = dynamoDb.scan(b -> b.tableName(table).consistentRead(true)
                        .exclusiveStartKey(exclusiveStartKey));
                page = response.items().iterator();
                startKey = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                        ? response.lastEvaluatedKey() : null;
                lastPage = startKey == null;
            }
            return page.hasNext();
        }

        @Override
        public Map<String, AttributeValue> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return page.next();
        }
    }

    private static void closeQuietly(OutputStream out) {
        if (out == null) {
            return;
        }
        try {
            out.close();
        } catch (IOException e) {
            // the file is deleted anyway
        }
    }

    /** Uploads data files and manifests; {@code endTime} is the one the manifest summary and DescribeExport show. */
    void write(Export export, Snapshot snapshot, Instant endTime) {
        try {
            upload(export, snapshot, endTime);
        } finally {
            snapshot.discard();
        }
    }

    private void upload(Export export, Snapshot snapshot, Instant endTime) {
        String bucket = export.request().s3Bucket();
        StringBuilder manifestFiles = new StringBuilder();
        for (DataFile file : snapshot.files()) {
            String etag = s3.putObject(b -> b.bucket(bucket).key(file.key()).contentType("application/octet-stream"),
                    RequestBody.fromFile(file.content())).eTag();
            ObjectNode line = AwsJson.object();
            line.put("itemCount", file.itemCount());
            line.put("md5Checksum", file.md5Base64());
            line.put("etag", etag == null ? null : etag.replace("\"", ""));
            line.put("dataFileS3Key", file.key());
            manifestFiles.append(new String(AwsJson.bytes(line), StandardCharsets.UTF_8)).append('\n');
        }
        ExportLayout layout = export.layout();
        putWithMd5(bucket, layout.manifestFiles(), layout.manifestFilesMd5(),
                manifestFiles.toString().getBytes(StandardCharsets.UTF_8));
        putWithMd5(bucket, layout.manifestSummary(), layout.manifestSummaryMd5(),
                AwsJson.bytes(summary(export, snapshot, endTime)));
    }

    private static ObjectNode summary(Export export, Snapshot snapshot, Instant endTime) {
        ExportRequest request = export.request();
        IncrementalExportSpec window = export.incremental();
        ObjectNode summary = AwsJson.object();
        summary.put("version", window == null ? MANIFEST_VERSION : INCREMENTAL_MANIFEST_VERSION);
        summary.put("exportArn", export.arn());
        summary.put("startTime", AwsJson.isoMillis(export.startTime()));
        summary.put("endTime", AwsJson.isoMillis(endTime));
        summary.put("tableArn", export.table().arn());
        summary.put("tableId", export.table().id());
        if (window == null) {
            summary.put("exportTime", AwsJson.isoMillis(export.exportTime()));
        } else {
            summary.put("exportFromTime", AwsJson.isoMillis(window.exportFromTime()));
            summary.put("exportToTime", AwsJson.isoMillis(window.exportToTime()));
        }
        summary.put("s3Bucket", request.s3Bucket());
        summary.put("s3Prefix", request.s3Prefix());
        summary.put("s3SseAlgorithm", request.s3SseAlgorithm());
        summary.put("s3SseKmsKeyId", request.s3SseKmsKeyId());
        summary.put("manifestFilesS3Key", export.layout().manifestFiles());
        summary.put("billedSizeBytes", snapshot.billedSizeBytes());
        summary.put("itemCount", snapshot.itemCount());
        summary.put("outputFormat", request.exportFormat());
        if (window != null) {
            summary.put("outputView", window.exportViewType());
        }
        summary.put("exportType", request.exportType());
        return summary;
    }

    private void putWithMd5(String bucket, String key, String md5Key, byte[] content) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/json"), RequestBody.fromBytes(content));
        s3.putObject(b -> b.bucket(bucket).key(md5Key).contentType("text/plain"),
                RequestBody.fromString(base64Md5(content), StandardCharsets.UTF_8));
    }

    /** Which data file an item goes to: MD5 of its key attributes (type and value, in key schema order). */
    static int fileOf(Map<String, AttributeValue> item, List<String> keyAttributes, int fileCount, MessageDigest md5) {
        if (fileCount == 1) {
            return 0;
        }
        md5.reset();
        for (String name : keyAttributes) {
            AttributeValue value = item.get(name);
            if (value == null) {
                continue;
            }
            md5.update(name.getBytes(StandardCharsets.UTF_8));
            md5.update((byte) 0);
            switch (value.type()) {
                case S -> {
                    md5.update((byte) 'S');
                    md5.update(value.s().getBytes(StandardCharsets.UTF_8));
                }
                case N -> {
                    md5.update((byte) 'N');
                    md5.update(value.n().getBytes(StandardCharsets.UTF_8));
                }
                case B -> {
                    md5.update((byte) 'B');
                    md5.update(value.b().asByteArrayUnsafe());
                }
                default -> md5.update(value.toString().getBytes(StandardCharsets.UTF_8));
            }
            md5.update((byte) 0);
        }
        byte[] digest = md5.digest();
        int hash = ((digest[0] & 0xff) << 24) | ((digest[1] & 0xff) << 16) | ((digest[2] & 0xff) << 8)
                | (digest[3] & 0xff);
        return Math.floorMod(hash, fileCount);
    }

    static String base64Md5(byte[] content) {
        return Base64.getEncoder().encodeToString(md5().digest(content));
    }

    static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is not available", e);
        }
    }
}
