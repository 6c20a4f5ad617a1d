package org.bushfire.sns;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Static "test"/"test" AWS credentials for the local stand-ins, given the way production code reads credentials:
 * through the AWS default provider chain, whose first link is the Java system properties set here. The previous
 * values come back after the test class.
 */
final class TestCredentials implements BeforeAllCallback, AfterAllCallback {
    private static final Map<String, String> PROPERTIES = Map.of("aws.accessKeyId", "test", "aws.secretAccessKey", "test");
    private final Map<String, String> saved = new HashMap<>();

    @Override
    public void beforeAll(ExtensionContext context) {
        PROPERTIES.forEach((key, value) -> {
            saved.put(key, System.getProperty(key));
            System.setProperty(key, value);
        });
    }

    @Override
    public void afterAll(ExtensionContext context) {
        saved.forEach((key, value) -> {
            if (value == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, value);
            }
        });
        saved.clear();
    }
}
