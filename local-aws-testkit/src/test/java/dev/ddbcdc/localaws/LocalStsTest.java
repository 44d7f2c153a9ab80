package dev.ddbcdc.localaws;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The local STS answers AssumeRole as AWS does, and refuses what AWS would refuse. */
class LocalStsTest {

    static final String FORM = "Action=AssumeRole&Version=2011-06-15"
                               + "&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fcdc&RoleSessionName=s1";
    static final String SIGNED = "AWS4-HMAC-SHA256 Credential=AKIDSOURCE/20260101/us-east-1/sts/aws4_request,"
                                 + " SignedHeaders=content-type;host;x-amz-date, Signature=" + "ab".repeat(32);

    static HttpResponse<String> post(LocalSts sts, String form, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(sts.endpoint() + "/"))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .header("X-Amz-Date", "20260101T000000Z").POST(HttpRequest.BodyPublishers.ofString(form));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersASignedAssumeRoleWithTemporaryCredentials() throws Exception {
        try (LocalSts sts = LocalSts.start()) {
            HttpResponse<String> response = post(sts, FORM + "&ExternalId=ext-1", SIGNED);
            assertEquals(200, response.statusCode(), response.body());
            LocalSts.Issued issued = sts.issued().get(0);
            assertTrue(response.body().contains("<AccessKeyId>" + issued.accessKeyId() + "</AccessKeyId>"));
            assertTrue(response.body().contains("<SessionToken>" + issued.sessionToken() + "</SessionToken>"));
            assertTrue(response.body().contains("assumed-role/cdc/s1"), response.body());
            LocalSts.Call call = sts.calls().get(0);
            assertEquals("ext-1", call.parameter("ExternalId"));
            assertEquals("AKIDSOURCE", call.signingAccessKeyId());
        }
    }

    @Test
    void refusesUnsignedMalformedAndDeniedRequests() throws Exception {
        try (LocalSts sts = LocalSts.start()) {
            HttpResponse<String> unsigned = post(sts, FORM, null);
            assertEquals(403, unsigned.statusCode());
            assertTrue(unsigned.body().contains("<Code>MissingAuthenticationToken</Code>"), unsigned.body());
            assertNull(sts.calls().get(0).signingAccessKeyId());
            HttpResponse<String> badRole = post(sts, FORM.replace("role%2Fcdc", "user%2Fcdc"), SIGNED);
            assertEquals(400, badRole.statusCode());
            assertTrue(badRole.body().contains("<Code>ValidationError</Code>"), badRole.body());
            sts.denyNext("AccessDenied", "not authorized to perform sts:AssumeRole");
            HttpResponse<String> denied = post(sts, FORM, SIGNED);
            assertEquals(403, denied.statusCode());
            assertTrue(denied.body().contains("<Code>AccessDenied</Code>"), denied.body());
            assertEquals(200, post(sts, FORM, SIGNED).statusCode(), "a denial applies once");
            assertEquals(1, sts.issued().size());
        }
    }
}
