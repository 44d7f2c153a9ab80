package dev.ddbcdc.camel.fakes;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a full DYNAMODB_JSON export into {@link FakeObjects} the way DynamoDB (and the local test kit's
 * ExportWriter) lays it out: {@code <prefix>/AWSDynamoDB/<exportId>/} with {@code _started}, gzipped data files under
 * {@code data/} (one {@code {"Item":{...}}} per line, an empty partition an empty gzip file),
 * {@code manifest-files.json} (one JSON line per data file: itemCount, base64 md5Checksum of the object, its unquoted
 * etag, dataFileS3Key) and {@code manifest-summary.json} written last; each manifest with its {@code .md5}.
 */
public final class ExportFiles {

    /** One data file as written: its key, the items in it and its object's bytes. */
    public record DataFile(String key, List<String> items, byte[] object, String md5Base64, String etag) {
    }

    /** What was written, to point an export at and to assert against. */
    public record Written(String bucket, String manifestSummaryKey, List<DataFile> dataFiles) {
        public long itemCount() {
            return dataFiles.stream().mapToLong(f -> f.items().size()).sum();
        }
    }

    private ExportFiles() {
    }

    /**
     * @param dataFiles each data file's items, as the DynamoDB JSON of the item map (the value of {@code "Item"})
     */
    public static Written write(FakeObjects s3, String bucket, String prefix, String exportArn, String tableArn,
                                Instant exportTime, List<List<String>> dataFiles) {
        String exportId = exportArn.substring(exportArn.lastIndexOf('/') + 1);
        String directory = (prefix == null || prefix.isEmpty() ? "" : prefix.endsWith("/") ? prefix : prefix + "/")
                           + "AWSDynamoDB/" + exportId + "/";
        s3.put(bucket, directory + "_started", new byte[0]);
        List<DataFile> files = new ArrayList<>();
        StringBuilder manifestFiles = new StringBuilder();
        int n = 0;
        for (List<String> items : dataFiles) {
            String key = directory + "data/" + String.format("datafile%018d", n++) + ".json.gz";
            byte[] object = gzip(items);
            String etag = s3.put(bucket, key, object);
            String md5 = base64Md5(object);
            files.add(new DataFile(key, List.copyOf(items), object, md5, etag));
            manifestFiles.append("{\"itemCount\":").append(items.size())
                    .append(",\"md5Checksum\":\"").append(md5)
                    .append("\",\"etag\":\"").append(etag)
                    .append("\",\"dataFileS3Key\":\"").append(key).append("\"}\n");
        }
        long itemCount = files.stream().mapToLong(f -> f.items().size()).sum();
        putWithMd5(s3, bucket, directory + "manifest-files.json", directory + "manifest-files.md5",
                manifestFiles.toString().getBytes(StandardCharsets.UTF_8));
        String summaryKey = directory + "manifest-summary.json";
        String summary = "{\"version\":\"2020-06-30\",\"exportArn\":\"" + exportArn + "\""
                         + ",\"startTime\":\"" + exportTime + "\",\"endTime\":\"" + exportTime.plusSeconds(300) + "\""
                         + ",\"tableArn\":\"" + tableArn + "\",\"tableId\":\"00000000-0000-0000-0000-000000000001\""
                         + ",\"exportTime\":\"" + exportTime + "\",\"s3Bucket\":\"" + bucket + "\""
                         + ",\"s3Prefix\":" + (prefix == null ? "null" : "\"" + prefix + "\"")
                         + ",\"s3SseAlgorithm\":\"AES256\",\"s3SseKmsKeyId\":null"
                         + ",\"manifestFilesS3Key\":\"" + directory + "manifest-files.json\""
                         + ",\"billedSizeBytes\":0,\"itemCount\":" + itemCount
                         + ",\"outputFormat\":\"DYNAMODB_JSON\",\"exportType\":\"FULL_EXPORT\"}";
        putWithMd5(s3, bucket, summaryKey, directory + "manifest-summary.md5",
                summary.getBytes(StandardCharsets.UTF_8));
        return new Written(bucket, summaryKey, List.copyOf(files));
    }

    private static void putWithMd5(FakeObjects s3, String bucket, String key, String md5Key, byte[] content) {
        s3.put(bucket, key, content);
        s3.put(bucket, md5Key, base64Md5(content).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] gzip(List<String> items) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            for (String item : items) {
                out.write(("{\"Item\":" + item + "}\n").getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static String base64Md5(byte[] content) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
