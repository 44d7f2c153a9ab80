package dev.ddbcdc.camel.export;

/** One data file of an export, as manifest-files.json lists it. */
public final class DataFile {

    private final String key;
    private final long itemCount;
    private final String md5Base64;
    private final String etag;

    public DataFile(String key, long itemCount, String md5Base64) {
        this(key, itemCount, md5Base64, null);
    }

    public DataFile(String key, long itemCount, String md5Base64, String etag) {
        this.key = key;
        this.itemCount = itemCount;
        this.md5Base64 = md5Base64;
        this.etag = etag;
    }

    /** The S3 key of the gzip data file. */
    public String key() {
        return key;
    }

    public long itemCount() {
        return itemCount;
    }

    /** The base64 MD5 of the data file object, or {@code null} if the manifest gives none. */
    public String md5Base64() {
        return md5Base64;
    }

    /** The S3 ETag the export wrote the object with (unquoted), or {@code null} if the manifest gives none. */
    public String etag() {
        return etag;
    }

    @Override
    public String toString() {
        return key + " (" + itemCount + " items)";
    }
}
