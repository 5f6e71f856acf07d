package org.dstoken;

/** Loads the native library in a child JVM (DstokenTest checks the error it prints). */
public final class LoadProbe {
    private LoadProbe() {}

    public static void main(String[] args) {
        System.out.println(Dstoken.version());
    }
}
