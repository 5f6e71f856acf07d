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
                    .notBefore(IAT.minusSeconds(30)).expiresAt(IAT.plusSeconds(60)).signingNow(IAT.getEpochSecond());
                    Claims viaC = all.copy()) {
                viaC.toJson();
                assertEquals(Dstoken.sign(viaC, key), Dstoken.sign(all, key));
            }
            // A zero time is "absent" for dst_mint: the builder then signs through the setters.
            try (Claims epoch = new Claims().teamId("t").room("r").issuedAt(Instant.EPOCH).noExpiry(true)) {
                String t = Dstoken.sign(epoch, key);
                try (Claims back = Dstoken.verify(t, key, IAT, Duration.ZERO)) {
                    assertEquals(0L, back.getLong("iat"));
                }
            }
        }
    }

    /**
     * The builder sends only the values that changed since the thread's previous token: a
     * random walk over present/absent/changed claims must sign exactly what a fresh native
     * claim set signs.
     */
    @Test
    void builderCacheFollowsEveryChange() {
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
                    c.signingNow(-1); // the walk's times are fixed in the past: judge expiry before them
                    try (Claims viaC = c.copy()) {
                        viaC.toJson(); // a fresh native claim set
                        String want;
                        try {
                            want = Dstoken.sign(viaC, key);
                        } catch (DstokenException e) { // exp before iat/nbf: the same error
                            assertEquals(e.status(), assertThrows(DstokenException.class, () -> Dstoken.sign(c, key)).status());
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
            String minted = Dstoken.mintSlots(text, Dstoken.presentOf(text, "test"), IAT.getEpochSecond(), 0,
                    IAT.getEpochSecond() + 60, 0, 0, IAT.getEpochSecond(), key, "Dstoken.mint");
            try (Claims c = new Claims().teamId("t").room("r").userName("John").userId("u1").role("moderator")
                    .issuedAt(IAT).expiresAt(IAT.plusSeconds(60)).signingNow(IAT.getEpochSecond())) {
                assertEquals(Dstoken.sign(c, key), minted);
            }
            // Dstoken.mint's path (the thread's claim set) gives dst_mint's relative-mode token.
            String[][] texts = {{"t", "r", null, null, null, null, null, null},
                {"t", "r", "John", "u1", null, "moderator", null, null}, {"t2", "r", "Zoë", null, null, null, null, null}};
            for (String[] tx : texts) {
                int p = Dstoken.presentOf(tx, "test");
                for (long now : new long[] {IAT.getEpochSecond(), 1, 2}) {
                    assertEquals(Dstoken.mintSlots(tx, p, 0, 0, 0, 3600, 0, now, key, "Dstoken.mint"),
                            Dstoken.mintRelative(tx, p, 3600, now, key, "Dstoken.mint"));
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
            assertEquals("DST_ERR_MISSING_CLAIM: Dstoken.mintUrl: claim \"td\" (team id) is required to sign a token: "
                    + "pass teamId", e.getMessage());
            e = assertThrows(DstokenException.class, () -> Dstoken.mintUrl(key, "meet.example.com:8443", "t", "r",
                    null, null, null, Duration.ZERO, UrlOption.ALLOW_PORT));
            assertTrue(e.getMessage().startsWith("DST_ERR_INVALID_ARGUMENT: Dstoken.mintUrl: lifetime must be positive"),
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

    @Test
    void errorsNameTheJavaMethodAndTheSetter() {
        try (SigningKey key = SigningKey.of(KEY); Claims c = new Claims().room("r")) {
            DstokenException e = assertThrows(DstokenException.class, () -> Dstoken.sign(c, key));
            assertEquals(DstokenException.MISSING_CLAIM, e.status());
            assertEquals("DST_ERR_MISSING_CLAIM: Dstoken.sign: claim \"td\" (team id) is required to sign a token: "
                    + "set it with teamId()", e.getMessage());
            // The same through the native claim set (a custom claim materialises it).
            c.set("custom", true);
            e = assertThrows(DstokenException.class, () -> Dstoken.sign(c, key));
            assertTrue(e.getMessage().startsWith("DST_ERR_MISSING_CLAIM: Dstoken.sign: "), e.getMessage());
            assertTrue(e.getMessage().endsWith("set it with teamId()"), e.getMessage());
            assertFalse(e.getMessage().contains("dst_"), e.getMessage());
            c.teamId("t").remove("rd");
            e = assertThrows(DstokenException.class, () -> Dstoken.sign(c, key));
            assertTrue(e.getMessage().endsWith("set it with room()"), e.getMessage());

            e = assertThrows(DstokenException.class, () -> Dstoken.mint(key, null, "r", Duration.ofHours(1)));
            assertEquals("DST_ERR_MISSING_CLAIM: Dstoken.mint: claim \"td\" (team id) is required to sign a token: "
                    + "pass teamId", e.getMessage());
            e = assertThrows(DstokenException.class, () -> new Claims().teamId(""));
            assertEquals("DST_ERR_INVALID_ARGUMENT: Claims.teamId: claim \"td\" must not be empty", e.getMessage());
            e = assertThrows(DstokenException.class, () -> c.set("u", 5L));
            assertTrue(e.getMessage().startsWith("DST_ERR_INVALID_ARGUMENT: Claims.set: claim \"u\""), e.getMessage());
            e = assertThrows(DstokenException.class, () -> c.setJson("x", "{bad"));
            assertTrue(e.getMessage().startsWith("DST_ERR_INVALID_ARGUMENT: Claims.setJson: "), e.getMessage());
            e = assertThrows(DstokenException.class, () -> Dstoken.verify("a.b", key));
            assertTrue(e.getMessage().startsWith("DST_ERR_MALFORMED_TOKEN: Dstoken.verify: "), e.getMessage());
            e = assertThrows(DstokenException.class, () -> Dstoken.joinUrl("bad host", "r", null));
            assertTrue(e.getMessage().startsWith("DST_ERR_INVALID_ARGUMENT: Dstoken.joinUrl: "), e.getMessage());
            try (Claims late = new Claims().teamId("t").room("r").issuedAt(IAT).expiresAt(IAT.minusSeconds(1))) {
                e = assertThrows(DstokenException.class, () -> Dstoken.sign(late, key));
                assertTrue(e.getMessage().startsWith("DST_ERR_INVALID_ARGUMENT: Dstoken.sign: "), e.getMessage());
                assertTrue(e.getMessage().contains("\"exp\""), e.getMessage());
            }
            IllegalArgumentException iae = assertThrows(IllegalArgumentException.class, () -> c.userName("a\u0000"));
            assertTrue(iae.getMessage().startsWith("Claims.userName: userName contains U+0000"), iae.getMessage());
        }
    }

    @Test
    void subSecondDurationsRoundUp() {
        try (Claims c = new Claims().teamId("t").room("r")) {
            c.expiresIn(Duration.ofMillis(500), 1000, "Claims.expiresIn");
            assertEquals(1000, c.getLong("iat"));
            assertEquals(1001, c.getLong("exp"));
            c.expiresIn(Duration.ofMillis(1500));
            assertEquals(2, c.getLong("exp") - c.getLong("iat"));
            c.validity(Duration.ofMillis(1), Duration.ofSeconds(60, 1), 5000, "Claims.validity");
            assertEquals(4999, c.getLong("nbf"));
            assertEquals(5061, c.getLong("exp"));
            DstokenException e = assertThrows(DstokenException.class, () -> c.expiresIn(Duration.ZERO));
            assertEquals("DST_ERR_INVALID_ARGUMENT: Claims.expiresIn: lifetime must be positive, got PT0S",
                    e.getMessage());
            e = assertThrows(DstokenException.class, () -> c.expiresIn(Duration.ofMillis(-1)));
            assertEquals(DstokenException.INVALID_ARGUMENT, e.status());
            e = assertThrows(DstokenException.class, () -> c.validity(Duration.ofSeconds(-1), Duration.ofHours(1)));
            assertTrue(e.getMessage().contains("Claims.validity: skew must be zero or positive"), e.getMessage());
            e = assertThrows(DstokenException.class, () -> c.expiresIn(Duration.ofSeconds(Long.MAX_VALUE)));
            assertTrue(e.getMessage().contains("is too long"), e.getMessage());
        }
        try (SigningKey key = SigningKey.of(KEY);
                Claims back = Dstoken.verify(Dstoken.mint(key, "t", "r", Duration.ofMillis(500)), key)) {
            assertEquals(1, back.getLong("exp") - back.getLong("iat"));
        }
    }
}
