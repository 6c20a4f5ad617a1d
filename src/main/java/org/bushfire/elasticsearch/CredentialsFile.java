package org.bushfire.elasticsearch;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The file {@code --es-credentials-file} names: a {@link Properties} file (UTF-8) with the keys
 * {@value #USERNAME}, {@value #PASSWORD}, {@value #API_KEY} and {@value #TRUSTSTORE_PASSWORD}. Properties syntax
 * applies, so a backslash in a secret is written {@code \\}. Messages name keys, never values — and not even a
 * key that has no value, since a line holding only a secret reads as such a key.
 */
final class CredentialsFile {
    static final String USERNAME = "username";
    static final String PASSWORD = "password";
    static final String API_KEY = "api_key";
    static final String TRUSTSTORE_PASSWORD = "truststore_password";
    private static final List<String> KEYS = List.of(USERNAME, PASSWORD, API_KEY, TRUSTSTORE_PASSWORD);
    private static final String OPTION = "--es-credentials-file";

    private CredentialsFile() {}

    /** The file's values by key, trimmed. */
    static Map<String, String> read(Path file) {
        Properties properties = new OnceEachProperties(file);
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException(OPTION + ": cannot read " + file + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames()) {
            String key = name.toLowerCase(Locale.ROOT);
            String value = properties.getProperty(name).strip();
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException(OPTION + " " + file + ": "
                        + (value.isEmpty() ? "a line that is not key=value" : "unknown key '" + name + "'")
                        + " (keys: " + String.join(", ", KEYS) + ")");
            }
            values.put(key, value);
        }
        if (values.isEmpty()) {
            throw new IllegalArgumentException(OPTION + " " + file
                    + " holds no credentials: expected username=/password= or api_key= lines");
        }
        return values;
    }

    /** Properties that refuse a key given twice, instead of silently keeping the last. */
    private static final class OnceEachProperties extends Properties {
        private static final long serialVersionUID = 1L;
        private final transient Path file;

        OnceEachProperties(Path file) {
            this.file = file;
        }

        @Override
        public synchronized Object put(Object key, Object value) {
            if (containsKey(key)) {
                throw new IllegalArgumentException(OPTION + " " + file + ": '" + key + "' given twice");
            }
            return super.put(key, value);
        }
    }
}
