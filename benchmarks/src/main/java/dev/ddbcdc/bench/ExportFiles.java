package dev.ddbcdc.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ExportDescription;
import software.amazon.awssdk.services.s3.S3Client;

/** The data files of a completed export, found as any reader finds them: DescribeExport, then the two manifests. */
record ExportFiles(String bucket, List<String> keys, long itemCount) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static ExportFiles of(DynamoDbClient dynamoDb, S3Client s3, String exportArn) {
        ExportDescription export = dynamoDb.describeExport(b -> b.exportArn(exportArn)).exportDescription();
        String bucket = export.s3Bucket();
        JsonNode summary = json(s3.getObjectAsBytes(b -> b.bucket(bucket).key(export.exportManifest())).asByteArray());
        String filesKey = summary.get("manifestFilesS3Key").textValue();
        List<String> keys = new ArrayList<>();
        long items = 0;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(
                s3.getObject(b -> b.bucket(bucket).key(filesKey)), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (!line.isBlank()) {
                    JsonNode entry = JSON.readTree(line);
                    keys.add(entry.get("dataFileS3Key").textValue());
                    items += entry.get("itemCount").asLong();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ExportFiles(bucket, List.copyOf(keys), items);
    }

    private static JsonNode json(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
