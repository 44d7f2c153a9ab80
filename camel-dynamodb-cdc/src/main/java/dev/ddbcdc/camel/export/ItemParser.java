package dev.ddbcdc.camel.export;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import dev.ddbcdc.camel.options.ExportFormat;

/**
 * Turns one line of an export data file into the item as plain Java values (the same types as stream images:
 * S String, N BigDecimal, B byte[], BOOL Boolean, NULL null, L List, M Map, SS/NS/BS Set). Throws
 * {@link IllegalArgumentException} saying what is wrong when the line is not an item.
 */
public interface ItemParser {

    /** Parses one line given as UTF-8 bytes ({@code length} bytes from {@code offset}, no line end). */
    Map<String, Object> parse(byte[] utf8, int offset, int length);

    /**
     * A reader of the items of one whole gunzipped data file, one parser for all its lines.
     *
     * @param linesBefore the lines of the file already skipped before {@code gunzipped} begins (when resuming)
     */
    ItemReader reader(InputStream gunzipped, long linesBefore) throws IOException;

    default Map<String, Object> parse(String line) {
        byte[] utf8 = line.getBytes(StandardCharsets.UTF_8);
        return parse(utf8, 0, utf8.length);
    }

    /** Fails for the fields of an incremental export line ({@code Keys}, {@code NewImage}, {@code OldImage}). */
    static void rejectIncrementalField(String field) {
        if ("Keys".equals(field) || "NewImage".equals(field) || "OldImage".equals(field)) {
            throw new IllegalArgumentException("'" + field + "' is a line of an incremental export; only full exports"
                                               + " can be a snapshot");
        }
    }

    static ItemParser of(ExportFormat format) {
        return format == ExportFormat.ION ? new IonItemParser() : new DynamoDbJsonItemParser();
    }

    /**
     * The parser of an export's lines: items of a full export, or changes of an incremental one (each a map of its
     * {@code Keys}, {@code NewImage}, {@code OldImage} and {@code Metadata}), which are read in DYNAMODB_JSON only:
     * the bridge requests them so.
     */
    static ItemParser of(ExportFormat format, boolean incremental) {
        if (!incremental) {
            return of(format);
        }
        if (format != ExportFormat.DYNAMODB_JSON) {
            throw new SnapshotException("An incremental export in " + format + " is not read: the bridge of a gap"
                                        + " requests DYNAMODB_JSON");
        }
        return new DynamoDbJsonItemParser(true);
    }
}
