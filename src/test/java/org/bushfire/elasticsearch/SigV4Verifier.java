package org.bushfire.elasticsearch;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A second, independent SigV4 implementation — written here from AWS's description of the algorithm (canonical
 * request, string to sign, derived signing key), sharing no code with the AWS SDK signer the job uses — to check
 * on the wire what that signer sent. {@link SigV4SigningTest} first proves it against AWS's published test
 * vectors. Non-S3 rules: the path is URI-encoded once more, segment by segment.
 */
final class SigV4Verifier {
    private static final HexFormat HEX = HexFormat.of();

    private SigV4Verifier() {}

    /**
     * The signature of a request as it arrived: {@code rawPath} and {@code rawQuery} as sent (still encoded),
     * {@code headers} by lowercased name, {@code signedHeaders} as listed in its Authorization header.
     */
    static String signature(String secretKey, String method, String rawPath, String rawQuery,
            Map<String, List<String>> headers, String signedHeaders, byte[] body, String amzDate, String region,
            String service) {
        String canonicalRequest = method + '\n' + canonicalPath(rawPath) + '\n' + canonicalQuery(rawQuery) + '\n'
                + canonicalHeaders(headers, signedHeaders) + '\n' + signedHeaders + '\n' + hex(sha256(body));
        String date = amzDate.substring(0, 8);
        String scope = date + '/' + region + '/' + service + "/aws4_request";
        String toSign = "AWS4-HMAC-SHA256\n" + amzDate + '\n' + scope + '\n'
                + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, "aws4_request");
        return hex(hmac(key, toSign));
    }

    private static String canonicalPath(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        StringBuilder path = new StringBuilder();
        String[] segments = rawPath.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) {
                path.append('/');
            }
            path.append(encode(segments[i]));
        }
        return path.toString();
    }

    private static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> pairs = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            pairs.add(new String[] {encode(name), encode(value)});
        }
        pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        List<String> joined = new ArrayList<>();
        pairs.forEach(p -> joined.add(p[0] + '=' + p[1]));
        return String.join("&", joined);
    }

    private static String canonicalHeaders(Map<String, List<String>> headers, String signedHeaders) {
        StringBuilder out = new StringBuilder();
        for (String name : signedHeaders.split(";")) {
            List<String> values = headers.get(name);
            if (values == null) {
                throw new AssertionError("signed header '" + name + "' was not sent");
            }
            List<String> trimmed = new ArrayList<>();
            values.forEach(v -> trimmed.add(v.strip().replaceAll(" +", " ")));
            out.append(name).append(':').append(String.join(",", trimmed)).append('\n');
        }
        return out.toString();
    }

    /** RFC 3986 unreserved characters stay; every other byte becomes %XX (upper case). */
    private static String encode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(HEX.toHexDigits(b).toUpperCase(java.util.Locale.ROOT));
            }
        }
        return out.toString();
    }

    private static String decode(String text) {
        return java.net.URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }
}
