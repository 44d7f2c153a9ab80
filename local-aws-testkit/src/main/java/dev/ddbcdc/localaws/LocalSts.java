package dev.ddbcdc.localaws;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A small AWS STS on loopback for the AssumeRole path: the Query API as the AWS SDK sends it (a form-encoded POST with
 * {@code Action=AssumeRole}, {@code Version=2011-06-15}, {@code RoleArn}, {@code RoleSessionName}, optional
 * {@code ExternalId} and {@code DurationSeconds}), signed with SigV4. Each request is recorded (parameters and headers,
 * {@link #calls()}), and answered with the AssumeRoleResponse XML AWS sends, holding freshly generated temporary
 * credentials ({@link #issued()}), or with AWS's ErrorResponse XML for what AWS would refuse: an unsigned request
 * (403 MissingAuthenticationToken), a missing or malformed parameter (400 ValidationError / MissingParameter), an
 * unknown action, or a refusal set with {@link #denyNext(String, String)}.
 *
 * <p>The signature is checked for presence and shape (algorithm, credential scope naming {@code sts}, signed headers,
 * signature), not recomputed: the emulator has no way to know the caller's secret.
 */
public final class LocalSts implements AutoCloseable {

    static {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    public static final String VERSION = "2011-06-15";
    private static final String NAMESPACE = "https://sts.amazonaws.com/doc/" + VERSION + "/";
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");
    private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([^/,\\s]+)/\\d{8}/([^/,\\s]+)/sts/aws4_request, ?SignedHeaders=[a-z0-9;-]+,"
            + " ?Signature=[0-9a-f]{64}");

    /** One AssumeRole request as received: its form parameters and HTTP headers (names in lower case). */
    public record Call(Map<String, String> parameters, Map<String, List<String>> headers) {
        public String parameter(String name) {
            return parameters.get(name);
        }

        /** The first value of a header, by case-insensitive name, or {@code null}. */
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        /** The access key id in the SigV4 Authorization header, or {@code null} if the request was not signed. */
        public String signingAccessKeyId() {
            return AccessKeyIds.of(header("Authorization"));
        }
    }

    /** Temporary credentials handed out by one successful AssumeRole. */
    public record Issued(String roleArn, String sessionName, String accessKeyId, String secretAccessKey,
                         String sessionToken, Instant expiration) {
        /** Without the secret and the token, so that a failed assertion prints nothing secret-looking. */
        @Override
        public String toString() {
            return "Issued[" + roleArn + ", " + sessionName + ", " + accessKeyId + ", expires " + expiration + "]";
        }
    }

    private record Denial(String code, String message) {
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final SecureRandom random = new SecureRandom();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<Issued> issued = new CopyOnWriteArrayList<>();
    private final AtomicReference<Denial> nextDenial = new AtomicReference<>();
    private volatile Duration credentialsLifetime;

    private LocalSts() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        threads = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "local-sts");
            thread.setDaemon(true);
            return thread;
        });
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    /** Starts on a free loopback port. */
    public static LocalSts start() {
        try {
            return new LocalSts();
        } catch (IOException e) {
            throw new IllegalStateException("Could not start the local STS", e);
        }
    }

    /** The endpoint to give the STS client (plain HTTP on loopback). */
    public URI endpoint() {
        return URI.create("http://localhost:" + server.getAddress().getPort());
    }

    /** Every request received, in order, including refused ones. */
    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The credentials handed out, in order. */
    public List<Issued> issued() {
        return List.copyOf(issued);
    }

    /**
     * How long issued credentials stay valid, instead of {@code DurationSeconds} (default one hour): a short lifetime
     * makes a client refresh them.
     */
    public void credentialsLifetime(Duration lifetime) {
        this.credentialsLifetime = lifetime;
    }

    /** Refuses the next well-formed AssumeRole with this error code (HTTP 403), as AWS does e.g. with AccessDenied. */
    public void denyNext(String code, String message) {
        nextDenial.set(new Denial(code, message));
    }

    /** All values of the given header in the recorded calls, for assertions. */
    public List<String> headerValues(String name) {
        List<String> values = new ArrayList<>();
        for (Call call : calls) {
            List<String> found = call.headers().get(name.toLowerCase(Locale.ROOT));
            if (found != null) {
                values.addAll(found);
            }
        }
        return values;
    }
    private void handle(HttpExchange exchange) {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, List<String>> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT),
                    List.copyOf(values)));
            Map<String, String> parameters = form(new String(body, StandardCharsets.UTF_8));
            Call call = new Call(Map.copyOf(parameters), Map.copyOf(headers));
            calls.add(call);
            answer(exchange, call);
        } catch (IOException | RuntimeException clientGoneOrBadForm) {
            // nothing sensible to answer
        }
    }

    private void answer(HttpExchange exchange, Call call) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            error(exchange, 400, "Sender", "InvalidAction", "Only POST requests are emulated");
            return;
        }
        String contentType = call.header("Content-Type");
        if (contentType == null || !contentType.startsWith("application/x-www-form-urlencoded")) {
            error(exchange, 400, "Sender", "InvalidParameterValue",
                    "Content-Type must be application/x-www-form-urlencoded, was " + contentType);
            return;
        }
        String authorization = call.header("Authorization");
        if (authorization == null || !AUTHORIZATION.matcher(authorization).matches()
            || call.header("X-Amz-Date") == null) {
            error(exchange, 403, "Sender", "MissingAuthenticationToken",
                    "Request is missing a valid SigV4 Authentication Token (Authorization header for service sts)");
            return;
        }
        if (!"AssumeRole".equals(call.parameter("Action"))) {
            error(exchange, 400, "Sender", "InvalidAction", "Could not find operation " + call.parameter("Action")
                                                            + " for version " + call.parameter("Version"));
            return;
        }
        if (!VERSION.equals(call.parameter("Version"))) {
            error(exchange, 400, "Sender", "InvalidParameterValue", "Version must be " + VERSION);
            return;
        }
        String roleArn = call.parameter("RoleArn");
        String sessionName = call.parameter("RoleSessionName");
        if (roleArn == null || sessionName == null) {
            error(exchange, 400, "Sender", "MissingParameter", "RoleArn and RoleSessionName are required");
            return;
        }
        if (!ROLE_ARN.matcher(roleArn).matches()) {
            error(exchange, 400, "Sender", "ValidationError", "RoleArn '" + roleArn + "' is not a role ARN");
            return;
        }
        if (!SESSION_NAME.matcher(sessionName).matches()) {
            error(exchange, 400, "Sender", "ValidationError", "Value '" + sessionName
                                                              + "' at 'roleSessionName' failed to satisfy constraint");
            return;
        }
        long durationSeconds = 3600;
        if (call.parameter("DurationSeconds") != null) {
            durationSeconds = Long.parseLong(call.parameter("DurationSeconds"));
            if (durationSeconds < 900 || durationSeconds > 43200) {
                error(exchange, 400, "Sender", "ValidationError", "DurationSeconds must be between 900 and 43200");
                return;
            }
        }
        String externalId = call.parameter("ExternalId");
        if (externalId != null && !externalId.matches("[\\w+=,.@:/-]{2,1224}")) {
            error(exchange, 400, "Sender", "ValidationError", "ExternalId failed to satisfy constraint");
            return;
        }
        Denial denial = nextDenial.getAndSet(null);
        if (denial != null) {
            error(exchange, 403, "Sender", denial.code(), denial.message());
            return;
        }
        Duration lifetime = credentialsLifetime != null ? credentialsLifetime : Duration.ofSeconds(durationSeconds);
        Issued credentials = new Issued(roleArn, sessionName, "ASIA" + token(12).toUpperCase(Locale.ROOT)
                .replaceAll("[^A-Z0-9]", "X"), token(30), token(120),
                Instant.now().plus(lifetime).truncatedTo(ChronoUnit.SECONDS));
        issued.add(credentials);
        String role = roleArn.substring(roleArn.indexOf(":role/") + ":role/".length());
        String account = roleArn.split(":")[4];
        String xml = "<AssumeRoleResponse xmlns=\"" + NAMESPACE + "\">\n"
                     + "  <AssumeRoleResult>\n"
                     + "    <AssumedRoleUser>\n"
                     + "      <Arn>arn:aws:sts::" + account + ":assumed-role/" + escape(role) + "/"
                     + escape(sessionName) + "</Arn>\n"
                     + "      <AssumedRoleId>AROA" + token(12).toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "X")
                     + ":" + escape(sessionName) + "</AssumedRoleId>\n"
                     + "    </AssumedRoleUser>\n"
                     + "    <Credentials>\n"
                     + "      <AccessKeyId>" + credentials.accessKeyId() + "</AccessKeyId>\n"
                     + "      <SecretAccessKey>" + credentials.secretAccessKey() + "</SecretAccessKey>\n"
                     + "      <SessionToken>" + credentials.sessionToken() + "</SessionToken>\n"
                     + "      <Expiration>" + credentials.expiration() + "</Expiration>\n"
                     + "    </Credentials>\n"
                     + "  </AssumeRoleResult>\n"
                     + "  <ResponseMetadata>\n"
                     + "    <RequestId>" + UUID.randomUUID() + "</RequestId>\n"
                     + "  </ResponseMetadata>\n"
                     + "</AssumeRoleResponse>\n";
        respond(exchange, 200, xml);
    }

    private String token(int bytes) {
        byte[] value = new byte[bytes];
        random.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }

    private static Map<String, String> form(String body) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            parameters.put(name, value);
        }
        return parameters;
    }

    private static void error(HttpExchange exchange, int status, String type, String code, String message)
            throws IOException {
        respond(exchange, status, "<ErrorResponse xmlns=\"" + NAMESPACE + "\">\n"
                                  + "  <Error>\n"
                                  + "    <Type>" + type + "</Type>\n"
                                  + "    <Code>" + escape(code) + "</Code>\n"
                                  + "    <Message>" + escape(message) + "</Message>\n"
                                  + "  </Error>\n"
                                  + "  <RequestId>" + UUID.randomUUID() + "</RequestId>\n"
                                  + "</ErrorResponse>\n");
    }

    private static void respond(HttpExchange exchange, int status, String xml) throws IOException {
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/xml");
        exchange.getResponseHeaders().add("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    /** Reads the access key id out of a SigV4 Authorization header. */
    static final class AccessKeyIds {
        private static final Pattern CREDENTIAL = Pattern.compile("Credential=([^/,\\s]+)/");

        private AccessKeyIds() {
        }

        static String of(String authorization) {
            if (authorization == null) {
                return null;
            }
            var matcher = CREDENTIAL.matcher(authorization);
            return matcher.find() ? matcher.group(1) : null;
        }
    }

}
