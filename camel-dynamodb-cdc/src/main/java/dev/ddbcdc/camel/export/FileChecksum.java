package dev.ddbcdc.camel.export;

import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The MD5 of a data file object, computed while the object is read for its lines (one pass over the bytes) and
 * checked against the manifest's {@code md5Checksum} at the end of the object. Without an MD5 in the manifest
 * nothing is computed.
 */
final class FileChecksum {

    private final String expectedBase64;
    private final String where;
    private final MessageDigest md5;

    FileChecksum(String expectedBase64, String where) {
        this.expectedBase64 = expectedBase64;
        this.where = where;
        this.md5 = expectedBase64 == null ? null : newMd5();
    }

    /** The object's stream, digesting every byte read through it. */
    InputStream wrap(InputStream object) {
        return md5 == null ? object : new DigestInputStream(object, md5);
    }

    /**
     * Reads what is left of the object (the gzip reader may stop before its last bytes) and compares the MD5 of
     * all of it with the manifest's.
     */
    void verifyAtEnd(InputStream wrapped) throws IOException {
        if (md5 == null) {
            return;
        }
        byte[] rest = new byte[8192];
        while (wrapped.read(rest) >= 0) {
            // digested on the way through
        }
        String actual = Base64.getEncoder().encodeToString(md5.digest());
        if (!actual.equals(expectedBase64)) {
            throw new SnapshotException(where + " has MD5 " + actual + ", but manifest-files.json says "
                                        + expectedBase64 + ": the bytes read are not the file the export wrote");
        }
    }

    private static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is not available", e);
        }
    }
}
