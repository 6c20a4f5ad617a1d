package org.bushfire.elasticsearch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;

/**
 * Reads what settings only name — credentials and trusted certificates — once, on the machine that builds the
 * job. Secrets never come from the command line (it shows in {@code ps} and shell history): credentials come
 * from the environment ({@value #USERNAME_ENV}/{@value #PASSWORD_ENV} or {@value #API_KEY_ENV}) or from the
 * file named by {@code --es-credentials-file}, which then wins over the environment. The values travel with
 * the job to the task managers, which need neither the environment nor the files.
 */
final class ElasticsearchEnvironment {
    static final String USERNAME_ENV = "BUSHFIRE_ES_USERNAME";
    static final String PASSWORD_ENV = "BUSHFIRE_ES_PASSWORD";
    static final String API_KEY_ENV = "BUSHFIRE_ES_API_KEY";
    static final String TRUSTSTORE_PASSWORD_ENV = "BUSHFIRE_ES_TRUSTSTORE_PASSWORD";

    private ElasticsearchEnvironment() {}

    /** {@code settings}, validated, with its credentials and trusted certificates read. */
    static ElasticsearchSettings resolve(ElasticsearchSettings settings, Map<String, String> environment) {
        settings.validate();
        Credentials credentials;
        String truststorePassword;
        if (settings.credentialsFile() != null) {
            Map<String, String> file = CredentialsFile.read(Path.of(settings.credentialsFile()));
            credentials = credentialsFrom(file, CredentialsFile.USERNAME, CredentialsFile.PASSWORD, CredentialsFile.API_KEY,
                    "--es-credentials-file " + settings.credentialsFile());
            truststorePassword = blankToNull(file.get(CredentialsFile.TRUSTSTORE_PASSWORD));
        } else {
            credentials = credentialsFrom(environment, USERNAME_ENV, PASSWORD_ENV, API_KEY_ENV, "the environment");
            truststorePassword = blankToNull(environment.get(TRUSTSTORE_PASSWORD_ENV));
        }
        if (settings.sigv4Region() != null && credentials.kind() != Credentials.Kind.NONE) {
            // Both would set the Authorization header: the domain's access policy decides which one is meant.
            throw new IllegalArgumentException("--es-sigv4-region signs requests with AWS credentials; remove the "
                    + "Elasticsearch credentials (" + USERNAME_ENV + "/" + PASSWORD_ENV + ", " + API_KEY_ENV
                    + " or --es-credentials-file), or drop --es-sigv4-region for fine-grained access control users");
        }
        ArrayList<byte[]> trusted = new ArrayList<>();
        if (settings.caCertificateFile() != null) {
            trusted = ElasticsearchTrust.caCertificates(Path.of(settings.caCertificateFile()));
        } else if (settings.truststoreFile() != null) {
            trusted = ElasticsearchTrust.truststoreCertificates(Path.of(settings.truststoreFile()), truststorePassword);
        }
        return settings.withResolved(credentials, trusted);
    }

    private static Credentials credentialsFrom(Map<String, String> source, String userKey, String passwordKey,
            String apiKeyKey, String where) {
        String user = blankToNull(source.get(userKey));
        String password = blankToNull(source.get(passwordKey));
        String apiKey = blankToNull(source.get(apiKeyKey));
        if (apiKey != null && (user != null || password != null)) {
            throw new IllegalArgumentException("Elasticsearch credentials in " + where + ": give either " + apiKeyKey
                    + " or " + userKey + "/" + passwordKey + ", not both");
        }
        if (apiKey != null) {
            return Credentials.apiKey(apiKey);
        }
        if (user != null && password == null) {
            throw new IllegalArgumentException("Elasticsearch credentials in " + where + ": " + userKey
                    + " is set but " + passwordKey + " is missing");
        }
        if (password != null && user == null) {
            throw new IllegalArgumentException("Elasticsearch credentials in " + where + ": " + passwordKey
                    + " is set but " + userKey + " is missing");
        }
        return user == null ? Credentials.none() : Credentials.basic(user, password);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
