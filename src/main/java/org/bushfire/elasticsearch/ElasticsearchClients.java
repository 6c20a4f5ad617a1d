package org.bushfire.elasticsearch;

import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.apache.http.Header;
import io.github.acm19.aws.interceptor.http.AwsRequestSigningApacheInterceptor;
import org.apache.http.HttpHeaders;
import org.apache.http.HttpRequestInterceptor;
import org.apache.http.message.BasicHeader;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.regions.Region;

/**
 * The one place REST clients are configured from settings — hosts, credentials or SigV4 signing, TLS trust,
 * timeouts — so the template installer and the sinks' bulk requests reach Elasticsearch the same way.
 */
public final class ElasticsearchClients {
    private ElasticsearchClients() {}

    /**
     * SigV4 for an Amazon OpenSearch Service domain whose access policy names an IAM role: credentials from the
     * AWS default chain (on EMR, the instance profile), refreshed by the provider as they rotate.
     */
    private static HttpRequestInterceptor sigv4(ElasticsearchSettings settings) {
        return new AwsRequestSigningApacheInterceptor(settings.sigv4Service(), AwsV4HttpSigner.create(),
                DefaultCredentialsProvider.builder().build(), Region.of(settings.sigv4Region()));
    }

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
        HttpRequestInterceptor signer = settings.sigv4Region() == null ? null : sigv4(settings);
        builder.setHttpClientConfigCallback(http -> {
            if (ssl != null) {
                http.setSSLContext(ssl);
            }
            if (signer != null) {
                // Last: it signs the request as it goes on the wire, default headers included.
                http.addInterceptorLast(signer);
            }
            return http;
        });
        return builder;
    }
}
