package dev.ddbcdc.localaws;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Produces an export: reads the table with a consistent, paginated Scan, spreads the items over the data files by a
 * hash of their key (so a given item always lands in the same file index), and writes the data files and the two
 * manifests (each with its {@code .md5}) into S3. The manifest summary is written last.
 */
final class ExportWriter {

    static final String MANIFEST_VERSION = "2020-06-30";

    /** One gzip data file, ready to upload. */
    record DataFile(String key, byte[] content, long itemCount) {
    }

    /** The table as read for an export. */
    record Snapshot(List<DataFile> files, long itemCount, long billedSizeBytes) {
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

    Snapshot scan(Export export) {
        ExportLineFormat format = ExportLineFormat.of(export.request().exportFormat());
        int fileCount = export.dataFiles();
        ByteArrayOutputStream[] buffers = new ByteArrayOutputStream[fileCount];
        OutputStream[] outs = new OutputStream[fileCount];
        long[] counts = new long[fileCount];
        long billed = 0;
        MessageDigest md5 = md5();
        try {
            for (int i = 0; i < fileCount; i++) {
                buffers[i] = new ByteArrayOutputStream();
                outs[i] = new BufferedOutputStream(new GZIPOutputStream(buffers[i], 8192), 65536);
            }
            Map<String, AttributeValue> startKey = null;
            do {
                Map<String, AttributeValue> exclusiveStartKey = startKey;
                ScanResponse page = dynamoDb.scan(b -> b.tableName(export.table().name()).consistentRead(true)
                        .exclusiveStartKey(exclusiveStartKey));
                for (Map<String, AttributeValue> item : page.items()) {
                    int file = fileOf(item, export.table().keyAttributes(), fileCount, md5);
                    format.writeLine(item, outs[file]);
                    counts[file]++;
                    billed += ItemSize.of(item);
                }
                startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                        ? page.lastEvaluatedKey() : null;
            } while (startKey != null);
            List<DataFile> files = new ArrayList<>(fileCount);
            long total = 0;
            for (int i = 0; i < fileCount; i++) {
                outs[i].close();
                files.add(new DataFile(export.layout().newDataFile(format.fileSuffix()), buffers[i].toByteArray(),
                        counts[i]));
                total += counts[i];
            }
            return new Snapshot(files, total, billed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Uploads data files and manifests; {@code endTime} is the one the manifest summary and DescribeExport show. */
    void write(Export export, Snapshot snapshot, Instant endTime) {
        String bucket = export.request().s3Bucket();
        StringBuilder manifestFiles = new StringBuilder();
        for (DataFile file : snapshot.files()) {
            String etag = s3.putObject(b -> b.bucket(bucket).key(file.key()).contentType("application/octet-stream"),
                    RequestBody.fromBytes(file.content())).eTag();
            ObjectNode line = AwsJson.object();
            line.put("itemCount", file.itemCount());
            line.put("md5Checksum", base64Md5(file.content()));
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
        ObjectNode summary = AwsJson.object();
        summary.put("version", MANIFEST_VERSION);
        summary.put("exportArn", export.arn());
        summary.put("startTime", AwsJson.isoMillis(export.startTime()));
        summary.put("endTime", AwsJson.isoMillis(endTime));
        summary.put("tableArn", export.table().arn());
        summary.put("tableId", export.table().id());
        summary.put("exportTime", AwsJson.isoMillis(export.exportTime()));
        summary.put("s3Bucket", request.s3Bucket());
        summary.put("s3Prefix", request.s3Prefix());
        summary.put("s3SseAlgorithm", request.s3SseAlgorithm());
        summary.put("s3SseKmsKeyId", request.s3SseKmsKeyId());
        summary.put("manifestFilesS3Key", export.layout().manifestFiles());
        summary.put("billedSizeBytes", snapshot.billedSizeBytes());
        summary.put("itemCount", snapshot.itemCount());
        summary.put("outputFormat", request.exportFormat());
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
