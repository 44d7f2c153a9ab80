package dev.ddbcdc.camel.crash;

/**
 * One line of the {@link DurableSink}: what a child run received for one exchange. {@code version} is the writer's
 * per-key version of the change: the item's {@code v} for READ, INSERT and MODIFY, and the removed item's {@code v}
 * plus one for REMOVE (the writer counts a delete as a version of its key). Snapshot lines carry their data file and
 * line, stream lines their shard and sequence number. {@code run} is the child that delivered it (the run of a crash
 * test, the member of a cluster test) and {@code deliveredMicros} the wall time of the delivery in microseconds since
 * the epoch (one clock for all the children of a host, so that deliveries of several JVMs can be ordered).
 */
public record SinkLine(int run, String op, String key, long version, long documentVersion, String shard,
                       String sequence, String dataFile, long line, String image, long deliveredMicros) {

    private static final String NONE = "-";

    public boolean isSnapshot() {
        return "READ".equals(op);
    }

    /** The unit read in order by one reader: the shard, or the data file of a snapshot item. */
    public String unit() {
        return isSnapshot() ? dataFile : shard;
    }

    /** What identifies the delivered record: data file and line, or shard and sequence number. */
    public String position() {
        return isSnapshot() ? dataFile + "#" + line : shard + "@" + sequence;
    }

    /** The write this line reports: key and version. */
    public String write() {
        return key + "#" + version;
    }

    String format() {
        return String.join("\t", Integer.toString(run), op, key, Long.toString(version),
                Long.toString(documentVersion), orNone(shard), orNone(sequence), orNone(dataFile),
                Long.toString(line), orNone(image), Long.toString(deliveredMicros)) + "\n";
    }

    public static SinkLine parse(String text) {
        String[] f = text.split("\t", -1);
        if (f.length != 11) {
            throw new IllegalArgumentException("Not a sink line: " + text);
        }
        return new SinkLine(Integer.parseInt(f[0]), f[1], f[2], Long.parseLong(f[3]), Long.parseLong(f[4]),
                none(f[5]), none(f[6]), none(f[7]), Long.parseLong(f[8]), none(f[9]), Long.parseLong(f[10]));
    }

    private static String orNone(String value) {
        return value == null ? NONE : value;
    }

    private static String none(String value) {
        return NONE.equals(value) ? null : value;
    }
}
