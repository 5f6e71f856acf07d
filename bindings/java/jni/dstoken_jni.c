/*
 * JNI glue for org.dstoken: converts arguments, calls the C API in dstoken.h, and turns every
 * non-OK status into an org.dstoken.DstokenException. No token logic lives here.
 *
 * Strings arrive as byte[] holding real UTF-8 (Java encodes them strictly) and leave as byte[]
 * for Java to decode: JNI's "modified UTF-8" would corrupt NUL and characters outside the BMP.
 */
#include <jni.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dstoken.h"

#define JNI_FN(name) Java_org_dstoken_Native_##name

/* A byte[] of the NUL-terminated string in a dst_error field of `cap` bytes. */
static jbyteArray bytes_of(JNIEnv *env, const char *s, size_t cap) {
    const char *nul = memchr(s, '\0', cap);
    jsize len = (jsize)(nul != NULL ? (size_t)(nul - s) : cap);
    jbyteArray out = (*env)->NewByteArray(env, len);
    if (out != NULL) (*env)->SetByteArrayRegion(env, out, 0, len, (const jbyte *)s);
    return out;
}

/* Throws the DstokenException (subclass) for a failed call, built by Java from the parts of
 * dst_last_error(): the status, reason, arguments, numbers and strings, copied as they are (Java
 * words the message). Returns 1 if `status` is a failure. */
static int throw_status(JNIEnv *env, dst_status status) {
    if (status == DST_OK) return 0;
    if ((*env)->ExceptionCheck(env)) return 1;
    dst_error e = DST_ERROR_INIT;
    if (!dst_last_error(&e) || e.status != (int32_t)status) {
        /* No parts for this status (cannot happen for a library call): the status alone. */
        dst_error bare = DST_ERROR_INIT;
        e = bare;
        e.status = (int32_t)status;
    }
    jclass cls = (*env)->FindClass(env, "org/dstoken/DstokenException");
    if (cls == NULL) return 1; /* NoClassDefFoundError pending */
    jmethodID make = (*env)->GetStaticMethodID(env, cls, "fromNative", "(IIIIJJJJ[B[B)Lorg/dstoken/DstokenException;");
    if (make == NULL) return 1;
    jbyteArray name = bytes_of(env, e.name, sizeof e.name);
    jbyteArray text = name == NULL ? NULL : bytes_of(env, e.text, sizeof e.text);
    if (name == NULL || text == NULL) return 1; /* OutOfMemoryError pending */
    jobject ex = (*env)->CallStaticObjectMethod(env, cls, make, (jint)e.status, (jint)e.reason, (jint)e.argument,
                                                (jint)e.other, (jlong)e.value, (jlong)e.limit, (jlong)e.time,
                                                (jlong)e.suggested, name, text);
    if (ex != NULL && !(*env)->ExceptionCheck(env)) (*env)->Throw(env, (jthrowable)ex);
    return 1;
}

static void throw_java(JNIEnv *env, const char *cls_name, const char *message) {
    jclass cls = (*env)->FindClass(env, cls_name);
    if (cls != NULL) (*env)->ThrowNew(env, cls, message);
}

/* A NUL-terminated copy of a byte[]: inline when short, heap otherwise. */
typedef struct {
    char *ptr;
    char small[256];
} cstr;

/* Returns 0 with an exception pending on failure. A NULL array gives ptr = NULL when
 * `nullable`, and a NullPointerException naming `what` otherwise. */
static int cstr_from(JNIEnv *env, jbyteArray array, cstr *out, const char *what, int nullable) {
    out->ptr = NULL;
    if (array == NULL) {
        if (nullable) return 1;
        throw_java(env, "java/lang/NullPointerException", what);
        return 0;
    }
    jsize len = (*env)->GetArrayLength(env, array);
    char *p = (size_t)len < sizeof out->small ? out->small : malloc((size_t)len + 1);
    if (p == NULL) {
        throw_java(env, "java/lang/OutOfMemoryError", "dstoken: copying a string argument");
        return 0;
    }
    (*env)->GetByteArrayRegion(env, array, 0, len, (jbyte *)p);
    p[len] = '\0';
    out->ptr = p;
    return 1;
}

static void cstr_free(cstr *s) {
    if (s->ptr != NULL && s->ptr != s->small) free(s->ptr);
    s->ptr = NULL;
}

/* Moves a library-owned string into a new byte[] and frees it. */
static jbyteArray take_bytes(JNIEnv *env, char *s) {
    jsize len = (jsize)strlen(s);
    jbyteArray out = (*env)->NewByteArray(env, len);
    if (out != NULL) (*env)->SetByteArrayRegion(env, out, 0, len, (const jbyte *)s);
    dst_string_free(s);
    return out;
}

static dst_claims *C(jlong h) { return (dst_claims *)(intptr_t)h; }
static dst_key *K(jlong h) { return (dst_key *)(intptr_t)h; }

JNIEXPORT jstring JNICALL JNI_FN(version)(JNIEnv *env, jclass cls) {
    (void)cls;
    return (*env)->NewStringUTF(env, dst_version());
}

/* The version of dstoken.h this glue was compiled against: the jar checks it matches its own. */
JNIEXPORT jstring JNICALL JNI_FN(glueVersion)(JNIEnv *env, jclass cls) {
    (void)cls;
    return (*env)->NewStringUTF(env, DSTOKEN_VERSION_STRING);
}

JNIEXPORT jlong JNICALL JNI_FN(claimsNew)(JNIEnv *env, jclass cls) {
    (void)cls;
    dst_claims *c = dst_claims_new();
    if (c == NULL) throw_status(env, DST_ERR_INTERNAL);
    return (jlong)(intptr_t)c;
}

JNIEXPORT jlong JNICALL JNI_FN(claimsClone)(JNIEnv *env, jclass cls, jlong claims) {
    (void)cls;
    dst_claims *c = dst_claims_clone(C(claims));
    if (c == NULL) throw_status(env, DST_ERR_INTERNAL);
    return (jlong)(intptr_t)c;
}

JNIEXPORT void JNICALL JNI_FN(claimsFree)(JNIEnv *env, jclass cls, jlong claims) {
    (void)env;
    (void)cls;
    dst_claims_free(C(claims));
}

typedef dst_status (*text_setter)(dst_claims *, const char *, const char *);

/* Sets a claim from two byte[] strings with `set` (dst_claims_set_string or _set_json). */
static void set_text(JNIEnv *env, jlong claims, jbyteArray name, jbyteArray value, const char *what,
                     text_setter set) {
    cstr n, v;
    if (!cstr_from(env, name, &n, "name", 0)) return;
    if (cstr_from(env, value, &v, what, 0)) {
        throw_status(env, set(C(claims), n.ptr, v.ptr));
        cstr_free(&v);
    }
    cstr_free(&n);
}

JNIEXPORT void JNICALL JNI_FN(claimsSetString)(JNIEnv *env, jclass cls, jlong claims, jbyteArray name,
                                               jbyteArray value) {
    (void)cls;
    set_text(env, claims, name, value, "value", dst_claims_set_string);
}

JNIEXPORT void JNICALL JNI_FN(claimsSetInt)(JNIEnv *env, jclass cls, jlong claims, jbyteArray name, jlong value) {
    (void)cls;
    cstr n;
    if (!cstr_from(env, name, &n, "name", 0)) return;
    throw_status(env, dst_claims_set_int(C(claims), n.ptr, (int64_t)value));
    cstr_free(&n);
}

JNIEXPORT void JNICALL JNI_FN(claimsSetBool)(JNIEnv *env, jclass cls, jlong claims, jbyteArray name,
                                             jboolean value) {
    (void)cls;
    cstr n;
    if (!cstr_from(env, name, &n, "name", 0)) return;
    throw_status(env, dst_claims_set_bool(C(claims), n.ptr, value == JNI_TRUE));
    cstr_free(&n);
}

JNIEXPORT void JNICALL JNI_FN(claimsSetJson)(JNIEnv *env, jclass cls, jlong claims, jbyteArray name,
                                             jbyteArray json) {
    (void)cls;
    set_text(env, claims, name, json, "json", dst_claims_set_json);
}

JNIEXPORT void JNICALL JNI_FN(claimsSetCustomString)(JNIEnv *env, jclass cls, jlong claims, jbyteArray name,
                                                     jbyteArray value) {
    (void)cls;
    set_text(env, claims, name, value, "value", dst_claims_set_custom_string);
}

JNIEXPORT void JNICALL JNI_FN(claimsSetCustomJson)(JNIEnv *env, jclass cls, jlong claims, jbyteArray name,
                                                   jbyteArray json) {
    (void)cls;
    set_text(env, claims, name, json, "json", dst_claims_set_custom_json);
}

JNIEXPORT void JNICALL JNI_FN(claimsSetCustomInt)(JNIEnv *env, jclass cls, jlong claims, jbyteArray name,
                                                  jlong value) {
    (void)cls;
    cstr n;
    if (!cstr_from(env, name, &n, "name", 0)) return;
    throw_status(env, dst_claims_set_custom_int(C(claims), n.ptr, (int64_t)value));
    cstr_free(&n);
}

JNIEXPORT void JNICALL JNI_FN(claimsSetCustomBool)(JNIEnv *env, jclass cls, jlong claims, jbyteArray name,
                                                   jboolean value) {
    (void)cls;
    cstr n;
    if (!cstr_from(env, name, &n, "name", 0)) return;
    throw_status(env, dst_claims_set_custom_bool(C(claims), n.ptr, value == JNI_TRUE));
    cstr_free(&n);
}

JNIEXPORT void JNICALL JNI_FN(claimsSetLifetime)(JNIEnv *env, jclass cls, jlong claims, jlong now, jlong seconds,
                                                 jint nanos, jlong max_seconds) {
    (void)cls;
    throw_status(env, dst_claims_set_lifetime(C(claims), (int64_t)now, (int64_t)seconds, (uint32_t)nanos,
                                              (int64_t)max_seconds));
}

JNIEXPORT void JNICALL JNI_FN(claimsSetExpiresIn)(JNIEnv *env, jclass cls, jlong claims, jlong seconds) {
    (void)cls;
    throw_status(env, dst_claims_set_expires_in(C(claims), (int64_t)seconds));
}

JNIEXPORT void JNICALL JNI_FN(claimsSetValidity)(JNIEnv *env, jclass cls, jlong claims, jlong skew, jlong lifetime) {
    (void)cls;
    throw_status(env, dst_claims_set_validity(C(claims), (int64_t)skew, (int64_t)lifetime));
}

JNIEXPORT void JNICALL JNI_FN(claimsRemove)(JNIEnv *env, jclass cls, jlong claims, jbyteArray name) {
    (void)cls;
    cstr n;
    if (!cstr_from(env, name, &n, "name", 0)) return;
    throw_status(env, dst_claims_remove(C(claims), n.ptr));
    cstr_free(&n);
}

typedef dst_status (*text_getter)(const dst_claims *, const char *, char **);

static jbyteArray get_text(JNIEnv *env, jlong claims, jbyteArray name, text_getter get) {
    cstr n;
    jbyteArray result = NULL;
    if (!cstr_from(env, name, &n, "name", 0)) return NULL;
    char *out = NULL;
    if (!throw_status(env, get(C(claims), n.ptr, &out))) result = take_bytes(env, out);
    cstr_free(&n);
    return result;
}

JNIEXPORT jbyteArray JNICALL JNI_FN(claimsGetString)(JNIEnv *env, jclass cls, jlong claims, jbyteArray name) {
    (void)cls;
    return get_text(env, claims, name, dst_claims_get_string);
}

JNIEXPORT jbyteArray JNICALL JNI_FN(claimsGetJson)(JNIEnv *env, jclass cls, jlong claims, jbyteArray name) {
    (void)cls;
    return get_text(env, claims, name, dst_claims_get_json);
}

JNIEXPORT jlong JNICALL JNI_FN(claimsGetInt)(JNIEnv *env, jclass cls, jlong claims, jbyteArray name) {
    (void)cls;
    cstr n;
    int64_t v = 0;
    if (!cstr_from(env, name, &n, "name", 0)) return 0;
    throw_status(env, dst_claims_get_int(C(claims), n.ptr, &v));
    cstr_free(&n);
    return (jlong)v;
}

JNIEXPORT jboolean JNICALL JNI_FN(claimsGetBool)(JNIEnv *env, jclass cls, jlong claims, jbyteArray name) {
    (void)cls;
    cstr n;
    bool v = false;
    if (!cstr_from(env, name, &n, "name", 0)) return JNI_FALSE;
    throw_status(env, dst_claims_get_bool(C(claims), n.ptr, &v));
    cstr_free(&n);
    return v ? JNI_TRUE : JNI_FALSE;
}

JNIEXPORT jboolean JNICALL JNI_FN(claimsHas)(JNIEnv *env, jclass cls, jlong claims, jbyteArray name) {
    (void)cls;
    cstr n;
    if (!cstr_from(env, name, &n, "name", 0)) return JNI_FALSE;
    char *out = NULL;
    dst_status s = dst_claims_get_json(C(claims), n.ptr, &out);
    cstr_free(&n);
    dst_string_free(out);
    if (s == DST_ERR_NOT_FOUND) return JNI_FALSE;
    throw_status(env, s);
    return s == DST_OK ? JNI_TRUE : JNI_FALSE;
}

JNIEXPORT jbyteArray JNICALL JNI_FN(claimsToJson)(JNIEnv *env, jclass cls, jlong claims) {
    (void)cls;
    char *out = NULL;
    if (throw_status(env, dst_claims_to_json(C(claims), &out))) return NULL;
    return take_bytes(env, out);
}

/* A key from a byte[] (`text`: the developer key given as a Java string, as UTF-8). */
JNIEXPORT jlong JNICALL JNI_FN(keyNew)(JNIEnv *env, jclass cls, jbyteArray secret, jboolean text) {
    (void)cls;
    if (secret == NULL) {
        throw_java(env, "java/lang/NullPointerException", "secret");
        return 0;
    }
    jsize len = (*env)->GetArrayLength(env, secret);
    uint8_t dummy = 0;
    uint8_t *bytes = len > 0 ? malloc((size_t)len) : &dummy;
    if (bytes == NULL) {
        throw_java(env, "java/lang/OutOfMemoryError", "dstoken: copying the key");
        return 0;
    }
    (*env)->GetByteArrayRegion(env, secret, 0, len, (jbyte *)bytes);
    dst_key *key = NULL;
    dst_status s = text ? dst_key_new_text(bytes, (size_t)len, &key) : dst_key_new(bytes, (size_t)len, &key);
    if (len > 0) {
        /* Wipe our copy of the secret (volatile so the stores are not optimised away). */
        volatile uint8_t *v = bytes;
        for (jsize i = 0; i < len; i++) v[i] = 0;
        free(bytes);
    }
    throw_status(env, s);
    return (jlong)(intptr_t)key;
}

JNIEXPORT void JNICALL JNI_FN(keyFree)(JNIEnv *env, jclass cls, jlong key) {
    (void)env;
    (void)cls;
    dst_key_free(K(key));
}

JNIEXPORT jbyteArray JNICALL JNI_FN(sign)(JNIEnv *env, jclass cls, jlong claims, jlong key) {
    (void)cls;
    char buf[1024];
    size_t len = 0;
    dst_status s = dst_sign_into(C(claims), K(key), buf, sizeof buf, &len);
    if (s == DST_OK) {
        jbyteArray out = (*env)->NewByteArray(env, (jsize)len);
        if (out != NULL) (*env)->SetByteArrayRegion(env, out, 0, (jsize)len, (const jbyte *)buf);
        return out;
    }
    if (s != DST_ERR_BUFFER_TOO_SMALL) {
        throw_status(env, s);
        return NULL;
    }
    char *token = NULL; /* large payload: let the library allocate */
    if (throw_status(env, dst_sign(C(claims), K(key), &token))) return NULL;
    return take_bytes(env, token);
}

/* dst_verify_opts: `team_id`, `room` may be NULL; `required` is a byte[][] of claim names or NULL. */
JNIEXPORT jlong JNICALL JNI_FN(verify)(JNIEnv *env, jclass cls, jbyteArray token, jlong key, jlong now, jint leeway,
                                       jboolean exp_optional, jbyteArray team_id, jbyteArray room,
                                       jobjectArray required) {
    (void)cls;
    cstr t, td, rd;
    dst_claims *out = NULL;
    if (!cstr_from(env, token, &t, "token", 0)) return 0;
    if (!cstr_from(env, team_id, &td, "teamId", 1)) goto free_t;
    if (!cstr_from(env, room, &rd, "room", 1)) goto free_td;
    jsize n = required == NULL ? 0 : (*env)->GetArrayLength(env, required);
    cstr *names = n > 0 ? calloc((size_t)n, sizeof *names) : NULL;
    const char **ptrs = n > 0 ? calloc((size_t)n, sizeof *ptrs) : NULL;
    jsize got = 0;
    if (n > 0 && (names == NULL || ptrs == NULL)) {
        throw_java(env, "java/lang/OutOfMemoryError", "dstoken: copying the required claims");
    } else {
        for (; got < n; got++) {
            jbyteArray b = (jbyteArray)(*env)->GetObjectArrayElement(env, required, got);
            int ok = cstr_from(env, b, &names[got], "required", 0);
            if (b != NULL) (*env)->DeleteLocalRef(env, b);
            if (!ok) break;
            ptrs[got] = names[got].ptr;
        }
        if (got == n) {
            dst_verify_options o = DST_VERIFY_OPTIONS_INIT;
            o.now = (int64_t)now;
            o.leeway_seconds = (uint32_t)leeway;
            o.exp_optional = exp_optional == JNI_TRUE;
            o.team_id = td.ptr;
            o.room = rd.ptr;
            o.required = n > 0 ? ptrs : NULL;
            o.required_len = (size_t)n;
            throw_status(env, dst_verify_opts(t.ptr, K(key), &o, &out));
        }
    }
    for (jsize i = 0; i < got; i++) cstr_free(&names[i]);
    free(names);
    free((void *)ptrs);
    cstr_free(&rd);
free_td:
    cstr_free(&td);
free_t:
    cstr_free(&t);
    return (jlong)(intptr_t)out;
}

/* dst_decode_unverified: returns the claims handle; the header's JSON goes to header_out[0]. */
JNIEXPORT jlong JNICALL JNI_FN(decodeUnverified)(JNIEnv *env, jclass cls, jbyteArray token,
                                                 jobjectArray header_out) {
    (void)cls;
    cstr t;
    if (!cstr_from(env, token, &t, "token", 0)) return 0;
    char *header = NULL;
    dst_claims *out = NULL;
    dst_status s = dst_decode_unverified(t.ptr, &header, &out);
    cstr_free(&t);
    if (throw_status(env, s)) return 0;
    jbyteArray h = take_bytes(env, header);
    if (h == NULL) {
        dst_claims_free(out);
        return 0;
    }
    (*env)->SetObjectArrayElement(env, header_out, 0, h);
    if ((*env)->ExceptionCheck(env)) {
        dst_claims_free(out);
        return 0;
    }
    return (jlong)(intptr_t)out;
}

JNIEXPORT jbyteArray JNICALL JNI_FN(joinUrl)(JNIEnv *env, jclass cls, jbyteArray team, jbyteArray room,
                                             jbyteArray token) {
    (void)cls;
    cstr te, r, to;
    jbyteArray result = NULL;
    if (!cstr_from(env, team, &te, "team", 0)) return NULL;
    if (cstr_from(env, room, &r, "room", 0)) {
        if (cstr_from(env, token, &to, "token", 1)) {
            char *url = NULL;
            if (!throw_status(env, dst_join_url(te.ptr, r.ptr, to.ptr, &url))) result = take_bytes(env, url);
            cstr_free(&to);
        }
        cstr_free(&r);
    }
    cstr_free(&te);
    return result;
}

JNIEXPORT jbyteArray JNICALL JNI_FN(joinUrlOpts)(JNIEnv *env, jclass cls, jbyteArray team, jbyteArray room,
                                                 jbyteArray token, jint flags) {
    (void)cls;
    cstr te, r, to;
    jbyteArray result = NULL;
    if (!cstr_from(env, team, &te, "team", 0)) return NULL;
    if (cstr_from(env, room, &r, "room", 0)) {
        if (cstr_from(env, token, &to, "token", 1)) {
            char *url = NULL;
            if (!throw_status(env, dst_join_url_opts(te.ptr, r.ptr, to.ptr, (uint32_t)flags, &url)))
                result = take_bytes(env, url);
            cstr_free(&to);
        }
        cstr_free(&r);
    }
    cstr_free(&te);
    return result;
}

/* ---- The one-call mint: the Java builder and Dstoken.mint cross the boundary once per token. ---- */

/* Bit 11 of `present`: the token is meant to have no expiry (dst_room_token.no_expiry). */
#define PRESENT_NO_EXPIRY (1 << 11)

/* Fills `tok` from the packed strings (each NUL-terminated, slot order td, rd, u, ud, initials,
 * role, breakoutId, avatar; bit i of `present` = slot i is there; PRESENT_NO_EXPIRY) and the
 * times. `t` is the caller's copy of the packed bytes. */
static void fill_token(dst_room_token *tok, char *t, jsize len, jint present, jlong iat, jlong nbf, jlong exp,
                       jlong lifetime, jint nanos, jlong max_lifetime, jlong skew, jlong now) {
    const char **slots[8] = {&tok->team_id, &tok->room,        &tok->user_name,   &tok->user_id,
                             &tok->initials, &tok->role, &tok->breakout_id, &tok->avatar};
    dst_room_token init = DST_ROOM_TOKEN_INIT;
    *tok = init;
    char *p = t, *end = t + len;
    for (int i = 0; i < 8; i++) {
        if ((present & (1 << i)) && p < end) {
            *slots[i] = p;
            p += strlen(p) + 1;
        }
    }
    tok->issued_at = (int64_t)iat;
    tok->not_before = (int64_t)nbf;
    tok->expires_at = (int64_t)exp;
    tok->lifetime_seconds = (int64_t)lifetime;
    tok->not_before_skew_seconds = (int64_t)skew;
    tok->now = (int64_t)now;
    tok->no_expiry = (present & PRESENT_NO_EXPIRY) != 0;
    tok->lifetime_nanos = (uint32_t)nanos;
    tok->max_lifetime_seconds = (int64_t)max_lifetime;
}

/* Copies the packed strings: into `small` when they fit, else onto the heap (*heap to free). */
static char *packed_copy(JNIEnv *env, jbyteArray text, char *small, size_t cap, jsize *len, char **heap) {
    *heap = NULL;
    *len = (*env)->GetArrayLength(env, text);
    char *t = small;
    if ((size_t)*len + 1 > cap) {
        t = *heap = malloc((size_t)*len + 1);
        if (t == NULL) {
            throw_java(env, "java/lang/OutOfMemoryError", "dstoken: copying the claims");
            return NULL;
        }
    }
    (*env)->GetByteArrayRegion(env, text, 0, *len, (jbyte *)t);
    t[*len] = '\0';
    return t;
}

/* Copies the first `text_len` bytes of the Java array `text` (the claims' values, NUL-separated)
 * and a terminating NUL into `small` when they fit, else into a new heap block stored in
 * `*heap` (the caller frees it). Returns the copy, or NULL with a Java exception pending. */
static char *copy_text(JNIEnv *env, jbyteArray text, jint text_len, char *small, size_t small_cap,
                       char **heap) {
    char *t = small;
    *heap = NULL;
    if (text_len < 0 || text_len > (*env)->GetArrayLength(env, text)) {
        throw_java(env, "java/lang/IllegalArgumentException", "dstoken: bad text length");
        return NULL;
    }
    if ((size_t)text_len + 1 > small_cap) {
        t = *heap = malloc((size_t)text_len + 1);
        if (t == NULL) {
            throw_java(env, "java/lang/OutOfMemoryError", "dstoken: copying the claims");
            return NULL;
        }
    }
    (*env)->GetByteArrayRegion(env, text, 0, text_len, (jbyte *)t);
    t[text_len] = '\0';
    return t;
}

/* Mints into the Java array `out` (pinned, no copy: dst_mint_into is pure computation, so the
 * critical region is short and makes no JNI call). Returns the token's length; when `out` is
 * too small, -(needed + 1) with nothing thrown, so the caller can grow it and call again. */
JNIEXPORT jint JNICALL JNI_FN(mintInto)(JNIEnv *env, jclass cls, jbyteArray text, jint text_len, jint present,
                                        jlong iat, jlong nbf, jlong exp, jlong lifetime, jint nanos,
                                        jlong max_lifetime, jlong skew, jlong now, jlong key, jbyteArray out) {
    (void)cls;
    char small[1024], *heap = NULL;
    char *t = copy_text(env, text, text_len, small, sizeof small, &heap);
    if (t == NULL) return 0;
    dst_room_token tok;
    fill_token(&tok, t, text_len, present, iat, nbf, exp, lifetime, nanos, max_lifetime, skew, now);
    jsize cap = (*env)->GetArrayLength(env, out);
    size_t len = 0;
    char *o = (*env)->GetPrimitiveArrayCritical(env, out, NULL);
    if (o == NULL) {
        free(heap);
        return 0; /* OutOfMemoryError pending */
    }
    dst_status s = dst_mint_into(&tok, K(key), o, (size_t)cap, &len);
    (*env)->ReleasePrimitiveArrayCritical(env, out, o, 0);
    free(heap);
    if (s == DST_ERR_BUFFER_TOO_SMALL) return len < (size_t)INT32_MAX - 1 ? -(jint)len - 1 : INT32_MIN;
    if (throw_status(env, s)) return 0;
    return (jint)len;
}

JNIEXPORT jbyteArray JNICALL JNI_FN(mintUrl)(JNIEnv *env, jclass cls, jbyteArray text, jint present, jlong iat,
                                             jlong nbf, jlong exp, jlong lifetime, jint nanos, jlong max_lifetime,
                                             jlong skew, jlong now, jlong key, jbyteArray team) {
    (void)cls;
    char small[1024], *heap;
    jsize len;
    cstr te;
    if (!cstr_from(env, team, &te, "team", 0)) return NULL;
    char *t = packed_copy(env, text, small, sizeof small, &len, &heap);
    jbyteArray result = NULL;
    if (t != NULL) {
        dst_room_token tok;
        fill_token(&tok, t, len, present, iat, nbf, exp, lifetime, nanos, max_lifetime, skew, now);
        char *url = NULL;
        if (!throw_status(env, dst_mint_url(&tok, K(key), te.ptr, &url))) result = take_bytes(env, url);
        free(heap);
    }
    cstr_free(&te);
    return result;
}
