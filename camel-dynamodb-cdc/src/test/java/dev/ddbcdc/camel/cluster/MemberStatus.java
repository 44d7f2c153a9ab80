package dev.ddbcdc.camel.cluster;

import dev.ddbcdc.camel.checkpoint.Phase;

/**
 * One {@code STATE} line of a member's status file: at {@code micros} (wall time), the consumer's phase, whether it
 * leads, its epoch and how many of its checkpoint writes the store refused.
 */
record MemberStatus(long micros, Phase phase, boolean leader, long epoch, long refused) {

    /** Parses {@code <micros> STATE <phase> <leader> <epoch> <refused>}; null for any other line. */
    static MemberStatus parse(String line) {
        String[] f = line.split(" ");
        if (f.length != 6 || !"STATE".equals(f[1])) {
            return null;
        }
        return new MemberStatus(Long.parseLong(f[0]), Phase.valueOf(f[2]), Boolean.parseBoolean(f[3]),
                Long.parseLong(f[4]), Long.parseLong(f[5]));
    }
}
