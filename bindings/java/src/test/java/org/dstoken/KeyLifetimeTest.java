package org.dstoken;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * When a key's native state (its HMAC midstates, as good as the key) is wiped and freed:
 * at {@code close()}, not at a later garbage collection, even while other threads use the key.
 */
class KeyLifetimeTest {
    static final String KEY = "0123456789abcdef0123456789abcdef";

    /**
     * 200,000 keys made, used and closed in a child JVM with a 32 MiB heap (under -Xcheck:jni):
     * right after each close() the key is freed, so no closed key ever holds native memory
     * (KeyChurn counts keys made minus keys freed, asking for no garbage collection).
     */
    @Test
    void noClosedKeyHoldsNativeMemory() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        String cp = LoaderTest.classPath(KeyChurn.class) + File.pathSeparator + LoaderTest.classPath(Dstoken.class);
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx32m", "-Xcheck:jni", "-cp", cp, KeyChurn.class.getName(),
                "200000");
        LoaderTest.Result r = LoaderTest.exec(pb);
        String out = r.out();
        assertEquals(0, r.exit(), out);
        Matcher m = Pattern.compile("cycles 200000 live-at-end (\\d+) max-live-after-close (\\d+)").matcher(out);
        assertTrue(m.find(), out);
        assertEquals("0", m.group(1), "closed keys still holding native memory at the end: " + out);
        assertEquals("0", m.group(2), "closed keys still holding native memory right after close(): " + out);
    }

    @Test
    void closeFreesAtOnceAndTwiceIsANoOp() {
        SigningKey key = SigningKey.of(KEY);
        Dstoken.mint(key, "t", "r", Duration.ofHours(1));
        assertFalse(key.nativeFreed());
        long before = SigningKey.FREED.get();
        key.close();
        assertTrue(key.nativeFreed(), "wiped and freed when close() returns");
        assertTrue(SigningKey.FREED.get() > before);
        key.close(); // a no-op: nothing freed twice (valgrind and the allocator would see it)
        assertTrue(key.isClosed());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Dstoken.mint(key, "t", "r", Duration.ofHours(1)));
        assertEquals("SigningKey is closed", e.getMessage());
        assertThrows(IllegalStateException.class, () -> Dstoken.verify("a.b.c", key));
        try (Claims c = new Claims().teamId("t").room("r").expiresIn(Duration.ofHours(1))) {
            assertThrows(IllegalStateException.class, () -> Dstoken.sign(c, key));
            c.set("custom", 1L); // the native claim-set path
            assertThrows(IllegalStateException.class, () -> Dstoken.sign(c, key));
        }
        assertThrows(IllegalStateException.class,
                () -> Dstoken.mintUrl(key, "acme", "t", "r", null, null, null, Duration.ofHours(1)));
    }

    /** A key never closed is still wiped and freed by the Cleaner once unreachable. */
    @Test
    void forgottenKeysAreFreedOnceUnreachable() throws Exception {
        List<java.lang.ref.WeakReference<SigningKey>> refs = new ArrayList<>();
        long before = SigningKey.FREED.get();
        for (int i = 0; i < 100; i++) {
            SigningKey key = SigningKey.of(KEY);
            Dstoken.mint(key, "t", "r", Duration.ofHours(1));
            refs.add(new java.lang.ref.WeakReference<>(key));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (SigningKey.FREED.get() - before < 100 && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(10);
        }
        assertTrue(SigningKey.FREED.get() - before >= 100, "freed " + (SigningKey.FREED.get() - before) + " of 100");
    }

    /**
     * Threads sign, mint (three ways) and verify with one key while another thread closes it:
     * every call either returns a token that a second, open key with the same secret verifies
     * (a call that read wiped or freed key state would sign with garbage: BAD_SIGNATURE) or
     * throws IllegalStateException; once close() has returned the key is freed, every later
     * call throws, and nothing crashes (the suite runs under -Xcheck:jni). Many rounds, so the
     * close lands at every point of a call.
     */
    @Test
    void closingWhileOtherThreadsMintIsSafeAndFreesAtOnce() throws Exception {
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (SigningKey check = SigningKey.of(KEY)) {
            for (int round = 0; round < 40; round++) {
                SigningKey key = SigningKey.of(KEY);
                CountDownLatch started = new CountDownLatch(threads);
                AtomicBoolean closeReturned = new AtomicBoolean();
                List<Future<String>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    final int kind = t;
                    results.add(pool.submit(() -> {
                        int signed = 0;
                        try (Claims c = new Claims().teamId("t").room("r").expiresIn(Duration.ofHours(1))) {
                            started.countDown();
                            for (int i = 0; i < 20_000; i++) {
                                boolean after = closeReturned.get();
                                String token;
                                try {
                                    token = kind == 0 ? Dstoken.sign(c.userId("u" + i), key)
                                            : kind == 1 ? Dstoken.mint(key, "t", "r", "John", "u" + i, null,
                                                    Duration.ofHours(1))
                                            : kind == 2 ? Dstoken.mintUrl(key, "acme", "t", "r", null, null,
                                                    Duration.ofHours(1)).split("token=")[1]
                                            : Dstoken.sign(c.set("n", (long) i), key); // the native claim-set path
                                    if (i % 16 == 0) {
                                        Dstoken.verify(token, key).close();
                                    }
                                } catch (IllegalStateException e) {
                                    assertEquals("SigningKey is closed", e.getMessage());
                                    return "closed after " + signed;
                                }
                                if (after) {
                                    return "a call started after close() returned succeeded";
                                }
                                Dstoken.verify(token, check).close(); // BAD_SIGNATURE if signed with wiped state
                                signed++;
                            }
                            return "finished";
                        }
                    }));
                }
                started.await();
                Thread.sleep(round % 5);
                key.close();
                closeReturned.set(true);
                assertTrue(key.isClosed());
                assertTrue(key.nativeFreed(), "close() returned before the native key was freed");
                for (Future<String> f : results) {
                    String r = f.get(2, TimeUnit.MINUTES);
                    assertTrue(r.startsWith("closed after") || r.equals("finished"), r);
                }
                assertThrows(IllegalStateException.class, () -> Dstoken.mint(key, "t", "r", Duration.ofHours(1)));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Two threads closing one key at once: both return with the key freed, freed once. */
    @Test
    void concurrentClosesFreeOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 200; i++) {
                SigningKey key = SigningKey.of(KEY);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Boolean>> r = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    r.add(pool.submit(() -> {
                        go.await();
                        key.close();
                        return key.nativeFreed();
                    }));
                }
                go.countDown();
                for (Future<Boolean> f : r) {
                    assertTrue(f.get(1, TimeUnit.MINUTES), "a close() returned before the key was freed");
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
