package dev.ddbcdc.localaws;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/** Which requests a {@link FaultRule} applies to. */
@FunctionalInterface
public interface RequestMatcher {

    boolean matches(FrontRequest request);

    /** Every request. */
    static RequestMatcher any() {
        return request -> true;
    }

    /**
     * AWS JSON requests by their {@code X-Amz-Target} operation, e.g. {@code DynamoDBStreams_20120810.GetRecords} or
     * {@code DynamoDB_20120810.DescribeTable}.
     */
    static RequestMatcher operation(String target) {
        Objects.requireNonNull(target, "target");
        return request -> target.equals(request.target());
    }

    /** AWS JSON requests whose operation (the part after the dot of {@code X-Amz-Target}) is one of these. */
    static RequestMatcher operations(String... names) {
        java.util.Set<String> set = java.util.Set.of(names);
        return request -> request.target() != null
                          && set.contains(request.target().substring(request.target().indexOf('.') + 1));
    }

    /** REST requests (S3) by method ({@code null} for any) and a regular expression the whole path must match. */
    static RequestMatcher s3(String method, String pathRegex) {
        Pattern path = Pattern.compile(pathRegex);
        return request -> request.target() == null
                          && (method == null || method.toUpperCase(Locale.ROOT).equals(request.method()))
                          && path.matcher(request.path()).matches();
    }
}
