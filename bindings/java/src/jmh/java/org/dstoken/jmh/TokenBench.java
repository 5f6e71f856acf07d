package org.dstoken.jmh;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.interfaces.DecodedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import org.dstoken.Claims;
import org.dstoken.Dstoken;
import org.dstoken.SigningKey;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The bench/ workload (td, rd "daily-standup", u "John Smith", ud "user-%06d" new every token,
 * role "moderator", iat/exp) minted fresh per token by the README's builder path, the one-call
 * mint, hand-written JDK code and java-jwt; and verification by dstoken and by java-jwt's
 * {@code JWTVerifier.verify}, the same token. One {@link SigningKey} (and one java-jwt
 * Algorithm/JWTVerifier) is shared by all benchmark threads, as a server shares its key.
 */
@State(Scope.Benchmark)
public class TokenBench {
    static final String KEY = "0123456789abcdef0123456789abcdef";
    static final String TEAM = "b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f", ROOM = "daily-standup", USER = "John Smith",
            ROLE = "moderator";
    /** This run's times (the builder refuses a token already expired): iat now, exp in an hour. */
    static final long IAT = System.currentTimeMillis() / 1000, EXP = IAT + 3600;
    static final Instant IAT_INSTANT = Instant.ofEpochSecond(IAT), EXP_INSTANT = Instant.ofEpochSecond(EXP);
    static final Date IAT_DATE = Date.from(IAT_INSTANT), EXP_DATE = Date.from(EXP_INSTANT);
    static final Duration HOUR = Duration.ofHours(1);
    static final String[] IDS = new String[1024];

    static {
        for (int i = 0; i < IDS.length; i++) {
            IDS[i] = String.format(Locale.ROOT, "user-%06d", i);
        }
    }

    SigningKey key;
    Algorithm hs256;
    JWTVerifier verifier;
    String token;

    /** Per-thread state: the thread's Mac (hand-written code) and its position in the ids. */
    @State(Scope.Thread)
    public static class PerThread {
        HandWritten jdk;
        int i;

        @Setup
        public void setup() throws Exception {
            jdk = new HandWritten(KEY);
        }

        String nextId() {
            return IDS[i++ & (IDS.length - 1)];
        }
    }

    @Setup(Level.Trial)
    public void setup() {
        key = SigningKey.of(KEY);
        hs256 = Algorithm.HMAC256(KEY);
        verifier = JWT.require(hs256).build();
        // Valid for an hour from now: both verifiers check exp against their clock.
        token = Dstoken.mint(key, TEAM, ROOM, USER, "user-000042", ROLE, HOUR);
        verifier.verify(token);
        Dstoken.verify(token, key).close();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        key.close();
    }

    /** The README's builder path: new Claims() with named setters, Dstoken.sign. */
    @Benchmark
    public String builder(PerThread t) {
        try (Claims c = new Claims().teamId(TEAM).room(ROOM).userName(USER).userId(t.nextId()).role(ROLE)
                .issuedAt(IAT_INSTANT).expiresAt(EXP_INSTANT)) {
            return Dstoken.sign(c, key);
        }
    }

    /** The one-call mint (iat = now, exp = now + 1 h). */
    @Benchmark
    public String mint(PerThread t) {
        return Dstoken.mint(key, TEAM, ROOM, USER, t.nextId(), ROLE, HOUR);
    }

    /** Hand-written JDK code (javax.crypto.Mac + Base64 + string JSON). */
    @Benchmark
    public String jdk(PerThread t) {
        return t.jdk.token(TEAM, ROOM, USER, t.nextId(), ROLE, IAT, EXP);
    }

    /** com.auth0 java-jwt 4.x. */
    @Benchmark
    public String javaJwt(PerThread t) {
        return JWT.create().withClaim("td", TEAM).withClaim("rd", ROOM).withClaim("u", USER).withClaim("ud", t.nextId())
                .withClaim("role", ROLE).withIssuedAt(IAT_DATE).withExpiresAt(EXP_DATE).sign(hs256);
    }

    /** dstoken's verify of the token (at the current time), its claims closed. */
    @Benchmark
    public Claims verify() {
        Claims c = Dstoken.verify(token, key);
        c.close();
        return c;
    }

    /** java-jwt's {@code JWTVerifier.verify} of the same token. */
    @Benchmark
    public DecodedJWT javaJwtVerify() {
        return verifier.verify(token);
    }
}
