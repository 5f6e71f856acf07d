/* A minimal JSON reader for the tests' shared vectors (tests/vectors/vectors.json): objects,
 * arrays, strings (all escapes, surrogate pairs -> UTF-8), numbers (integers read exactly, any
 * other number kept as text), true/false/null. Strict enough for a file we generate; not a
 * general-purpose parser. Compiles as C11 and as C++. */
#ifndef DSTOKEN_TEST_JSON_MIN_H
#define DSTOKEN_TEST_JSON_MIN_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum { JV_NULL, JV_BOOL, JV_NUM, JV_STR, JV_ARR, JV_OBJ } jv_kind;

typedef struct jv {
    jv_kind kind;
    const char *raw; /* the value's text in the source */
    size_t raw_len;
    char *str;       /* JV_STR: decoded UTF-8, NUL-terminated */
    int64_t num;     /* JV_NUM: the integer (when the text is one) */
    int boolean;     /* JV_BOOL */
    struct jv *items; /* JV_ARR / JV_OBJ: n values */
    char **keys;      /* JV_OBJ: n decoded member names */
    size_t n;
} jv;

typedef struct {
    const char *p, *end;
    int error;
} jv_parser;

static inline void jv_ws(jv_parser *s) {
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\n' || *s->p == '\r' || *s->p == '\t')) s->p++;
}

static inline void jv_put_utf8(char **out, uint32_t c) {
    unsigned char *o = (unsigned char *)*out;
    if (c < 0x80) {
        *o++ = (unsigned char)c;
    } else if (c < 0x800) {
        *o++ = (unsigned char)(0xc0 | (c >> 6));
        *o++ = (unsigned char)(0x80 | (c & 0x3f));
    } else if (c < 0x10000) {
        *o++ = (unsigned char)(0xe0 | (c >> 12));
        *o++ = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
        *o++ = (unsigned char)(0x80 | (c & 0x3f));
    } else {
        *o++ = (unsigned char)(0xf0 | (c >> 18));
        *o++ = (unsigned char)(0x80 | ((c >> 12) & 0x3f));
        *o++ = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
        *o++ = (unsigned char)(0x80 | (c & 0x3f));
    }
    *out = (char *)o;
}

static inline int jv_hex4(jv_parser *s, uint32_t *v) {
    *v = 0;
    for (int i = 0; i < 4; i++) {
        if (s->p >= s->end) return 0;
        char c = *s->p++;
        *v <<= 4;
        if (c >= '0' && c <= '9') *v |= (uint32_t)(c - '0');
        else if (c >= 'a' && c <= 'f') *v |= (uint32_t)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') *v |= (uint32_t)(c - 'A' + 10);
        else return 0;
    }
    return 1;
}

/* Reads a string literal at s->p (after the quote check) into a new NUL-terminated buffer. */
static inline char *jv_string(jv_parser *s) {
    if (s->p >= s->end || *s->p != '"') {
        s->error = 1;
        return NULL;
    }
    s->p++;
    char *buf = (char *)malloc((size_t)(s->end - s->p) + 1), *o = buf;
    if (buf == NULL) {
        s->error = 1;
        return NULL;
    }
    while (s->p < s->end && *s->p != '"') {
        char c = *s->p++;
        if (c != '\\') {
            *o++ = c;
            continue;
        }
        if (s->p >= s->end) break;
        char e = *s->p++;
        uint32_t u;
        switch (e) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '/': *o++ = '/'; break;
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'n': *o++ = '\n'; break;
        case 'r': *o++ = '\r'; break;
        case 't': *o++ = '\t'; break;
        case 'u':
            if (!jv_hex4(s, &u)) {
                s->error = 1;
                break;
            }
            if (u >= 0xd800 && u < 0xdc00 && s->end - s->p >= 6 && s->p[0] == '\\' && s->p[1] == 'u') {
                uint32_t lo;
                s->p += 2;
                if (jv_hex4(s, &lo) && lo >= 0xdc00 && lo < 0xe000) u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
                else s->error = 1;
            }
            jv_put_utf8(&o, u);
            break;
        default: s->error = 1;
        }
    }
    if (s->p >= s->end) s->error = 1;
    else s->p++;
    *o = '\0';
    return buf;
}

static inline void jv_free(jv *v);

static inline void jv_value(jv_parser *s, jv *v) {
    memset(v, 0, sizeof *v);
    jv_ws(s);
    v->raw = s->p;
    if (s->p >= s->end) {
        s->error = 1;
        return;
    }
    char c = *s->p;
    if (c == '"') {
        v->kind = JV_STR;
        v->str = jv_string(s);
    } else if (c == '{' || c == '[') {
        int obj = c == '{';
        v->kind = obj ? JV_OBJ : JV_ARR;
        s->p++;
        size_t cap = 0;
        jv_ws(s);
        if (s->p < s->end && *s->p == (obj ? '}' : ']')) {
            s->p++;
        } else {
            for (;;) {
                if (v->n == cap) {
                    cap = cap ? cap * 2 : 8;
                    v->items = (jv *)realloc(v->items, cap * sizeof *v->items);
                    if (obj) v->keys = (char **)realloc(v->keys, cap * sizeof *v->keys);
                    if (v->items == NULL || (obj && v->keys == NULL)) {
                        s->error = 1;
                        return;
                    }
                }
                if (obj) {
                    jv_ws(s);
                    v->keys[v->n] = jv_string(s);
                    jv_ws(s);
                    if (s->p >= s->end || *s->p++ != ':') s->error = 1;
                }
                jv_value(s, &v->items[v->n]);
                v->n++;
                if (s->error) return;
                jv_ws(s);
                if (s->p < s->end && *s->p == ',') {
                    s->p++;
                    continue;
                }
                if (s->p < s->end && *s->p == (obj ? '}' : ']')) {
                    s->p++;
                    break;
                }
                s->error = 1;
                return;
            }
        }
    } else if (strncmp(s->p, "true", 4) == 0 || strncmp(s->p, "false", 5) == 0) {
        v->kind = JV_BOOL;
        v->boolean = c == 't';
        s->p += v->boolean ? 4 : 5;
    } else if (strncmp(s->p, "null", 4) == 0) {
        v->kind = JV_NULL;
        s->p += 4;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
        v->kind = JV_NUM;
        char *num_end = NULL;
        v->num = (int64_t)strtoll(s->p, &num_end, 10);
        s->p = num_end;
        while (s->p < s->end && strchr("0123456789+-.eE", *s->p) != NULL) s->p++;
    } else {
        s->error = 1;
    }
    v->raw_len = (size_t)(s->p - v->raw);
}

static inline void jv_free(jv *v) {
    free(v->str);
    for (size_t i = 0; i < v->n; i++) {
        jv_free(&v->items[i]);
        if (v->keys) free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
}

/* A member of an object, or NULL. */
static inline const jv *jv_get(const jv *o, const char *key) {
    if (o == NULL || o->kind != JV_OBJ) return NULL;
    for (size_t i = 0; i < o->n; i++)
        if (strcmp(o->keys[i], key) == 0) return &o->items[i];
    return NULL;
}

/* A string member, or NULL. */
static inline const char *jv_str(const jv *o, const char *key) {
    const jv *v = jv_get(o, key);
    return v && v->kind == JV_STR ? v->str : NULL;
}

/* An integer member, or `fallback`. */
static inline int64_t jv_int(const jv *o, const char *key, int64_t fallback) {
    const jv *v = jv_get(o, key);
    return v && v->kind == JV_NUM ? v->num : fallback;
}

/* A boolean member, or `fallback`. */
static inline int jv_bool(const jv *o, const char *key, int fallback) {
    const jv *v = jv_get(o, key);
    return v && v->kind == JV_BOOL ? v->boolean : fallback;
}

/* The value's source text without whitespace outside strings (compact JSON, escapes as in the
 * file), in a new buffer. */
static inline char *jv_compact(const jv *v) {
    char *out = (char *)malloc(v->raw_len + 1), *o = out;
    if (out == NULL) return NULL;
    int in_str = 0;
    for (size_t i = 0; i < v->raw_len; i++) {
        char c = v->raw[i];
        if (in_str) {
            *o++ = c;
            if (c == '\\' && i + 1 < v->raw_len) *o++ = v->raw[++i];
            else if (c == '"') in_str = 0;
        } else if (c == '"') {
            in_str = 1;
            *o++ = c;
        } else if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
            *o++ = c;
        }
    }
    *o = '\0';
    return out;
}

/* Reads and parses a whole file; returns 0 on success. `*text` must outlive `*root`. */
static inline int jv_load(const char *path, char **text, jv *root) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) return -1;
    size_t cap = 1 << 16, len = 0;
    char *buf = (char *)malloc(cap);
    size_t got;
    while (buf != NULL && (got = fread(buf + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap) {
            char *bigger = (char *)realloc(buf, cap *= 2);
            if (bigger == NULL) free(buf);
            buf = bigger;
        }
    }
    fclose(f);
    if (buf == NULL) return -1;
    jv_parser s;
    s.p = buf;
    s.end = buf + len;
    s.error = 0;
    jv_value(&s, root);
    *text = buf;
    return s.error ? -1 : 0;
}

#endif
