package org.dstoken;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.Test;

/**
 * Interop with com.auth0 java-jwt 4.x, the library of Digital Samba's docs, both ways: the
 * docs verify with {@code JWT.require(Algorithm.HMAC256(developerKey)).build().verify(token)}.
 */
class JavaJwtTest {
    static final String DEVELOPER_KEY = "0123456789abcdef0123456789abcdef";

    static DecodedJWT docsVerify(String token) {
        Algorithm algorithm = Algorithm.HMAC256(DEVELOPER_KEY);
        return JWT.require(algorithm).build().verify(token);
    }

    @Test
    void dstokenTokensVerifyWithJavaJwt() {
        try (SigningKey key = SigningKey.of(DEVELOPER_KEY)) {
            DecodedJWT jwt = docsVerify(Dstoken.mint(key, "team-1", "daily-standup", "John Smith", "moderator",
                    Duration.ofHours(1)));
            assertEquals("team-1", jwt.getClaim("td").asString());
            assertEquals("daily-standup", jwt.getClaim("rd").asString());
            assertEquals("John Smith", jwt.getClaim("u").asString());
            assertEquals("moderator", jwt.getClaim("role").asString());
            assertEquals(3600, jwt.getExpiresAtAsInstant().getEpochSecond() - jwt.getIssuedAtAsInstant().getEpochSecond());
            assertEquals("HS256", jwt.getAlgorithm());

            String name = "Zoë 🎉 李 \"q\" \\ \u2028";
            try (Claims c = new Claims().teamId("t").room("r").userName(name).userId("u1").initials("ZB")
                    .breakoutId("b").avatar("https://x.test/a.png").validity(Duration.ofSeconds(30), Duration.ofHours(1))) {
                jwt = docsVerify(Dstoken.sign(c, key));
                assertEquals(name, jwt.getClaim("u").asString());
                assertEquals(jwt.getIssuedAtAsInstant().minusSeconds(30), jwt.getNotBeforeAsInstant());
                c.set("flag", true).setJson("obj", "{\"a\":[1,2]}");
                jwt = docsVerify(Dstoken.sign(c, key));
                assertEquals(Boolean.TRUE, jwt.getClaim("flag").asBoolean());
                assertEquals(2, jwt.getClaim("obj").asMap().get("a") instanceof java.util.List<?> l ? l.size() : -1);
            }
            try (SigningKey other = SigningKey.of("another key")) {
                String forged = Dstoken.mint(other, "t", "r", Duration.ofHours(1));
                assertThrows(SignatureVerificationException.class, () -> docsVerify(forged));
            }
        }
    }

    @Test
    void javaJwtTokensVerifyWithDstoken() {
        Instant now = Instant.ofEpochSecond(Claims.nowSeconds());
        String token = JWT.create().withClaim("td", "team-1").withClaim("rd", "room").withClaim("u", "Zoë 🎉")
                .withClaim("role", "moderator").withIssuedAt(Date.from(now))
                .withExpiresAt(Date.from(now.plusSeconds(3600))).sign(Algorithm.HMAC256(DEVELOPER_KEY));
        try (SigningKey key = SigningKey.of(DEVELOPER_KEY); Claims c = Dstoken.verify(token, key)) {
            assertEquals("team-1", c.teamId());
            assertEquals("Zoë 🎉", c.userName());
            assertEquals(now.plusSeconds(3600), c.getInstant("exp"));
        }
        try (SigningKey wrong = SigningKey.of("wrong")) {
            DstokenException e = assertThrows(DstokenException.class, () -> Dstoken.verify(token, wrong));
            assertEquals(DstokenException.BAD_SIGNATURE, e.status());
        }
        String expired = JWT.create().withClaim("td", "t").withClaim("rd", "r")
                .withExpiresAt(Date.from(now.minusSeconds(10))).sign(Algorithm.HMAC256(DEVELOPER_KEY));
        try (SigningKey key = SigningKey.of(DEVELOPER_KEY)) {
            DstokenException e = assertThrows(DstokenException.class, () -> Dstoken.verify(expired, key));
            assertEquals(DstokenException.EXPIRED, e.status());
            assertTrue(e.getMessage().startsWith("DST_ERR_EXPIRED: Dstoken.verify: "), e.getMessage());
        }
    }
}
