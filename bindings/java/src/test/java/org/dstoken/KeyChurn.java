package org.dstoken;

import java.time.Duration;

/**
 * Makes, uses and closes {@code args[0]} keys one after another, in a child JVM with a small
 * heap (see KeyLifetimeTest), and prints how many closed keys still held their native state:
 * {@code live} right after each {@code close()} (the largest such count) and at the end. The
 * count is this program's keys made minus the keys {@link SigningKey#FREED} says were wiped and
 * freed; no garbage collection is asked for.
 */
public final class KeyChurn {
    private KeyChurn() {}

    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        long freed0 = SigningKey.FREED.get();
        long maxLive = 0;
        for (int i = 1; i <= n; i++) {
            SigningKey key = SigningKey.of("0123456789abcdef0123456789abcdef");
            try {
                Dstoken.mint(key, "t", "r", Duration.ofHours(1));
            } finally {
                key.close();
            }
            maxLive = Math.max(maxLive, i - (SigningKey.FREED.get() - freed0));
        }
        System.out.println("cycles " + n + " live-at-end " + (n - (SigningKey.FREED.get() - freed0))
                + " max-live-after-close " + maxLive);
    }
}
