/* Key material left on the stack (issue 13, item 3), tested the way an attacker with a memory
 * read would look: each operation runs on a thread whose stack is a buffer this test owns; after
 * the thread has finished, the whole buffer is scanned for what would give the key back:
 *   - the raw key, the padded key block XOR 0x36 and XOR 0x5c (HMAC's ipad/opad blocks),
 *   - the SHA-256 midstates after the ipad and after the opad block (the HMAC key state),
 * as 8-byte windows (so half-spilled registers and the SHA-NI word order are found too), in the
 * CPU's word order and big-endian. Right after each call, the registers as the library left
 * them are spilled into the scanned stack too (x86-64), as the next lazily bound call, a
 * signal handler or a user-space context switch would. The midstates are computed here, independently, with a
 * small SHA-256 (itself checked against FIPS 180-2's "abc" vector), and proved to be the right
 * ones by recomputing a token's signature from them. A positive control plants a midstate on
 * the scanned stack and checks the scan finds it. The signature dst_verify computes for a forged
 * token (which would be a valid one) is searched for too. */
#define _POSIX_C_SOURCE 200809L
#include "check.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#if defined(__has_include)
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#define HAVE_MEMCHECK 1
#endif
#endif

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#define HAVE_SPILL 1
#endif

#if defined(__clang__) || defined(__GNUC__)
#define NOINLINE __attribute__((noinline))
#define NO_ASAN __attribute__((no_sanitize_address))
#else
#define NOINLINE
#define NO_ASAN
#endif

enum { STACK_SIZE = 512 * 1024, DEEP_PAD = 16 * 1024, MAX_PATTERNS = 512 };

/* ---- a small, independent SHA-256 compression function (FIPS 180-4) ---------------------- */
static const uint32_t K256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
static const uint32_t IV256[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                  0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

static uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static void compress(uint32_t st[8], const unsigned char blk[64]) {
    uint32_t w[64], v[8];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)blk[4 * i] << 24 | (uint32_t)blk[4 * i + 1] << 16 |
               (uint32_t)blk[4 * i + 2] << 8 | blk[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    memcpy(v, st, sizeof v);
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = v[7] + (rotr(v[4], 6) ^ rotr(v[4], 11) ^ rotr(v[4], 25)) +
                      ((v[4] & v[5]) ^ (~v[4] & v[6])) + K256[i] + w[i];
        uint32_t t2 = (rotr(v[0], 2) ^ rotr(v[0], 13) ^ rotr(v[0], 22)) +
                      ((v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]));
        memmove(v + 1, v, 7 * sizeof v[0]);
        v[4] += t1;
        v[0] = t1 + t2;
    }
    for (int i = 0; i < 8; i++) st[i] += v[i];
}

/* Finishes a hash whose state has absorbed `done` bytes, over the remaining `len` bytes. */
static void finish(uint32_t st[8], uint64_t done, const unsigned char *msg, size_t len,
                   unsigned char out[32]) {
    unsigned char blk[64];
    uint64_t bits = (done + len) * 8;
    for (; len >= 64; msg += 64, len -= 64) compress(st, msg);
    memset(blk, 0, sizeof blk);
    memcpy(blk, msg, len);
    blk[len] = 0x80;
    if (len >= 56) {
        compress(st, blk);
        memset(blk, 0, sizeof blk);
    }
    for (int i = 0; i < 8; i++) blk[63 - i] = (unsigned char)(bits >> (8 * i));
    compress(st, blk);
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < 4; j++) out[4 * i + j] = (unsigned char)(st[i] >> (24 - 8 * j));
}

/* ---- the test key and everything derived from it --------------------------------------- */
static unsigned char key[32];
static unsigned char block_ipad[64], block_opad[64];
static uint32_t mid_ipad[8], mid_opad[8];

static void derive(void) {
    for (int i = 0; i < 32; i++) key[i] = (unsigned char)(0xa5 ^ (i * 29 + 7));
    memset(block_ipad, 0x36, 64);
    memset(block_opad, 0x5c, 64);
    for (int i = 0; i < 32; i++) {
        block_ipad[i] ^= key[i];
        block_opad[i] ^= key[i];
    }
    memcpy(mid_ipad, IV256, sizeof IV256);
    memcpy(mid_opad, IV256, sizeof IV256);
    compress(mid_ipad, block_ipad);
    compress(mid_opad, block_opad);
}

/* ---- the patterns: 8-byte windows ------------------------------------------------------- */
struct pattern {
    uint64_t bytes; /* the 8 bytes as they lie in memory (memcpy'd) */
    const char *what;
};
static struct pattern patterns[MAX_PATTERNS];
static int n_patterns;

static void add_pattern(const unsigned char *p, const char *what) {
    if (n_patterns < MAX_PATTERNS) {
        memcpy(&patterns[n_patterns].bytes, p, 8);
        patterns[n_patterns++].what = what;
    }
}

static void add_word_pairs(const uint32_t st[8], const char *native, const char *big_endian) {
    for (int i = 0; i < 8; i++) {
        for (int j = 0; j < 8; j++) {
            if (i == j) continue;
            uint32_t pair[2] = {st[i], st[j]};
            add_pattern((const unsigned char *)pair, native);
            unsigned char be[8];
            for (int k = 0; k < 4; k++) {
                be[k] = (unsigned char)(st[i] >> (24 - 8 * k));
                be[4 + k] = (unsigned char)(st[j] >> (24 - 8 * k));
            }
            add_pattern(be, big_endian);
        }
    }
}

static int cmp_pattern(const void *a, const void *b) {
    uint64_t x = ((const struct pattern *)a)->bytes, y = ((const struct pattern *)b)->bytes;
    return x < y ? -1 : x > y;
}

static void build_patterns(void) {
    for (int off = 0; off < 32; off += 8) {
        add_pattern(key + off, "the raw key");
        add_pattern(block_ipad + off, "the key block XOR 0x36");
        add_pattern(block_opad + off, "the key block XOR 0x5c");
    }
    add_word_pairs(mid_ipad, "the ipad midstate", "the ipad midstate (big-endian)");
    add_word_pairs(mid_opad, "the opad midstate", "the opad midstate (big-endian)");
    qsort(patterns, (size_t)n_patterns, sizeof patterns[0], cmp_pattern);
}

/* Scans `mem` for every pattern at every byte offset; counts the hits and prints the first few
 * (unless `op` is NULL). */
NO_ASAN static int scan(const unsigned char *mem, size_t size, const char *op) {
    int hits = 0;
    for (size_t i = 0; i + 8 <= size; i++) {
        uint64_t v = 0;
        for (int k = 7; k >= 0; k--) ((unsigned char *)&v)[k] = mem[i + (size_t)k];
        if (v == 0) continue;
        int lo = 0, hi = n_patterns - 1;
        while (lo <= hi) {
            int mid = (lo + hi) / 2;
            if (patterns[mid].bytes == v) {
                if (hits < 8 && op != NULL)
                    fprintf(stderr, "  after %s: %s at %zu bytes below the stack top\n", op,
                            patterns[mid].what, size - i);
                hits++;
                break;
            }
            if (patterns[mid].bytes < v) lo = mid + 1;
            else hi = mid - 1;
        }
    }
    return hits;
}

/* ---- running an operation on a scanned stack -------------------------------------------- */
struct job {
    void (*op)(void);
};

/* The operation runs below a 16 KiB frame, so the thread's own exit path (which runs near the
 * top of the stack) cannot overwrite what it left behind. */
static NOINLINE void run_deep(void (*op)(void)) {
    volatile unsigned char pad[DEEP_PAD];
    pad[0] = 1;
    op();
    pad[sizeof pad - 1] = pad[0];
}

static void *worker(void *arg) {
    run_deep(((struct job *)arg)->op);
    return NULL;
}

/* Runs `op` on a fresh thread whose stack is a zeroed buffer, then scans the buffer. Returns the
 * number of windows of key material found. */
static int run_and_scan(void (*op)(void), const char *name) {
    void *mem = NULL;
    if (posix_memalign(&mem, 4096, STACK_SIZE) != 0) {
        fprintf(stderr, "posix_memalign failed\n");
        exit(2);
    }
    memset(mem, 0, STACK_SIZE);
    pthread_attr_t attr;
    pthread_t thread;
    struct job job = {op};
    CHECK(pthread_attr_init(&attr) == 0);
    CHECK(pthread_attr_setstack(&attr, mem, STACK_SIZE) == 0);
    CHECK(pthread_create(&thread, &attr, worker, &job) == 0);
    CHECK(pthread_join(thread, NULL) == 0);
    pthread_attr_destroy(&attr);
#ifdef HAVE_MEMCHECK
    /* memcheck marks a finished thread's stack inaccessible; the bytes are still there. */
    VALGRIND_MAKE_MEM_DEFINED(mem, STACK_SIZE);
#endif
    int hits = scan(mem, STACK_SIZE, name);
    free(mem);
    return hits;
}

/* ---- the registers as the library left them --------------------------------------------- */

/* Stores the caller-saved general-purpose registers and every enabled XSAVE component (x87/SSE,
 * AVX, AVX-512) into this frame, deep in the scanned stack. Called right after a dstoken call
 * returns, it shows what any code that saves registers to the stack next would write there. */
#ifdef HAVE_SPILL
static NOINLINE void spill_registers(void) {
    _Alignas(64) unsigned char area[8192];
    uint64_t gprs[8];
    __asm__ volatile("mov %%rcx, 0(%0)\n\tmov %%rdx, 8(%0)\n\tmov %%rsi, 16(%0)\n\t"
                     "mov %%rdi, 24(%0)\n\tmov %%r8, 32(%0)\n\tmov %%r9, 40(%0)\n\t"
                     "mov %%r10, 48(%0)\n\tmov %%r11, 56(%0)"
                     :
                     : "a"(gprs)
                     : "memory");
#ifdef HAVE_MEMCHECK
    if (RUNNING_ON_VALGRIND) return; /* registers are emulated there; XSAVE may not be */
#endif
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d) || (c & (1u << 27)) == 0) return; /* no OSXSAVE */
    __cpuid_count(0xd, 0, a, b, c, d);
    if (b == 0 || b > sizeof area) return;
    __asm__ volatile("xsave (%0)" : : "r"(area), "a"(0xffffffffu), "d"(0xffffffffu) : "memory");
}
#else
static void spill_registers(void) {}
#endif

/* ---- the operations ---------------------------------------------------------------------- */
static dst_key *main_key;    /* made on the main thread (not scanned) */
static dst_claims *claims;   /* td, rd, u */
static char *good_token;     /* signed with main_key */
static char *forged_token;   /* signed with another key */
static int op_failures;

static void op_key_new_free(void) {
    dst_key *k = NULL;
    dst_status s = dst_key_new(key, sizeof key, &k);
    spill_registers();
    op_failures += s != DST_OK;
    dst_key_free(k);
    spill_registers();
}

static void op_key_new_only(void) {
    dst_key *k = NULL;
    dst_status s = dst_key_new(key, sizeof key, &k);
    spill_registers();
    op_failures += s != DST_OK;
    /* freed on the main thread: this checks dst_key_new alone */
    main_key = main_key != NULL ? main_key : k;
    if (main_key != k) dst_key_free(k);
}

static void op_sign(void) {
    char *t = NULL;
    dst_status s = dst_sign(claims, main_key, &t);
    spill_registers();
    op_failures += s != DST_OK;
    op_failures += t == NULL || strcmp(t, good_token) != 0;
    dst_string_free(t);
}

static void op_sign_into(void) {
    char buf[512];
    size_t len = 0;
    dst_status s = dst_sign_into(claims, main_key, buf, sizeof buf, &len);
    spill_registers();
    op_failures += s != DST_OK;
    op_failures += strcmp(buf, good_token) != 0;
}

static void op_mint_into(void) {
    dst_room_token t = DST_ROOM_TOKEN_INIT;
    t.team_id = "team";
    t.room = "room";
    t.user_name = "a user whose name makes the payload longer";
    t.no_expiry = true; /* good_token has no exp */
    char buf[512];
    size_t len = 0;
    dst_status s = dst_mint_into(&t, main_key, buf, sizeof buf, &len);
    spill_registers();
    op_failures += s != DST_OK || strcmp(buf, good_token) != 0;
    char *tok = NULL;
    s = dst_mint(&t, main_key, &tok);
    spill_registers();
    op_failures += s != DST_OK;
    dst_string_free(tok);
}

static void op_verify(void) {
    dst_claims *back = NULL;
    dst_status s = dst_verify(good_token, main_key, 0, 0, &back);
    spill_registers();
    op_failures += s != DST_OK;
    dst_claims_free(back);
}

static void op_verify_bad_signature(void) {
    dst_claims *back = NULL;
    dst_status s = dst_verify(forged_token, main_key, 0, 0, &back);
    spill_registers();
    op_failures += s != DST_ERR_BAD_SIGNATURE;
}

/* The positive control: a midstate and a key block copied into a deep stack frame. */
static NOINLINE void op_plant(void) {
    volatile uint32_t copy[8];
    volatile unsigned char blk[64];
    for (int i = 0; i < 8; i++) copy[i] = mid_ipad[i];
    for (int i = 0; i < 64; i++) blk[i] = block_opad[i];
    op_failures += copy[0] != mid_ipad[0] || blk[0] != block_opad[0];
}

/* ---- checks of the test's own arithmetic ------------------------------------------------- */
static void b64url(const unsigned char *in, size_t n, char *out) {
    static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    size_t o = 0, i = 0;
    for (; i + 3 <= n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        out[o++] = a[v >> 18];
        out[o++] = a[(v >> 12) & 63];
        out[o++] = a[(v >> 6) & 63];
        out[o++] = a[v & 63];
    }
    if (n - i == 2) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
        out[o++] = a[v >> 18];
        out[o++] = a[(v >> 12) & 63];
        out[o++] = a[(v >> 6) & 63];
    } else if (n - i == 1) {
        uint32_t v = (uint32_t)in[i] << 16;
        out[o++] = a[v >> 18];
        out[o++] = a[(v >> 12) & 63];
    }
    out[o] = '\0';
}

static void test_own_sha256_and_midstates(void) {
    /* FIPS 180-2 B.1: SHA-256("abc"). */
    static const unsigned char want[32] = {
        0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
        0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};
    uint32_t st[8];
    unsigned char got[32];
    memcpy(st, IV256, sizeof st);
    finish(st, 0, (const unsigned char *)"abc", 3, got);
    CHECK(memcmp(got, want, 32) == 0);

    /* The token's signature, recomputed from the two midstates alone. */
    const char *dot = strrchr(good_token, '.');
    CHECK(dot != NULL);
    if (dot == NULL) return;
    unsigned char inner[32], tag[32];
    memcpy(st, mid_ipad, sizeof st);
    finish(st, 64, (const unsigned char *)good_token, (size_t)(dot - good_token), inner);
    memcpy(st, mid_opad, sizeof st);
    finish(st, 64, inner, 32, tag);
    char sig[64];
    b64url(tag, 32, sig);
    CHECK_STR(dot + 1, sig);
}

/* The signature dst_verify expects for the forged token (a valid signature for it, so a secret
 * too): computed from the midstates, added to the patterns. */
static void add_expected_tag_of_forged_token(void) {
    static unsigned char tag[32];
    const char *dot = strrchr(forged_token, '.');
    if (dot == NULL) return;
    uint32_t st[8];
    unsigned char inner[32];
    memcpy(st, mid_ipad, sizeof st);
    finish(st, 64, (const unsigned char *)forged_token, (size_t)(dot - forged_token), inner);
    memcpy(st, mid_opad, sizeof st);
    finish(st, 64, inner, 32, tag);
    for (int off = 0; off < 32; off += 8) add_pattern(tag + off, "the signature dst_verify expected");
    qsort(patterns, (size_t)n_patterns, sizeof patterns[0], cmp_pattern);
}

static void expect_clean(void (*op)(void), const char *name) {
    int hits = run_and_scan(op, name);
    check_count++;
    if (hits != 0) {
        check_failures++;
        fprintf(stderr, "%s:%d: %d windows of key material left on the stack by %s\n", __FILE__,
                __LINE__, hits, name);
    }
}

int main(void) {
    derive();
    build_patterns();

    dst_key *other = NULL;
    CHECK_STATUS(dst_key_new((const uint8_t *)"another key", 11, &other), DST_OK);
    claims = dst_claims_new();
    CHECK_STATUS(dst_claims_set_team_id(claims, "team"), DST_OK);
    CHECK_STATUS(dst_claims_set_room(claims, "room"), DST_OK);
    CHECK_STATUS(dst_claims_set_user_name(claims, "a user whose name makes the payload longer"), DST_OK);
    /* Other claims than the good token's: its expected signature is then nowhere public. */
    dst_claims *forged = dst_claims_clone(claims);
    CHECK_STATUS(dst_claims_set_role(forged, "moderator"), DST_OK);
    CHECK_STATUS(dst_sign(forged, other, &forged_token), DST_OK);
    dst_claims_free(forged);
    dst_key_free(other);

    /* The key used by the sign/verify operations is made on a scanned stack too. */
    expect_clean(op_key_new_only, "dst_key_new");
    CHECK(main_key != NULL);
    if (main_key == NULL) return check_report("test_stack_secrets");
    CHECK_STATUS(dst_sign(claims, main_key, &good_token), DST_OK);
    test_own_sha256_and_midstates();
    add_expected_tag_of_forged_token();

    /* The scan finds key material when it is there. */
    CHECK(run_and_scan(op_plant, NULL) > 0);

    expect_clean(op_key_new_free, "dst_key_new + dst_key_free");
    expect_clean(op_sign, "dst_sign");
    expect_clean(op_sign_into, "dst_sign_into");
    expect_clean(op_mint_into, "dst_mint_into + dst_mint");
    expect_clean(op_verify, "dst_verify (valid token)");
    expect_clean(op_verify_bad_signature, "dst_verify (bad signature)");
    CHECK(op_failures == 0);

    dst_string_free(good_token);
    dst_string_free(forged_token);
    dst_claims_free(claims);
    dst_key_free(main_key);
    return check_report("test_stack_secrets");
}
