package org.dstoken.jmh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link TokenBench} with JMH in interleaved rounds (every benchmark once per round, 1
 * thread then 2 threads sharing one key) and prints the medians over the rounds: ns per token
 * and the ratios to hand-written JDK code and java-jwt, verify against java-jwt's verify, and
 * the threads column (tokens/s with 1 and 2 threads, scaling ratio).
 *
 * <p>{@code -Djmh.quick=true}: one round, no fork, 100 ms iterations: a smoke run for the test
 * suite (numbers meaningless). The full run: {@code -Djmh.rounds=N} rounds (default 15). With
 * {@code -Djmh.forks=0} (the default) every benchmark runs in this JVM, warmed up once (3 x 1 s
 * each) and then measured for 2 x 250 ms per round, so the rounds interleave the benchmarks
 * every few seconds and a machine whose load changes (a loaded CI box) hits them alike; the
 * ratios are taken within each round, then the median over the rounds. {@code -Djmh.forks=1}:
 * JMH's usual isolation (a fresh JVM per benchmark and round, 2 x 1 s warm-up, 3 x 1 s
 * measurement), for a quiet machine.
 *
 * <p>With the environment variable {@code DSTOKEN_BENCH_JSON=FILE} every benchmark's rounds also
 * go to FILE in the format of bench/README.md (ns per token on one thread, tokens/s on 1 and 2
 * threads), which bench/run.sh collects.
 */
public final class Report {
    private Report() {}

    static final String[] SINGLE = {"builder", "mint", "jdk", "javaJwt", "verify", "javaJwtVerify"};
    static final String[] THREADED = {"builder", "mint", "jdk", "javaJwt"};

    static double median(List<Double> v) {
        double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** tokens/s of each benchmark in {@code names}, run with {@code threads} threads. */
    static Map<String, Double> run(String[] names, int threads, boolean quick, int forks, boolean first)
            throws Exception {
        ChainedOptionsBuilder o = new OptionsBuilder()
                .include(TokenBench.class.getName() + "\\.(" + String.join("|", names) + ")$")
                .threads(threads)
                .timeUnit(TimeUnit.SECONDS)
                .shouldFailOnError(true);
        if (quick) {
            o.forks(0).warmupIterations(1).warmupTime(TimeValue.milliseconds(100))
                    .measurementIterations(1).measurementTime(TimeValue.milliseconds(100));
        } else if (forks > 0) {
            o.forks(forks).warmupIterations(2).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(3).measurementTime(TimeValue.seconds(1));
        } else {
            o.forks(0).warmupIterations(first ? 3 : 1).warmupTime(TimeValue.milliseconds(first ? 1000 : 100))
                    .measurementIterations(2).measurementTime(TimeValue.milliseconds(250));
        }
        Collection<RunResult> results = new Runner(o.build()).run();
        Map<String, Double> out = new LinkedHashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            out.put(name.substring(name.lastIndexOf('.') + 1), r.getPrimaryResult().getScore());
        }
        if (out.size() != names.length) {
            throw new IllegalStateException("JMH ran " + out.keySet() + ", expected " + Arrays.toString(names));
        }
        return out;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = Boolean.getBoolean("jmh.quick");
        int rounds = quick ? 1 : Integer.getInteger("jmh.rounds", 15);
        int forks = Integer.getInteger("jmh.forks", 0);
        Map<String, List<Double>> one = new LinkedHashMap<>(), two = new LinkedHashMap<>();
        Map<String, List<Double>> ratio = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            Map<String, Double> t1 = run(SINGLE, 1, quick, forks, round == 0);
            Map<String, Double> t2 = run(THREADED, 2, quick, forks, round == 0);
            t1.forEach((k, v) -> one.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
            t2.forEach((k, v) -> two.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
            // Ratios within a round (the same machine state), then the median over the rounds.
            add(ratio, "builder/jdk", t1.get("jdk") / t1.get("builder"));
            add(ratio, "builder/javaJwt", t1.get("javaJwt") / t1.get("builder"));
            add(ratio, "mint/jdk", t1.get("jdk") / t1.get("mint"));
            add(ratio, "mint/javaJwt", t1.get("javaJwt") / t1.get("mint"));
            add(ratio, "verify/javaJwtVerify", t1.get("javaJwtVerify") / t1.get("verify"));
            for (String k : THREADED) {
                add(ratio, "scaling " + k, t2.get(k) / t1.get(k));
            }
        }
        String load = "";
        try {
            load = ", load average " + Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception ignored) {
            // not Linux
        }
        System.out.printf(Locale.ROOT, "%nJMH %s: %d interleaved round(s), forks %d, median; %s %s, %d CPUs%s%n",
                quick ? "QUICK MODE (smoke run, numbers meaningless)" : "benchmark", rounds, quick ? 0 : forks,
                System.getProperty("java.vm.name"), System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), load);
        System.out.printf(Locale.ROOT, "| %-34s | %9s | %9s | %9s | %11s | %11s | %7s |%n", "path", "ns/token", "/ JDK",
                "/ java-jwt", "1 thread/s", "2 threads/s", "scaling");
        System.out.printf(Locale.ROOT, "|%s|%s|%s|%s|%s|%s|%s|%n", "-".repeat(36), "-".repeat(11), "-".repeat(11),
                "-".repeat(11), "-".repeat(13), "-".repeat(13), "-".repeat(9));
        String[][] rows = {{"builder", "README builder + Dstoken.sign", "builder/jdk", "builder/javaJwt"},
            {"mint", "one-call Dstoken.mint", "mint/jdk", "mint/javaJwt"},
            {"jdk", "hand-written JDK (Mac+Base64+JSON)", null, null},
            {"javaJwt", "com.auth0 java-jwt sign", null, null},
            {"verify", "Dstoken.verify", null, "verify/javaJwtVerify"},
            {"javaJwtVerify", "java-jwt JWTVerifier.verify", null, null}};
        for (String[] row : rows) {
            double ops1 = median(one.get(row[0]));
            boolean threaded = two.containsKey(row[0]);
            System.out.printf(Locale.ROOT, "| %-34s | %9.0f | %9s | %9s | %11.0f | %11s | %7s |%n", row[1], 1e9 / ops1,
                    row[2] == null ? "" : String.format(Locale.ROOT, "%.2fx", median(ratio.get(row[2]))),
                    row[3] == null ? "" : String.format(Locale.ROOT, "%.2fx", median(ratio.get(row[3]))), ops1,
                    threaded ? String.format(Locale.ROOT, "%.0f", median(two.get(row[0]))) : "",
                    threaded ? String.format(Locale.ROOT, "%.2fx", median(ratio.get("scaling " + row[0]))) : "");
        }
        System.out.printf(Locale.ROOT, "targets: builder <= 0.50x JDK (%.2fx), verify <= 0.50x java-jwt (%.2fx), "
                + "builder scaling >= JDK scaling (%.2fx vs %.2fx)%n", median(ratio.get("builder/jdk")),
                median(ratio.get("verify/javaJwtVerify")), median(ratio.get("scaling builder")),
                median(ratio.get("scaling jdk")));
        System.out.println("ratios per round: " + ratio);
        String out = System.getenv("DSTOKEN_BENCH_JSON");
        if (out != null && !out.isEmpty()) {
            writeJson(Path.of(out), quick, rounds, forks, one, two);
        }
    }

    /** (id, name, implementation, kind, op) of each benchmark, as bench/report.py reads them. */
    static final String[][] META = {
        {"builder", "README builder: new Claims()... + Dstoken.sign", "dstoken", "dstoken", "mint"},
        {"mint", "one-call Dstoken.mint(...)", "dstoken", "dstoken", "mint"},
        {"jdk", "hand-written JDK code (Mac + Base64 + string JSON)", "hand-written", "hand-written", "mint"},
        {"javaJwt", "com.auth0 java-jwt sign", "java-jwt", "library", "mint"},
        {"verify", "Dstoken.verify", "dstoken", "dstoken", "verify"},
        {"javaJwtVerify", "java-jwt JWTVerifier.verify", "java-jwt", "library", "verify"},
    };

    static String result(String id, String[] m, int threads, String unit, String clock, List<Double> rounds) {
        StringBuilder r = new StringBuilder();
        for (double v : rounds) {
            r.append(r.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.1f", v));
        }
        List<Double> rounded = new ArrayList<>();
        for (double v : rounds) {
            rounded.add(Double.parseDouble(String.format(Locale.ROOT, "%.1f", v)));
        }
        return String.format(Locale.ROOT, "  {\"id\": \"%s\", \"name\": \"%s\", \"impl\": \"%s\", \"kind\": \"%s\", "
                + "\"op\": \"%s\", \"threads\": %d, \"unit\": \"%s\", \"clock\": \"%s\", \"median\": %.2f, "
                + "\"rounds\": [%s]}", id, m[1], m[2], m[3], m[4], threads, unit, clock, median(rounded), r);
    }

    static void writeJson(Path out, boolean quick, int rounds, int forks, Map<String, List<Double>> one,
            Map<String, List<Double>> two) throws Exception {
        List<String> results = new ArrayList<>();
        for (String[] m : META) {
            List<Double> ns = new ArrayList<>();
            for (double ops : one.get(m[0])) {
                ns.add(1e9 / ops);
            }
            results.add(result(m[0], m, 1, "ns/token", "wall", ns));
        }
        for (String[] m : META) {
            if (two.containsKey(m[0])) {
                results.add(result("threads:" + m[0], m, 1, "tokens/s", "wall", one.get(m[0])));
                results.add(result("threads:" + m[0], m, 2, "tokens/s", "wall", two.get(m[0])));
            }
        }
        String name = out.getFileName().toString().replaceFirst("\\.json$", "");
        String json = String.format(Locale.ROOT, "{\"schema\": 1, \"benchmark\": \"%s\", \"language\": \"Java\", "
                + "\"program\": \"bindings/java/src/jmh (JMH, org.dstoken.jmh.Report)\",%n"
                + " \"settings\": {\"quick\": %s, \"rounds\": %d, \"forks\": %d},%n"
                + " \"runtime\": \"%s %s, JMH\",%n \"results\": [%n%s%n ]}%n", name, quick, rounds, forks,
                System.getProperty("java.vm.name"), System.getProperty("java.version"), String.join(",\n", results));
        Files.writeString(out, json);
    }

    private static void add(Map<String, List<Double>> m, String k, double v) {
        m.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }
}
