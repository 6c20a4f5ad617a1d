package org.bushfire.testing;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Throwaway AWS credentials for the local stand-ins (which accept any), given the way production code reads
 * credentials: through the AWS default provider chain, whose first link is the Java system properties set here.
 * The previous values come back after the test class, so no other class runs with them by accident.
 *
 * <pre>
 * &#64;RegisterExtension static final ThrowawayCredentials CREDENTIALS = new ThrowawayCredentials();
 * </pre>
 */
public final class ThrowawayCredentials implements BeforeAllCallback, AfterAllCallback {
    /** What the test's own clients use too ({@link LocalAws#snsClient}). */
    static final String KEY = "local-test";
    private static final Map<String, String> PROPERTIES = Map.of("aws.accessKeyId", KEY, "aws.secretAccessKey", KEY);
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
