package dev.ddbcdc.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The snapshot baseline: one thread, each data file streamed from S3, gunzipped, split into lines and each line
 * parsed into a JSON tree; nothing else (no checksum). And the price of the reader's checksum: each file streamed
 * through MD5 only.
 */
final class BareExportRead {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BUFFER = 64 * 1024;

    private BareExportRead() {
    }

    /** Gunzips and parses every line of every file; returns the number of items (the check that all were read). */
    static long gunzipAndParse(S3Client s3, ExportFiles export) {
        long items = 0;
        long attributes = 0;
        for (String key : export.keys()) {
            try (InputStream object = s3.getObject(b -> b.bucket(export.bucket()).key(key));
                 BufferedReader lines = new BufferedReader(new InputStreamReader(
                         new GZIPInputStream(object, BUFFER), StandardCharsets.UTF_8), BUFFER)) {
                String line;
                while ((line = lines.readLine()) != null) {
                    JsonNode item = JSON.readTree(line).get("Item");
                    attributes += item.size();
                    items++;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (attributes == 0 && items > 0) {
            throw new IllegalStateException("items without attributes");
        }
        return items;
    }

    /** Streams every file through MD5 only, the work the reader adds to each byte it reads; returns the bytes read. */
    static long md5Only(S3Client s3, ExportFiles export) {
        long bytes = 0;
        byte[] buffer = new byte[BUFFER];
        for (String key : export.keys()) {
            MessageDigest md5 = md5();
            try (InputStream object = s3.getObject(b -> b.bucket(export.bucket()).key(key))) {
                int read;
                while ((read = object.read(buffer)) > 0) {
                    md5.update(buffer, 0, read);
                    bytes += read;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            md5.digest();
        }
        return bytes;
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
