package org.dstoken;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every case of tests/vectors/vectors.json, byte for byte: sign cases through the one-call
 * mint, the builder's Java-side path and the builder's native claim-set path; sign_errors give
 * their status on both; verify cases give their status (and claims).
 */
class VectorsTest {
    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);
    static final String[] FIELDS = {"team_id", "room", "user_name", "user_id", "initials", "role", "breakout_id",
        "avatar"};

    static JsonNode vectors() throws Exception {
        File f = new File(System.getProperty("dstoken.test.vectors"));
        assertTrue(f.isFile(), "the shared vectors are missing: " + f);
        return JSON.readTree(f);
    }

    static SigningKey key(JsonNode c) {
        return SigningKey.of(HexFormat.of().parseHex(c.get("key_hex").asText()));
    }

    static long time(JsonNode t, String name) {
        return t.has(name) ? t.get(name).asLong() : 0;
    }

    static String mint(JsonNode t, SigningKey key) {
        String[] text = new String[8];
        for (int i = 0; i < 8; i++) {
            text[i] = t.has(FIELDS[i]) ? t.get(FIELDS[i]).asText() : null;
        }
        int noExpiry = t.path("no_expiry").asBoolean(false) ? Claims.NO_EXPIRY : 0;
        return Dstoken.mintSlots(text, Dstoken.presentOf(text, "Dstoken.mint") | noExpiry, time(t, "issued_at"),
                time(t, "not_before"), time(t, "expires_at"), time(t, "lifetime_seconds"),
                time(t, "not_before_skew_seconds"), time(t, "now"), key, "Dstoken.mint");
    }

    /** The builder path: setters, times, custom claims; signed as is or after materialising. */
    static String build(JsonNode c, SigningKey key, boolean nativeClaimSet) {
        JsonNode t = c.get("token");
        try (Claims claims = new Claims()) {
            if (t.has("team_id")) claims.teamId(t.get("team_id").asText());
            if (t.has("room")) claims.room(t.get("room").asText());
            if (t.has("user_name")) claims.userName(t.get("user_name").asText());
            if (t.has("user_id")) claims.userId(t.get("user_id").asText());
            if (t.has("initials")) claims.initials(t.get("initials").asText());
            if (t.has("role")) claims.role(t.get("role").asText());
            if (t.has("breakout_id")) claims.breakoutId(t.get("breakout_id").asText());
            if (t.has("avatar")) claims.avatar(t.get("avatar").asText());
            if (t.has("issued_at")) claims.issuedAt(Instant.ofEpochSecond(time(t, "issued_at")));
            if (t.has("not_before")) claims.notBefore(Instant.ofEpochSecond(time(t, "not_before")));
            if (t.has("expires_at")) claims.expiresAt(Instant.ofEpochSecond(time(t, "expires_at")));
            if (t.has("lifetime_seconds")) {
                Duration lifetime = Duration.ofSeconds(time(t, "lifetime_seconds"));
                if (t.has("not_before_skew_seconds")) {
                    claims.validity(Duration.ofSeconds(time(t, "not_before_skew_seconds")), lifetime, time(t, "now"),
                            "Claims.validity");
                } else {
                    claims.expiresIn(lifetime, time(t, "now"), "Claims.expiresIn");
                }
            }
            // An expiry is required unless the case says no_expiry; an expired token is judged
            // at the case's now (the system clock without one), as the mint does.
            claims.noExpiry(t.path("no_expiry").asBoolean(false));
            // (A builder-only case without now: its iat, the builder's natural now.)
            if (t.has("now") || t.has("issued_at")) {
                claims.signingNow(t.has("now") ? t.get("now").asLong() : t.get("issued_at").asLong());
            }
            if (c.has("custom")) {
                for (JsonNode pair : c.get("custom")) {
                    claims.setJson(pair.get(0).asText(), pair.get(1).asText());
                }
            }
            if (nativeClaimSet) {
                claims.toJson();
            }
            return Dstoken.sign(claims, key);
        }
    }

    /** Every explicit time of the case representable as an Instant. */
    static boolean instants(JsonNode t) {
        for (String f : new String[] {"issued_at", "not_before", "expires_at"}) {
            if (t.has(f) && Math.abs(t.get(f).asLong()) > Instant.MAX.getEpochSecond()) {
                return false;
            }
        }
        return true;
    }

    /** Every explicit time of the case in [0, 253402300799]. */
    static boolean inRange(JsonNode t) {
        for (String f : new String[] {"issued_at", "not_before", "expires_at", "now"}) {
            if (t.has(f) && (t.get(f).asLong() < 0 || t.get(f).asLong() > Claims.MAX_TIME)) {
                return false;
            }
        }
        return true;
    }

    static int status(JsonNode c) {
        String name = c.get("status").asText();
        for (int s = 0; s < 64; s++) {
            if (new DstokenException(s, "").statusName().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("unknown status " + name);
    }

    /**
     * The status, and every string of the case's message_contains in the message. A time that
     * java.time.Instant cannot hold (past year 1 000 000 000) cannot reach the builder at all:
     * Instant.ofEpochSecond refuses it first.
     */
    static void expectMessage(int want, JsonNode c, String what, Supplier<String> op) {
        if (what.startsWith("builder") && !instants(c.get("token"))) {
            assertThrows(java.time.DateTimeException.class, op::get, what);
            return;
        }
        DstokenException e = assertThrows(DstokenException.class, op::get, what);
        assertEquals(want, e.status(), what + ": " + e.getMessage());
        for (JsonNode part : c.get("message_contains")) {
            assertTrue(e.getMessage().contains(part.asText()), what + ": \"" + part.asText() + "\" not in " + e.getMessage());
        }
    }

    static void expectStatus(int want, String what, Supplier<String> op) {
        DstokenException e = assertThrows(DstokenException.class, op::get, what);
        assertEquals(want, e.status(), what + ": " + e.getMessage());
    }

    @TestFactory
    List<DynamicTest> vectorCases() throws Exception {
        JsonNode v = vectors();
        List<DynamicTest> tests = new ArrayList<>();
        assertFalse(v.get("sign").isEmpty());
        for (JsonNode c : v.get("sign")) {
            tests.add(DynamicTest.dynamicTest("sign " + c.get("name").asText(), () -> {
                try (SigningKey key = key(c)) {
                    String jwt = c.get("jwt").asText();
                    JsonNode t = c.get("token");
                    if (!c.has("custom")) {
                        assertEquals(jwt, mint(t, key), "one-call mint (dst_mint)");
                    }
                    if (!c.has("custom") && t.has("lifetime_seconds") && !t.has("not_before_skew_seconds")
                            && !t.has("issued_at") && !t.has("not_before") && !t.has("expires_at")) {
                        String[] text = new String[8];
                        for (int i = 0; i < 8; i++) {
                            text[i] = t.has(FIELDS[i]) ? t.get(FIELDS[i]).asText() : null;
                        }
                        assertEquals(jwt, Dstoken.mintRelative(text, Dstoken.presentOf(text, "Dstoken.mint"),
                                time(t, "lifetime_seconds"), time(t, "now"), key, "Dstoken.mint"), "Dstoken.mint's path");
                    }
                    if (inRange(t)) {
                        assertEquals(jwt, build(c, key, false), "builder");
                        assertEquals(jwt, build(c, key, true), "builder through the native claim set");
                    } else { // the Java builder refuses times outside 1970..9999
                        expectStatus(DstokenException.INVALID_ARGUMENT, "builder", () -> build(c, key, false));
                    }
                }
            }));
        }
        for (JsonNode c : v.get("sign_errors")) {
            tests.add(DynamicTest.dynamicTest("sign_error " + c.get("name").asText(), () -> {
                int want = status(c);
                try (SigningKey key = key(c)) {
                    expectStatus(want, "one-call mint", () -> mint(c.get("token"), key));
                    expectStatus(want, "builder", () -> build(c, key, false));
                    expectStatus(want, "builder through the native claim set", () -> build(c, key, true));
                }
            }));
        }
        assertFalse(v.get("mint_errors").isEmpty());
        for (JsonNode c : v.get("mint_errors")) {
            tests.add(DynamicTest.dynamicTest("mint_error " + c.get("name").asText(), () -> {
                int want = status(c);
                try (SigningKey key = key(c)) {
                    if (c.has("custom")) {
                        // A registered name through the custom-claim setter: refused; the token alone mints.
                        mint(c.get("token"), key);
                    } else {
                        expectMessage(want, c, "one-call mint", () -> mint(c.get("token"), key));
                    }
                    expectMessage(want, c, "builder", () -> build(c, key, false));
                    expectMessage(want, c, "builder through the native claim set", () -> build(c, key, true));
                }
            }));
        }
        for (JsonNode c : v.get("verify")) {
            tests.add(DynamicTest.dynamicTest("verify " + c.get("name").asText(), () -> {
                int want = status(c);
                Instant now = Instant.ofEpochSecond(c.get("now").asLong());
                Duration leeway = Duration.ofSeconds(c.get("leeway").asLong());
                try (SigningKey key = key(c)) {
                    if (want == 0) {
                        try (Claims claims = Dstoken.verify(c.get("jwt").asText(), key, now, leeway)) {
                            assertEquals(c.get("claims"), JSON.readTree(claims.toJson()));
                        }
                    } else {
                        try {
                            Dstoken.verify(c.get("jwt").asText(), key, now, leeway).close();
                            fail("verified, expected " + c.get("status").asText());
                        } catch (DstokenException e) {
                            assertEquals(want, e.status(), e.getMessage());
                        }
                    }
                }
            }));
        }
        return tests;
    }
}
