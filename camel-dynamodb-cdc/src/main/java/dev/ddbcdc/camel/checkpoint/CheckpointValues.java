package dev.ddbcdc.camel.checkpoint;

import java.util.regex.Pattern;

/**
 * The format version of every value the consumer writes into its checkpoint repository: {@code v1 <payload>}. Values
 * written before versions existed (earlier builds of the component: {@code seq:..}, {@code END}, {@code line:..}, the
 * snapshot state) are read as they are, so existing checkpoints keep working; a value of a newer format is refused
 * with a message instead of being misread.
 */
public final class CheckpointValues {

    /** The format this version writes. */
    public static final String VERSION = "v1";
    private static final String PREFIX = VERSION + " ";
    private static final Pattern VERSIONED = Pattern.compile("v\\d+ .*", Pattern.DOTALL);

    private CheckpointValues() {
    }

    /** The stored form of a payload. */
    public static String write(String payload) {
        return PREFIX + payload;
    }

    /**
     * The payload of a stored value, or {@code null} when there is none.
     *
     * @throws IllegalStateException when the value was written in a newer format than {@value #VERSION}
     */
    public static String read(String key, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.startsWith(PREFIX)) {
            return value.substring(PREFIX.length());
        }
        if (VERSIONED.matcher(value).matches()) {
            throw new IllegalStateException("Checkpoint key " + key + " holds a value in format "
                                            + value.substring(0, value.indexOf(' ')) + ", written by a newer version"
                                            + " of camel-dynamodb-cdc; this version reads " + VERSION + " and the"
                                            + " unversioned values before it. Use the newer version, or remove the key");
        }
        return value;
    }
}
