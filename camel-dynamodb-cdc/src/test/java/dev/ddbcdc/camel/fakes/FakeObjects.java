package dev.ddbcdc.camel.fakes;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.ddbcdc.camel.port.ObjectStore;

/**
 * S3 objects in memory, behind {@link ObjectStore}. An object's ETag is the hex MD5 of its bytes, as S3 gives it for
 * a single-part upload; opening with another ETag is refused ({@link ObjectStore.ObjectChangedException}) before any
 * byte is sent. Buckets exist once created or written to; {@link #bucketAnswer} scripts another answer (null: S3 did
 * not say). Every open is recorded.
 */
public final class FakeObjects implements ObjectStore {

    /** One open call: which object, with which ETag condition ({@code null}: none). */
    public record Open(String bucket, String key, String etag) {
    }

    private final Map<String, byte[]> objects = new HashMap<>();
    private final Set<String> buckets = new HashSet<>();
    private final Map<String, Boolean> bucketAnswers = new HashMap<>();
    private final List<Open> opens = new ArrayList<>();
    private int bucketExistsCalls;

    public synchronized FakeObjects bucket(String bucket) {
        buckets.add(bucket);
        return this;
    }

    /** Scripts the answer of {@link #bucketExists} for this bucket. */
    public synchronized FakeObjects bucketAnswer(String bucket, Boolean answer) {
        bucketAnswers.put(bucket, answer);
        return this;
    }

    /** Stores the object; returns its ETag (unquoted). */
    public synchronized String put(String bucket, String key, byte[] content) {
        buckets.add(bucket);
        objects.put(bucket + "/" + key, content.clone());
        return etagOf(content);
    }

    public static String etagOf(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized InputStream open(String bucket, String key, String etag) {
        opens.add(new Open(bucket, key, etag));
        byte[] content = objects.get(bucket + "/" + key);
        if (content == null) {
            throw new NoSuchObjectException("NoSuchKey: s3://" + bucket + "/" + key, null);
        }
        if (etag != null && !etag.equals(etagOf(content))) {
            throw new ObjectChangedException("PreconditionFailed: s3://" + bucket + "/" + key + " has ETag "
                                             + etagOf(content) + ", not " + etag, null);
        }
        return new ByteArrayInputStream(content);
    }

    @Override
    public synchronized Boolean bucketExists(String bucket) {
        bucketExistsCalls++;
        if (bucketAnswers.containsKey(bucket)) {
            return bucketAnswers.get(bucket);
        }
        return buckets.contains(bucket);
    }

    public synchronized List<Open> opens() {
        return List.copyOf(opens);
    }

    public synchronized int bucketExistsCalls() {
        return bucketExistsCalls;
    }
}
