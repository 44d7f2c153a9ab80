package dev.ddbcdc.camel.event;

import java.util.Map;

import org.apache.camel.Exchange;

/**
 * Fills an exchange from one line of an export data file, as parsed: an item of a full export
 * ({@link SnapshotItemMapper}), or a change of an incremental one ({@link ChangeItemMapper}).
 */
public interface DataLineMapper {

    /** @param line the item's line in the data file (boxed by the caller, who may need the same object) */
    void fill(Exchange exchange, Map<String, Object> item, String dataFileS3Key, Long line);
}
