package org.dstoken.jmh;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The peer: hand-written JDK code as a careful Java developer would write it (javax.crypto.Mac
 * reused per thread, StringBuilder JSON with escaping, java.util.Base64). BenchmarkTest and the
 * JMH benchmarks (src/jmh, -Pjmh) both measure this one class. One instance per thread (a Mac
 * is not thread-safe).
 */
public final class HandWritten {
    static final String HEADER = Base64.getUrlEncoder().withoutPadding()
            .encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    private final Mac mac;
    private final Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();

    public HandWritten(String key) throws Exception {
        mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    }

    private static void str(StringBuilder sb, String name, String v) {
        sb.append('"').append(name).append("\":\"");
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append("\",");
    }

    /** The workload's token: td, rd, u, ud, role, iat, exp. */
    public String token(String td, String rd, String u, String ud, String role, long iat, long exp) {
        StringBuilder sb = new StringBuilder(200).append('{');
        str(sb, "td", td);
        str(sb, "rd", rd);
        str(sb, "u", u);
        str(sb, "ud", ud);
        str(sb, "role", role);
        sb.append("\"iat\":").append(iat).append(",\"exp\":").append(exp).append('}');
        String input = HEADER + "." + b64.encodeToString(sb.toString().getBytes(StandardCharsets.UTF_8));
        byte[] sig = mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + b64.encodeToString(sig);
    }
}
