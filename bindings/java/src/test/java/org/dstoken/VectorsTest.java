package org.dstoken;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * Every case of tests/vectors/vectors.json: sign cases byte for byte through the one-call mint
 * and the builder (Java-side and through the native claim set); every refusal (sign_errors,
 * mint_errors, verify, decode, keys) with its exception class, status, reason, argument (this
 * API's spelling, from the schema's java column), parts and message words.
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

    /** The case's lifetime as a Java Duration: seconds and the sub-second part. */
    static Duration lifetime(JsonNode t) {
        return Duration.ofSeconds(time(t, "lifetime_seconds"), time(t, "lifetime_nanos"));
    }

    /** The one-call mint (dst_mint_into), every field of the case as given. */
    static String mint(JsonNode t, SigningKey key) {
        String[] text = new String[8];
        for (int i = 0; i < 8; i++) {
            text[i] = t.has(FIELDS[i]) ? t.get(FIELDS[i]).asText() : null;
        }
        int present = Dstoken.presentOf(text, "Dstoken.mint");
        present |= (t.has("issued_at") ? Claims.IAT : 0) | (t.has("not_before") ? Claims.NBF : 0)
                | (t.has("expires_at") ? Claims.EXP : 0) | (t.path("no_expiry").asBoolean(false) ? Claims.NO_EXPIRY : 0);
        Duration d = lifetime(t);
        return Dstoken.mintSlots(text, present, time(t, "issued_at"), time(t, "not_before"), time(t, "expires_at"),
                d.getSeconds(), d.getNano(), time(t, "max_lifetime_seconds"), time(t, "not_before_skew_seconds"),
                time(t, "now"), key, "Dstoken.mint");
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
            if (t.has("lifetime_seconds") || t.has("lifetime_nanos")) {
                if (t.has("not_before_skew_seconds")) {
                    claims.validity(Duration.ofSeconds(time(t, "not_before_skew_seconds")), lifetime(t));
                } else {
                    claims.expiresIn(lifetime(t));
                }
            }
            if (t.has("max_lifetime_seconds")) claims.maxLifetime(Duration.ofSeconds(time(t, "max_lifetime_seconds")));
            claims.noExpiry(t.path("no_expiry").asBoolean(false));
            // A builder-only case (custom claims) without now is judged at its iat, its natural now.
            claims.at(t.has("now") || !c.has("custom") ? time(t, "now") : time(t, "issued_at"));
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

    /** The exception class java-jwt users catch for a status. */
    static Class<? extends DstokenException> classFor(Status s) {
        switch (s) {
            case EXPIRED: return TokenExpiredException.class;
            case BAD_SIGNATURE: return SignatureVerificationException.class;
            case UNSUPPORTED_ALGORITHM: return AlgorithmMismatchException.class;
            case MALFORMED_TOKEN: return JWTDecodeException.class;
            case MISSING_CLAIM: return MissingClaimException.class;
            case CLAIM_MISMATCH: return IncorrectClaimException.class;
            case NOT_YET_VALID: return InvalidClaimException.class;
            default: return DstokenException.class;
        }
    }

    /** The refusal of case {@code c}: class, status, reason, argument, parts and message words. */
    static void expectRefusal(JsonNode c, String what, Executable op) {
        DstokenException e = expectStatus(c, what, op);
        String m = what + ": " + e.getMessage();
        Status status = e.getStatus();
        assertEquals(Reason.valueOf(c.get("reason").asText()), e.getReason(), m);
        Argument arg = Argument.valueOf(c.get("argument").asText());
        assertEquals(arg, e.getArgument(), m);
        if (e.getReason().template().contains("{arg}")) {
            assertTrue(e.getMessage().contains(arg.spelling()), m + ": names " + arg.spelling());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = c.path("parts").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            JsonNode v = p.getValue();
            switch (p.getKey()) {
                case "other": assertEquals(Argument.valueOf(v.asText()), e.getOther(), m); break;
                case "name": assertEquals(v.asText(), e.getClaimName(), m); break;
                case "text": assertEquals(v.asText(), e.getText(), m); break;
                case "value": assertEquals(v.asLong(), e.getValue(), m); break;
                case "limit": assertEquals(v.asLong(), e.getLimit(), m); break;
                case "time":
                    assertEquals(v.asLong(), e.getTimeSeconds(), m);
                    assertEquals(Instant.ofEpochSecond(v.asLong()), e.getTime(), m);
                    break;
                case "suggested": assertEquals(v.asLong(), e.getSuggested(), m); break;
                default: throw new AssertionError("unknown part " + p.getKey());
            }
        }
        for (JsonNode part : c.path("message_contains")) {
            assertTrue(e.getMessage().contains(part.asText()), m + ": lacks \"" + part.asText() + "\"");
        }
        assertTrue(e.getMessage().startsWith(status.cName() + ": "), m);
        assertFalse(e.getMessage().contains("{"), m + ": a template field left unfilled");
        if (e instanceof TokenExpiredException) {
            assertEquals(e.getTime(), ((TokenExpiredException) e).getExpiredOn(), m);
        }
    }

    /**
     * The status and the exception class only: the builder's native claim set is set one claim
     * at a time, so its first refusal can be another rule's (a setter's) than the mint's.
     */
    static DstokenException expectStatus(JsonNode c, String what, Executable op) {
        DstokenException e = assertThrows(DstokenException.class, op, what);
        String m = what + ": " + e.getMessage();
        Status status = Status.valueOf(c.get("status").asText().replaceFirst("^DST_(ERR_)?", ""));
        assertEquals(status, e.getStatus(), m);
        assertEquals(status.number(), e.status(), m);
        assertInstanceOf(classFor(status), e, m);
        return e;
    }

    @TestFactory
    List<DynamicTest> vectorCases() throws Exception {
        JsonNode v = vectors();
        List<DynamicTest> tests = new ArrayList<>();
        for (String section : new String[] {"sign", "sign_errors", "mint_errors", "verify", "decode", "keys"}) {
            assertFalse(v.path(section).isEmpty(), "vectors.json has no " + section + " cases");
        }
        for (JsonNode c : v.get("sign")) {
            tests.add(DynamicTest.dynamicTest("sign " + c.get("name").asText(), () -> {
                try (SigningKey key = key(c)) {
                    String jwt = c.get("jwt").asText();
                    if (!c.has("custom")) {
                        assertEquals(jwt, mint(c.get("token"), key), "one-call mint (dst_mint_into)");
                    }
                    assertEquals(jwt, build(c, key, false), "builder");
                    assertEquals(jwt, build(c, key, true), "builder through the native claim set");
                }
            }));
        }
        for (JsonNode c : v.get("sign_errors")) {
            tests.add(DynamicTest.dynamicTest("sign_error " + c.get("name").asText(), () -> {
                try (SigningKey key = key(c)) {
                    expectRefusal(c, "one-call mint", () -> mint(c.get("token"), key));
                    expectRefusal(c, "builder", () -> build(c, key, false));
                    expectStatus(c, "builder through the native claim set", () -> build(c, key, true));
                }
            }));
        }
        for (JsonNode c : v.get("mint_errors")) {
            tests.add(DynamicTest.dynamicTest("mint_error " + c.get("name").asText(), () -> {
                try (SigningKey key = key(c)) {
                    if (c.has("custom")) {
                        // A registered name through the custom-claim setter: refused; the token alone mints.
                        mint(c.get("token"), key);
                    } else {
                        expectRefusal(c, "one-call mint", () -> mint(c.get("token"), key));
                    }
                    if (!instants(c.get("token"))) { // java.time.Instant cannot hold the time at all
                        assertThrows(java.time.DateTimeException.class, () -> build(c, key, false));
                        return;
                    }
                    expectRefusal(c, "builder", () -> build(c, key, false));
                    expectStatus(c, "builder through the native claim set", () -> build(c, key, true));
                }
            }));
        }
        for (JsonNode c : v.get("verify")) {
            tests.add(DynamicTest.dynamicTest("verify " + c.get("name").asText(), () -> {
                VerifyOptions o = new VerifyOptions().now(Instant.ofEpochSecond(c.get("now").asLong()))
                        .leeway(Duration.ofSeconds(c.get("leeway").asLong()));
                JsonNode opts = c.path("options");
                o.expOptional(opts.path("exp_optional").asBoolean(false));
                if (opts.has("team_id")) o.teamId(opts.get("team_id").asText());
                if (opts.has("room")) o.room(opts.get("room").asText());
                for (JsonNode r : opts.path("required")) o.require(r.asText());
                String jwt = c.get("jwt").asText();
                try (SigningKey key = key(c)) {
                    if (c.get("status").asText().equals("DST_OK")) {
                        try (Claims claims = Dstoken.verify(jwt, key, o)) {
                            assertEquals(c.get("claims"), JSON.readTree(claims.toJson()));
                        }
                    } else {
                        expectRefusal(c, "verify", () -> Dstoken.verify(jwt, key, o).close());
                    }
                }
            }));
        }
        for (JsonNode c : v.get("decode")) {
            tests.add(DynamicTest.dynamicTest("decode " + c.get("name").asText(), () -> {
                String jwt = c.get("jwt").asText();
                if (c.get("status").asText().equals("DST_OK")) {
                    try (DecodedToken d = Dstoken.decodeUnverified(jwt)) {
                        assertEquals(c.get("header"), JSON.readTree(d.headerJson()));
                        assertEquals(JSON.convertValue(c.get("header"), Map.class), d.header());
                        assertEquals(c.get("claims"), JSON.readTree(d.claims().toJson()));
                    }
                } else {
                    expectRefusal(c, "decodeUnverified", () -> Dstoken.decodeUnverified(jwt).close());
                }
            }));
        }
        for (JsonNode c : v.get("keys")) {
            tests.add(DynamicTest.dynamicTest("key " + c.get("name").asText(), () -> {
                String k = c.get("key").asText();
                if (c.get("status").asText().equals("DST_OK")) {
                    SigningKey.of(k).close();
                } else {
                    expectRefusal(c, "SigningKey.of(String)", () -> SigningKey.of(k).close());
                }
            }));
        }
        return tests;
    }
}
