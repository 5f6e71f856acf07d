package org.dstoken;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.Locale;
import org.dstoken.jmh.HandWritten;
import org.junit.jupiter.api.Test;

/**
 * The Java benchmark (a warm loop; not a timed test): the bench/ workload (td, rd "daily-standup",
 * u "John Smith", ud "user-%06d" new every token, role "moderator", iat/exp) minted fresh per
 * token by the README's builder path, the one-call mint, hand-written JDK code
 * (javax.crypto.Mac + string JSON + Base64) and com.auth0 java-jwt 4.x, side by side in one
 * JVM, with ratios, in interleaved rounds (medians). With the environment variable
 * {@code DSTOKEN_BENCH_JSON=FILE} every path's rounds also go to FILE in the format of
 * bench/README.md (bench/run.sh collects them). The suite runs it once with a tiny N; for real
 * numbers:
 *
 * <pre>
 * mvn -B -ntp -f bindings/java test -Drevision=$VERSION -Dtest=BenchmarkTest \
 *     -Ddstoken.bench.n=200000 -Ddstoken.test.jvm=
 * </pre>
 */
class BenchmarkTest {
    static final String KEY = "0123456789abcdef0123456789abcdef";
    static final String TEAM = "b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f", ROOM = "daily-standup",
            USER = "John Smith", ROLE = "moderator";
    /** This run's times (a token already expired would be refused): iat now, exp in an hour. */
    static final long IAT = System.currentTimeMillis() / 1000, EXP = IAT + 3600;
    static final int IDS = 1024;
    static final String[] ids = new String[IDS];

    static {
        for (int i = 0; i < IDS; i++) {
            ids[i] = String.format(Locale.ROOT, "user-%06d", i);
        }
    }

    interface Path {
        String token(int i) throws Exception;
    }

    static long sink;
    static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    /**
     * Wall and CPU ns per token of this thread. CPU time leaves out the time the thread was
     * preempted, so on a loaded machine it is the steadier of the two (it also leaves out the
     * garbage collector's threads, which favours the paths that allocate more).
     */
    static double[] nsPerToken(Path p, int n) throws Exception {
        long c0 = THREADS.getCurrentThreadCpuTime(), t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            sink += p.token(i & (IDS - 1)).length();
        }
        long t1 = System.nanoTime(), c1 = THREADS.getCurrentThreadCpuTime();
        return new double[] {(t1 - t0) / (double) n, (c1 - c0) / (double) n};
    }

    /** The median, the mean of the middle two for an even count (as bench/report.py checks it). */
    static double medianEven(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    @Test
    void benchmark() throws Exception {
        int n = Integer.getInteger("dstoken.bench.n", 2000);
        int rounds = n >= 100_000 ? 7 : 3;
        Date iatDate = Date.from(Instant.ofEpochSecond(IAT)), expDate = Date.from(Instant.ofEpochSecond(EXP));
        Algorithm hs256 = Algorithm.HMAC256(KEY);
        HandWritten jdk = new HandWritten(KEY);
        try (SigningKey key = SigningKey.of(KEY)) {
            Instant iat = Instant.ofEpochSecond(IAT), exp = Instant.ofEpochSecond(EXP);
            Duration hour = Duration.ofHours(1);
            String[] names = {"README builder: new Claims()...  + Dstoken.sign", "one-call Dstoken.mint(...)",
                "hand-written JDK (Mac + Base64 + string JSON)", "com.auth0 java-jwt 4.x"};
            Path[] paths = {
                i -> {
                    try (Claims c = new Claims().teamId(TEAM).room(ROOM).userName(USER).userId(ids[i]).role(ROLE)
                            .issuedAt(iat).expiresAt(exp)) {
                        return Dstoken.sign(c, key);
                    }
                },
                i -> Dstoken.mint(key, TEAM, ROOM, USER, ids[i], ROLE, hour),
                i -> jdk.token(TEAM, ROOM, USER, ids[i], ROLE, IAT, EXP),
                i -> JWT.create().withClaim("td", TEAM).withClaim("rd", ROOM).withClaim("u", USER)
                        .withClaim("ud", ids[i]).withClaim("role", ROLE).withIssuedAt(iatDate)
                        .withExpiresAt(expDate).sign(hs256),
            };
            // Every path makes a token dstoken verifies; the builder's equals the hand-written one.
            assertEquals(paths[2].token(7), paths[0].token(7));
            for (int k = 0; k < paths.length; k++) { // the one-call mint reads the clock
                try (Claims back = Dstoken.verify(paths[k].token(7), key, k == 1 ? Instant.now() : iat, Duration.ZERO)) {
                    assertEquals(ids[7], back.getString("ud"));
                }
            }
            for (Path p : paths) { // warm-up
                nsPerToken(p, Math.max(n, 2000));
            }
            double[][] ns = new double[paths.length][rounds], cpu = new double[paths.length][rounds];
            double[][] ratio = new double[paths.length][rounds], cpuRatio = new double[paths.length][rounds];
            for (int r = 0; r < rounds; r++) { // interleaved rounds: drift hits every path alike
                for (int k = 0; k < paths.length; k++) {
                    double[] w = nsPerToken(paths[k], n);
                    ns[k][r] = w[0];
                    cpu[k][r] = w[1];
                }
                for (int k = 0; k < paths.length; k++) { // ratios within the round, to the JDK path
                    ratio[k][r] = ns[k][r] / ns[2][r];
                    cpuRatio[k][r] = cpu[k][r] / cpu[2][r];
                }
            }
            double[] med = new double[paths.length];
            for (int k = 0; k < paths.length; k++) {
                med[k] = median(ns[k]);
            }
            System.out.printf(Locale.ROOT, "%nJava benchmark: %d tokens per run, %d runs, median; %s, %s%n", n, rounds,
                    System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                    String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()));
            System.out.printf(Locale.ROOT, "| %-48s | %9s | %9s | %9s |%n", "path", "ns/token", "/ JDK", "/ java-jwt");
            System.out.printf(Locale.ROOT, "|%s|%s|%s|%s|%n", "-".repeat(50), "-".repeat(11), "-".repeat(11),
                    "-".repeat(11));
            for (int k = 0; k < paths.length; k++) {
                System.out.printf(Locale.ROOT, "| %-48s | %9.0f | %8.2fx | %8.2fx |%n", names[k], med[k],
                        med[k] / med[2], med[k] / med[3]);
            }
            System.out.printf(Locale.ROOT, "per-round ratios to JDK, median: wall");
            for (int k = 0; k < paths.length; k++) {
                System.out.printf(Locale.ROOT, " %.2fx", median(ratio[k]));
            }
            System.out.printf(Locale.ROOT, "; thread CPU time");
            for (int k = 0; k < paths.length; k++) {
                System.out.printf(Locale.ROOT, " %.2fx", median(cpuRatio[k]));
            }
            System.out.printf(Locale.ROOT, " (CPU ns/token:");
            for (int k = 0; k < paths.length; k++) {
                System.out.printf(Locale.ROOT, " %.0f", median(cpu[k]));
            }
            System.out.printf(Locale.ROOT, ")%ntargets: README builder <= 0.50x JDK (got %.2fx), <= 0.30x java-jwt (got %.2fx)%n%n",
                    med[0] / med[2], med[0] / med[3]);
            String out = System.getenv("DSTOKEN_BENCH_JSON");
            if (out != null && !out.isEmpty()) {
                String[][] meta = {{"builder", "dstoken", "dstoken"}, {"mint", "dstoken", "dstoken"},
                    {"jdk", "hand-written", "hand-written"}, {"javaJwt", "java-jwt", "library"}};
                StringBuilder results = new StringBuilder();
                for (int k = 0; k < paths.length; k++) {
                    for (int c = 0; c < 2; c++) {
                        double[] v = c == 0 ? ns[k] : cpu[k];
                        StringBuilder list = new StringBuilder();
                        double[] rounded = new double[v.length];
                        for (int r = 0; r < v.length; r++) {
                            rounded[r] = Math.round(v[r] * 10) / 10.0;
                            list.append(r == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.1f", rounded[r]));
                        }
                        results.append(results.length() == 0 ? "" : ",\n").append(String.format(Locale.ROOT,
                                "  {\"id\": \"%s\", \"name\": \"%s\", \"impl\": \"%s\", \"kind\": \"%s\", "
                                + "\"op\": \"mint\", \"threads\": 1, \"unit\": \"ns/token\", \"clock\": \"%s\", "
                                + "\"median\": %.2f, \"rounds\": [%s]}", meta[k][0] + (c == 0 ? "" : "_cpu"),
                                names[k].replaceAll("\\s+", " "), meta[k][1], meta[k][2], c == 0 ? "wall" : "cpu",
                                medianEven(rounded), list));
                    }
                }
                java.nio.file.Path path = java.nio.file.Path.of(out);
                java.nio.file.Files.writeString(path, String.format(Locale.ROOT, "{\"schema\": 1, \"benchmark\": \"%s\", "
                        + "\"language\": \"Java\", \"program\": \"bindings/java BenchmarkTest (a warm loop)\",%n"
                        + " \"settings\": {\"n\": %d, \"rounds\": %d},%n \"runtime\": \"%s %s\",%n \"results\": [%n%s%n ]}%n",
                        path.getFileName().toString().replaceFirst("\\.json$", ""), n, rounds,
                        System.getProperty("java.vm.name"), System.getProperty("java.version"), results));
            }
        }
    }
}
