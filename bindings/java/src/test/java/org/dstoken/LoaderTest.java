package org.dstoken;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loader's order, each case in a child JVM: explicit path, bundled copy, system path. */
class LoaderTest {
    static final Path NATIVES = Path.of(System.getProperty("dstoken.test.natives"));

    record Result(int exit, String out) {}

    static String classPath(Class<?> c) throws Exception {
        return new File(c.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
    }

    static Result run(String cp, String... jvmArgs) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> cmd = new ArrayList<>(List.of(java, "-Xcheck:jni", "-cp", cp));
        cmd.addAll(Arrays.asList(jvmArgs));
        cmd.add(LoadProbe.class.getName());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("LD_LIBRARY_PATH");
        return exec(pb);
    }

    /** Runs a child process to its end: its exit status and its output (stdout and stderr). */
    static Result exec(ProcessBuilder pb) throws Exception {
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out;
        try (InputStream in = p.getInputStream()) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            out = buf.toString(StandardCharsets.UTF_8);
        }
        return new Result(p.waitFor(), out);
    }

    static String defaultCp() throws Exception {
        return classPath(LoadProbe.class) + File.pathSeparator + classPath(Dstoken.class);
    }

    @Test
    void bundledCopyWithNoOptions() throws Exception {
        Result r = run(defaultCp());
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("bundled copy (linux-x86_64, SHA-256 checked)"), r.out());
        // The extracted files are gone once loaded.
        String dir = r.out().substring(r.out().indexOf("extracted to ") + 13).trim();
        assertTrue(!new File(dir).exists(), dir + " still exists");
    }

    @Test
    void explicitPathWins() throws Exception {
        Result r = run(defaultCp(), "-Ddstoken.library.path=" + NATIVES.resolve("libdstoken.so"));
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("dstoken.library.path: " + NATIVES.resolve("libdstoken.so")), r.out());
    }

    @Test
    void systemLibraryPathIsTheFallback() throws Exception {
        Result r = run(defaultCp(), "-Ddstoken.bundled=false", "-Djava.library.path=" + NATIVES);
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("system library path"), r.out());
    }

    @Test
    void missingLibraryNamesWhatWasSearched() throws Exception {
        Result r = run(defaultCp(), "-Ddstoken.library.path=/nonexistent/dir/libdstoken.so");
        assertNotEquals(0, r.exit());
        assertTrue(r.out().contains("/nonexistent/dir/libdstoken.so"), r.out());
        assertTrue(r.out().contains(System.mapLibraryName("dstoken_jni")), r.out());

        r = run(defaultCp(), "-Ddstoken.bundled=false", "-Djava.library.path=/nonexistent");
        assertNotEquals(0, r.exit());
        assertTrue(r.out().contains("-Ddstoken.bundled=false") && r.out().contains("java.library.path=/nonexistent"),
                r.out());
    }

    static Path copyClasses(Path tmp) throws Exception {
        Path classes = Path.of(classPath(Dstoken.class));
        Path copy = tmp.resolve("classes");
        try (Stream<Path> walk = Files.walk(classes)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path to = copy.resolve(classes.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        return copy;
    }

    /** A jar whose bundled library does not match the recorded SHA-256 refuses to load it. */
    @Test
    void alteredBundleIsRefused(@TempDir Path tmp) throws Exception {
        Path copy = copyClasses(tmp);
        Path glue = copy.resolve("org/dstoken/native/linux-x86_64/libdstoken_jni.so");
        byte[] bytes = Files.readAllBytes(glue);
        bytes[bytes.length - 1] ^= 1;
        Files.write(glue, bytes);
        Result r = run(classPath(LoadProbe.class) + File.pathSeparator + copy);
        assertNotEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("libdstoken_jni.so has SHA-256"), r.out());
        assertTrue(r.out().contains("corrupt or altered"), r.out());
    }


    /** A glue of another version than the classes (e.g. an old system copy) is refused at load. */
    @Test
    void glueOfAnotherVersionIsRefused(@TempDir Path tmp) throws Exception {
        Path copy = copyClasses(tmp);
        Files.writeString(copy.resolve("org/dstoken/dstoken.properties"), "version=9.9.9\n");
        Result r = run(classPath(LoadProbe.class) + File.pathSeparator + copy);
        assertNotEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("the dstoken jar is version 9.9.9"), r.out());
        assertTrue(r.out().contains("is version " + Dstoken.version()), r.out());
    }
}
