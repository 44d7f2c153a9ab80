package dev.ddbcdc.camel.aws;

/**
 * The endpoint's table given as a name or as an ARN ({@code arn:PARTITION:dynamodb:REGION:ACCOUNT:table/NAME}).
 */
public final class TableReference {

    private final String name;
    private final String arnRegion;

    private TableReference(String name, String arnRegion) {
        this.name = name;
        this.arnRegion = arnRegion;
    }

    public static TableReference parse(String value) {
        if (!value.startsWith("arn:")) {
            return new TableReference(value, null);
        }
        String[] parts = value.split(":", 6);
        if (parts.length != 6 || !"dynamodb".equals(parts[2]) || !parts[5].startsWith("table/")
            || parts[5].length() == "table/".length() || parts[5].indexOf('/', "table/".length()) >= 0) {
            throw new IllegalArgumentException("'" + value + "' is not a DynamoDB table ARN"
                                               + " (arn:aws:dynamodb:REGION:ACCOUNT:table/NAME)");
        }
        return new TableReference(parts[5].substring("table/".length()), parts[3].isEmpty() ? null : parts[3]);
    }

    public String name() {
        return name;
    }

    /** The region named in the ARN, or {@code null} for a plain table name. */
    public String arnRegion() {
        return arnRegion;
    }
}
