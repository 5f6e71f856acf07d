package org.dstoken;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DstokenTest {
    static final String KEY = "0123456789abcdef0123456789abcdef";
    /** Computed independently (Python's hmac/hashlib/base64) for the fixed workload. */
    static final String KAT_TOKEN = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
            + "eyJ0ZCI6ImIxYTdjMmQ0LTEyMzQtNGNkZS05ZjAwLTBhMWIyYzNkNGU1ZiIsInJkIjoiZGFpbHktc3RhbmR1cCIsInUi"
            + "OiJKb2huIFNtaXRoIiwidWQiOiJ1c2VyLTAwMDA0MiIsInJvbGUiOiJtb2RlcmF0b3IiLCJpYXQiOjE3NjcyMjU2MDAs"
            + "ImV4cCI6MTc2NzIyOTIwMH0.Wn0Cr5LETjwImX91BCJGPVuho_HGq-VKV4IobwvIesU";
    static final Instant IAT = Instant.ofEpochSecond(1767225600);

    static Claims workload() {
        return new Claims().teamId("b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f").room("daily-standup")
                .userName("John Smith").userId("user-000042").role("moderator")
                .issuedAt(IAT).expiresAt(IAT.plusSeconds(3600)).at(IAT.getEpochSecond());
    }

    @Test
    void knownAnswerTokenMatchesOtherLanguages() {
        try (SigningKey key = SigningKey.of(KEY); Claims c = workload()) {
            assertEquals(KAT_TOKEN, Dstoken.sign(c, key));
        }
    }

    @Test
    void roundTripWithEveryClaim() {
        try (SigningKey key = SigningKey.of(KEY.getBytes(StandardCharsets.US_ASCII));
                Claims c = new Claims().teamId("t").room("r").userName("John").userId("u1")
                        .initials("JS").role("moderator").breakoutId("b1").avatar("https://x.test/a.png")
                        .issuedAt(IAT).notBefore(IAT.minusSeconds(30)).expiresAt(IAT.plusSeconds(60)).at(IAT.getEpochSecond())
                        .set("flag", true).set("count", -5L).set("label", "x").setJson("obj", "{\"a\":[1,2]}")) {
            String token = Dstoken.sign(c, key);
            try (Claims back = Dstoken.verify(token, key, IAT, Duration.ZERO)) {
                assertEquals(c.toJson(), back.toJson());
                assertEquals("t", back.teamId());
                assertEquals("r", back.room());
                assertEquals("John", back.userName());
                assertEquals("u1", back.userId());
                assertEquals("JS", back.initials());
                assertEquals("moderator", back.role());
                assertEquals("b1", back.breakoutId());
                assertEquals("https://x.test/a.png", back.avatar());
                assertEquals(IAT, back.issuedAt());
                assertEquals(IAT.minusSeconds(30), back.notBefore());
                assertEquals(IAT.plusSeconds(60), back.expiresAt());
                assertEquals(IAT.plusSeconds(60), back.getInstant("exp"));
                // Spans read as in the library's messages, at mint and at verify.
                assertEquals("0 s", Messages.span(0));
                assertEquals("1 h 0 min 0 s", Messages.span(3600));
                assertEquals("1118 d 22 h 31 min 16 s", Messages.span(96_676_276));
                assertTrue(back.getBoolean("flag"));
                assertEquals(-5L, back.getLong("count"));
                assertEquals("{\"a\":[1,2]}", back.getJson("obj"));
                assertTrue(back.has("obj"));
                assertFalse(back.has("nope"));
            }
        }
    }

    @Test
    void nonBmpTextSurvivesByteForByte() {
        String name = "Zoë 🎉 李 \u0001 \"q\" \\ \u2028";
        try (SigningKey key = SigningKey.of(KEY); Claims c = new Claims().teamId("t").room("r").userName(name)
                        .expiresIn(Duration.ofHours(1))) {
            String token = Dstoken.sign(c, key);
            String payload = token.split("\\.")[1];
            String json = new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8);
            assertTrue(json.contains("Zoë 🎉 李"), json);
            try (Claims back = Dstoken.verify(token, key, Instant.now(), Duration.ZERO)) {
                assertEquals(name, back.userName());
                assertArrayEquals(name.getBytes(StandardCharsets.UTF_8),
                        back.userName().getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void statusesBecomeDstokenExceptions() {
        try (SigningKey key = SigningKey.of(KEY); Claims c = new Claims()) {
            DstokenException e = assertThrows(DstokenException.class, () -> Dstoken.sign(c, key));
            assertEquals(DstokenException.MISSING_CLAIM, e.status());
            assertEquals("DST_ERR_MISSING_CLAIM", e.statusName());
            assertTrue(e.libraryMessage().contains("\"td\""), e.getMessage());

            e = assertThrows(DstokenException.class, () -> c.set("u", 5L));
            assertEquals("DST_ERR_INVALID_ARGUMENT", e.statusName());
            e = assertThrows(DstokenException.class, () -> c.getString("missing"));
            assertEquals(DstokenException.NOT_FOUND, e.status());
            c.set("n", 1L);
            e = assertThrows(DstokenException.class, () -> c.getString("n"));
            assertEquals(DstokenException.WRONG_TYPE, e.status());
            e = assertThrows(DstokenException.class, () -> c.setJson("x", "{bad"));
            assertEquals(DstokenException.INVALID_ARGUMENT, e.status());
            e = assertThrows(DstokenException.class, () -> c.remove("zz"));
            assertEquals(DstokenException.NOT_FOUND, e.status());
            e = assertThrows(DstokenException.class, () -> SigningKey.of(new byte[0]));
            assertEquals(DstokenException.INVALID_ARGUMENT, e.status());
            e = assertThrows(DstokenException.class, () -> Dstoken.verify("a.b", key));
            assertEquals(DstokenException.MALFORMED_TOKEN, e.status());
            e = assertThrows(DstokenException.class, () -> Dstoken.joinUrl("bad host", "r", null));
            assertEquals(DstokenException.INVALID_ARGUMENT, e.status());
        }
    }

    @Test
    void verificationFailures() {
        try (SigningKey key = SigningKey.of(KEY); SigningKey other = SigningKey.of("other");
                Claims c = new Claims().teamId("t").room("r").issuedAt(IAT).expiresAt(IAT.plusSeconds(60)).at(IAT.getEpochSecond())) {
            String token = Dstoken.sign(c, key);
            // The java-jwt idiom: catch the exception class; the parts are its getters.
            assertThrows(SignatureVerificationException.class, () -> Dstoken.verify(token, other, IAT, Duration.ZERO));
            TokenExpiredException expired = assertThrows(TokenExpiredException.class,
                    () -> Dstoken.verify(token, key, IAT.plusSeconds(90), Duration.ZERO));
            assertEquals(IAT.plusSeconds(60), expired.getExpiredOn());
            assertEquals(30, expired.getValue());
            assertEquals("DST_ERR_EXPIRED: Dstoken.verify: the token expired at " + IAT.plusSeconds(60) + ", 30 s ago",
                    expired.getMessage());
            assertTrue(expired instanceof JWTVerificationException);
            Dstoken.verify(token, key, IAT.plusSeconds(60), Duration.ofSeconds(1)).close();
            InvalidClaimException early = assertThrows(InvalidClaimException.class,
                    () -> Dstoken.verify(token, key, IAT.minusSeconds(3661), Duration.ZERO));
            assertEquals(Status.NOT_YET_VALID, early.getStatus());
            assertTrue(early.getMessage().endsWith(", 1 h 1 min 1 s from now"), early.getMessage());
            String none = "eyJhbGciOiJub25lIn0." + token.split("\\.")[1] + ".";
            assertEquals("none", assertThrows(AlgorithmMismatchException.class,
                    () -> Dstoken.verify(none, key, IAT, Duration.ZERO)).getText());
            // Verify options: the team and room expected, claims required, exp optional.
            VerifyOptions o = new VerifyOptions().now(IAT).teamId("t").room("r");
            try (Claims ok = Dstoken.verify(token, key, o)) {
                assertEquals("r", ok.room());
            }
            IncorrectClaimException wrong = assertThrows(IncorrectClaimException.class,
                    () -> Dstoken.verify(token, key, new VerifyOptions().now(IAT).room("other room")));
            assertEquals("rd", wrong.getClaimName());
            assertEquals("r", wrong.getClaimValue());
            assertEquals("DST_ERR_CLAIM_MISMATCH: Dstoken.verify: the token's room (claim \"rd\") is \"r\", not the "
                    + "one expected", wrong.getMessage());
            MissingClaimException missing = assertThrows(MissingClaimException.class,
                    () -> Dstoken.verify(token, key, new VerifyOptions().now(IAT).require("td", "u")));
            assertEquals("u", missing.getClaimName());
            try (Claims forever = new Claims().teamId("t").room("r").noExpiry(true)) {
                String noExp = Dstoken.sign(forever, key);
                assertEquals("exp", assertThrows(MissingClaimException.class,
                        () -> Dstoken.verify(noExp, key)).getClaimName());
                Dstoken.verify(noExp, key, new VerifyOptions().expOptional(true)).close();
            }
            // Unverified decoding proves nothing, but reads any token, even one signed with another key.
            try (DecodedToken d = Dstoken.decodeUnverified(token)) {
                assertEquals(java.util.Map.of("alg", "HS256", "typ", "JWT"), d.header());
                assertEquals("t", d.claims().teamId());
                assertEquals(IAT, d.claims().expiresAt().minusSeconds(60));
            }
            assertThrows(IllegalArgumentException.class, () -> Dstoken.verify(token, key, IAT, Duration.ofSeconds(-1)));
            // A fractional leeway is refused (it was rounded up), as in every binding.
            IllegalArgumentException frac = assertThrows(IllegalArgumentException.class,
                    () -> Dstoken.verify(token, key, IAT, Duration.ofMillis(1500)));
            assertTrue(frac.getMessage().contains("whole seconds"), frac.getMessage());
        }
    }

    @Test
    void nullsAndBadStringsAreJavaExceptions() {
        try (SigningKey key = SigningKey.of(KEY); Claims c = new Claims()) {
            NullPointerException npe = assertThrows(NullPointerException.class, () -> c.userName(null));
            assertEquals("userName", npe.getMessage());
            assertEquals("claims", assertThrows(NullPointerException.class, () -> Dstoken.sign(null, key)).getMessage());
            assertEquals("key", assertThrows(NullPointerException.class, () -> Dstoken.sign(c, null)).getMessage());
            assertEquals("token", assertThrows(NullPointerException.class, () -> Dstoken.verify(null, key)).getMessage());
            assertEquals("secret", assertThrows(NullPointerException.class, () -> SigningKey.of((byte[]) null)).getMessage());
            assertEquals("name", assertThrows(NullPointerException.class, () -> c.set(null, 1L)).getMessage());
            assertThrows(IllegalArgumentException.class, () -> c.userName("a\u0000b"));
            assertThrows(IllegalArgumentException.class, () -> c.userName("lone \uD83D surrogate"));
            assertEquals("{}", c.toJson(), "failed calls set nothing");
        }
    }

    @Test
    void closedHandlesThrowIllegalState() {
        SigningKey key = SigningKey.of(KEY);
        Claims c = new Claims().teamId("t").room("r");
        c.close();
        c.close(); // idempotent
        assertTrue(c.isClosed());
        assertThrows(IllegalStateException.class, () -> c.userName("x"));
        assertThrows(IllegalStateException.class, () -> Dstoken.sign(c, key));
        key.close();
        try (Claims d = new Claims().teamId("t").room("r")) {
            assertThrows(IllegalStateException.class, () -> Dstoken.sign(d, key));
            assertThrows(IllegalStateException.class, () -> Dstoken.verify(KAT_TOKEN, key));
        }
        assertEquals("SigningKey[closed]", key.toString());
    }

    @Test
    void copyIsIndependent() {
        try (Claims a = new Claims().userName("a"); Claims b = a.copy()) {
            b.userName("b");
            assertEquals("a", a.userName());
            assertEquals("b", b.userName());
        }
    }

    @Test
    void joinUrlAndVersion() {
        assertEquals("https://acme.digitalsamba.com/my%20room?token=a.b.c", Dstoken.joinUrl("acme", "my room", "a.b.c"));
        assertEquals("https://meet.example.com/r", Dstoken.joinUrl("meet.example.com", "r", null));
        assertTrue(Dstoken.version().matches("\\d+\\.\\d+\\.\\d+"));
    }

    @Test
    void eightThreadsShareOneKey() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (SigningKey key = SigningKey.of(KEY)) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                final int id = t;
                results.add(pool.submit(() -> {
                    int ok = 0;
                    try (Claims c = new Claims().teamId("t").room("r").expiresIn(Duration.ofHours(1))) {
                        for (int i = 0; i < 2000; i++) {
                            String user = String.format("user-%d-%06d", id, i);
                            c.userId(user);
                            try (Claims back = Dstoken.verify(Dstoken.sign(c, key), key)) {
                                ok += user.equals(back.getString("ud")) ? 1 : 0;
                            }
                        }
                    }
                    return ok;
                }));
            }
            for (Future<Integer> f : results) {
                assertEquals(2000, f.get(2, TimeUnit.MINUTES));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void forgottenHandlesAreCleaned() throws Exception {
        // Native claim sets (a custom claim makes one; verify returns one) and native keys that
        // are never closed: once unreachable, the Cleaner must free every one of them. The
        // counters move only when a native free has run, so a Cleaner action that keeps its
        // object reachable, or one that never frees, leaves them short and fails here.
        final int n = 5_000;
        String token;
        try (SigningKey key = SigningKey.of(KEY); Claims c = new Claims().teamId("t").room("r").expiresIn(Duration.ofHours(1))) {
            token = Dstoken.sign(c, key);
        }
        long claimsBefore = Claims.FREED.get();
        long keysBefore = SigningKey.FREED.get();
        for (int i = 0; i < n; i++) {
            SigningKey key = SigningKey.of(KEY);
            new Claims().teamId("t").set("n", i);
            Dstoken.verify(token, key);
        }
        // Two forgotten claim sets per round (one built, one verified), one key.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while ((Claims.FREED.get() - claimsBefore < 2L * n || SigningKey.FREED.get() - keysBefore < n)
                && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertTrue(Claims.FREED.get() - claimsBefore >= 2L * n,
                "the Cleaner freed " + (Claims.FREED.get() - claimsBefore) + " of " + 2 * n + " forgotten claim sets");
        assertTrue(SigningKey.FREED.get() - keysBefore >= n,
                "the Cleaner freed " + (SigningKey.FREED.get() - keysBefore) + " of " + n + " forgotten keys");
    }
}
