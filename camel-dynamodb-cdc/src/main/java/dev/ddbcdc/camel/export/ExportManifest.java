package dev.ddbcdc.camel.export;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.ddbcdc.camel.options.ExportFormat;
import dev.ddbcdc.camel.port.ObjectStore;

/**
 * An export's two manifests: manifest-summary.json (export ARN, format, item count, where manifest-files.json is)
 * and manifest-files.json (one JSON line per data file: key, item count, MD5). Checks that they agree with each other
 * and with the export they should describe.
 */
public final class ExportManifest {

    private static final JsonFactory JSON = new JsonFactory();
    private static final String EXPORT_DIRECTORY = "AWSDynamoDB/";

    private final String exportArn;
    private final ExportFormat format;
    private final boolean incremental;
    private final boolean oldImages;
    private final long itemCount;
    private final List<DataFile> dataFiles;

    private ExportManifest(String exportArn, ExportFormat format, long itemCount, List<DataFile> dataFiles,
                           boolean incremental, boolean oldImages) {
        this.incremental = incremental;
        this.oldImages = oldImages;
        this.exportArn = exportArn;
        this.format = format;
        this.itemCount = itemCount;
        this.dataFiles = dataFiles;
    }

    /** Reads both manifests of the export {@code exportArn} whose summary is at {@code summaryKey}. */
    public static ExportManifest read(ObjectStore s3, String bucket, String summaryKey, String exportArn) {
        return read(s3, bucket, summaryKey, exportArn, false);
    }

    /**
     * Reads both manifests of the export {@code exportArn}, a full export, or with {@code incremental} an incremental
     * one ({@link #incremental()}, {@link #oldImages()}).
     */
    public static ExportManifest read(ObjectStore s3, String bucket, String summaryKey, String exportArn,
                                      boolean incremental) {
        Map<String, String> summary = readSummary(s3, bucket, summaryKey);
        String where = "manifest s3://" + bucket + "/" + summaryKey;
        if (!exportArn.equals(summary.get("exportArn"))) {
            throw new SnapshotException(where + " describes export " + summary.get("exportArn") + ", not " + exportArn);
        }
        String type = summary.get("exportType");
        if (incremental ? !"INCREMENTAL_EXPORT".equals(type) : type != null && !"FULL_EXPORT".equals(type)) {
            throw new SnapshotException(where + " describes an " + (type == null ? "export without an exportType" : type)
                                        + (incremental ? "; a gap is bridged by an INCREMENTAL_EXPORT"
                                                : "; only a FULL_EXPORT can be a snapshot"));
        }
        ExportFormat format;
        try {
            format = ExportFormat.valueOf(String.valueOf(summary.get("outputFormat")));
        } catch (IllegalArgumentException e) {
            throw new SnapshotException(where + " has outputFormat " + summary.get("outputFormat")
                                        + "; expected DYNAMODB_JSON or ION");
        }
        String filesKey = resolve(summaryKey, required(summary, "manifestFilesS3Key", where));
        long itemCount = Long.parseLong(required(summary, "itemCount", where));
        List<DataFile> files = readFiles(s3, bucket, summaryKey, filesKey);
        long listed = files.stream().mapToLong(DataFile::itemCount).sum();
        if (listed != itemCount) {
            throw new SnapshotException(where + " counts " + itemCount + " items but s3://" + bucket + "/" + filesKey
                                        + " lists " + listed + " in its data files");
        }
        return new ExportManifest(exportArn, format, itemCount, files, incremental,
                incremental && !"NEW_IMAGE".equals(summary.get("outputView")));
    }

    /**
     * Keys in the manifests are written relative to the bucket; some writers leave out the export's prefix. A key
     * without it is resolved against the directory of manifest-summary.json.
     */
    static String resolve(String summaryKey, String key) {
        int directory = summaryKey.indexOf(EXPORT_DIRECTORY);
        String prefix = directory > 0 ? summaryKey.substring(0, directory) : "";
        return key.startsWith(prefix) ? key : prefix + key;
    }

    private static Map<String, String> readSummary(ObjectStore s3, String bucket, String key) {
        try (InputStream in = open(s3, bucket, key, "manifest-summary.json");
             JsonParser parser = JSON.createParser(in)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new SnapshotException("s3://" + bucket + "/" + key + " is not a JSON object");
            }
            return flatFields(parser);
        } catch (IOException e) {
            throw new SnapshotException("s3://" + bucket + "/" + key + " is not readable JSON: " + e.getMessage(), e);
        }
    }

    private static List<DataFile> readFiles(ObjectStore s3, String bucket, String summaryKey, String key) {
        List<DataFile> files = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(open(s3, bucket, key, "manifest-files.json"), StandardCharsets.UTF_8))) {
            String line;
            int number = 0;
            while ((line = lines.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                String where = "s3://" + bucket + "/" + key + " line " + number;
                Map<String, String> fields;
                try (JsonParser parser = JSON.createParser(line)) {
                    if (parser.nextToken() != JsonToken.START_OBJECT) {
                        throw new SnapshotException(where + " is not a JSON object");
                    }
                    fields = flatFields(parser);
                } catch (IOException e) {
                    throw new SnapshotException(where + " is not readable JSON: " + e.getMessage(), e);
                }
                String count = required(fields, "itemCount", where);
                files.add(new DataFile(resolve(summaryKey, required(fields, "dataFileS3Key", where)),
                        Long.parseLong(count), fields.get("md5Checksum"), fields.get("etag")));
            }
        } catch (IOException e) {
            throw new SnapshotException("s3://" + bucket + "/" + key + " could not be read: " + e.getMessage(), e);
        }
        return files;
    }

    /** The top-level scalar fields of the object the parser is in, as strings; nested values are skipped. */
    private static Map<String, String> flatFields(JsonParser parser) throws IOException {
        Map<String, String> fields = new HashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (value.isScalarValue()) {
                fields.put(name, value == JsonToken.VALUE_NULL ? null : parser.getText());
            } else {
                parser.skipChildren();
            }
        }
        return fields;
    }

    private static String required(Map<String, String> fields, String name, String where) {
        String value = fields.get(name);
        if (value == null) {
            throw new SnapshotException(where + " has no " + name);
        }
        return value;
    }

    private static InputStream open(ObjectStore s3, String bucket, String key, String what) {
        try {
            return s3.open(bucket, key, null);
        } catch (ObjectStore.NoSuchObjectException e) {
            throw new SnapshotException("The export's " + what + " is missing: s3://" + bucket + "/" + key
                                        + " does not exist",
                    e);
        }
    }

    public String exportArn() {
        return exportArn;
    }

    /** Whether this is an incremental export, whose lines are changes. */
    public boolean incremental() {
        return incremental;
    }

    /** Whether this incremental export's view has old images (NEW_AND_OLD_IMAGES, the default); false for a full one. */
    public boolean oldImages() {
        return oldImages;
    }

    public ExportFormat format() {
        return format;
    }

    public long itemCount() {
        return itemCount;
    }

    public List<DataFile> dataFiles() {
        return dataFiles;
    }
}
