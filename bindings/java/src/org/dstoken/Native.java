package org.dstoken;

import java.io.File;

/**
 * The JNI entry points (bindings/java/jni/dstoken_jni.c) and the loading of the native
 * libraries. Strings cross as real UTF-8 in byte arrays, never as JNI "modified UTF-8".
 * Every native method that fails throws {@link DstokenException}.
 */
final class Native {
    private Native() {}

    static {
        load();
    }

    /**
     * Loads libdstoken (the C library) and libdstoken_jni (this binding's glue). By default
     * both come from {@code java.library.path} ({@code System.loadLibrary("dstoken")}, then
     * {@code "dstoken_jni"}). The system property {@code dstoken.library.path} overrides the
     * first with an absolute path; the glue is then taken from the same directory unless
     * {@code dstoken.jni.library.path} names it.
     */
    private static void load() {
        String explicit = System.getProperty("dstoken.library.path");
        String explicitJni = System.getProperty("dstoken.jni.library.path");
        String lib = System.mapLibraryName("dstoken");
        String jni = System.mapLibraryName("dstoken_jni");
        try {
            if (explicit != null && !explicit.isEmpty()) {
                File f = new File(explicit);
                if (!f.isAbsolute()) {
                    throw new UnsatisfiedLinkError("dstoken.library.path must be an absolute path, got " + explicit);
                }
                System.load(f.getPath());
                String glue = explicitJni != null && !explicitJni.isEmpty()
                        ? explicitJni
                        : new File(f.getAbsoluteFile().getParentFile(), jni).getPath();
                System.load(glue);
            } else {
                System.loadLibrary("dstoken");
                if (explicitJni != null && !explicitJni.isEmpty()) {
                    System.load(explicitJni);
                } else {
                    System.loadLibrary("dstoken_jni");
                }
            }
        } catch (UnsatisfiedLinkError e) {
            String searched = explicit != null && !explicit.isEmpty()
                    ? "dstoken.library.path=" + explicit
                    : "java.library.path=" + System.getProperty("java.library.path");
            UnsatisfiedLinkError err = new UnsatisfiedLinkError(
                    "dstoken: cannot load the native libraries " + lib + " and " + jni
                            + "; searched " + searched
                            + " (set -Djava.library.path=<dir> or -Ddstoken.library.path=/absolute/path/" + lib
                            + "): " + e.getMessage());
            err.initCause(e);
            throw err;
        }
    }

    /** Forces loading (used by Dstoken.version and tests). */
    static void ensureLoaded() {}

    static native String version();

    static native long claimsNew();
    static native long claimsClone(long claims);
    static native void claimsFree(long claims);
    static native void claimsSetString(long claims, byte[] name, byte[] value);
    static native void claimsSetInt(long claims, byte[] name, long value);
    static native void claimsSetBool(long claims, byte[] name, boolean value);
    static native void claimsSetJson(long claims, byte[] name, byte[] json);
    static native void claimsSetExpiresIn(long claims, long seconds);
    static native void claimsSetValidity(long claims, long skewSeconds, long lifetimeSeconds);
    static native void claimsRemove(long claims, byte[] name);
    static native byte[] claimsGetString(long claims, byte[] name);
    static native long claimsGetInt(long claims, byte[] name);
    static native boolean claimsGetBool(long claims, byte[] name);
    static native byte[] claimsGetJson(long claims, byte[] name);
    static native boolean claimsHas(long claims, byte[] name);
    static native byte[] claimsToJson(long claims);

    static native long keyNew(byte[] secret);
    static native void keyFree(long key);

    static native byte[] sign(long claims, long key);
    static native long verify(byte[] token, long key, long now, int leewaySeconds);
    static native byte[] joinUrl(byte[] team, byte[] room, byte[] token);
}
