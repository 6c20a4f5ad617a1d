package org.bushfire.elasticsearch;

import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.apache.http.Header;
import org.apache.http.HttpHeaders;
import org.apache.http.message.BasicHeader;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;

/**
 * The one place REST clients are configured from settings — hosts, credentials, TLS trust — so the template
 * installer and the sinks' bulk requests reach Elasticsearch the same way.
 */
public final class ElasticsearchClients {
    private ElasticsearchClients() {}

    /** A builder for a low-level client; {@code settings} must be resolved (credentials and trust read). */
    public static RestClientBuilder restClient(ElasticsearchSettings settings) {
        if (!settings.isResolved()) {
            throw new IllegalStateException("Elasticsearch settings must be resolved before building a client");
        }
        RestClientBuilder builder = RestClient.builder(settings.httpHosts());
        List<Header> headers = new ArrayList<>();
        String authorization = settings.credentials().authorizationHeader();
        if (authorization != null) {
            // Sent up front, not after a 401 challenge: API keys have no challenge, and it saves a round trip.
            headers.add(new BasicHeader(HttpHeaders.AUTHORIZATION, authorization));
        }
        builder.setDefaultHeaders(headers.toArray(new Header[0]));
        int connect = Math.toIntExact(settings.connectTimeout().toMillis());
        int socket = Math.toIntExact(settings.socketTimeout().toMillis());
        builder.setRequestConfigCallback(request -> request
                .setConnectTimeout(connect)
                .setConnectionRequestTimeout(connect)
                .setSocketTimeout(socket));
        SSLContext ssl = settings.sslContext();
        if (ssl != null) {
            builder.setHttpClientConfigCallback(http -> http.setSSLContext(ssl));
        }
        return builder;
    }
}
