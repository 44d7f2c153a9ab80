package dev.ddbcdc.camel.crash;

/**
 * One line of the {@link DurableSink}: what a child run received for one exchange. {@code version} is the writer's
 * per-key version of the change: the item's {@code v} for READ, INSERT and MODIFY, and the removed item's {@code v}
 * plus one for REMOVE (the writer counts a delete as a version of its key). Snapshot lines carry their data file and
 * line, stream lines their shard and sequence number.
 */
record SinkLine(int run, String op, String key, long version, long documentVersion, String shard, String sequence,
                String dataFile, long line, String image) {

    private static final String NONE = "-";

    boolean isSnapshot() {
        return "READ".equals(op);
    }

    /** What identifies the delivered record: data file and line, or shard and sequence number. */
    String position() {
        return isSnapshot() ? dataFile + "#" + line : shard + "@" + sequence;
    }

    /** The write this line reports: key and version. */
    String write() {
        return key + "#" + version;
    }

    String format() {
        return String.join("\t", Integer.toString(run), op, key, Long.toString(version),
                Long.toString(documentVersion), orNone(shard), orNone(sequence), orNone(dataFile),
                Long.toString(line), orNone(image)) + "\n";
    }

    static SinkLine parse(String text) {
        String[] f = text.split("\t", -1);
        if (f.length != 10) {
            throw new IllegalArgumentException("Not a sink line: " + text);
        }
        return new SinkLine(Integer.parseInt(f[0]), f[1], f[2], Long.parseLong(f[3]), Long.parseLong(f[4]),
                none(f[5]), none(f[6]), none(f[7]), Long.parseLong(f[8]), none(f[9]));
    }

    private static String orNone(String value) {
        return value == null ? NONE : value;
    }

    private static String none(String value) {
        return NONE.equals(value) ? null : value;
    }
}
