package dev.ddbcdc.camel.event;

import java.math.BigDecimal;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Fills an exchange from one line of an incremental export (a bridge of a gap, trimmedDataPolicy=INCREMENTAL_EXPORT):
 * an item's last state in the export's window, as a change. A line holds {@code Keys}, {@code NewImage} (absent when
 * the item was deleted), {@code OldImage} (its state at the window's start, absent when it did not exist then, and
 * always absent in the NEW_IMAGE view) and {@code Metadata.WriteTimestampMicros} (its last write in the window).
 * <ul>
 * <li>REMOVE: no new image. The body is the keys; the old image, when the view has it, is a header.</li>
 * <li>INSERT: a new image and, in the NEW_AND_OLD_IMAGES view, no old one: the item did not exist at the window's
 * start.</li>
 * <li>MODIFY: otherwise. In the NEW_IMAGE view every item that exists at the window's end is a MODIFY: that view
 * cannot tell whether it existed at the start, so a sink must treat MODIFY as an upsert; nor does it give what an
 * item was before, so the old image header is absent.</li>
 * </ul>
 * An item written several times in the window is one change (the window's first and last states); an item inserted
 * and deleted within it is none. Headers: operation, table, keys, old and new image where there are, the export's ARN,
 * data file and line, the timestamp (the last write, in milliseconds) and the document version of the window.
 */
public final class ChangeItemMapper implements DataLineMapper {

    /** The fields of an incremental export's line, as the export parsers give them. */
    public static final String KEYS = "Keys";
    public static final String NEW_IMAGE = "NewImage";
    public static final String OLD_IMAGE = "OldImage";
    public static final String METADATA = "Metadata";
    public static final String WRITE_TIMESTAMP_MICROS = "WriteTimestampMicros";

    private static final HeaderBlock HEADERS = new HeaderBlock(ChangeHeaders.OPERATION, ChangeHeaders.TABLE_NAME,
            ChangeHeaders.KEYS, ChangeHeaders.PRIMARY_KEY, ChangeHeaders.PARTITION_KEY, ChangeHeaders.SORT_KEY,
            ChangeHeaders.DOCUMENT_VERSION, ChangeHeaders.TTL_DELETE, ChangeHeaders.EXPORT_ARN,
            ChangeHeaders.EXPORT_DATA_FILE, ChangeHeaders.EXPORT_LINE);

    private final String tableName;
    private final KeySchema keySchema;
    private final String exportArn;
    private final Long documentVersion;
    private final boolean oldImages;

    /**
     * @param documentVersion the version every change of this export carries
     * @param oldImages       whether the export's view has old images (NEW_AND_OLD_IMAGES)
     */
    public ChangeItemMapper(String tableName, KeySchema keySchema, String exportArn, long documentVersion,
                            boolean oldImages) {
        this.tableName = tableName;
        this.keySchema = keySchema;
        this.exportArn = exportArn;
        this.documentVersion = documentVersion;
        this.oldImages = oldImages;
    }

    /** The operation of a change with these images. */
    public static String operation(Object newImage, Object oldImage, boolean oldImages) {
        if (newImage == null) {
            return "REMOVE";
        }
        return oldImages && oldImage == null ? "INSERT" : "MODIFY";
    }

    @Override
    @SuppressWarnings("unchecked")
    public void fill(Exchange exchange, Map<String, Object> change, String dataFileS3Key, Long line) {
        Map<String, Object> keys = (Map<String, Object>) change.get(KEYS);
        if (keys == null) {
            throw new IllegalArgumentException("line " + line + " of " + dataFileS3Key + " has no Keys");
        }
        Map<String, Object> newImage = (Map<String, Object>) change.get(NEW_IMAGE);
        Map<String, Object> oldImage = oldImages ? (Map<String, Object>) change.get(OLD_IMAGE) : null;
        Message message = exchange.getMessage();
        message.setBody(newImage != null ? newImage : keys);
        String partitionKey = keySchema.partitionKeyString(keys);
        String sortKey = keySchema.sortKeyString(keys);
        HEADERS.apply(message, new Object[] { operation(newImage, oldImage, oldImages), tableName, keys,
                KeySchema.primaryKey(partitionKey, sortKey), partitionKey, sortKey, documentVersion, Boolean.FALSE,
                exportArn, dataFileS3Key, line });
        if (newImage != null) {
            message.setHeader(ChangeHeaders.NEW_IMAGE, newImage);
        }
        if (oldImage != null) {
            message.setHeader(ChangeHeaders.OLD_IMAGE, oldImage);
        }
        Long written = writeTimeMillis(change);
        if (written != null) {
            message.setHeader(ChangeHeaders.TIMESTAMP, written);
        }
    }

    /** {@code Metadata.WriteTimestampMicros} in milliseconds, or {@code null} when the line has none. */
    @SuppressWarnings("unchecked")
    static Long writeTimeMillis(Map<String, Object> change) {
        Object metadata = change.get(METADATA);
        if (!(metadata instanceof Map)) {
            return null;
        }
        Object micros = ((Map<String, Object>) metadata).get(WRITE_TIMESTAMP_MICROS);
        return micros instanceof BigDecimal number ? number.movePointLeft(3).longValue() : null;
    }
}
