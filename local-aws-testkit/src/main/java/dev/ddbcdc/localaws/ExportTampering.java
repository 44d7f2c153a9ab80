package dev.ddbcdc.localaws;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Damages a completed export in S3 for tests of a reader's error handling: a wrong line (with or without a matching
 * checksum in {@code manifest-files.json}), bytes that no longer match the checksum, a missing data file. Data files
 * are addressed by their index in {@code manifest-files.json} and lines by their index in the file (both from 0).
 */
public final class ExportTampering {

    private final S3Client s3;
    private final String bucket;
    private final String manifestSummaryKey;

    private ExportTampering(S3Client s3, String bucket, String manifestSummaryKey) {
        this.s3 = s3;
        this.bucket = bucket;
        this.manifestSummaryKey = manifestSummaryKey;
    }

    /** For the export whose {@code manifest-summary.json} is at this key (DescribeExport's ExportManifest). */
    public static ExportTampering of(S3Client s3, String bucket, String manifestSummaryKey) {
        return new ExportTampering(s3, bucket, manifestSummaryKey);
    }

    /** The key of {@code manifest-files.json}, as the manifest summary names it. */
    public String manifestFilesKey() {
        JsonNode summary = json(get(manifestSummaryKey));
        JsonNode key = summary.get("manifestFilesS3Key");
        if (key == null || !key.isTextual()) {
            throw new IllegalStateException(manifestSummaryKey + " names no manifestFilesS3Key");
        }
        return key.textValue();
    }

    /** The data file keys in the order of {@code manifest-files.json}. */
    public List<String> dataFileKeys() {
        return manifestEntries().stream().map(e -> e.get("dataFileS3Key").textValue()).toList();
    }

    /** The lines of data file {@code fileIndex}, decompressed, without their newlines. */
    public List<String> readLines(int fileIndex) {
        return lines(gunzip(get(dataFileKey(fileIndex))));
    }

    /**
     * Replaces line {@code lineIndex} of data file {@code fileIndex} with {@code newLine}. With
     * {@code updateManifestChecksum} the file's {@code md5Checksum} and {@code etag} in {@code manifest-files.json}
     * (and {@code manifest-files.md5}) are updated, so that only the line itself is wrong; without, the checksum no
     * longer matches either.
     */
    public void replaceLine(int fileIndex, int lineIndex, String newLine, boolean updateManifestChecksum) {
        if (newLine.indexOf('\n') >= 0 || newLine.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("A data file line has no line break: " + newLine);
        }
        String key = dataFileKey(fileIndex);
        List<String> lines = new ArrayList<>(lines(gunzip(get(key))));
        if (lineIndex < 0 || lineIndex >= lines.size()) {
            throw new IndexOutOfBoundsException("Data file " + fileIndex + " (" + key + ") has " + lines.size()
                    + " lines; no line " + lineIndex);
        }
        lines.set(lineIndex, newLine);
        StringBuilder text = new StringBuilder();
        lines.forEach(line -> text.append(line).append('\n'));
        byte[] content = gzip(text.toString().getBytes(StandardCharsets.UTF_8));
        String etag = s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(content)).eTag();
        if (updateManifestChecksum) {
            updateManifestEntry(key, ExportWriter.base64Md5(content), etag == null ? null : etag.replace("\"", ""));
        }
    }

    /**
     * Changes bytes in the middle of data file {@code fileIndex} without touching the manifest's checksum or ETag: the
     * object is replaced by one the export did not write.
     */
    public void corruptDataFile(int fileIndex) {
        String key = dataFileKey(fileIndex);
        byte[] content = get(key);
        int at = content.length / 2;
        content[at] = (byte) ~content[at];
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(content));
    }

    /**
     * Makes {@code manifest-files.json} give a wrong {@code md5Checksum} for data file {@code fileIndex} while the
     * object and its {@code etag} stay as they are: what a reader sees when the bytes it receives are not the bytes
     * S3 holds (corruption in transit). Returns the MD5 the manifest now gives.
     */
    public String misstateManifestMd5(int fileIndex) {
        String key = dataFileKey(fileIndex);
        String etag = s3.headObject(b -> b.bucket(bucket).key(key)).eTag();
        String wrong = ExportWriter.base64Md5((key + " as it is not").getBytes(StandardCharsets.UTF_8));
        updateManifestEntry(key, wrong, etag == null ? null : etag.replace("\"", ""));
        return wrong;
    }

    /** Deletes data file {@code fileIndex}; the manifest still lists it. */
    public void deleteDataFile(int fileIndex) {
        String key = dataFileKey(fileIndex);
        s3.deleteObject(b -> b.bucket(bucket).key(key));
    }

    private String dataFileKey(int fileIndex) {
        List<String> keys = dataFileKeys();
        if (fileIndex < 0 || fileIndex >= keys.size()) {
            throw new IndexOutOfBoundsException("The export has " + keys.size() + " data files; no file " + fileIndex);
        }
        return keys.get(fileIndex);
    }

    private List<ObjectNode> manifestEntries() {
        List<ObjectNode> entries = new ArrayList<>();
        for (String line : lines(get(manifestFilesKey()))) {
            if (!line.isBlank()) {
                entries.add((ObjectNode) json(line.getBytes(StandardCharsets.UTF_8)));
            }
        }
        return entries;
    }

    private void updateManifestEntry(String dataFileKey, String md5Checksum, String etag) {
        StringBuilder manifest = new StringBuilder();
        for (ObjectNode entry : manifestEntries()) {
            if (dataFileKey.equals(entry.path("dataFileS3Key").textValue())) {
                entry.put("md5Checksum", md5Checksum);
                entry.put("etag", etag);
            }
            manifest.append(new String(AwsJson.bytes(entry), StandardCharsets.UTF_8)).append('\n');
        }
        byte[] content = manifest.toString().getBytes(StandardCharsets.UTF_8);
        String manifestKey = manifestFilesKey();
        s3.putObject(b -> b.bucket(bucket).key(manifestKey), RequestBody.fromBytes(content));
        String md5Key = manifestKey.substring(0, manifestKey.length() - ".json".length()) + ".md5";
        s3.putObject(b -> b.bucket(bucket).key(md5Key),
                RequestBody.fromString(ExportWriter.base64Md5(content), StandardCharsets.UTF_8));
    }

    private byte[] get(String key) {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    private static JsonNode json(byte[] content) {
        try {
            return AwsJson.MAPPER.readTree(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> lines(byte[] content) {
        String text = new String(content, StandardCharsets.UTF_8);
        if (text.isEmpty()) {
            return List.of();
        }
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    static byte[] gunzip(byte[] content) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(content))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] gzip(byte[] content) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(buffer)) {
            out.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }
}
