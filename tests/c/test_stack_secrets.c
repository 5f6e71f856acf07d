/* Key material left on the stack, tested the way an attacker with a memory read would look:
 * each operation runs on a thread whose stack is a buffer this test owns; after the thread has
 * finished, the whole buffer is scanned for what would give the key back:
 *   - the raw key, the padded key block XOR 0x36 and XOR 0x5c (HMAC's ipad/opad blocks),
 *   - the SHA-256 midstates after the ipad and after the opad block (the HMAC key state),
 * as 8-byte windows (so half-spilled registers and the SHA-NI word order are found too), in the
 * CPU's word order and big-endian. Right after each call, the registers as the library left
 * them are spilled into the scanned stack too (x86-64), as the next lazily bound call, a
 * signal handler or a user-space context switch would. The midstates are computed here, independently, with a
 * small SHA-256 (itself checked against FIPS 180-2's "abc" vector), and proved to be the right
 * ones by recomputing a token's signature from them. A positive control plants a midstate on
 * the scanned stack and checks the scan finds it. The signature dst_verify computes for a forged
 * token (which would be a valid one) is searched for too.
 *
 * Every exported function that touches the key is covered: dst_key_new (a block-sized and a
 * longer, hashed key) and dst_key_free, dst_sign, dst_sign_into, dst_mint, dst_mint_into,
 * dst_mint_url, dst_verify (valid, bad signature, expired), dst_key_new_text, dst_verify_opts
 * (valid, claim mismatch, bad signature). CMake runs this test with and
 * without LD_BIND_NOW=1, and once statically linked into an executable bound lazily (-z lazy).
 * A lazily bound call is resolved by ld.so, which saves every vector register (key material
 * included) kilobytes further down the stack, so the scrubbed code calls nothing outside the
 * library. (rustc calls libc through the GOT, bound at load time, even in a lazily bound
 * executable; only __tls_get_addr and _Unwind_Resume go through its PLT there, and the
 * scrubbed code uses neither.)
 *
 * Each scanned thread first puts its vector registers back in their initial state, and checks
 * that they are zero: a thread starts with a copy of its creator's registers, and this test's
 * own work on the main thread (the SHA-256 above, qsort moving the patterns through glibc's
 * memcpy, the scans) leaves copies of the key material in them, which the lazy resolver saves
 * on the thread's first call to each dst_* function: the test's own material, not the
 * library's. The reset and the spill work on every x86-64 CPU (see "the registers" below);
 * each run prints the CPU, its features and the instruction ld.so's lazy resolver saves the
 * registers with (read from the resolver's own code), and names them in every failure. CMake
 * also runs the test with that resolver forced to XSAVE and to FXSAVE
 * (GLIBC_TUNABLES=glibc.cpu.hwcaps=-XSAVEC[,-XSAVE]), so a machine whose glibc picks XSAVEC
 * exercises the other two as well. When the library is a shared object, the test also checks
 * that it was linked with -z now (DF_BIND_NOW / DF_1_NOW), so no call it makes is ever
 * resolved lazily. */
#define _GNU_SOURCE
#include "check.h"

#include <link.h>
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
#include <dlfcn.h>
#define HAVE_SPILL 1
#endif

#if defined(__clang__) || defined(__GNUC__)
#define NOINLINE __attribute__((noinline))
#define NO_ASAN __attribute__((no_sanitize_address))
#else
#define NOINLINE
#define NO_ASAN
#endif

enum { STACK_SIZE = 512 * 1024, DEEP_PAD = 16 * 1024, MAX_PATTERNS = 1024 };

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

/* ---- the test keys and everything derived from them ------------------------------------ */
static unsigned char key[32];
static unsigned char block_ipad[64], block_opad[64];
static uint32_t mid_ipad[8], mid_opad[8];
/* A key longer than a block: HMAC uses its SHA-256 instead. */
static unsigned char long_key[100];
static unsigned char long_hash[32];
static unsigned char long_block_ipad[64], long_block_opad[64];
static uint32_t long_mid_ipad[8], long_mid_opad[8];

static void derive_blocks(const unsigned char *k, size_t len, unsigned char bi[64],
                          unsigned char bo[64], uint32_t mi[8], uint32_t mo[8]) {
    memset(bi, 0x36, 64);
    memset(bo, 0x5c, 64);
    for (size_t i = 0; i < len; i++) {
        bi[i] ^= k[i];
        bo[i] ^= k[i];
    }
    memcpy(mi, IV256, sizeof IV256);
    memcpy(mo, IV256, sizeof IV256);
    compress(mi, bi);
    compress(mo, bo);
}

static void derive(void) {
    for (int i = 0; i < 32; i++) key[i] = (unsigned char)(0xa5 ^ (i * 29 + 7));
    derive_blocks(key, sizeof key, block_ipad, block_opad, mid_ipad, mid_opad);
    for (int i = 0; i < 100; i++) long_key[i] = (unsigned char)(0x3c ^ (i * 13 + 1));
    uint32_t st[8];
    memcpy(st, IV256, sizeof st);
    finish(st, 0, long_key, sizeof long_key, long_hash);
    derive_blocks(long_hash, sizeof long_hash, long_block_ipad, long_block_opad, long_mid_ipad,
                  long_mid_opad);
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
    for (int off = 0; off < 96; off += 8) add_pattern(long_key + off, "the long raw key");
    for (int off = 0; off < 32; off += 8) {
        add_pattern(long_hash + off, "the long key's SHA-256");
        add_pattern(long_block_ipad + off, "the long key block XOR 0x36");
        add_pattern(long_block_opad + off, "the long key block XOR 0x5c");
    }
    add_word_pairs(long_mid_ipad, "the long key's ipad midstate", "the long key's ipad midstate (big-endian)");
    add_word_pairs(long_mid_opad, "the long key's opad midstate", "the long key's opad midstate (big-endian)");
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

/* ---- the registers ------------------------------------------------------------------------ */

/* On x86-64 the test reads the registers (spill_registers) and resets them (reset_registers)
 * with XSAVE and XRSTOR over the state components that hold data: x87/MMX (component 0), SSE
 * (1: XMM0-15), AVX (2: the upper halves of YMM0-15) and, where the OS enables AVX-512, its
 * mask registers (5), the upper halves of ZMM0-15 (6) and ZMM16-31 (7); a CPU without XSAVE
 * gets FXSAVE/FXRSTOR (x87 and SSE). Left out: PKRU (9), memory access rights rather than data,
 * which a reset would change; and AMX's tile state (17, 18), which Linux arms with XFD until a
 * process asks for it (an XRSTOR of it traps) and which neither the library nor glibc uses.
 * CPUID's size for everything XCR0 enables is 11 KiB on CPUs with AMX (Xeons since Sapphire
 * Rapids, which have AVX-512 and SHA-NI too). An earlier version of this test saved every
 * enabled component into 8 KiB and, told it needed more, silently did neither the reset nor the
 * spill: there the scanned threads kept the main thread's registers (the long key's midstates,
 * pattern windows), which ld.so's lazy resolver saved ~22 KiB below the stack top on the first
 * call to dst_mint (XSAVEC) or dst_sign_into (FXSAVE), and what the library left in the
 * registers went unchecked. (Leaving the reset out reproduces those findings on any CPU.) Now
 * the area is sized for the components used, a component that does not fit is a failure, and
 * the reset is checked. */
enum { XSAVE_AREA = 4096, DATA_COMPONENTS = 0xe7 };

static struct {
    int use_xsave;      /* XSAVE/XRSTOR (1) or FXSAVE/FXRSTOR (0) */
    uint32_t mask;      /* the components above that XCR0 enables */
    unsigned offset[8]; /* where each component lies in the standard-format area */
    unsigned length[8];
    int avx, avx512;    /* usable: the CPU has it and the OS saves its registers */
    const char *error;  /* why the registers cannot be handled, or NULL */
} xs;
static char cpu_summary[640];

#ifdef HAVE_SPILL
static void setup_registers(void) {
    unsigned a = 0, b = 0, c = 0, d = 0, ecx1 = 0, ebx7 = 0;
    __get_cpuid(1, &a, &b, &ecx1, &d);
    if ((ecx1 & (1u << 27)) == 0) { /* no OSXSAVE: FXSAVE, which every x86-64 CPU has */
        xs.mask = 0x3;
        return;
    }
    uint32_t xcr0 = 0, xcr0_hi = 0;
    __asm__ volatile("xgetbv" : "=a"(xcr0), "=d"(xcr0_hi) : "c"(0));
    xs.use_xsave = 1;
    xs.mask = xcr0 & DATA_COMPONENTS;
    unsigned end = 576; /* the legacy area and the XSAVE header */
    for (unsigned i = 2; i < 8; i++) {
        if ((xs.mask & (1u << i)) == 0) continue;
        __cpuid_count(0xd, i, a, b, c, d);
        xs.length[i] = a;
        xs.offset[i] = b;
        if (a + b > end) end = a + b;
    }
    if (end > XSAVE_AREA) xs.error = "XSAVE components 0-2 and 5-7 need more than 4 KiB";
    if (__get_cpuid_max(0, NULL) >= 7) __cpuid_count(7, 0, a, ebx7, c, d);
    xs.avx = (xs.mask & 0x6) == 0x6 && (ecx1 & (1u << 28)) != 0;
    xs.avx512 = (xs.mask & 0xe6) == 0xe6 && (ebx7 & (1u << 16)) != 0;
}

/* Saves the registers into `area` (XSAVE_AREA bytes, 64-byte aligned). */
#define SAVE_REGISTERS(area)                                                                  \
    do {                                                                                      \
        if (xs.use_xsave)                                                                     \
            __asm__ volatile("xsave (%0)" : : "r"(area), "a"(xs.mask), "d"(0u) : "memory"); \
        else                                                                                  \
            __asm__ volatile("fxsave (%0)" : : "r"(area) : "memory");                       \
    } while (0)

/* Stores the caller-saved general-purpose registers and the registers above into this frame,
 * deep in the scanned stack. Called right after a dstoken call returns, it shows what any code
 * that saves registers to the stack next would write there. */
static NOINLINE void spill_registers(void) {
    _Alignas(64) unsigned char area[XSAVE_AREA];
    uint64_t gprs[8];
    __asm__ volatile("mov %%rcx, 0(%0)\n\tmov %%rdx, 8(%0)\n\tmov %%rsi, 16(%0)\n\t"
                     "mov %%rdi, 24(%0)\n\tmov %%r8, 32(%0)\n\tmov %%r9, 40(%0)\n\t"
                     "mov %%r10, 48(%0)\n\tmov %%r11, 56(%0)"
                     :
                     : "a"(gprs)
                     : "memory");
    if (xs.error == NULL) SAVE_REGISTERS(area);
}

/* Puts the registers above in their initial state (zero; the x87 control word and MXCSR at
 * their defaults), saves them again and returns NULL when they are all zero, or else names the
 * first that is not. Its buffers are static, off the scanned stack. */
static const char *reset_registers(void) {
    static _Alignas(64) unsigned char init[XSAVE_AREA], after[XSAVE_AREA];
    if (xs.error != NULL) return xs.error;
    memset(init, 0, sizeof init);
    memset(after, 0, sizeof after);
    init[0] = 0x7f; /* FCW 0x037f */
    init[1] = 0x03;
    uint32_t mxcsr = 0x1f80;
    memcpy(init + 24, &mxcsr, sizeof mxcsr);
    /* XSTATE_BV = 0 in init's header: XRSTOR puts every component in mask in its init state. */
    if (xs.use_xsave)
        __asm__ volatile("xrstor (%0)\n\txsave (%1)"
                         :
                         : "r"(init), "r"(after), "a"(xs.mask), "d"(0u)
                         : "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6",
                           "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13",
                           "xmm14", "xmm15");
    else
        __asm__ volatile("fxrstor (%0)\n\tfxsave (%1)"
                         :
                         : "r"(init), "r"(after)
                         : "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6",
                           "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13",
                           "xmm14", "xmm15");
    static const char *const names[8] = {NULL, NULL, "YMM0-15 (upper halves)", NULL, NULL,
                                         "the AVX-512 mask registers",
                                         "ZMM0-15 (upper halves)", "ZMM16-31"};
    for (unsigned i = 32; i < 416; i++)
        if (after[i] != 0) return i < 160 ? "ST0-7/MM0-7" : "XMM0-15";
    for (unsigned i = 2; i < 8; i++)
        for (unsigned k = 0; names[i] != NULL && k < xs.length[i]; k++)
            if (after[xs.offset[i] + k] != 0) return names[i];
    return NULL;
}

/* The positive controls for the spill: a key block put into one register class right before
 * the registers are saved must be found on the scanned stack. */
static const unsigned char *plant_source;
static NOINLINE void op_plant_xmm(void) {
    _Alignas(64) unsigned char area[XSAVE_AREA];
    if (xs.use_xsave)
        __asm__ volatile("movdqu (%0), %%xmm7\n\txsave (%1)\n\tpxor %%xmm7, %%xmm7"
                         :
                         : "r"(plant_source), "r"(area), "a"(xs.mask), "d"(0u)
                         : "memory", "xmm7");
    else
        __asm__ volatile("movdqu (%0), %%xmm7\n\tfxsave (%1)\n\tpxor %%xmm7, %%xmm7"
                         :
                         : "r"(plant_source), "r"(area)
                         : "memory", "xmm7");
}
__attribute__((target("avx"))) static NOINLINE void op_plant_ymm_upper(void) {
    _Alignas(64) unsigned char area[XSAVE_AREA];
    __asm__ volatile("vinsertf128 $1, (%0), %%ymm7, %%ymm7\n\t"
                     "xsave (%1)\n\t"
                     "vpxor %%xmm7, %%xmm7, %%xmm7"
                     :
                     : "r"(plant_source), "r"(area), "a"(xs.mask), "d"(0u)
                     : "memory", "xmm7");
}
__attribute__((target("avx512f"))) static NOINLINE void op_plant_zmm_upper(void) {
    _Alignas(64) unsigned char area[XSAVE_AREA];
    __asm__ volatile("vinserti64x4 $1, (%0), %%zmm7, %%zmm7\n\t"
                     "xsave (%1)\n\t"
                     "vpxor %%xmm7, %%xmm7, %%xmm7"
                     :
                     : "r"(plant_source), "r"(area), "a"(xs.mask), "d"(0u)
                     : "memory", "xmm7");
}
__attribute__((target("avx512f"))) static NOINLINE void op_plant_zmm31(void) {
    _Alignas(64) unsigned char area[XSAVE_AREA];
    __asm__ volatile("vmovdqu64 (%0), %%zmm31\n\t"
                     "xsave (%1)\n\t"
                     "vpxord %%zmm31, %%zmm31, %%zmm31"
                     :
                     : "r"(plant_source), "r"(area), "a"(xs.mask), "d"(0u)
                     : "memory", "xmm31");
}

/* Which routine ld.so's lazy resolver saves the registers with, read from the resolver's code:
 * ld.so stores its address in the executable's GOT[2] when it binds the executable lazily,
 * and the resolver's one save of the vector state is `fxsave`, `xsave` or `xsavec` on
 * STATE_SAVE_OFFSET(%rsp) (glibc's sysdeps/x86_64/dl-trampoline.h; which one follows the CPU
 * and GLIBC_TUNABLES=glibc.cpu.hwcaps). Writes what it found into `how`. */
extern void *_GLOBAL_OFFSET_TABLE_[];
static int exe_bind_now;

NO_ASAN static const char *lazy_resolver(char *how, size_t size) {
    const char *env = getenv("LD_BIND_NOW");
    if (env != NULL && *env != '\0') {
        snprintf(how, size, "LD_BIND_NOW is set: every symbol bound at load time");
        return "none";
    }
    if (exe_bind_now) {
        snprintf(how, size, "the executable is linked -z now");
        return "none";
    }
    const unsigned char *code = (const unsigned char *)_GLOBAL_OFFSET_TABLE_[2];
    Dl_info info;
    if (code == NULL || dladdr(code, &info) == 0 || info.dli_fname == NULL) {
        snprintf(how, size, "GOT[2] = %p, not in a loaded object", (const void *)code);
        return code == NULL ? "none" : "unknown";
    }
    for (int i = 0; i + 4 < 256; i++) {
        unsigned modrm = code[i + 2], reg = (modrm >> 3) & 7;
        if (code[i] != 0x0f || (modrm & 0xc7) != 0x44 || code[i + 3] != 0x24) continue;
        const char *insn = code[i + 1] == 0xae && reg == 0   ? "fxsave"
                           : code[i + 1] == 0xae && reg == 4 ? "xsave"
                           : code[i + 1] == 0xc7 && reg == 4 ? "xsavec"
                                                             : NULL;
        if (insn == NULL) continue;
        snprintf(how, size, "`%s` at %s+%#lx, the resolver in the executable's GOT[2]", insn,
                 info.dli_fname, (unsigned long)(code + i - (const unsigned char *)info.dli_fbase));
        return insn;
    }
    snprintf(how, size, "no fxsave/xsave/xsavec in the first 256 bytes of %s+%#lx (GOT[2])",
             info.dli_fname, (unsigned long)(code - (const unsigned char *)info.dli_fbase));
    return "unknown";
}

/* One line naming the CPU, the features that decide what the library and ld.so do with the
 * registers, the registers this test handles, and the lazy resolver. */
static const char *resolver_name = "none";

static void describe_cpu(void) {
    unsigned a = 0, b = 0, c = 0, d = 0, ecx1 = 0, ebx7 = 0, edx7 = 0, xsavec = 0;
    char vendor[13] = {0}, brand[49] = {0};
    __cpuid(0, a, b, c, d);
    memcpy(vendor, &b, 4);
    memcpy(vendor + 4, &d, 4);
    memcpy(vendor + 8, &c, 4);
    unsigned max = a;
    __cpuid(1, a, b, ecx1, d);
    if (max >= 7) __cpuid_count(7, 0, a, ebx7, c, edx7);
    if (max >= 0xd) {
        __cpuid_count(0xd, 1, a, b, c, d);
        xsavec = a & 2;
    }
    __cpuid(0x80000000, a, b, c, d);
    if (a >= 0x80000004) {
        for (unsigned i = 0; i < 3; i++) {
            unsigned r[4];
            __cpuid(0x80000002 + i, r[0], r[1], r[2], r[3]);
            memcpy(brand + 16 * i, r, 16);
        }
    }
    const char *p = brand;
    while (*p == ' ') p++;
    uint32_t xcr0 = 0, hi = 0;
    if (ecx1 & (1u << 27)) __asm__ volatile("xgetbv" : "=a"(xcr0), "=d"(hi) : "c"(0));
    char how[256];
    resolver_name = lazy_resolver(how, sizeof how);
    const char *tunables = getenv("GLIBC_TUNABLES");
    snprintf(cpu_summary, sizeof cpu_summary,
             "CPU %s (%s): sha_ni %s, avx2 %s, avx512f %s, amx_tile %s, xsave %s, xsavec %s, "
             "XCR0 %#x; registers saved with %s over components %#x; ld.so's lazy resolver: %s "
             "(%s); GLIBC_TUNABLES=%s",
             *p ? p : "?", vendor, ebx7 & (1u << 29) ? "yes" : "no",
             ebx7 & (1u << 5) ? "yes" : "no", ebx7 & (1u << 16) ? "yes" : "no",
             edx7 & (1u << 24) ? "yes" : "no", ecx1 & (1u << 26) ? "yes" : "no",
             xsavec ? "yes" : "no", (unsigned)xcr0, xs.use_xsave ? "XSAVE" : "FXSAVE",
             (unsigned)xs.mask, resolver_name, how, tunables != NULL ? tunables : "(unset)");
}
#else
static void setup_registers(void) {}
static void spill_registers(void) {}
static const char *reset_registers(void) { return NULL; }
static const char *resolver_name = "not x86-64";
static int exe_bind_now;
static void describe_cpu(void) {
    snprintf(cpu_summary, sizeof cpu_summary,
             "not x86-64: the registers are neither reset nor spilled, only the stack is scanned");
}
#endif

/* ---- running an operation on a scanned stack -------------------------------------------- */
struct job {
    void (*op)(void);
    const char *not_reset; /* what the reset left nonzero, or NULL */
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
    struct job *job = arg;
    job->not_reset = reset_registers();
    run_deep(job->op);
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
    struct job job = {op, NULL};
    CHECK(pthread_attr_init(&attr) == 0);
    CHECK(pthread_attr_setstack(&attr, mem, STACK_SIZE) == 0);
    CHECK(pthread_create(&thread, &attr, worker, &job) == 0);
    CHECK(pthread_join(thread, NULL) == 0);
    pthread_attr_destroy(&attr);
    check_count++;
    if (job.not_reset != NULL) {
        check_failures++;
        fprintf(stderr, "%s:%d: the registers of the thread running %s were not reset: %s [%s]\n",
                __FILE__, __LINE__, name != NULL ? name : "a control", job.not_reset,
                cpu_summary);
    }
#ifdef HAVE_MEMCHECK
    /* memcheck marks a finished thread's stack inaccessible; the bytes are still there. */
    VALGRIND_MAKE_MEM_DEFINED(mem, STACK_SIZE);
#endif
    int hits = scan(mem, STACK_SIZE, name);
    free(mem);
    return hits;
}

/* ---- the operations ---------------------------------------------------------------------- */
static dst_key *main_key;    /* made on the main thread (not scanned) */
static dst_claims *claims;   /* td, rd, u */
static char *good_token;     /* signed with main_key, exp 2100 */
static char *forged_token;   /* signed with another key */
static char *expired_token;  /* signed with main_key, expired in 2001 */
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

static void op_key_new_long(void) {
    dst_key *k = NULL;
    dst_status s = dst_key_new(long_key, sizeof long_key, &k);
    spill_registers();
    op_failures += s != DST_OK;
    dst_key_free(k);
    spill_registers();
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
    t.expires_at = 4102444800; /* as good_token */
    char buf[512];
    size_t len = 0;
    dst_status s = dst_mint_into(&t, main_key, buf, sizeof buf, &len);
    spill_registers();
    op_failures += s != DST_OK || strcmp(buf, good_token) != 0;
}

static void op_mint(void) {
    dst_room_token t = DST_ROOM_TOKEN_INIT;
    t.team_id = "team";
    t.room = "room";
    t.user_name = "a user whose name makes the payload longer";
    t.expires_at = 4102444800; /* as good_token */
    char *tok = NULL;
    dst_status s = dst_mint(&t, main_key, &tok);
    spill_registers();
    op_failures += s != DST_OK || tok == NULL || strcmp(tok, good_token) != 0;
    dst_string_free(tok);
}

static void op_mint_url(void) {
    dst_room_token t = DST_ROOM_TOKEN_INIT;
    t.team_id = "team";
    t.room = "room";
    t.user_name = "a user whose name makes the payload longer";
    t.expires_at = 4102444800;
    char *url = NULL;
    dst_status s = dst_mint_url(&t, main_key, "team", &url);
    spill_registers();
    op_failures += s != DST_OK || url == NULL || strstr(url, good_token) == NULL;
    dst_string_free(url);
}

static void op_verify_expired(void) {
    dst_claims *back = NULL;
    dst_status s = dst_verify(expired_token, main_key, 2000000000, 0, &back);
    spill_registers();
    op_failures += s != DST_ERR_EXPIRED;
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

static void op_key_new_text_free(void) {
    dst_key *k = NULL;
    dst_status s = dst_key_new_text(key, sizeof key, &k);
    spill_registers();
    op_failures += s != DST_OK;
    dst_key_free(k);
    spill_registers();
}

static void op_verify_opts(void) {
    dst_verify_options o = DST_VERIFY_OPTIONS_INIT;
    o.team_id = "team";
    o.room = "room";
    dst_claims *back = NULL;
    dst_status s = dst_verify_opts(good_token, main_key, &o, &back);
    spill_registers();
    op_failures += s != DST_OK;
    dst_claims_free(back);
    back = NULL;
    o.room = "another room";
    s = dst_verify_opts(good_token, main_key, &o, &back);
    spill_registers();
    op_failures += s != DST_ERR_CLAIM_MISMATCH;
}

static void op_verify_opts_bad_signature(void) {
    dst_verify_options o = DST_VERIFY_OPTIONS_INIT;
    dst_claims *back = NULL;
    dst_status s = dst_verify_opts(forged_token, main_key, &o, &back);
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
        fprintf(stderr, "%s:%d: %d windows of key material left on the stack by %s [%s]\n",
                __FILE__, __LINE__, hits, name, cpu_summary);
    }
}

/* The positive controls: key material planted on the scanned stack, or in a register right
 * before the registers are saved, is found. */
static void expect_found(void (*op)(void), const char *what) {
    int hits = run_and_scan(op, NULL);
    check_count++;
    if (hits == 0) {
        check_failures++;
        fprintf(stderr, "%s:%d: key material %s was not found on the scanned stack [%s]\n",
                __FILE__, __LINE__, what, cpu_summary);
    }
}

/* ---- how the shared library was linked --------------------------------------------------- */
static int found_library, library_bind_now;

static int inspect_object(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    (void)data;
    if (info->dlpi_name == NULL || strstr(info->dlpi_name, "libdstoken") == NULL) return 0;
    found_library = 1;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        if (info->dlpi_phdr[i].p_type != PT_DYNAMIC) continue;
        const ElfW(Dyn) *dyn = (const ElfW(Dyn) *)(info->dlpi_addr + info->dlpi_phdr[i].p_vaddr);
        for (; dyn->d_tag != DT_NULL; dyn++) {
            if (dyn->d_tag == DT_FLAGS && (dyn->d_un.d_val & DF_BIND_NOW) != 0) library_bind_now = 1;
            if (dyn->d_tag == DT_FLAGS_1 && (dyn->d_un.d_val & DF_1_NOW) != 0) library_bind_now = 1;
        }
    }
    return 1;
}

/* Whether the executable itself is linked -z now (then ld.so installs no lazy resolver). */
static int inspect_executable(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    (void)data;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        if (info->dlpi_phdr[i].p_type != PT_DYNAMIC) continue;
        const ElfW(Dyn) *dyn = (const ElfW(Dyn) *)(info->dlpi_addr + info->dlpi_phdr[i].p_vaddr);
        for (; dyn->d_tag != DT_NULL; dyn++) {
            if (dyn->d_tag == DT_FLAGS && (dyn->d_un.d_val & DF_BIND_NOW) != 0) exe_bind_now = 1;
            if (dyn->d_tag == DT_FLAGS_1 && (dyn->d_un.d_val & DF_1_NOW) != 0) exe_bind_now = 1;
        }
    }
    return 1; /* the executable comes first */
}

/* With DSTOKEN_EXPECT_SHARED set (the shared-library runs), libdstoken must be loaded and
 * marked BIND_NOW: every symbol it calls is resolved when it is loaded, never during a call. */
static void check_bind_now(void) {
    dl_iterate_phdr(inspect_object, NULL);
    if (getenv("DSTOKEN_EXPECT_SHARED") == NULL) {
        printf("libdstoken %s\n", found_library ? "loaded as a shared object" : "linked statically");
        return;
    }
    CHECK(found_library);
    CHECK(library_bind_now);
}

int main(void) {
    setup_registers();
    dl_iterate_phdr(inspect_executable, NULL);
    describe_cpu();
    printf("%s\n", cpu_summary);
    fflush(stdout);
    /* CMake's runs that force a resolver (GLIBC_TUNABLES) check they got it; without XSAVE,
     * glibc falls back from XSAVE to FXSAVE. */
    const char *want = getenv("DSTOKEN_EXPECT_RESOLVER");
    if (want != NULL && strcmp(want, "xsave") == 0 && !xs.use_xsave) want = "fxsave";
    check_count++;
    if (want != NULL && strcmp(want, resolver_name) != 0) {
        check_failures++;
        fprintf(stderr, "%s:%d: ld.so's lazy resolver saves with %s, this run expected %s [%s]\n",
                __FILE__, __LINE__, resolver_name, want, cpu_summary);
    }

    derive();
    build_patterns();

    dst_key *other = NULL;
    CHECK_STATUS(dst_key_new((const uint8_t *)"another key", 11, &other), DST_OK);
    claims = dst_claims_new();
    CHECK_STATUS(dst_claims_set_team_id(claims, "team"), DST_OK);
    CHECK_STATUS(dst_claims_set_room(claims, "room"), DST_OK);
    CHECK_STATUS(dst_claims_set_user_name(claims, "a user whose name makes the payload longer"), DST_OK);
    /* An exp (2100-01-01): dst_verify requires one. */
    CHECK_STATUS(dst_claims_set_expires_at(claims, 4102444800), DST_OK);
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
    dst_claims *old = dst_claims_clone(claims);
    CHECK_STATUS(dst_claims_set_expires_at(old, 1000000000), DST_OK);
    CHECK_STATUS(dst_sign(old, main_key, &expired_token), DST_OK);
    dst_claims_free(old);
    test_own_sha256_and_midstates();
    add_expected_tag_of_forged_token();

    /* The scan finds key material when it is there: on the stack, and in each class of
     * registers the spill saves. */
    expect_found(op_plant, "copied into a stack frame");
#ifdef HAVE_SPILL
    if (xs.error == NULL) {
        plant_source = block_ipad;
        expect_found(op_plant_xmm, "in XMM7");
        if (xs.avx) expect_found(op_plant_ymm_upper, "in YMM7's upper half");
        if (xs.avx512) expect_found(op_plant_zmm_upper, "in ZMM7's upper half");
        if (xs.avx512) expect_found(op_plant_zmm31, "in ZMM31");
    }
#endif

    expect_clean(op_key_new_free, "dst_key_new + dst_key_free");
    expect_clean(op_key_new_long, "dst_key_new (100-byte key) + dst_key_free");
    expect_clean(op_sign, "dst_sign");
    expect_clean(op_sign_into, "dst_sign_into");
    expect_clean(op_mint, "dst_mint");
    expect_clean(op_mint_into, "dst_mint_into");
    expect_clean(op_mint_url, "dst_mint_url");
    expect_clean(op_verify, "dst_verify (valid token)");
    expect_clean(op_verify_bad_signature, "dst_verify (bad signature)");
    expect_clean(op_verify_expired, "dst_verify (expired token)");
    expect_clean(op_key_new_text_free, "dst_key_new_text + dst_key_free");
    expect_clean(op_verify_opts, "dst_verify_opts (valid token, claim mismatch)");
    expect_clean(op_verify_opts_bad_signature, "dst_verify_opts (bad signature)");
    check_bind_now();
    CHECK(op_failures == 0);

    dst_string_free(good_token);
    dst_string_free(forged_token);
    dst_string_free(expired_token);
    dst_claims_free(claims);
    dst_key_free(main_key);
    return check_report("test_stack_secrets");
}
