package dev.ddbcdc.localaws;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The S3 keys of one export: {@code <prefix>/AWSDynamoDB/<ExportId>/} then {@code _started},
 * {@code manifest-summary.json} (+ {@code .md5}), {@code manifest-files.json} (+ {@code .md5}) and
 * {@code data/<26 random characters>.json.gz|.ion.gz}. Without a prefix the keys start at {@code AWSDynamoDB/}; a
 * prefix that already ends with {@code /} gets no second one.
 */
record ExportLayout(String exportDirectory) {

    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    static ExportLayout of(String s3Prefix, String exportId) {
        String prefix = s3Prefix == null || s3Prefix.isEmpty() ? ""
                : s3Prefix.endsWith("/") ? s3Prefix : s3Prefix + "/";
        return new ExportLayout(prefix + "AWSDynamoDB/" + exportId + "/");
    }

    String started() {
        return exportDirectory + "_started";
    }

    String manifestSummary() {
        return exportDirectory + "manifest-summary.json";
    }

    String manifestSummaryMd5() {
        return exportDirectory + "manifest-summary.md5";
    }

    String manifestFiles() {
        return exportDirectory + "manifest-files.json";
    }

    String manifestFilesMd5() {
        return exportDirectory + "manifest-files.md5";
    }

    /** A new data file key with a random 26-character name (lowercase base32, like the names AWS uses). */
    String newDataFile(String suffix) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder key = new StringBuilder(exportDirectory.length() + 5 + 26 + suffix.length());
        key.append(exportDirectory).append("data/");
        for (int i = 0; i < 26; i++) {
            key.append(BASE32[random.nextInt(BASE32.length)]);
        }
        return key.append(suffix).toString();
    }
}
