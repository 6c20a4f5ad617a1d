package org.bushfire.elasticsearch;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * How the job authenticates to Elasticsearch: not at all, basic auth, or an API key. Secrets never appear in
 * {@link #toString()}, so settings can be logged.
 */
public final class Credentials implements Serializable {
    private static final long serialVersionUID = 1L;

    public enum Kind {
        NONE, BASIC, API_KEY
    }

    private static final Credentials NONE = new Credentials(Kind.NONE, null, null, null);

    private final Kind kind;
    private final String username;
    private final String password;
    private final String apiKey;

    private Credentials(Kind kind, String username, String password, String apiKey) {
        this.kind = kind;
        this.username = username;
        this.password = password;
        this.apiKey = apiKey;
    }

    public static Credentials none() {
        return NONE;
    }

    public static Credentials basic(String username, String password) {
        return new Credentials(Kind.BASIC, Objects.requireNonNull(username, "username"),
                Objects.requireNonNull(password, "password"), null);
    }

    /**
     * An API key as Elasticsearch's create-API-key call returns it: either its {@code encoded} value, or
     * {@code id:api_key} (encoded here, as the {@code ApiKey} scheme expects base64 of {@code id:api_key}).
     */
    public static Credentials apiKey(String apiKey) {
        return new Credentials(Kind.API_KEY, null, null, Objects.requireNonNull(apiKey, "apiKey"));
    }

    public Kind kind() {
        return kind;
    }

    public String username() {
        return username;
    }

    /** The value of the {@code Authorization} header sent with every request, or null for {@link Kind#NONE}. */
    public String authorizationHeader() {
        switch (kind) {
            case BASIC:
                return "Basic " + base64(username + ':' + password);
            case API_KEY:
                // base64 has no ':', so a colon means the caller gave the raw id:api_key pair
                return "ApiKey " + (apiKey.indexOf(':') >= 0 ? base64(apiKey) : apiKey);
            default:
                return null;
        }
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Credentials)) {
            return false;
        }
        Credentials c = (Credentials) o;
        return kind == c.kind && Objects.equals(username, c.username) && Objects.equals(password, c.password)
                && Objects.equals(apiKey, c.apiKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, username);
    }

    @Override
    public String toString() {
        switch (kind) {
            case BASIC:
                return "basic auth as " + username + " (password redacted)";
            case API_KEY:
                return "API key (redacted)";
            default:
                return "none";
        }
    }
}
