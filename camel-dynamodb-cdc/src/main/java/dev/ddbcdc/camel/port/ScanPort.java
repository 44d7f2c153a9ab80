package dev.ddbcdc.camel.port;

import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * DynamoDB's Scan, one page per call, behind a port so that the scan snapshot can be tested with fakes. Failures come
 * as the SDK's exceptions (throttling and other retryable errors are retried by the caller).
 */
public interface ScanPort {

    ScanResponse scan(ScanRequest request);
}
