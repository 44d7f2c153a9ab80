package dev.ddbcdc.camel.aws;

import java.io.InputStream;

import dev.ddbcdc.camel.port.ObjectStore;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** {@link ObjectStore} over the AWS SDK's S3Client: GetObject with If-Match, HeadBucket. */
public final class SdkObjectStore implements ObjectStore {

    private final S3Client s3;

    public SdkObjectStore(S3Client s3) {
        this.s3 = s3;
    }

    @Override
    public InputStream open(String bucket, String key, String etag) {
        try {
            return s3.getObject(b -> b.bucket(bucket).key(key).ifMatch(etag == null ? null : '"' + etag + '"'));
        } catch (NoSuchKeyException e) {
            throw new NoSuchObjectException("s3://" + bucket + "/" + key + " does not exist", e);
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                throw new ObjectChangedException("s3://" + bucket + "/" + key + " no longer has ETag " + etag, e);
            }
            throw e;
        }
    }

    @Override
    public Boolean bucketExists(String bucket) {
        try {
            s3.headBucket(b -> b.bucket(bucket));
            return Boolean.TRUE;
        } catch (S3Exception e) {
            // NoSuchBucketException is a 404 too; 403 (no s3:ListBucket) or 301 (another region) say nothing
            return e.statusCode() == 404 ? Boolean.FALSE : null;
        }
    }
}
