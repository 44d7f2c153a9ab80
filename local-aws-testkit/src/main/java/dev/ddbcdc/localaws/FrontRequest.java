package dev.ddbcdc.localaws;

/**
 * A request as the {@link FaultInjectingFront} sees it, for {@link RequestMatcher}s.
 *
 * @param method HTTP method, upper case
 * @param path   path without the query
 * @param target the {@code X-Amz-Target} header (AWS JSON protocols), or {@code null} (S3 and other REST protocols)
 */
public record FrontRequest(String method, String path, String target) {

    /** The operation of an AWS JSON request ({@code GetRecords} of {@code DynamoDBStreams_20120810.GetRecords}). */
    public String operation() {
        return target == null ? null : target.substring(target.indexOf('.') + 1);
    }

    @Override
    public String toString() {
        return target != null ? target : method + " " + path;
    }
}
