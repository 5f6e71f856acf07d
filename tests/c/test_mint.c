/* The one-call mint from C: DST_ROOM_TOKEN_INIT, dst_room_token_init, dst_mint, dst_mint_into
 * (buffer protocol), dst_mint_url, errors; then every case of the shared vectors
 * (DSTOKEN_VECTORS names tests/vectors/vectors.json) byte for byte on the mint and builder
 * paths, sign_errors by status, verify cases by status and claims. */
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "check.h"
#include "json_min.h"

static const char KEY[] = "0123456789abcdef0123456789abcdef";

static dst_key *make_key(const uint8_t *bytes, size_t len) {
    dst_key *k = NULL;
    CHECK_STATUS(dst_key_new(bytes, len, &k), DST_OK);
    return k;
}

static void api_tests(void) {
    dst_key *key = make_key((const uint8_t *)KEY, strlen(KEY));
    dst_room_token t = DST_ROOM_TOKEN_INIT;
    CHECK(t.struct_size == sizeof(dst_room_token));
    CHECK(t.team_id == NULL && t.avatar == NULL && t.now == 0 && t.lifetime_seconds == 0);

    dst_room_token u;
    memset(&u, 0xab, sizeof u);
    CHECK_STATUS(dst_room_token_init(&u), DST_OK); /* the macro: this header's version */
    CHECK(u.struct_size == sizeof u && u.team_id == NULL && u.expires_at == 0 && !u.no_expiry);
    CHECK_ERROR(dst_room_token_init_size(NULL, sizeof u), DST_ERR_NULL_ARGUMENT, "token");
    /* The function itself (what version-1 programs call) writes version 1 only. */
    memset(&u, 0xab, sizeof u);
    CHECK_STATUS((dst_room_token_init)(&u), DST_OK);
    CHECK(u.struct_size == offsetof(dst_room_token, no_expiry) && u.now == 0 && u.team_id == NULL);
    CHECK(((const unsigned char *)&u)[offsetof(dst_room_token, no_expiry)] == 0xab);
    CHECK_ERROR((dst_room_token_init)(NULL), DST_ERR_NULL_ARGUMENT, "token");
    CHECK_ERROR(dst_room_token_init_size(&u, sizeof u + 1), DST_ERR_INVALID_ARGUMENT, "size");

    /* The benchmark workload: 288 bytes, same as the builder path. */
    t.team_id = "b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f";
    t.room = "daily-standup";
    t.user_name = "John Smith";
    t.user_id = "user-000001";
    t.role = "moderator";
    t.issued_at = 1767225600;
    t.expires_at = 1767229200;
    t.now = 1767225600 - 60; /* explicit mode: the time exp must be after (not the clock's) */
    char *token = NULL;
    CHECK_STATUS(dst_mint(&t, key, &token), DST_OK);
    CHECK(token != NULL && strlen(token) == 288);

    dst_claims *c = dst_claims_new();
    CHECK_STATUS(dst_claims_set_team_id(c, t.team_id), DST_OK);
    CHECK_STATUS(dst_claims_set_room(c, t.room), DST_OK);
    CHECK_STATUS(dst_claims_set_user_name(c, t.user_name), DST_OK);
    CHECK_STATUS(dst_claims_set_user_id(c, t.user_id), DST_OK);
    CHECK_STATUS(dst_claims_set_role(c, t.role), DST_OK);
    CHECK_STATUS(dst_claims_set_issued_at(c, t.issued_at), DST_OK);
    CHECK_STATUS(dst_claims_set_expires_at(c, t.expires_at), DST_OK);
    char *built = NULL;
    CHECK_STATUS(dst_sign(c, key, &built), DST_OK);
    CHECK_STR(token, built);
    dst_string_free(built);
    dst_claims_free(c);

    /* Buffer protocol. */
    size_t len = 0;
    CHECK_ERROR(dst_mint_into(&t, key, NULL, 0, &len), DST_ERR_BUFFER_TOO_SMALL, "cap");
    CHECK(len == 288);
    char small[288];
    memset(small, '#', sizeof small);
    len = 0;
    CHECK_STATUS(dst_mint_into(&t, key, small, sizeof small, &len), DST_ERR_BUFFER_TOO_SMALL);
    CHECK(len == 288 && small[0] == '#' && small[287] == '#');
    char buf[289];
    CHECK_STATUS(dst_mint_into(&t, key, buf, sizeof buf, &len), DST_OK);
    CHECK(len == 288);
    CHECK_STR(buf, token);
    CHECK_ERROR(dst_mint_into(&t, key, NULL, 5, &len), DST_ERR_NULL_ARGUMENT, "buf");
    /* A `cap` above PTRDIFF_MAX is no buffer's size: refused, nothing written. */
    memset(small, '#', sizeof small);
    len = 7;
    CHECK_ERROR(dst_mint_into(&t, key, small, SIZE_MAX, &len), DST_ERR_INVALID_ARGUMENT, "PTRDIFF_MAX");
    CHECK(len == 7 && small[0] == '#');

    /* Join URL. */
    char *url = NULL;
    CHECK_STATUS(dst_mint_url(&t, key, "acme", &url), DST_OK);
    char want[400];
    snprintf(want, sizeof want, "https://acme.digitalsamba.com/daily-standup?token=%s", token);
    CHECK_STR(url, want);
    dst_string_free(url);
    url = NULL;
    CHECK_ERROR(dst_mint_url(&t, key, "bad host", &url), DST_ERR_INVALID_ARGUMENT, "team");
    /* A team's custom domain, lowercased; ports and IP literals refused. */
    CHECK_STATUS(dst_mint_url(&t, key, "Meet.Example.com", &url), DST_OK);
    snprintf(want, sizeof want, "https://meet.example.com/daily-standup?token=%s", token);
    CHECK_STR(url, want);
    dst_string_free(url);
    url = NULL;
    CHECK_ERROR(dst_mint_url(&t, key, "127.0.0.1:8080", &url), DST_ERR_INVALID_ARGUMENT, "port");
    CHECK(url == NULL);
    CHECK(url == NULL);
    char token_copy[289];
    snprintf(token_copy, sizeof token_copy, "%s", token);
    dst_string_free(token);

    /* Errors name what is wrong; out-pointers stay untouched. */
    char *out = NULL;
    CHECK_ERROR(dst_mint(NULL, key, &out), DST_ERR_NULL_ARGUMENT, "token");
    CHECK_ERROR(dst_mint(&t, NULL, &out), DST_ERR_NULL_ARGUMENT, "key");
    CHECK_ERROR(dst_mint(&t, key, NULL), DST_ERR_NULL_ARGUMENT, "token_out");
    dst_room_token e = t;
    e.user_name = "bad \xff utf-8";
    CHECK_ERROR(dst_mint(&e, key, &out), DST_ERR_INVALID_UTF8, "token->user_name");
    e = t;
    e.room = NULL;
    CHECK_ERROR(dst_mint(&e, key, &out), DST_ERR_MISSING_CLAIM, "\"rd\"");
    e = t;
    e.team_id = "";
    CHECK_ERROR(dst_mint(&e, key, &out), DST_ERR_INVALID_ARGUMENT, "\"td\"");
    e = t;
    e.lifetime_seconds = 60; /* with explicit times */
    CHECK_ERROR(dst_mint(&e, key, &out), DST_ERR_INVALID_ARGUMENT, "mutually exclusive");
    e = t;
    e.issued_at = e.expires_at = 0;
    e.not_before_skew_seconds = 30; /* without lifetime_seconds */
    CHECK_ERROR(dst_mint(&e, key, &out), DST_ERR_INVALID_ARGUMENT, "not_before_skew_seconds");
    CHECK(out == NULL);

    /* An expiry is required: no exp without no_expiry is refused, naming the
     * fields to set; no_expiry together with an expiry is refused too. */
    e = t;
    e.expires_at = 0;
    CHECK_ERROR(dst_mint(&e, key, &out), DST_ERR_INVALID_ARGUMENT, "expires_at");
    CHECK_ERROR(dst_mint(&e, key, &out), DST_ERR_INVALID_ARGUMENT, "lifetime_seconds");
    CHECK_ERROR(dst_mint(&e, key, &out), DST_ERR_INVALID_ARGUMENT, "no_expiry");
    len = 5;
    CHECK_ERROR(dst_mint_into(&e, key, buf, sizeof buf, &len), DST_ERR_INVALID_ARGUMENT, "no_expiry");
    CHECK(len == 5);
    CHECK_ERROR(dst_mint_url(&e, key, "acme", &url), DST_ERR_INVALID_ARGUMENT, "no_expiry");
    CHECK(out == NULL && url == NULL);
    e.lifetime_seconds = -60; /* a negative lifetime is no expiry either */
    e.issued_at = 0;
    CHECK_ERROR(dst_mint(&e, key, &out), DST_ERR_INVALID_ARGUMENT, "lifetime_seconds");
    e.lifetime_seconds = 0;
    e.issued_at = t.issued_at;
    e.no_expiry = true;
    CHECK_STATUS(dst_mint(&e, key, &out), DST_OK);
    CHECK(out != NULL && strlen(out) < 288);
    dst_string_free(out);
    out = NULL;
    e.expires_at = t.expires_at; /* both: contradictory */
    CHECK_ERROR(dst_mint(&e, key, &out), DST_ERR_INVALID_ARGUMENT, "no_expiry is set");
    CHECK(out == NULL);

    /* Times to sign: [0, DST_MAX_SIGN_TIME], milliseconds named as such, and
     * no token already expired at `now` (or the clock). */
    CHECK(DST_MAX_SIGN_TIME == 253402300799LL && DST_MAX_SIGN_TIME < DST_MAX_TIME_SECONDS);
    e = t;
    e.expires_at = 1767229200000LL;
    CHECK_ERROR(dst_mint(&e, key, &out), DST_ERR_INVALID_ARGUMENT, "looks like milliseconds");
    e.expires_at = DST_MAX_SIGN_TIME;
    CHECK_STATUS(dst_mint(&e, key, &out), DST_OK);
    dst_string_free(out);
    out = NULL;
    e.issued_at = -1;
    CHECK_ERROR(dst_mint(&e, key, &out), DST_ERR_INVALID_ARGUMENT, "before 1970");
    e = t;
    e.now = e.expires_at;
    CHECK_ERROR(dst_mint(&e, key, &out), DST_ERR_INVALID_ARGUMENT, "2026-01-01T01:00:00Z");
    e.now = 0; /* the system clock: 2026-01-01T01:00:00Z is past */
    if ((int64_t)time(NULL) >= e.expires_at)
        CHECK_ERROR(dst_mint(&e, key, &out), DST_ERR_INVALID_ARGUMENT, "would be expired");
    e.now = 1767225600LL * 1000;
    CHECK_ERROR(dst_mint(&e, key, &out), DST_ERR_INVALID_ARGUMENT, "now is 1767225600000");
    dst_claims *cl = dst_claims_new();
    CHECK_ERROR(dst_claims_set_expires_at(cl, 1767229200000LL), DST_ERR_INVALID_ARGUMENT, "milliseconds");
    CHECK_ERROR(dst_claims_set_json(cl, "exp", "1767229200000"), DST_ERR_INVALID_ARGUMENT, "milliseconds");
    CHECK_ERROR(dst_claims_set_issued_at(cl, -5), DST_ERR_INVALID_ARGUMENT, "1970");
    CHECK_STATUS(dst_claims_set_expires_at(cl, 0), DST_OK);
    dst_claims_free(cl);
    CHECK(out == NULL);

    /* Overlapping buffers: the output over an input string is refused and
     * nothing is written (it used to return DST_OK and a wrong token). */
    {
        _Alignas(size_t) char arena[600];
        memset(arena, '#', sizeof arena);
        strcpy(arena + 300, "John Smith");
        e = t;
        e.user_name = arena + 300;
        len = 5;
        CHECK_ERROR(dst_mint_into(&e, key, arena, sizeof arena, &len), DST_ERR_INVALID_ARGUMENT,
                    "overlaps `token->user_name`");
        CHECK(len == 5 && arena[0] == '#' && strcmp(arena + 300, "John Smith") == 0);
        CHECK_ERROR(dst_mint_into(&e, key, (char *)&e, sizeof e, &len), DST_ERR_INVALID_ARGUMENT, "overlaps `token`");
        CHECK_STATUS(dst_mint_into(&e, key, arena, 300, &len), DST_OK); /* ends where the name starts */
        CHECK_STR(arena, token_copy);
        size_t *len_in = (size_t *)(void *)(arena + 400); /* aligned: 400 is a multiple of 8 */
        CHECK_ERROR(dst_mint_into(&e, key, arena + 320, 280, len_in), DST_ERR_INVALID_ARGUMENT, "overlaps `len_out`");
    }

    /* struct_size: version 1's size (up to `now`, no no_expiry), version 2's
     * (sizeof), or a later version's (larger, a multiple of the alignment, zero tail); nothing
     * else, 121..127 on LP64 included. */
    {
        const size_t v1 = offsetof(dst_room_token, no_expiry), v2 = sizeof(dst_room_token);
        const size_t align = _Alignof(dst_room_token);
        CHECK(v1 < v2 && v2 % align == 0);
        static union {
            dst_room_token t;
            unsigned char bytes[4200];
        } big;
        memset(&big, 0, sizeof big);
        big.t = t;
        big.t.no_expiry = false;
        for (size_t size = 0; size <= 4200; size++) {
            big.t.struct_size = size;
            int known = size == v1 || size == v2 || (size > v2 && size <= 4096 && size % align == 0);
            dst_status s = dst_mint(&big.t, key, &out);
            if (known) {
                CHECK_STATUS(s, DST_OK);
                CHECK_STR(out, token_copy);
                dst_string_free(out);
                out = NULL;
            } else {
                CHECK(s == DST_ERR_INVALID_ARGUMENT && strstr(dst_last_error_message(), "struct_size") != NULL);
            }
        }
        /* A later version's unknown field that is set is refused, never ignored. */
        big.t.struct_size = v2 + align;
        big.bytes[v2] = 1;
        CHECK_ERROR(dst_mint(&big.t, key, &out), DST_ERR_INVALID_ARGUMENT, "struct_size");
        big.bytes[v2] = 0;
        /* A version-1 caller cannot ask for no_expiry: the byte past v1 is not read. */
        big.t.expires_at = 0;
        big.t.no_expiry = true;
        big.t.struct_size = v1;
        CHECK_ERROR(dst_mint(&big.t, key, &out), DST_ERR_INVALID_ARGUMENT, "no_expiry");
        big.t.struct_size = v2;
        CHECK_STATUS(dst_mint(&big.t, key, &out), DST_OK);
        dst_string_free(out);
        out = NULL;
    }
    e = t;
    e.struct_size = 0;
    CHECK_ERROR(dst_mint(&e, key, &out), DST_ERR_INVALID_ARGUMENT, "DST_ROOM_TOKEN_INIT");
    CHECK(out == NULL);

    /* Relative mode from the system clock: iat within a second or two, exp = iat + 600. */
    e = t;
    e.issued_at = e.expires_at = e.now = 0;
    e.lifetime_seconds = 600;
    e.not_before_skew_seconds = 30;
    CHECK_STATUS(dst_mint(&e, key, &out), DST_OK);
    dst_claims *v = NULL;
    CHECK_STATUS(dst_verify(out, key, (int64_t)time(NULL), 5, &v), DST_OK);
    int64_t iat = 0, nbf = 0, exp = 0;
    CHECK_STATUS(dst_claims_get_int(v, "iat", &iat), DST_OK);
    CHECK_STATUS(dst_claims_get_int(v, "nbf", &nbf), DST_OK);
    CHECK_STATUS(dst_claims_get_int(v, "exp", &exp), DST_OK);
    CHECK(llabs((long long)(iat - (int64_t)time(NULL))) <= 2 && nbf == iat - 30 && exp == iat + 600);
    dst_claims_free(v);
    dst_string_free(out);
    dst_key_free(key);
}

/* ---- the shared vectors ---------------------------------------------------------------- */

static size_t unhex(const char *hex, uint8_t *out, size_t cap) {
    size_t n = strlen(hex) / 2;
    for (size_t i = 0; i < n && i < cap; i++) {
        unsigned b = 0;
        sscanf(hex + 2 * i, "%2x", &b);
        out[i] = (uint8_t)b;
    }
    return n < cap ? n : cap;
}

static dst_key *case_key(const jv *c) {
    uint8_t bytes[256];
    size_t n = unhex(jv_str(c, "key_hex"), bytes, sizeof bytes);
    return make_key(bytes, n);
}

static dst_room_token room_token(const jv *t) {
    dst_room_token r = DST_ROOM_TOKEN_INIT;
    r.team_id = jv_str(t, "team_id");
    r.room = jv_str(t, "room");
    r.user_name = jv_str(t, "user_name");
    r.user_id = jv_str(t, "user_id");
    r.initials = jv_str(t, "initials");
    r.role = jv_str(t, "role");
    r.breakout_id = jv_str(t, "breakout_id");
    r.avatar = jv_str(t, "avatar");
    r.issued_at = jv_int(t, "issued_at", 0);
    r.not_before = jv_int(t, "not_before", 0);
    r.expires_at = jv_int(t, "expires_at", 0);
    r.lifetime_seconds = jv_int(t, "lifetime_seconds", 0);
    r.not_before_skew_seconds = jv_int(t, "not_before_skew_seconds", 0);
    r.now = jv_int(t, "now", 0);
    r.no_expiry = jv_bool(t, "no_expiry", 0) != 0;
    return r;
}

/* The one-call path: dst_mint, cross-checked with dst_mint_into. */
static dst_status mint(const jv *c, char **token) {
    dst_room_token t = room_token(jv_get(c, "token"));
    dst_key *key = case_key(c);
    dst_status s = dst_mint(&t, key, token);
    size_t len = 0;
    dst_status s2 = dst_mint_into(&t, key, NULL, 0, &len);
    if (s == DST_OK) {
        CHECK(s2 == DST_ERR_BUFFER_TOO_SMALL && len == strlen(*token));
        char *buf = (char *)malloc(len + 1);
        CHECK_STATUS(dst_mint_into(&t, key, buf, len + 1, &len), DST_OK);
        CHECK_STR(buf, *token);
        free(buf);
    } else {
        CHECK(s2 == s);
    }
    dst_key_free(key);
    return s;
}

/* The builder path: setters in order, relative times as explicit ones, custom claims. */
static dst_status builder(const jv *c, char **token) {
    const jv *t = jv_get(c, "token");
    static const char *fields[8] = {"team_id", "room",    "user_name",   "user_id",
                                    "initials", "role",   "breakout_id", "avatar"};
    dst_status (*setters[8])(dst_claims *, const char *) = {
        dst_claims_set_team_id, dst_claims_set_room, dst_claims_set_user_name, dst_claims_set_user_id,
        dst_claims_set_initials, dst_claims_set_role, dst_claims_set_breakout_id, dst_claims_set_avatar};
    dst_key *key = case_key(c);
    dst_claims *claims = dst_claims_new();
    dst_status s = DST_OK;
    for (int i = 0; i < 8 && s == DST_OK; i++)
        if (jv_str(t, fields[i])) s = setters[i](claims, jv_str(t, fields[i]));
    int64_t iat, nbf, exp;
    if (jv_get(t, "lifetime_seconds")) {
        int64_t now = jv_int(t, "now", 0);
        iat = now;
        nbf = jv_get(t, "not_before_skew_seconds") ? now - jv_int(t, "not_before_skew_seconds", 0) : 0;
        exp = now + jv_int(t, "lifetime_seconds", 0);
    } else {
        iat = jv_int(t, "issued_at", 0);
        nbf = jv_int(t, "not_before", 0);
        exp = jv_int(t, "expires_at", 0);
    }
    if (s == DST_OK && iat) s = dst_claims_set_issued_at(claims, iat);
    if (s == DST_OK && nbf) s = dst_claims_set_not_before(claims, nbf);
    if (s == DST_OK && exp) s = dst_claims_set_expires_at(claims, exp);
    const jv *custom = jv_get(c, "custom");
    for (size_t i = 0; custom && i < custom->n && s == DST_OK; i++)
        s = dst_claims_set_json(claims, custom->items[i].items[0].str, custom->items[i].items[1].str);
    if (s == DST_OK) s = dst_sign(claims, key, token);
    dst_claims_free(claims);
    dst_key_free(key);
    return s;
}

static void vector_tests(const char *path) {
    char *text = NULL;
    jv root;
    if (jv_load(path, &text, &root) != 0) {
        fprintf(stderr, "cannot read or parse %s\n", path);
        check_failures++;
        free(text);
        return;
    }
    const jv *sign = jv_get(&root, "sign"), *errors = jv_get(&root, "sign_errors"), *verify = jv_get(&root, "verify");
    const jv *mint_errors = jv_get(&root, "mint_errors");
    CHECK(sign && errors && verify && sign->n >= 10 && errors->n >= 5 && verify->n >= 10);
    CHECK(mint_errors && mint_errors->n >= 10);
    size_t n_mint = 0;
    for (size_t i = 0; sign && i < sign->n; i++) {
        const jv *c = &sign->items[i];
        const char *want = jv_str(c, "jwt");
        char *token = NULL;
        CHECK_STATUS(builder(c, &token), DST_OK);
        if (token == NULL || strcmp(token, want) != 0) {
            check_failures++;
            fprintf(stderr, "sign %s (builder): got %s\n", jv_str(c, "name"), token ? token : "(null)");
        }
        dst_string_free(token);
        if (jv_get(c, "custom") == NULL) {
            token = NULL;
            CHECK_STATUS(mint(c, &token), DST_OK);
            if (token == NULL || strcmp(token, want) != 0) {
                check_failures++;
                fprintf(stderr, "sign %s (mint): got %s\n", jv_str(c, "name"), token ? token : "(null)");
            }
            dst_string_free(token);
            n_mint++;
        }
    }
    CHECK(n_mint >= 10);
    for (size_t i = 0; errors && i < errors->n; i++) {
        const jv *c = &errors->items[i];
        char *token = NULL;
        dst_status a = mint(c, &token), b = builder(c, &token);
        CHECK(token == NULL);
        if (strcmp(dst_status_name((int)a), jv_str(c, "status")) != 0 ||
            strcmp(dst_status_name((int)b), jv_str(c, "status")) != 0) {
            check_failures++;
            fprintf(stderr, "sign_errors %s: mint %s, builder %s, want %s\n", jv_str(c, "name"),
                    dst_status_name((int)a), dst_status_name((int)b), jv_str(c, "status"));
        }
    }
    /* mint_errors: the mint's own refusals (expiry required, times, already expired). A case
     * with "custom" (a registered name through a binding's custom-claim entry point) has no C
     * counterpart: the C mint has no custom claims and the generic setters accept registered
     * names (documented), so only check it is otherwise mintable. */
    static const char *registered[] = {"td", "rd", "u", "ud", "initials", "role", "breakoutId", "avatar", "iat", "nbf", "exp"};
    for (size_t i = 0; mint_errors && i < mint_errors->n; i++) {
        const jv *c = &mint_errors->items[i];
        const jv *custom = jv_get(c, "custom");
        char *token = NULL;
        dst_status s = mint(c, &token);
        if (custom) {
            int known = 0;
            for (size_t k = 0; k < sizeof registered / sizeof *registered; k++)
                known |= strcmp(custom->items[0].items[0].str, registered[k]) == 0;
            CHECK(known && s == DST_OK);
            dst_string_free(token);
            continue;
        }
        CHECK(token == NULL);
        const char *name = jv_str(c, "name"), *want = jv_str(c, "status");
        CHECK(name != NULL && want != NULL);
        if (name == NULL || want == NULL) continue;
        check_count++;
        if (strcmp(dst_status_name((int)s), want) != 0) {
            check_failures++;
            fprintf(stderr, "mint_errors %s: got %s, want %s\n", name, dst_status_name((int)s), want);
        }
        const jv *words = jv_get(c, "message_contains");
        for (size_t k = 0; words && k < words->n; k++) {
            check_count++;
            if (strstr(dst_last_error_message(), words->items[k].str) == NULL) {
                check_failures++;
                fprintf(stderr, "mint_errors %s: message %s lacks %s\n", name, dst_last_error_message(),
                        words->items[k].str);
            }
        }
    }
    for (size_t i = 0; verify && i < verify->n; i++) {
        const jv *c = &verify->items[i];
        dst_key *key = case_key(c);
        dst_claims *claims = NULL;
        dst_status s = dst_verify(jv_str(c, "jwt"), key, jv_int(c, "now", 0), (uint32_t)jv_int(c, "leeway", 0), &claims);
        check_count++;
        if (strcmp(dst_status_name((int)s), jv_str(c, "status")) != 0) {
            check_failures++;
            fprintf(stderr, "verify %s: got %s (%s), want %s\n", jv_str(c, "name"), dst_status_name((int)s),
                    dst_last_error_message(), jv_str(c, "status"));
        }
        if (s == DST_OK) {
            char *json = NULL;
            char *want = jv_compact(jv_get(c, "claims"));
            CHECK_STATUS(dst_claims_to_json(claims, &json), DST_OK);
            CHECK_STR(json, want);
            dst_string_free(json);
            free(want);
        }
        dst_claims_free(claims);
        dst_key_free(key);
    }
    printf("vectors: %zu sign (%zu through the mint), %zu sign_errors, %zu mint_errors, %zu verify\n",
           sign ? sign->n : 0, n_mint, errors ? errors->n : 0, mint_errors ? mint_errors->n : 0,
           verify ? verify->n : 0);
    jv_free(&root);
    free(text);
}

int main(void) {
    api_tests();
    const char *path = getenv("DSTOKEN_VECTORS");
    if (path == NULL) {
        fprintf(stderr, "DSTOKEN_VECTORS is not set (ctest sets it to tests/vectors/vectors.json)\n");
        return 1;
    }
    vector_tests(path);
    return check_report("test_mint");
}
