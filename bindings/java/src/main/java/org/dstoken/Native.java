package org.dstoken;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * The JNI entry points (bindings/java/jni/dstoken_jni.c) and the loading of the native
 * libraries. Strings cross as real UTF-8 in byte arrays, never as JNI "modified UTF-8".
 * Every native method that fails throws {@link DstokenException}.
 *
 * <p>Loading order (the first that applies wins):
 * <ol>
 *   <li>{@code -Ddstoken.library.path=/abs/libdstoken.so}: that file, then the glue
 *       {@code -Ddstoken.jni.library.path} or {@code libdstoken_jni.so} from the same directory;
 *   <li>the copy bundled in the jar for this platform ({@code org/dstoken/native/linux-x86_64}),
 *       extracted once per process to a private temporary directory, each file's SHA-256 checked
 *       against the value recorded at build time, the files deleted as soon as they are loaded
 *       (and on exit otherwise); {@code -Ddstoken.bundled=false} skips it;
 *   <li>the system library path: {@code System.loadLibrary("dstoken_jni")} (after
 *       {@code "dstoken"} when that is on {@code java.library.path}), e.g. Debian's packages.
 * </ol>
 */
final class Native {
    private Native() {}

    /** Where the libraries came from, for {@link Dstoken#nativeLibrary()} and error messages. */
    static final String ORIGIN;

    static {
        ORIGIN = load();
        checkGlueVersion();
    }

    /**
     * The JNI glue is compiled for one version of these classes: a system copy of another
     * version (say, an older libdstoken-java beside a newer jar) would fail later with a bare
     * UnsatisfiedLinkError on some method, so refuse it now, saying what to do.
     */
    private static void checkGlueVersion() {
        String want = null;
        try (InputStream in = Native.class.getResourceAsStream("dstoken.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                want = p.getProperty("version");
            }
        } catch (IOException e) {
            want = null;
        }
        String got;
        try {
            got = glueVersion();
        } catch (UnsatisfiedLinkError e) {
            got = "older than 0.1.0";
        }
        if (want != null && !want.equals(got)) {
            throw new UnsatisfiedLinkError("dstoken: the JNI glue (" + ORIGIN + ") is version " + got
                    + " but the dstoken jar is version " + want + ": use a glue of the same version (the jar's"
                    + " bundled copy, or the matching libdstoken-java), or -Ddstoken.library.path");
        }
    }

    /** DSTOKEN_VERSION_STRING of the header the glue was compiled with. */
    static native String glueVersion();

    private static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (os.startsWith("linux") && (arch.equals("amd64") || arch.equals("x86_64"))) {
            return "linux-x86_64";
        }
        return os.replace(' ', '_') + "-" + arch;
    }

    private static String load() {
        String explicit = System.getProperty("dstoken.library.path");
        String explicitJni = System.getProperty("dstoken.jni.library.path");
        String jni = System.mapLibraryName("dstoken_jni");
        if (explicit != null && !explicit.isEmpty()) {
            File f = new File(explicit);
            String glue = explicitJni != null && !explicitJni.isEmpty()
                    ? explicitJni
                    : new File(f.getAbsoluteFile().getParentFile(), jni).getPath();
            try {
                if (!f.isAbsolute()) {
                    throw new UnsatisfiedLinkError("dstoken.library.path must be an absolute path, got " + explicit);
                }
                System.load(f.getPath());
                System.load(glue);
                return "dstoken.library.path: " + f.getPath() + " and " + glue;
            } catch (UnsatisfiedLinkError e) {
                throw failure("dstoken.library.path=" + explicit + " (glue " + glue + ")", e);
            }
        }
        List<String> tried = new ArrayList<>();
        if (!"false".equalsIgnoreCase(System.getProperty("dstoken.bundled", "true"))) {
            String bundled;
            try {
                bundled = loadBundled(tried);
            } catch (SecurityException e) {
                throw failure("bundled copy: " + e.getMessage(), e);
            }
            if (bundled != null) {
                return bundled;
            }
        } else {
            tried.add("bundled copy: skipped (-Ddstoken.bundled=false)");
        }
        try {
            try {
                System.loadLibrary("dstoken");
            } catch (UnsatisfiedLinkError ignored) {
                // Not on java.library.path: the glue's dependency is then found by the system's
                // dynamic linker (ld.so.conf, multiarch directories), as with Debian's packages.
            }
            System.loadLibrary("dstoken_jni");
            return "system library path: " + jni + " from java.library.path="
                    + System.getProperty("java.library.path");
        } catch (UnsatisfiedLinkError e) {
            tried.add("java.library.path=" + System.getProperty("java.library.path") + ": " + e.getMessage());
            throw failure(String.join("; ", tried), e);
        }
    }

    private static UnsatisfiedLinkError failure(String searched, Throwable cause) {
        UnsatisfiedLinkError err = new UnsatisfiedLinkError(
                "dstoken: cannot load the native libraries " + System.mapLibraryName("dstoken") + " and "
                        + System.mapLibraryName("dstoken_jni") + "; tried " + searched
                        + ". Use the jar with the bundled natives for " + platform()
                        + ", or set -Ddstoken.library.path=/absolute/path/" + System.mapLibraryName("dstoken")
                        + " (the glue next to it), or -Djava.library.path=<dir with both>: "
                        + cause.getMessage());
        err.initCause(cause);
        return err;
    }

    /**
     * Extracts and loads the bundled copy; returns null (and notes why in {@code tried}) when
     * the jar has none for this platform or it cannot be loaded. A checksum mismatch is an error.
     */
    private static String loadBundled(List<String> tried) {
        String base = "native/" + platform() + "/";
        Properties props = new Properties();
        try (InputStream in = Native.class.getResourceAsStream(base + "natives.properties")) {
            if (in == null) {
                tried.add("bundled copy: none for " + platform() + " in this jar");
                return null;
            }
            props.load(in);
        } catch (IOException e) {
            tried.add("bundled copy: " + e);
            return null;
        }
        Path dir = null;
        List<Path> files = new ArrayList<>();
        try {
            dir = Files.createTempDirectory("dstoken-"); // rwx------ on POSIX
            dir.toFile().deleteOnExit();
            for (String name : props.getProperty("libraries", "").split(",")) {
                String want = props.getProperty("sha256." + name);
                Path target = dir.resolve(name);
                target.toFile().deleteOnExit();
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                try (InputStream in = Native.class.getResourceAsStream(base + name);
                        OutputStream out = Files.newOutputStream(target)) {
                    if (in == null) {
                        throw new IOException("the jar lacks " + base + name);
                    }
                    byte[] buf = new byte[1 << 16];
                    for (int n; (n = in.read(buf)) > 0; ) {
                        sha.update(buf, 0, n);
                        out.write(buf, 0, n);
                    }
                }
                files.add(target);
                String got = HexFormat.of().formatHex(sha.digest());
                if (want == null || !want.equalsIgnoreCase(got)) {
                    throw new SecurityException("dstoken: the bundled " + name + " has SHA-256 " + got
                            + " but the jar recorded " + want + " at build time: the jar is corrupt or altered");
                }
            }
            for (Path f : files) {
                System.load(f.toString());
            }
            return "bundled copy (" + platform() + ", SHA-256 checked), extracted to " + dir;
        } catch (IOException | UnsatisfiedLinkError | NoSuchAlgorithmException e) {
            tried.add("bundled copy (extracted to " + dir + "): " + e.getMessage());
            return null;
        } finally {
            // Loaded libraries stay mapped: the files can go at once (POSIX), else on exit.
            for (Path f : files) {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException ignored) {
                    // deleteOnExit is registered
                }
            }
            if (dir != null) {
                try {
                    Files.deleteIfExists(dir);
                } catch (IOException ignored) {
                    // deleteOnExit is registered
                }
            }
        }
    }

    /** Forces loading (used by Dstoken.version and tests). */
    static void ensureLoaded() {}

    static native String version();

    static native long claimsNew();
    static native long claimsClone(long claims);
    static native void claimsFree(long claims);
    /** The generic setters: for the registered claims' names only (custom claims use claimsSetCustom*). */
    static native void claimsSetString(long claims, byte[] name, byte[] value);
    static native void claimsSetInt(long claims, byte[] name, long value);
    static native void claimsSetBool(long claims, byte[] name, boolean value);
    static native void claimsSetJson(long claims, byte[] name, byte[] json);
    /** dst_claims_set_custom_*: a registered name is refused by the library. */
    static native void claimsSetCustomString(long claims, byte[] name, byte[] value);
    static native void claimsSetCustomInt(long claims, byte[] name, long value);
    static native void claimsSetCustomBool(long claims, byte[] name, boolean value);
    static native void claimsSetCustomJson(long claims, byte[] name, byte[] json);
    /** dst_claims_set_lifetime: iat = now, exp = now + seconds, with the mint's lifetime rules. */
    static native void claimsSetLifetime(long claims, long now, long seconds, int nanos, long maxSeconds);
    static native void claimsSetValidity(long claims, long skewSeconds, long lifetimeSeconds);
    static native void claimsRemove(long claims, byte[] name);
    static native byte[] claimsGetString(long claims, byte[] name);
    static native long claimsGetInt(long claims, byte[] name);
    static native boolean claimsGetBool(long claims, byte[] name);
    static native byte[] claimsGetJson(long claims, byte[] name);
    static native boolean claimsHas(long claims, byte[] name);
    static native byte[] claimsToJson(long claims);

    /** dst_key_new, or dst_key_new_text when {@code text} (a key given as a Java string). */
    static native long keyNew(byte[] secret, boolean text);
    static native void keyFree(long key);

    static native byte[] sign(long claims, long key);
    /**
     * dst_verify_opts: {@code teamId}, {@code room} (UTF-8) and {@code required} (claim names as
     * UTF-8) may be null. Returns the verified claims' handle.
     */
    static native long verify(byte[] token, long key, long now, int leewaySeconds, boolean expOptional, byte[] teamId,
            byte[] room, byte[][] required);
    /** dst_decode_unverified: returns the claims' handle, the header's JSON in {@code headerOut[0]}. */
    static native long decodeUnverified(byte[] token, byte[][] headerOut);
    static native byte[] joinUrl(byte[] team, byte[] room, byte[] token);
    /** dst_join_url_opts: {@code flags} as DST_URL_ALLOW_PORT. */
    static native byte[] joinUrlOpts(byte[] team, byte[] room, byte[] token, int flags);

    /**
     * Mints one token in one call (dst_mint_into) into {@code out}. {@code text[0..textLen)}
     * holds the present string fields, each UTF-8 and NUL-terminated, in slot order (td, rd, u,
     * ud, initials, role, breakoutId, avatar); bit i of {@code present} says slot i is there,
     * bits 8-10 that iat, nbf, exp are, and bit 11 ({@link Claims#NO_EXPIRY}) sets
     * dst_room_token.no_expiry. Times: iat, nbf, exp, lifetime (+ nanos), max lifetime, skew,
     * now (0 = absent). Returns the token's length (it is ASCII), or -(needed + 1) when
     * {@code out} is too small.
     */
    static native int mintInto(byte[] text, int textLen, int present, long iat, long nbf, long exp, long lifetime,
            int nanos, long maxLifetime, long skew, long now, long key, byte[] out);

    /** dst_mint_url: as {@link #mintInto}, then the join URL for {@code team}. */
    static native byte[] mintUrl(byte[] text, int present, long iat, long nbf, long exp, long lifetime, int nanos,
            long maxLifetime, long skew, long now, long key, byte[] team);
}
