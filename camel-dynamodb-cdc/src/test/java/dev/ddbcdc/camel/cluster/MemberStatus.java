package dev.ddbcdc.camel.cluster;

import java.util.List;

import dev.ddbcdc.camel.checkpoint.Phase;

/**
 * One {@code STATE} line of a member's status file: at {@code micros} (wall time), the consumer's phase, whether it
 * leads, its epoch, how many of its checkpoint writes the store refused, and the units it leads
 * ({@code clusterMode=BUCKETS}: {@code bucket-3}, {@code snapshot}; with standby {@code consumer}; empty when it leads
 * none, and in the lines of a child that did not report them).
 */
record MemberStatus(long micros, Phase phase, boolean leader, long epoch, long refused, List<String> units) {

    /** How a status line says "no units". */
    static final String NONE = "-";

    /**
     * Parses {@code <micros> STATE <phase> <leader> <epoch> <refused> [<unit>,<unit>...|-]}; null for any other line.
     */
    static MemberStatus parse(String line) {
        String[] f = line.split(" ");
        if (f.length < 6 || f.length > 7 || !"STATE".equals(f[1])) {
            return null;
        }
        List<String> units = f.length == 7 && !NONE.equals(f[6]) ? List.of(f[6].split(",")) : List.of();
        return new MemberStatus(Long.parseLong(f[0]), Phase.valueOf(f[2]), Boolean.parseBoolean(f[3]),
                Long.parseLong(f[4]), Long.parseLong(f[5]), units);
    }
}
