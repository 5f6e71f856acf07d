package org.dstoken;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The one-call mint, the builder's one-native-call path, error messages that name the Java
 * method and sub-second durations.
 */
class MintTest {
    static final String KEY = DstokenTest.KEY;
    static final Instant IAT = DstokenTest.IAT;

    @Test
    void builderFastPathEqualsTheNativeClaimSetPath() {
        try (SigningKey key = SigningKey.of(KEY); Claims fast = DstokenTest.workload()) {
            String token = Dstoken.sign(fast, key);
            assertEquals(DstokenTest.KAT_TOKEN, token);
            // Materialising (toJson) moves the values into a native claim set: same token.
            try (Claims slow = DstokenTest.workload()) {
                slow.toJson();
                assertEquals(token, Dstoken.sign(slow, key));
            }
            // Every registered claim, the fast way and through the C setters one by one.
            try (Claims all = new Claims().teamId("t").room("r").userName("Zoë 🎉").userId("u1").initials("ZB")
                    .role("moderator").breakoutId("b1").avatar("https://x.test/a.png").issuedAt(IAT)
                    .notBefore(IAT.minusSeconds(30)).expiresAt(IAT.plusSeconds(60)).at(IAT.getEpochSecond());
                    Claims viaC = all.copy()) {
                viaC.toJson();
                assertEquals(Dstoken.sign(viaC, key), Dstoken.sign(all, key));
            }
            // A zero time is "absent" for dst_mint: the builder then signs through the setters.
            try (Claims epoch = new Claims().teamId("t").room("r").issuedAt(Instant.EPOCH).noExpiry(true)) {
                String t = Dstoken.sign(epoch, key);
                try (Claims back = Dstoken.verify(t, key, new VerifyOptions().now(IAT).expOptional(true))) {
                    assertEquals(0L, back.getLong("iat"));
                }
            }
        }
    }

    /**
     * The builder's two paths (its Java-side values minted in one call, and a native claim set
     * set one claim at a time): a random walk over present/absent/changed claims must sign the
     * same token, or fail with the same reason, on both.
     */
    @Test
    void builderPathsAgreeOnEveryChange() {
        java.util.Random rnd = new java.util.Random(42);
        String[][] pool = {{"t1", "t2"}, {"r1", "room two"}, {"John", "Zoë 🎉", null}, {"u1", "u22", null},
            {"JS", null}, {"moderator", "attendee", null}, {"b1", null}, {"https://x.test/a.png", null}};
        Instant[] times = {null, Instant.EPOCH, IAT, IAT.plusSeconds(60)};
        try (SigningKey key = SigningKey.of(KEY)) {
            for (int n = 0; n < 400; n++) {
                try (Claims c = new Claims()) {
                    c.teamId(pool[0][rnd.nextInt(2)]).room(pool[1][rnd.nextInt(2)]);
                    String v;
                    if ((v = pool[2][rnd.nextInt(3)]) != null) c.userName(v);
                    if ((v = pool[3][rnd.nextInt(3)]) != null) c.userId(v);
                    if ((v = pool[4][rnd.nextInt(2)]) != null) c.initials(v);
                    if ((v = pool[5][rnd.nextInt(3)]) != null) c.role(v);
                    if ((v = pool[6][rnd.nextInt(2)]) != null) c.breakoutId(v);
                    if ((v = pool[7][rnd.nextInt(2)]) != null) c.avatar(v);
                    Instant t;
                    if ((t = times[rnd.nextInt(4)]) != null) c.issuedAt(t);
                    if ((t = times[rnd.nextInt(4)]) != null) c.notBefore(t);
                    if ((t = times[rnd.nextInt(4)]) != null) c.expiresAt(t);
                    c.noExpiry(t == null);
                    c.at(1); // the walk's times are fixed in the past: judge expiry before them
                    try (Claims viaC = c.copy()) {
                        viaC.toJson(); // a fresh native claim set
                        String want;
                        try {
                            want = Dstoken.sign(viaC, key);
                        } catch (DstokenException e) { // exp before iat/nbf, or expired: the same error
                            assertEquals(e.getReason(),
                                    assertThrows(DstokenException.class, () -> Dstoken.sign(c, key)).getReason());
                            continue;
                        }
                        assertEquals(want, Dstoken.sign(c, key), "case " + n + ": " + viaC.toJson());
                    }
                }
            }
        }
    }

    @Test
    void fastPathGettersAndRemove() {
        try (Claims c = new Claims().teamId("t").room("r").issuedAt(IAT)) {
            assertEquals("t", c.teamId());
            assertEquals(IAT, c.getInstant("iat"));
            assertTrue(c.has("rd"));
            assertFalse(c.has("u"));
            assertEquals(DstokenException.WRONG_TYPE,
                    assertThrows(DstokenException.class, () -> c.getLong("td")).status());
            assertEquals(DstokenException.WRONG_TYPE,
                    assertThrows(DstokenException.class, () -> c.getString("iat")).status());
            assertEquals(DstokenException.NOT_FOUND,
                    assertThrows(DstokenException.class, () -> c.getString("custom")).status());
            c.remove("rd");
            assertFalse(c.has("rd"));
            assertEquals(DstokenException.NOT_FOUND,
                    assertThrows(DstokenException.class, () -> c.remove("rd")).status());
            assertEquals("{\"td\":\"t\",\"iat\":" + IAT.getEpochSecond() + "}", c.toJson());
        }
    }

    @Test
    void oneCallMint() {
        try (SigningKey key = SigningKey.of(KEY)) {
            long before = Claims.nowSeconds();
            String token = Dstoken.mint(key, "team", "room", "John Smith", "moderator", Duration.ofHours(1));
            try (Claims back = Dstoken.verify(token, key)) {
                assertEquals("{\"td\":\"team\",\"rd\":\"room\",\"u\":\"John Smith\",\"role\":\"moderator\",\"iat\":"
                        + back.getLong("iat") + ",\"exp\":" + (back.getLong("iat") + 3600) + "}", back.toJson());
                assertTrue(back.getLong("iat") >= before && back.getLong("iat") <= Claims.nowSeconds());
            }
            try (Claims back = Dstoken.verify(Dstoken.mint(key, "t", "r", Duration.ofMinutes(5)), key)) {
                assertEquals(300, back.getLong("exp") - back.getLong("iat"));
            }
            try (Claims back = Dstoken.verify(
                    Dstoken.mint(key, "t", "r", "u", "user-1", null, Duration.ofMinutes(5)), key)) {
                assertEquals("user-1", back.getString("ud"));
                assertFalse(back.has("role"));
            }
            // The same claims through the builder and the one-call mint: the same token.
            String[] text = {"t", "r", "John", "u1", null, "moderator", null, null};
            String minted = Dstoken.mintSlots(text, Dstoken.presentOf(text, "test") | Claims.IAT | Claims.EXP,
                    IAT.getEpochSecond(), 0, IAT.getEpochSecond() + 60, 0, 0, 0, 0, IAT.getEpochSecond(), key,
                    "Dstoken.mint");
            try (Claims c = new Claims().teamId("t").room("r").userName("John").userId("u1").role("moderator")
                    .issuedAt(IAT).expiresAt(IAT.plusSeconds(60)).at(IAT.getEpochSecond())) {
                assertEquals(Dstoken.sign(c, key), minted);
            }
            // Dstoken.mint's path and the builder's expiresIn give the same relative-mode token.
            String[][] texts = {{"t", "r", null, null, null, null, null, null},
                {"t", "r", "John", "u1", null, "moderator", null, null}, {"t2", "r", "Zoë", null, null, null, null, null}};
            for (String[] tx : texts) {
                int p = Dstoken.presentOf(tx, "test");
                for (long now : new long[] {IAT.getEpochSecond(), 1, 2}) {
                    try (Claims c = new Claims().teamId(tx[0]).room(tx[1])) {
                        if (tx[2] != null) c.userName(tx[2]);
                        if (tx[3] != null) c.userId(tx[3]);
                        if (tx[5] != null) c.role(tx[5]);
                        assertEquals(Dstoken.sign(c.expiresIn(Duration.ofHours(1), now), key),
                                Dstoken.mintRelative(tx, p, Duration.ofHours(1), now, key, "Dstoken.mint"));
                    }
                }
            }
            String url = Dstoken.mintUrl(key, "acme", "t", "my room", "John", null, Duration.ofHours(1));
            assertTrue(url.startsWith("https://acme.digitalsamba.com/my%20room?token=eyJ"), url);
            try (Claims back = Dstoken.verify(url.substring(url.indexOf("token=") + 6), key)) {
                assertEquals("my room", back.room());
            }
        }
    }

    /** A team's custom domain (lowercased); a port or an IP address is refused. */
    @Test
    void joinUrlAndMintUrlOnACustomDomain() {
        assertEquals("https://meet.example.com/my%20room", Dstoken.joinUrl("Meet.Example.com", "my room", null));
        assertEquals("https://acme.digitalsamba.com/r?token=a.b.c", Dstoken.joinUrl("ACME", "r", "a.b.c"));
        try (SigningKey key = SigningKey.of(KEY)) {
            String url = Dstoken.mintUrl(key, "meet.example.com", "t", "r", "John", null, Duration.ofHours(1));
            String prefix = "https://meet.example.com/r?token=";
            assertTrue(url.startsWith(prefix), url);
            com.auth0.jwt.interfaces.DecodedJWT jwt = com.auth0.jwt.JWT
                    .require(com.auth0.jwt.algorithms.Algorithm.HMAC256(KEY)).build()
                    .verify(url.substring(prefix.length()));
            assertEquals("r", jwt.getClaim("rd").asString());
            assertEquals("t", jwt.getClaim("td").asString());
        }
        for (String team : new String[] {"127.0.0.1:8080", "meet.example.com:8443", "10.0.0.1"}) {
            DstokenException e = assertThrows(DstokenException.class, () -> Dstoken.joinUrl(team, "r", null));
            assertEquals(DstokenException.INVALID_ARGUMENT, e.status(), team);
        }
    }

    /**
     * UrlOption.ALLOW_PORT: a custom domain with a port only on request, the refusal naming the
     * Java option (never the C flag); an IP address stays refused; the token java-jwt accepts.
     */
    @Test
    void joinUrlAndMintUrlWithAllowPort() {
        DstokenException e = assertThrows(DstokenException.class,
                () -> Dstoken.joinUrl("meet.example.com:8443", "r", "a.b.c"));
        assertEquals(DstokenException.INVALID_ARGUMENT, e.status());
        assertTrue(e.getMessage().startsWith("DST_ERR_INVALID_ARGUMENT: Dstoken.joinUrl: "), e.getMessage());
        assertTrue(e.getMessage().contains("UrlOption.ALLOW_PORT"), e.getMessage());
        assertFalse(e.getMessage().contains("DST_URL"), e.getMessage());
        assertEquals("https://meet.example.com:8443/my%20room?token=a.b.c",
                Dstoken.joinUrl("Meet.Example.com:8443", "my room", "a.b.c", UrlOption.ALLOW_PORT));
        assertEquals("https://meet.example.com:8443/r", Dstoken.joinUrl("meet.example.com:8443", "r", null,
                UrlOption.ALLOW_PORT));
        assertEquals("https://meet.example.com/r", Dstoken.joinUrl("meet.example.com", "r", null, UrlOption.ALLOW_PORT));
        assertEquals("https://acme.digitalsamba.com/r", Dstoken.joinUrl("acme", "r", null, new UrlOption[0]));
        try (SigningKey key = SigningKey.of(KEY)) {
            e = assertThrows(DstokenException.class, () -> Dstoken.mintUrl(key, "meet.example.com:8443", "t", "r",
                    "John", null, null, Duration.ofHours(1)));
            assertTrue(e.getMessage().startsWith("DST_ERR_INVALID_ARGUMENT: Dstoken.mintUrl: "), e.getMessage());
            assertTrue(e.getMessage().contains("UrlOption.ALLOW_PORT"), e.getMessage());
            assertFalse(e.getMessage().contains("DST_URL"), e.getMessage());

            String url = Dstoken.mintUrl(key, "Meet.Example.com:8443", "t", "my room", "Zoë", "u1", "moderator",
                    Duration.ofMinutes(1), UrlOption.ALLOW_PORT);
            String prefix = "https://meet.example.com:8443/my%20room?token=";
            assertTrue(url.startsWith(prefix), url);
            com.auth0.jwt.interfaces.DecodedJWT jwt = com.auth0.jwt.JWT
                    .require(com.auth0.jwt.algorithms.Algorithm.HMAC256(KEY)).build()
                    .verify(url.substring(prefix.length()));
            assertEquals("t", jwt.getClaim("td").asString());
            assertEquals("my room", jwt.getClaim("rd").asString());
            assertEquals("Zoë", jwt.getClaim("u").asString());
            assertEquals("u1", jwt.getClaim("ud").asString());
            assertEquals("moderator", jwt.getClaim("role").asString());
            assertEquals(60L, jwt.getClaim("exp").asLong() - jwt.getClaim("iat").asLong());
            // Without options: the same as the 8-argument mintUrl (dst_mint_url).
            String plain = Dstoken.mintUrl(key, "meet.example.com", "t", "r", null, null, null, Duration.ofHours(1),
                    new UrlOption[0]);
            assertTrue(plain.startsWith("https://meet.example.com/r?token=eyJ"), plain);
            // Minting errors still name mintUrl and its parameters.
            e = assertThrows(DstokenException.class, () -> Dstoken.mintUrl(key, "meet.example.com:8443", null, "r",
                    null, null, null, Duration.ofHours(1), UrlOption.ALLOW_PORT));
            assertEquals("DST_ERR_MISSING_CLAIM: Dstoken.mintUrl: teamId (claim \"td\") is required", e.getMessage());
            e = assertThrows(DstokenException.class, () -> Dstoken.mintUrl(key, "meet.example.com:8443", "t", "r",
                    null, null, null, Duration.ZERO, UrlOption.ALLOW_PORT));
            assertTrue(e.getMessage().startsWith("DST_ERR_INVALID_ARGUMENT: Dstoken.mintUrl: the token has no expiry"),
                    e.getMessage());
            for (String team : new String[] {"127.0.0.1:8080", "10.0.0.1", "[::1]:8443", "meet.example.com:0",
                "meet.example.com:65536", "acme:8443"}) {
                e = assertThrows(DstokenException.class, () -> Dstoken.joinUrl(team, "r", null, UrlOption.ALLOW_PORT));
                assertEquals(DstokenException.INVALID_ARGUMENT, e.status(), team);
                e = assertThrows(DstokenException.class, () -> Dstoken.mintUrl(key, team, "t", "r", null, null, null,
                        Duration.ofHours(1), UrlOption.ALLOW_PORT));
                assertEquals(DstokenException.INVALID_ARGUMENT, e.status(), team);
                assertTrue(e.getMessage().startsWith("DST_ERR_INVALID_ARGUMENT: Dstoken.mintUrl: "), e.getMessage());
            }
            assertThrows(NullPointerException.class, () -> Dstoken.joinUrl("acme", "r", null, (UrlOption) null));
            assertThrows(NullPointerException.class, () -> Dstoken.mintUrl(key, "acme", "t", "r", null, null, null,
                    Duration.ofHours(1), (UrlOption[]) null));
        }
    }

    /** Errors name the Java method, then the argument in this API's spelling; no C name leaks. */
    @Test
    void errorsNameTheJavaMethodAndTheArgument() {
        try (SigningKey key = SigningKey.of(KEY); Claims c = new Claims().room("r").expiresIn(Duration.ofHours(1))) {
            DstokenException e = assertThrows(MissingClaimException.class, () -> Dstoken.sign(c, key));
            assertEquals("DST_ERR_MISSING_CLAIM: Dstoken.sign: teamId (claim \"td\") is required", e.getMessage());
            assertEquals(Argument.TEAM_ID, e.getArgument());
            // The same through the native claim set (a custom claim materialises it).
            c.set("custom", true);
            e = assertThrows(MissingClaimException.class, () -> Dstoken.sign(c, key));
            assertEquals("DST_ERR_MISSING_CLAIM: Dstoken.sign: teamId (claim \"td\") is required", e.getMessage());
            c.teamId("t").remove("rd");
            e = assertThrows(MissingClaimException.class, () -> Dstoken.sign(c, key));
            assertEquals("DST_ERR_MISSING_CLAIM: Dstoken.sign: room (claim \"rd\") is required", e.getMessage());

            e = assertThrows(DstokenException.class, () -> Dstoken.mint(key, null, "r", Duration.ofHours(1)));
            assertEquals("DST_ERR_MISSING_CLAIM: Dstoken.mint: teamId (claim \"td\") is required", e.getMessage());
            e = assertThrows(DstokenException.class, () -> c.set("u", 5L));
            assertEquals("DST_ERR_INVALID_ARGUMENT: Claims.set: \"u\" is a registered claim; set it with userName, "
                    + "not as a custom claim", e.getMessage());
            e = assertThrows(DstokenException.class, () -> c.setJson("x", "{bad"));
            assertTrue(e.getMessage().startsWith("DST_ERR_INVALID_ARGUMENT: Claims.setJson: json for claim \"x\" "
                    + "is not valid JSON"), e.getMessage());
            e = assertThrows(JWTDecodeException.class, () -> Dstoken.verify("a.b", key));
            assertTrue(e.getMessage().startsWith("DST_ERR_MALFORMED_TOKEN: Dstoken.verify: "), e.getMessage());
            e = assertThrows(DstokenException.class, () -> Dstoken.joinUrl("bad host", "r", null));
            assertTrue(e.getMessage().startsWith("DST_ERR_INVALID_ARGUMENT: Dstoken.joinUrl: team \"bad host\""),
                    e.getMessage());
            e = assertThrows(DstokenException.class, () -> Dstoken.joinUrl("meet.example.com:8443", "r", null));
            assertTrue(e.getMessage().contains("allow a port explicitly (UrlOption.ALLOW_PORT)"), e.getMessage());
            assertFalse(e.getMessage().contains("dst_"), e.getMessage());
            IllegalArgumentException iae = assertThrows(IllegalArgumentException.class, () -> c.userName("a\u0000"));
            assertTrue(iae.getMessage().startsWith("Claims.userName: userName contains U+0000"), iae.getMessage());
        }
    }

    /**
     * A lifetime is whole seconds: its sub-second part goes to the library (lifetime_nanos),
     * which refuses it; it is never rounded up. A longer lifetime than maxLifetime is refused.
     */
    @Test
    void subSecondLifetimesAreRefusedAndMaxLifetimeIsPassedOn() {
        try (SigningKey key = SigningKey.of(KEY)) {
            DstokenException e = assertThrows(DstokenException.class,
                    () -> Dstoken.mint(key, "t", "r", Duration.ofMillis(500)));
            assertEquals(Reason.SUB_SECOND, e.getReason());
            assertEquals("DST_ERR_INVALID_ARGUMENT: Dstoken.mint: lifetime is 0 s and 500000000 ns: token times are "
                    + "whole seconds; give a whole number of seconds", e.getMessage());
            e = assertThrows(DstokenException.class,
                    () -> Dstoken.mintUrl(key, "acme", "t", "r", null, null, Duration.ofMillis(1500)));
            assertEquals(Reason.SUB_SECOND, e.getReason());
            assertEquals(500_000_000, e.getLimit());
            try (Claims c = new Claims().teamId("t").room("r").validity(Duration.ofSeconds(5), Duration.ofSeconds(60, 1))) {
                assertEquals(Reason.SUB_SECOND, assertThrows(DstokenException.class, () -> Dstoken.sign(c, key)).getReason());
                c.set("plan", "pro"); // the claim-set path: dst_claims_set_lifetime, the same rule
                assertEquals(Reason.SUB_SECOND, assertThrows(DstokenException.class, () -> Dstoken.sign(c, key)).getReason());
            }
            try (Claims c = new Claims().teamId("t").room("r").expiresIn(Duration.ofDays(31))) {
                e = assertThrows(DstokenException.class, () -> Dstoken.sign(c, key));
                assertEquals(Reason.LIFETIME_TOO_LONG, e.getReason());
                assertEquals(Argument.MAX_LIFETIME, e.getOther());
                assertTrue(e.getMessage().contains("raise maxLifetime"), e.getMessage());
                c.maxLifetime(Duration.ofDays(31));
                try (Claims back = Dstoken.verify(Dstoken.sign(c, key), key)) {
                    assertEquals(31 * 86_400, back.getLong("exp") - back.getLong("iat"));
                }
                c.maxLifetime(Duration.ofHours(1)).set("plan", "pro");
                assertEquals(Reason.LIFETIME_TOO_LONG,
                        assertThrows(DstokenException.class, () -> Dstoken.sign(c, key)).getReason());
            }
            assertThrows(IllegalArgumentException.class, () -> new Claims().maxLifetime(Duration.ofMillis(1500)));
        }
    }
}
