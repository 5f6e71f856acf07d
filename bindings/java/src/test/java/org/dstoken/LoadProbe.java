package org.dstoken;

/** Loads the native library in a child JVM and prints where it came from (see LoaderTest). */
public final class LoadProbe {
    private LoadProbe() {}

    public static void main(String[] args) {
        System.out.println(Dstoken.version());
        System.out.println(Dstoken.nativeLibrary());
    }
}
