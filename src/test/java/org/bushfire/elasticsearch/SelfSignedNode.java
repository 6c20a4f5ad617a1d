package org.bushfire.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** A self-signed certificate for 127.0.0.1, made with the JDK's keytool, as a node's own would be. */
final class SelfSignedNode {
    static final String STORE_PASSWORD = "changeit";

    /** PKCS12 holding the node's key and certificate; usable as a truststore too. */
    final Path keystore;
    /** The certificate alone, PEM: what --es-ca-cert takes. */
    final Path caPem;
    /** The server side of the handshake. */
    final SSLContext serverTls;

    private SelfSignedNode(Path keystore, Path caPem, SSLContext serverTls) {
        this.keystore = keystore;
        this.caPem = caPem;
        this.serverTls = serverTls;
    }

    static SelfSignedNode create(Path dir) throws Exception {
        Path keystore = dir.resolve("node.p12");
        Path caPem = dir.resolve("ca.pem");
        keytool("-genkeypair", "-alias", "node", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "node", "-keystore", keystore.toString(),
                "-storepass", STORE_PASSWORD, "-file", caPem.toString());

        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            keys.load(in, STORE_PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, STORE_PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        return new SelfSignedNode(keystore, caPem, tls);
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("keytool %s: %s", args[0], output).isZero();
    }
}
