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
 * Safe defaults: custom claims cannot replace registered ones; NaN and Infinity are refused; an
 * expiry is required unless noExpiry(true); times lie in 1970..9999 with a milliseconds hint;
 * mintUrl takes a user id. Every token made here is also checked with java-jwt.
 */
class SafeDefaultsTest {
    static final String KEY = DstokenTest.KEY;
    static final Instant IAT = DstokenTest.IAT;
    static final String[][] REGISTERED = {{"td", "teamId()"}, {"rd", "room()"}, {"u", "userName()"},
        {"ud", "userId()"}, {"initials", "initials()"}, {"role", "role()"}, {"breakoutId", "breakoutId()"},
        {"avatar", "avatar()"}, {"iat", "issuedAt()"}, {"nbf", "notBefore()"}, {"exp", "expiresIn() or expiresAt()"}};

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
        return new Claims().teamId("t").room("lobby").role("attendee").issuedAt(IAT).expiresAt(IAT.plusSeconds(60)).signingNow(IAT.getEpochSecond());
    }

    @Test
    void customSettersRefuseRegisteredNamesNamingTheTypedSetter() {
        try (SigningKey key = SigningKey.of(KEY)) {
            for (boolean materialised : new boolean[] {false, true}) {
                try (Claims c = base()) {
                    if (materialised) {
                        c.set("plan", "pro"); // a custom claim first: the native claim set
                    }
                    for (String[] r : REGISTERED) {
                        String name = r[0], hint = "set it with " + r[1];
                        Executable[] ops = {() -> c.set(name, "moderator"), () -> c.set(name, 4_102_444_800L),
                            () -> c.set(name, true), () -> c.set(name, 1.5), () -> c.setJson(name, "\"moderator\"")};
                        for (Executable op : ops) {
                            DstokenException e = invalid(op);
                            assertTrue(e.getMessage().contains("claim \"" + name + "\" is a registered claim"), e.getMessage());
                            assertTrue(e.getMessage().endsWith(hint), e.getMessage());
                            assertTrue(e.getMessage().startsWith("DST_ERR_INVALID_ARGUMENT: Claims.set"), e.getMessage());
                        }
                    }
                    // Nothing was replaced: the signed token still says attendee of "lobby" in team "t".
                    DecodedJWT jwt = javaJwt(Dstoken.sign(c, key), true);
                    assertEquals("attendee", jwt.getClaim("role").asString());
                    assertEquals("lobby", jwt.getClaim("rd").asString());
                    assertEquals("t", jwt.getClaim("td").asString());
                    assertEquals(IAT.plusSeconds(60), jwt.getExpiresAtAsInstant());
                    assertEquals(materialised ? "pro" : null, jwt.getClaim("plan").asString());
                }
            }
            // The privilege escalation: profile data passed through as custom claims.
            try (Claims c = base()) {
                DstokenException e = invalid(() -> c.set("role", "moderator"));
                assertEquals("DST_ERR_INVALID_ARGUMENT: Claims.set: claim \"role\" is a registered claim, not a custom "
                        + "one: set it with role()", e.getMessage());
                c.set("plan", "pro").set("score", 2.5).set("n", 7L).set("ok", false).setJson("tags", "[\"a\"]");
                DecodedJWT jwt = javaJwt(Dstoken.sign(c, key), true);
                assertEquals("attendee", jwt.getClaim("role").asString());
                assertEquals(2.5, jwt.getClaim("score").asDouble());
                assertEquals(7L, jwt.getClaim("n").asLong());
                assertEquals(Boolean.FALSE, jwt.getClaim("ok").asBoolean());
            }
        }
    }

    @Test
    void nanAndInfinityAreRefused() {
        try (SigningKey key = SigningKey.of(KEY); Claims c = base()) {
            for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
                DstokenException e = invalid(() -> c.set("score", bad));
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

    @Test
    void builderRequiresAnExpiryUnlessNoExpiry() {
        try (SigningKey key = SigningKey.of(KEY)) {
            for (boolean materialised : new boolean[] {false, true}) {
                try (Claims c = new Claims().teamId("t").room("r").userName("John").issuedAt(IAT)) {
                    if (materialised) {
                        c.set("plan", "pro");
                    }
                    DstokenException e = invalid(() -> Dstoken.sign(c, key));
                    assertEquals("DST_ERR_INVALID_ARGUMENT: Dstoken.sign: the token has no expiry (exp): set one with "
                            + "expiresIn(), validity() or expiresAt(), or call noExpiry(true) to sign a token that is "
                            + "valid forever", e.getMessage());
                    // The explicit opt-out signs a token without exp, which java-jwt accepts.
                    DecodedJWT jwt = javaJwt(Dstoken.sign(c.noExpiry(true), key), false);
                    assertNull(jwt.getExpiresAt());
                    assertEquals("John", jwt.getClaim("u").asString());
                    // Both an expiry and noExpiry(true): ambiguous, refused.
                    c.expiresIn(Duration.ofMinutes(5));
                    e = invalid(() -> Dstoken.sign(c, key));
                    assertTrue(e.getMessage().contains("noExpiry(true) was called but an expiry (exp) is set too"),
                            e.getMessage());
                    jwt = javaJwt(Dstoken.sign(c.noExpiry(false), key), false);
                    assertEquals(300, jwt.getExpiresAtAsInstant().getEpochSecond() - jwt.getIssuedAtAsInstant().getEpochSecond());
                    try (Claims copy = c.noExpiry(true).copy()) {
                        copy.remove("exp");
                        javaJwt(Dstoken.sign(copy, key), false); // the copy keeps noExpiry(true)
                    }
                }
            }
        }
    }

    @Test
    void zeroAndNegativeLifetimesAreRefused() {
        try (SigningKey key = SigningKey.of(KEY); Claims c = new Claims().teamId("t").room("r")) {
            for (Duration bad : new Duration[] {Duration.ZERO, Duration.ofSeconds(-1), Duration.ofNanos(-1)}) {
                assertTrue(invalid(() -> Dstoken.mint(key, "t", "r", bad)).getMessage()
                        .startsWith("DST_ERR_INVALID_ARGUMENT: Dstoken.mint: lifetime must be positive"));
                assertTrue(invalid(() -> Dstoken.mintUrl(key, "acme", "t", "r", null, null, bad)).getMessage()
                        .startsWith("DST_ERR_INVALID_ARGUMENT: Dstoken.mintUrl: lifetime must be positive"));
                assertTrue(invalid(() -> c.expiresIn(bad)).getMessage()
                        .startsWith("DST_ERR_INVALID_ARGUMENT: Claims.expiresIn: lifetime must be positive"));
                assertTrue(invalid(() -> c.validity(Duration.ZERO, bad)).getMessage()
                        .startsWith("DST_ERR_INVALID_ARGUMENT: Claims.validity: lifetime must be positive"));
            }
            // Fractions round up: 1 ns lives one second.
            DecodedJWT jwt = javaJwt(Dstoken.mint(key, "t", "r", Duration.ofNanos(1)), true);
            assertEquals(1, jwt.getExpiresAtAsInstant().getEpochSecond() - jwt.getIssuedAtAsInstant().getEpochSecond());
        }
    }

    @Test
    void timesOutsideTheRfc3339RangeAreRefusedWithAMillisecondsHint() {
        long ms = 1767225600123L; // what System.currentTimeMillis() returns
        try (SigningKey key = SigningKey.of(KEY); Claims c = new Claims().teamId("t").room("r")) {
            DstokenException e = invalid(() -> c.expiresAt(Instant.ofEpochSecond(ms)));
            assertEquals("DST_ERR_INVALID_ARGUMENT: Claims.expiresAt: exp (expiresAt) must be between 0 "
                    + "(1970-01-01T00:00:00Z) and 253402300799 (9999-12-31T23:59:59Z) seconds since the epoch, got "
                    + ms + "; it looks like milliseconds (such as System.currentTimeMillis()): pass seconds, e.g. "
                    + "Instant.ofEpochMilli(" + ms + ")", e.getMessage());
            assertTrue(invalid(() -> c.issuedAt(Instant.ofEpochSecond(System.currentTimeMillis()))).getMessage()
                    .contains("looks like milliseconds"));
            assertTrue(invalid(() -> c.notBefore(Instant.ofEpochSecond(ms))).getMessage()
                    .startsWith("DST_ERR_INVALID_ARGUMENT: Claims.notBefore: nbf (notBefore)"));
            // Beyond even milliseconds: no hint. Before 1970: refused, no hint.
            e = invalid(() -> c.expiresAt(Instant.ofEpochSecond(253402300799000L + 1000)));
            assertFalse(e.getMessage().contains("milliseconds"), e.getMessage());
            e = invalid(() -> c.issuedAt(Instant.ofEpochSecond(-1)));
            assertTrue(e.getMessage().endsWith("got -1"), e.getMessage());
            assertFalse(c.has("exp") || c.has("iat") || c.has("nbf"), "refused times set nothing");
            // The edges are accepted, and java-jwt reads them back.
            c.issuedAt(Instant.EPOCH).expiresAt(Instant.ofEpochSecond(Claims.MAX_TIME));
            DecodedJWT jwt = javaJwt(Dstoken.sign(c, key), true);
            assertEquals(Claims.MAX_TIME, jwt.getExpiresAtAsInstant().getEpochSecond());
            assertEquals(0, jwt.getIssuedAtAsInstant().getEpochSecond());
            // now + lifetime past 9999: refused, naming the lifetime.
            e = invalid(() -> c.expiresIn(Duration.ofSeconds(Claims.MAX_TIME)));
            assertTrue(e.getMessage().startsWith("DST_ERR_INVALID_ARGUMENT: Claims.expiresIn: lifetime of "), e.getMessage());
            e = invalid(() -> Dstoken.mint(key, "t", "r", Duration.ofSeconds(Claims.MAX_TIME)));
            assertTrue(e.getMessage().contains("Dstoken.mint: lifetime of"), e.getMessage());
            e = invalid(() -> Dstoken.mint(key, "t", "r", Duration.ofSeconds(Long.MAX_VALUE)));
            assertTrue(e.getMessage().contains("Dstoken.mint: lifetime of"), e.getMessage());
            e = invalid(() -> c.validity(Duration.ofSeconds(2000), Duration.ofHours(1), 1000, "Claims.validity"));
            assertTrue(e.getMessage().contains("before 1970"), e.getMessage());
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

    /** A token already expired when signed is refused, naming when it expired. */
    @Test
    void alreadyExpiredTokensAreRefused() {
        try (SigningKey key = SigningKey.of(KEY)) {
            for (boolean materialised : new boolean[] {false, true}) {
                try (Claims c = new Claims().teamId("t").room("r").expiresAt(Instant.ofEpochSecond(1_000_000_000))) {
                    if (materialised) {
                        c.set("plan", "pro");
                    }
                    DstokenException e = invalid(() -> Dstoken.sign(c, key));
                    assertTrue(e.getMessage().startsWith("DST_ERR_INVALID_ARGUMENT: Dstoken.sign: the token would be "
                            + "expired when signed: exp (1000000000, 2001-09-09T01:46:40Z) is not after now ("),
                            e.getMessage());
                    assertTrue(e.getMessage().endsWith("set a later expiry with expiresIn(), validity() or expiresAt()"),
                            e.getMessage());
                    // exp == now is expired too (verification refuses now >= exp); one second later signs.
                    c.signingNow(999_999_999);
                    assertEquals(Instant.ofEpochSecond(1_000_000_000), javaJwt(Dstoken.sign(c, key), true).getExpiresAtAsInstant());
                    c.signingNow(1_000_000_000);
                    assertTrue(invalid(() -> Dstoken.sign(c, key)).getMessage().contains("it expired 0 s ago"));
                }
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
            DstokenException e = assertThrows(DstokenException.class, missing::get);
            assertEquals("DST_ERR_MISSING_CLAIM: Dstoken.mintUrl: claim \"td\" (team id) is required to sign a token: "
                    + "pass teamId", e.getMessage());
        }
    }

    /** A whole join URL given to verify is refused, saying to pass the token alone. */
    @Test
    void verifyGivenAUrlSaysToPassTheTokenAlone() {
        try (SigningKey key = SigningKey.of(KEY)) {
            String token = Dstoken.mint(key, "team", "room", "Ada", "moderator", Duration.ofHours(1));
            String url = Dstoken.joinUrl("acme", "room", token);
            DstokenException e = assertThrows(DstokenException.class, () -> Dstoken.verify(url, key));
            assertEquals(DstokenException.MALFORMED_TOKEN, e.status(), e.getMessage());
            assertTrue(e.getMessage().contains("Dstoken.verify"), e.getMessage());
            assertTrue(e.getMessage().contains("token alone"), e.getMessage());
            assertFalse(e.getMessage().contains("dst_verify"), e.getMessage());
            assertEquals("team", Dstoken.verify(token, key).teamId());
        }
    }
}
