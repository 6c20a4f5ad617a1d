package org.bushfire.elasticsearch;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS trust for https hosts: the certificates of {@code --es-ca-cert} or {@code --es-truststore}, read once
 * where the job is built (as DER bytes that travel with the job), and the SSL context built from them on
 * whichever machine opens a connection.
 */
final class ElasticsearchTrust {
    private ElasticsearchTrust() {}

    /** Every certificate of a PEM or DER file. */
    static ArrayList<byte[]> caCertificates(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            ArrayList<byte[]> certificates = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certificates.add(c.getEncoded());
            }
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("--es-ca-cert " + file + " holds no certificate");
            }
            return certificates;
        } catch (IOException e) {
            throw new IllegalArgumentException("--es-ca-cert: cannot read " + file + " (" + describe(e) + ")");
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("--es-ca-cert " + file + " is not a PEM or DER X.509 certificate ("
                    + e.getMessage() + ")");
        }
    }

    /** Every certificate of a PKCS12 or JKS truststore. */
    static ArrayList<byte[]> truststoreCertificates(Path file, String password) {
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("--es-truststore: cannot read " + file);
        }
        try {
            KeyStore store = KeyStore.getInstance(file.toFile(), password == null ? null : password.toCharArray());
            ArrayList<byte[]> certificates = new ArrayList<>();
            for (Enumeration<String> aliases = store.aliases(); aliases.hasMoreElements(); ) {
                Certificate c = store.getCertificate(aliases.nextElement());
                if (c != null) {
                    certificates.add(c.getEncoded());
                }
            }
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("--es-truststore " + file + " holds no certificate");
            }
            return certificates;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("--es-truststore: cannot open " + file + " as PKCS12 or JKS ("
                    + describe(e) + "); its password comes from truststore_password in --es-credentials-file or "
                    + ElasticsearchEnvironment.TRUSTSTORE_PASSWORD_ENV);
        }
    }

    /** An SSL context trusting exactly {@code certificates}; {@code source} names them in a failure. */
    static SSLContext sslContext(List<byte[]> certificates, String source) {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            CertificateFactory x509 = CertificateFactory.getInstance("X.509");
            for (int i = 0; i < certificates.size(); i++) {
                trust.setCertificateEntry("ca-" + i, x509.generateCertificate(new ByteArrayInputStream(certificates.get(i))));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a TLS context from " + source + ": " + e.getMessage(), e);
        }
    }

    static String describe(Exception e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
