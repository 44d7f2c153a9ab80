package dev.ddbcdc.camel.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The default cluster namespace of a consumer: {@code dynamodb-cdc-<consumerId>-<table>}, made valid for every
 * cluster service: Kubernetes names Leases after it (lower-case letters, digits and {@code -}, at most 63 characters
 * here), ZooKeeper makes a znode of it, the file lock a file name. When anything had to be changed (upper case, other
 * characters, length), a hash of the original is appended, so two consumers never share a namespace by accident.
 */
public final class ClusterNamespace {

    static final int MAX_LENGTH = 63;
    private static final int HASH_LENGTH = 8;

    private ClusterNamespace() {
    }

    public static String derive(String consumerId, String tableName) {
        String original = "dynamodb-cdc-" + consumerId + "-" + tableName;
        String name = original.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("-+", "-")
                .replaceAll("-$", "");
        if (name.equals(original) && name.length() <= MAX_LENGTH) {
            return name;
        }
        String hash = hash(original);
        int keep = Math.min(name.length(), MAX_LENGTH - HASH_LENGTH - 1);
        return name.substring(0, keep).replaceAll("-$", "") + "-" + hash;
    }

    /**
     * {@code base} and {@code suffix}, still at most 63 characters: when they do not fit, {@code base} is shortened
     * and a hash of it keeps the names of different bases apart.
     */
    public static String withSuffix(String base, String suffix) {
        if (base.length() + suffix.length() <= MAX_LENGTH) {
            return base + suffix;
        }
        int keep = MAX_LENGTH - suffix.length() - HASH_LENGTH - 1;
        return base.substring(0, keep).replaceAll("-$", "") + "-" + hash(base) + suffix;
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HASH_LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
