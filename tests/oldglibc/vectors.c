/* The shared test vectors (tests/vectors/vectors.json) through a shipped libdstoken, on an older
 * userland: tests/oldglibc.sh builds this with `zig cc -target x86_64-linux-gnu.2.17` (anything
 * linked on the build machine itself would need its newer glibc), links it against the
 * libdstoken.so taken out of the wheel, and runs it chrooted in a Debian 11 root.
 *
 *   vectors VECTORS.JSON [JNI_GLUE.so SYMBOL]
 *
 * Every "sign" vector is minted through the claim-set API (dst_claims_* + dst_sign, which signs
 * exactly what it is given; relative times are resolved here from the vector's `now`, custom
 * claims set with dst_claims_set_json) and must
 * give the vector's token byte for byte; every "verify" vector must give its status. With
 * JNI_GLUE.so (the glue out of the jar) that library is dlopen()ed too (RTLD_NOW: every
 * symbol it needs from libdstoken and glibc resolved) and must export SYMBOL (one of its
 * Java_org_dstoken_* functions). Prints the glibc it ran on (gnu_get_libc_version) and "N passed, N failed". */
#include <dlfcn.h>
#include <gnu/libc-version.h>
#include <stdio.h>
#include <string.h>

#include "../../include/dstoken.h"
#include "../c/json_min.h"

static int hexval(char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static dst_key *key_of(const jv *v) {
    const char *hex = jv_str(v, "key_hex");
    uint8_t buf[512];
    size_t n = hex ? strlen(hex) / 2 : 0;
    if (hex == NULL || n > sizeof buf) return NULL;
    for (size_t i = 0; i < n; i++) buf[i] = (uint8_t)(hexval(hex[2 * i]) * 16 + hexval(hex[2 * i + 1]));
    dst_key *key = NULL;
    return dst_key_new(buf, n, &key) == DST_OK ? key : NULL;
}

/* The vector's token as claims, in the payload order of dst_mint (td rd u ud initials role
 * breakoutId avatar iat nbf exp). Returns a status; `why` names what failed. */
static dst_status claims_of(const jv *tok, dst_claims *c, const char **why) {
    static const char *known[] = {"team_id", "room", "user_name", "user_id", "initials", "role",
                                  "breakout_id", "avatar", "issued_at", "not_before", "expires_at",
                                  "lifetime_seconds", "not_before_skew_seconds", "now", "no_expiry",
                                  "max_lifetime_seconds", "lifetime_nanos"};
    for (size_t i = 0; i < tok->n; i++) {
        size_t k = 0;
        while (k < sizeof known / sizeof *known && strcmp(known[k], tok->keys[i]) != 0) k++;
        if (k == sizeof known / sizeof *known) {
            *why = tok->keys[i];
            return DST_ERR_INVALID_ARGUMENT;
        }
    }
    struct { const char *field; dst_status (*set)(dst_claims *, const char *); } strs[] = {
        {"team_id", dst_claims_set_team_id}, {"room", dst_claims_set_room},
        {"user_name", dst_claims_set_user_name}, {"user_id", dst_claims_set_user_id},
        {"initials", dst_claims_set_initials}, {"role", dst_claims_set_role},
        {"breakout_id", dst_claims_set_breakout_id}, {"avatar", dst_claims_set_avatar}};
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++) {
        const char *s = jv_str(tok, strs[i].field);
        dst_status st = s ? strs[i].set(c, s) : DST_OK;
        if (st != DST_OK) {
            *why = strs[i].field;
            return st;
        }
    }
    int64_t now = jv_int(tok, "now", 0), life = jv_int(tok, "lifetime_seconds", 0);
    int64_t skew = jv_int(tok, "not_before_skew_seconds", 0);
    int has_iat = jv_get(tok, "issued_at") || life > 0, has_exp = jv_get(tok, "expires_at") || life > 0;
    int has_nbf = jv_get(tok, "not_before") || (life > 0 && skew > 0);
    dst_status st = DST_OK;
    if (has_iat) st = dst_claims_set_issued_at(c, jv_int(tok, "issued_at", now));
    if (st == DST_OK && has_nbf) st = dst_claims_set_not_before(c, jv_int(tok, "not_before", now - skew));
    if (st == DST_OK && has_exp) st = dst_claims_set_expires_at(c, jv_int(tok, "expires_at", now + life));
    if (st != DST_OK) *why = "times";
    return st;
}

/* The vector's custom claims ([name, JSON text] pairs), after the registered ones. */
static dst_status custom_of(const jv *custom, dst_claims *c, const char **why) {
    dst_status st = DST_OK;
    for (size_t i = 0; custom && i < custom->n && st == DST_OK; i++) {
        st = dst_claims_set_json(c, custom->items[i].items[0].str, custom->items[i].items[1].str);
        *why = custom->items[i].items[0].str;
    }
    return st;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s VECTORS.JSON [JNI_GLUE.so SYMBOL]\n", argv[0]);
        return 2;
    }
    printf("glibc %s (%s), libdstoken %s\n", gnu_get_libc_version(), gnu_get_libc_release(), dst_version());
    int passed = 0, failed = 0;
    if (argc > 3) {
        void *glue = dlopen(argv[2], RTLD_NOW | RTLD_LOCAL);
        if (glue != NULL && dlsym(glue, argv[3]) != NULL) {
            printf("ok: dlopen %s (%s found)\n", argv[2], argv[3]);
            passed++;
        } else {
            printf("FAIL: dlopen %s: %s\n", argv[2], glue ? "symbol not found" : dlerror());
            failed++;
        }
    }
    char *text = NULL;
    jv root;
    if (jv_load(argv[1], &text, &root) != 0) {
        fprintf(stderr, "cannot read %s\n", argv[1]);
        return 2;
    }
    const jv *sign = jv_get(&root, "sign"), *verify = jv_get(&root, "verify");
    for (size_t i = 0; sign && i < sign->n; i++) {
        const jv *v = &sign->items[i];
        const char *why = "", *want = jv_str(v, "jwt");
        dst_key *key = key_of(v);
        dst_claims *c = dst_claims_new();
        char *tok = NULL;
        dst_status st = key && c ? claims_of(jv_get(v, "token"), c, &why) : DST_ERR_INTERNAL;
        if (st == DST_OK) st = custom_of(jv_get(v, "custom"), c, &why);
        if (st == DST_OK) st = dst_sign(c, key, &tok);
        int ok = st == DST_OK && want && strcmp(tok, want) == 0;
        printf("%s: sign %s%s%s\n", ok ? "ok" : "FAIL", jv_str(v, "name"), ok ? "" : " ",
               ok ? "" : (st != DST_OK ? dst_status_name(st) : "token differs"));
        if (!ok && *why) printf("  (at %s: %s)\n", why, dst_last_error_message());
        ok ? passed++ : failed++;
        dst_string_free(tok);
        dst_claims_free(c);
        dst_key_free(key);
    }
    for (size_t i = 0; verify && i < verify->n; i++) {
        const jv *v = &verify->items[i];
        dst_key *key = key_of(v);
        dst_claims *out = NULL;
        /* The case's options (exp optional, expected team and room, required claims). */
        const jv *o = jv_get(v, "options"), *eo = o ? jv_get(o, "exp_optional") : NULL;
        const jv *req = o ? jv_get(o, "required") : NULL;
        const char *names[8] = {0};
        size_t nreq = 0;
        for (size_t r = 0; req && req->kind == JV_ARR && r < req->n && r < 8; r++) names[nreq++] = req->items[r].str;
        dst_verify_options opts = DST_VERIFY_OPTIONS_INIT;
        opts.now = jv_int(v, "now", 0);
        opts.leeway_seconds = (uint32_t)jv_int(v, "leeway", 0);
        opts.exp_optional = eo && eo->kind == JV_BOOL && eo->boolean;
        opts.team_id = o ? jv_str(o, "team_id") : NULL;
        opts.room = o ? jv_str(o, "room") : NULL;
        opts.required = names;
        opts.required_len = nreq;
        dst_status st = dst_verify_opts(jv_str(v, "jwt"), key, &opts, &out);
        const char *want = jv_str(v, "status");
        int ok = want && strcmp(dst_status_name(st), want) == 0;
        printf("%s: verify %s -> %s\n", ok ? "ok" : "FAIL", jv_str(v, "name"), dst_status_name(st));
        ok ? passed++ : failed++;
        dst_claims_free(out);
        dst_key_free(key);
    }
    jv_free(&root);
    free(text);
    printf("%d passed, %d failed\n", passed, failed);
    return failed || passed == 0 ? 1 : 0;
}
