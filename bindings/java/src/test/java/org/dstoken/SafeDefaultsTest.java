package org.dstoken;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.interfaces.DecodedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The binding's own conversions around the library's rules (whose cases are in the shared
 * vectors, VectorsTest): NaN and Infinity have no JSON form; long values grow the thread's
 * buffers; mintUrl takes a user id. Every token made here is also checked with java-jwt.
 */
class SafeDefaultsTest {
    static final String KEY = DstokenTest.KEY;
    static final Instant IAT = DstokenTest.IAT;

    /** java-jwt's verification of a dstoken token (no time checks when {@code atIat}). */
    static DecodedJWT javaJwt(String token, boolean atIat) {
        var v = JWT.require(Algorithm.HMAC256(KEY));
        if (atIat) {
            return v.acceptExpiresAt(Long.MAX_VALUE / 1000).acceptIssuedAt(Long.MAX_VALUE / 1000).build().verify(token);
        }
        return v.build().verify(token);
    }

    static DstokenException invalid(Executable op) {
        DstokenException e = assertThrows(DstokenException.class, op);
        assertEquals(DstokenException.INVALID_ARGUMENT, e.status(), e.getMessage());
        return e;
    }

    static Claims base() {
        return new Claims().teamId("t").room("lobby").role("attendee").issuedAt(IAT).expiresAt(IAT.plusSeconds(60)).at(IAT.getEpochSecond());
    }

    @Test
    void nanAndInfinityAreRefused() {
        try (SigningKey key = SigningKey.of(KEY); Claims c = base()) {
            for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.set("score", bad));
                assertTrue(e.getMessage().contains("finite"), e.getMessage());
            }
            for (String bad : new String[] {"NaN", "Infinity", "-Infinity", "[NaN]", "{\"a\":Infinity}"}) {
                invalid(() -> c.setJson("score", bad));
            }
            assertFalse(c.has("score"));
            c.set("score", -0.25).set("big", 1e300);
            DecodedJWT jwt = javaJwt(Dstoken.sign(c, key), true);
            assertEquals(-0.25, jwt.getClaim("score").asDouble());
            assertEquals(1e300, jwt.getClaim("big").asDouble());
        }
    }

    /** The builder path's per-thread direct buffers grow for long values and tokens. */
    @Test
    void longValuesGrowTheThreadsBuffers() {
        String big = "Zoë 🎉".repeat(3_000); // a 40 KB token, under DST_MAX_TOKEN_LENGTH
        try (SigningKey key = SigningKey.of(KEY)) {
            for (String name : new String[] {"short", big, "short again", big + "x", "x"}) {
                try (Claims c = new Claims().teamId("t").room("r").userName(name).expiresIn(Duration.ofHours(1))) {
                    assertEquals(name, javaJwt(Dstoken.sign(c, key), false).getClaim("u").asString());
                }
                assertEquals(name, javaJwt(Dstoken.mint(key, "t", "r", name, "moderator", Duration.ofHours(1)), false)
                        .getClaim("u").asString());
            }
        }
    }

    @Test
    void mintUrlWithAUserId() {
        try (SigningKey key = SigningKey.of(KEY)) {
            String url = Dstoken.mintUrl(key, "acme", "t", "my room", "John", "user-42", "moderator", Duration.ofHours(1));
            assertTrue(url.startsWith("https://acme.digitalsamba.com/my%20room?token=eyJ"), url);
            String token = url.substring(url.indexOf("token=") + 6);
            DecodedJWT jwt = javaJwt(token, false);
            assertEquals("user-42", jwt.getClaim("ud").asString());
            assertEquals("John", jwt.getClaim("u").asString());
            assertEquals("moderator", jwt.getClaim("role").asString());
            assertEquals(3600, jwt.getExpiresAtAsInstant().getEpochSecond() - jwt.getIssuedAtAsInstant().getEpochSecond());
            // The shorter overload is the same without ud.
            jwt = javaJwt(Dstoken.mintUrl(key, "acme", "t", "r", "John", "moderator", Duration.ofHours(1)).split("token=")[1], false);
            assertNull(jwt.getClaim("ud").asString());
            Supplier<String> missing = () -> Dstoken.mintUrl(key, "acme", null, "r", "John", "u1", null, Duration.ofHours(1));
            DstokenException e = assertThrows(MissingClaimException.class, missing::get);
            assertEquals("DST_ERR_MISSING_CLAIM: Dstoken.mintUrl: teamId (claim \"td\") is required", e.getMessage());
        }
    }


    /**
     * Whitespace around a key is refused only for a key given as a String (the library's
     * dst_key_new_text, in the shared vectors); bytes are the key as they are.
     */
    @Test
    void keyBytesAreTakenAsTheyAre() {
        byte[] bytes = (KEY + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(Reason.KEY_WHITESPACE, assertThrows(DstokenException.class, () -> SigningKey.of(KEY + "\n")).getReason());
        try (SigningKey key = SigningKey.of(bytes)) {
            String token = Dstoken.mint(key, "t", "r", java.time.Duration.ofMinutes(5));
            JWT.require(Algorithm.HMAC256(bytes)).build().verify(token);
        }
    }
}
