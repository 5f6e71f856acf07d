/* dstoken.hpp: header-only C++17 RAII wrapper over dstoken's C API (dstoken.h).
 * SPDX-License-Identifier: MIT OR Apache-2.0
 *
 * Handles (dstoken::Key, dstoken::Claims) are move-only and release their C handle in the
 * destructor. Every operation comes in two forms:
 *   - throwing (only when exceptions are enabled, i.e. __cpp_exceptions is defined): failures
 *     throw dstoken::Error, a std::system_error carrying the dst_status and the library's
 *     message;
 *   - non-throwing: the same name with a trailing `std::error_code &ec` parameter; on failure
 *     `ec` holds the status (category dstoken::category()) and dstoken::last_error() the
 *     library's message. These are noexcept except where they build a std::string (they may
 *     then throw std::bad_alloc, or terminate without exceptions, as the C++ runtime does).
 * dstoken::sign_into and dstoken::TokenBuffer sign without allocating, for hot loops and code
 * built with -fno-exceptions. dstoken::mint (also spelled dst::mint) signs a dstoken::RoomToken
 * in one call, without a Claims handle; dstoken::mint_into / TokenBuffer::mint do so without
 * allocating. Nothing to link beyond libdstoken.
 *
 * Strings cross as UTF-8. A std::string_view argument is copied into a NUL-terminated buffer
 * (on the stack when short); one that contains a NUL character is refused with
 * DST_ERR_INVALID_ARGUMENT rather than silently truncated.
 *
 * Thread safety: as in the C API. A Key may be shared by any number of threads; a Claims must
 * not be mutated while another thread uses it.
 */
#ifndef DSTOKEN_HPP
#define DSTOKEN_HPP

#include "dstoken.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>

#if defined(__cpp_exceptions)
#define DSTOKEN_HPP_EXCEPTIONS 1
#endif

namespace std {
template <>
struct is_error_code_enum<dst_status> : true_type {};
}  // namespace std

namespace dstoken {

/** The std::error_category of dst_status values; message() gives the status name. */
inline const std::error_category &category() noexcept {
    struct Category final : std::error_category {
        const char *name() const noexcept override { return "dstoken"; }
        std::string message(int status) const override { return dst_status_name(status); }
    };
    static const Category instance;
    return instance;
}


}  // namespace dstoken

/** Found by ADL (dst_status is a global C type) so that `ec == DST_ERR_...` and
 *  `std::error_code ec = DST_ERR_...` work. */
inline std::error_code make_error_code(dst_status status) noexcept {
    return {static_cast<int>(status), dstoken::category()};
}

namespace dstoken {

/** The library's message for the last failure on this thread ("" if none). */
inline std::string last_error() { return dst_last_error_message(); }

/** The library's version at run time, e.g. "0.1.0". */
inline std::string_view version() noexcept { return dst_version(); }

#if DSTOKEN_HPP_EXCEPTIONS
/** Thrown by the throwing API: the status plus the library's message. */
class Error : public std::system_error {
public:
    Error(dst_status status, const std::string &message)
        : std::system_error(::make_error_code(status), message), status_(status) {}
    /** The dst_status of the failure. */
    dst_status status() const noexcept { return status_; }

private:
    dst_status status_;
};
#endif

namespace detail {

/** A NUL-terminated copy of a string_view: inline for short strings, heap otherwise. */
class CStr {
public:
    explicit CStr(std::string_view s) : has_nul_(s.find('\0') != std::string_view::npos) {
        if (s.size() < sizeof small_) {
            s.copy(small_, s.size());
            small_[s.size()] = '\0';
            ptr_ = small_;
        } else {
            big_.assign(s.data(), s.size());
            ptr_ = big_.c_str();
        }
    }
    CStr(const CStr &) = delete;
    CStr &operator=(const CStr &) = delete;
    const char *c_str() const noexcept { return ptr_; }
    bool has_nul() const noexcept { return has_nul_; }

private:
    char small_[256];
    std::string big_;
    const char *ptr_ = nullptr;
    bool has_nul_;
};

/** Records a status in `ec`; true on success. */
inline bool ok(dst_status status, std::error_code &ec) noexcept {
    if (status == DST_OK) {
        ec.clear();
        return true;
    }
    ec = ::make_error_code(status);
    return false;
}

/** Turns a library-owned string into a std::string and frees it. */
inline std::string take(char *s) {
    struct Free {
        char *p;
        ~Free() { dst_string_free(p); }
    } guard{s};
    return s ? std::string(s) : std::string();
}

inline int64_t unix_seconds(std::chrono::system_clock::time_point t) noexcept {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

#if DSTOKEN_HPP_EXCEPTIONS
inline void throw_if(dst_status status) {
    if (status != DST_OK) throw Error(status, dst_last_error_message());
}
inline void throw_if(const std::error_code &ec, const char *nul_message) {
    if (!ec) return;
    auto status = static_cast<dst_status>(ec.value());
    // A NUL inside a string_view is caught here, before the C library sees it.
    throw Error(status, nul_message != nullptr ? std::string(nul_message) : std::string(dst_last_error_message()));
}
#endif

}  // namespace detail

/** An HS256 signing key (the team's developer key, used as raw bytes). Move-only. */
class Key {
public:
    /** Non-throwing factory; on failure the result is empty (`!key`) and `ec` is set. */
    static Key from_bytes(const void *secret, std::size_t len, std::error_code &ec) noexcept {
        dst_key *k = nullptr;
        detail::ok(dst_key_new(static_cast<const std::uint8_t *>(secret), len, &k), ec);
        return Key(k);
    }
    static Key from_string(std::string_view secret, std::error_code &ec) noexcept {
        return from_bytes(secret.data() != nullptr ? secret.data() : "", secret.size(), ec);
    }
#if DSTOKEN_HPP_EXCEPTIONS
    /** Makes a key from the developer key's bytes; throws Error (e.g. for an empty key). */
    explicit Key(std::string_view secret) : Key(make(secret.data() != nullptr ? secret.data() : "", secret.size())) {}
    Key(const void *secret, std::size_t len) : Key(make(secret, len)) {}
#endif
    Key() noexcept = default;
    Key(Key &&other) noexcept : h_(std::exchange(other.h_, nullptr)) {}
    Key &operator=(Key &&other) noexcept {
        if (this != &other) {
            dst_key_free(h_);
            h_ = std::exchange(other.h_, nullptr);
        }
        return *this;
    }
    Key(const Key &) = delete;
    Key &operator=(const Key &) = delete;
    ~Key() { dst_key_free(h_); }

    /** The C handle (borrowed). */
    const dst_key *get() const noexcept { return h_; }
    explicit operator bool() const noexcept { return h_ != nullptr; }

private:
    explicit Key(dst_key *h) noexcept : h_(h) {}
#if DSTOKEN_HPP_EXCEPTIONS
    static Key make(const void *secret, std::size_t len) {
        std::error_code ec;
        Key k = from_bytes(secret, len, ec);
        detail::throw_if(ec, nullptr);
        return k;
    }
#endif
    dst_key *h_ = nullptr;
};

/** Token claims. Move-only; copy explicitly with clone(). */
class Claims {
public:
    using time_point = std::chrono::system_clock::time_point;

    /** An empty claim set. With exceptions, throws Error if the handle cannot be made;
     *  without, check `bool(claims)`. */
    Claims() : h_(dst_claims_new()) {
#if DSTOKEN_HPP_EXCEPTIONS
        if (h_ == nullptr) throw Error(DST_ERR_INTERNAL, dst_last_error_message());
#endif
    }
    /** Takes ownership of a C handle (e.g. from dst_verify). */
    static Claims adopt(dst_claims *h) noexcept { return Claims(h, Adopt{}); }
    Claims(Claims &&other) noexcept : h_(std::exchange(other.h_, nullptr)) {}
    Claims &operator=(Claims &&other) noexcept {
        if (this != &other) {
            dst_claims_free(h_);
            h_ = std::exchange(other.h_, nullptr);
        }
        return *this;
    }
    Claims(const Claims &) = delete;
    Claims &operator=(const Claims &) = delete;
    ~Claims() { dst_claims_free(h_); }

    dst_claims *get() noexcept { return h_; }
    const dst_claims *get() const noexcept { return h_; }
    explicit operator bool() const noexcept { return h_ != nullptr; }

    /** A deep copy; empty with `ec` set on failure. */
    Claims clone(std::error_code &ec) const noexcept {
        dst_claims *c = dst_claims_clone(h_);
        detail::ok(c != nullptr ? DST_OK : (h_ == nullptr ? DST_ERR_NULL_ARGUMENT : DST_ERR_INTERNAL), ec);
        return adopt(c);
    }

    // ---- non-throwing setters: true on success, else `ec` is set -------------------------
    bool set_team_id(std::string_view v, std::error_code &ec) noexcept { return str(dst_claims_set_team_id, v, ec); }
    bool set_room(std::string_view v, std::error_code &ec) noexcept { return str(dst_claims_set_room, v, ec); }
    bool set_user_name(std::string_view v, std::error_code &ec) noexcept { return str(dst_claims_set_user_name, v, ec); }
    bool set_user_id(std::string_view v, std::error_code &ec) noexcept { return str(dst_claims_set_user_id, v, ec); }
    bool set_initials(std::string_view v, std::error_code &ec) noexcept { return str(dst_claims_set_initials, v, ec); }
    bool set_role(std::string_view v, std::error_code &ec) noexcept { return str(dst_claims_set_role, v, ec); }
    bool set_breakout_id(std::string_view v, std::error_code &ec) noexcept { return str(dst_claims_set_breakout_id, v, ec); }
    bool set_avatar(std::string_view v, std::error_code &ec) noexcept { return str(dst_claims_set_avatar, v, ec); }
    bool set_issued_at(std::int64_t t, std::error_code &ec) noexcept { return detail::ok(dst_claims_set_issued_at(h_, t), ec); }
    bool set_not_before(std::int64_t t, std::error_code &ec) noexcept { return detail::ok(dst_claims_set_not_before(h_, t), ec); }
    bool set_expires_at(std::int64_t t, std::error_code &ec) noexcept { return detail::ok(dst_claims_set_expires_at(h_, t), ec); }
    bool set_issued_at(time_point t, std::error_code &ec) noexcept { return set_issued_at(detail::unix_seconds(t), ec); }
    bool set_not_before(time_point t, std::error_code &ec) noexcept { return set_not_before(detail::unix_seconds(t), ec); }
    bool set_expires_at(time_point t, std::error_code &ec) noexcept { return set_expires_at(detail::unix_seconds(t), ec); }
    bool set_expires_in(std::chrono::seconds lifetime, std::error_code &ec) noexcept {
        return detail::ok(dst_claims_set_expires_in(h_, lifetime.count()), ec);
    }
    bool set_validity(std::chrono::seconds skew, std::chrono::seconds lifetime, std::error_code &ec) noexcept {
        return detail::ok(dst_claims_set_validity(h_, skew.count(), lifetime.count()), ec);
    }
    bool set_string(std::string_view name, std::string_view value, std::error_code &ec) noexcept {
        detail::CStr n(name), v(value);
        if (n.has_nul() || v.has_nul()) return detail::ok(DST_ERR_INVALID_ARGUMENT, ec);
        return detail::ok(dst_claims_set_string(h_, n.c_str(), v.c_str()), ec);
    }
    bool set_int(std::string_view name, std::int64_t value, std::error_code &ec) noexcept {
        detail::CStr n(name);
        if (n.has_nul()) return detail::ok(DST_ERR_INVALID_ARGUMENT, ec);
        return detail::ok(dst_claims_set_int(h_, n.c_str(), value), ec);
    }
    bool set_bool(std::string_view name, bool value, std::error_code &ec) noexcept {
        detail::CStr n(name);
        if (n.has_nul()) return detail::ok(DST_ERR_INVALID_ARGUMENT, ec);
        return detail::ok(dst_claims_set_bool(h_, n.c_str(), value), ec);
    }
    bool set_json(std::string_view name, std::string_view json, std::error_code &ec) noexcept {
        detail::CStr n(name), v(json);
        if (n.has_nul() || v.has_nul()) return detail::ok(DST_ERR_INVALID_ARGUMENT, ec);
        return detail::ok(dst_claims_set_json(h_, n.c_str(), v.c_str()), ec);
    }
    bool remove(std::string_view name, std::error_code &ec) noexcept {
        detail::CStr n(name);
        if (n.has_nul()) return detail::ok(DST_ERR_INVALID_ARGUMENT, ec);
        return detail::ok(dst_claims_remove(h_, n.c_str()), ec);
    }

    // ---- non-throwing getters ------------------------------------------------------------
    std::string get_string(std::string_view name, std::error_code &ec) const {
        return text(dst_claims_get_string, name, ec);
    }
    std::string get_json(std::string_view name, std::error_code &ec) const { return text(dst_claims_get_json, name, ec); }
    bool get_int(std::string_view name, std::int64_t &out, std::error_code &ec) const noexcept {
        detail::CStr n(name);
        if (n.has_nul()) return detail::ok(DST_ERR_INVALID_ARGUMENT, ec);
        return detail::ok(dst_claims_get_int(h_, n.c_str(), &out), ec);
    }
    bool get_bool(std::string_view name, bool &out, std::error_code &ec) const noexcept {
        detail::CStr n(name);
        if (n.has_nul()) return detail::ok(DST_ERR_INVALID_ARGUMENT, ec);
        return detail::ok(dst_claims_get_bool(h_, n.c_str(), &out), ec);
    }
    std::string to_json(std::error_code &ec) const {
        char *out = nullptr;
        detail::ok(dst_claims_to_json(h_, &out), ec);
        return detail::take(out);
    }

#if DSTOKEN_HPP_EXCEPTIONS
    // ---- throwing API: setters return *this for chaining ---------------------------------
    Claims clone() const { return checked([&](std::error_code &ec) { return clone(ec); }); }
    Claims &team_id(std::string_view v) { return chain(&Claims::set_team_id, v); }
    Claims &room(std::string_view v) { return chain(&Claims::set_room, v); }
    Claims &user_name(std::string_view v) { return chain(&Claims::set_user_name, v); }
    Claims &user_id(std::string_view v) { return chain(&Claims::set_user_id, v); }
    Claims &initials(std::string_view v) { return chain(&Claims::set_initials, v); }
    Claims &role(std::string_view v) { return chain(&Claims::set_role, v); }
    Claims &breakout_id(std::string_view v) { return chain(&Claims::set_breakout_id, v); }
    Claims &avatar(std::string_view v) { return chain(&Claims::set_avatar, v); }
    Claims &issued_at(std::int64_t t) { return run([&](std::error_code &ec) { return set_issued_at(t, ec); }); }
    Claims &not_before(std::int64_t t) { return run([&](std::error_code &ec) { return set_not_before(t, ec); }); }
    Claims &expires_at(std::int64_t t) { return run([&](std::error_code &ec) { return set_expires_at(t, ec); }); }
    Claims &issued_at(time_point t) { return issued_at(detail::unix_seconds(t)); }
    Claims &not_before(time_point t) { return not_before(detail::unix_seconds(t)); }
    Claims &expires_at(time_point t) { return expires_at(detail::unix_seconds(t)); }
    Claims &expires_in(std::chrono::seconds lifetime) {
        return run([&](std::error_code &ec) { return set_expires_in(lifetime, ec); });
    }
    Claims &validity(std::chrono::seconds skew, std::chrono::seconds lifetime) {
        return run([&](std::error_code &ec) { return set_validity(skew, lifetime, ec); });
    }
    Claims &set_string(std::string_view name, std::string_view value) {
        return run([&](std::error_code &ec) { return set_string(name, value, ec); }, has_nul(name, value));
    }
    Claims &set_int(std::string_view name, std::int64_t value) {
        return run([&](std::error_code &ec) { return set_int(name, value, ec); }, has_nul(name));
    }
    Claims &set_bool(std::string_view name, bool value) {
        return run([&](std::error_code &ec) { return set_bool(name, value, ec); }, has_nul(name));
    }
    Claims &set_json(std::string_view name, std::string_view json) {
        return run([&](std::error_code &ec) { return set_json(name, json, ec); }, has_nul(name, json));
    }
    Claims &remove(std::string_view name) {
        return run([&](std::error_code &ec) { return remove(name, ec); }, has_nul(name));
    }
    std::string get_string(std::string_view name) const {
        return checked([&](std::error_code &ec) { return get_string(name, ec); }, has_nul(name));
    }
    std::string get_json(std::string_view name) const {
        return checked([&](std::error_code &ec) { return get_json(name, ec); }, has_nul(name));
    }
    std::int64_t get_int(std::string_view name) const {
        std::int64_t v = 0;
        checked([&](std::error_code &ec) { return get_int(name, v, ec); }, has_nul(name));
        return v;
    }
    bool get_bool(std::string_view name) const {
        bool v = false;
        checked([&](std::error_code &ec) { return get_bool(name, v, ec); }, has_nul(name));
        return v;
    }
    std::string to_json() const {
        return checked([&](std::error_code &ec) { return to_json(ec); });
    }
#endif

private:
    struct Adopt {};
    Claims(dst_claims *h, Adopt) noexcept : h_(h) {}

    bool str(dst_status (*set)(dst_claims *, const char *), std::string_view v, std::error_code &ec) noexcept {
        detail::CStr c(v);
        if (c.has_nul()) return detail::ok(DST_ERR_INVALID_ARGUMENT, ec);
        return detail::ok(set(h_, c.c_str()), ec);
    }
    std::string text(dst_status (*get)(const dst_claims *, const char *, char **), std::string_view name,
                     std::error_code &ec) const {
        detail::CStr n(name);
        if (n.has_nul()) {
            detail::ok(DST_ERR_INVALID_ARGUMENT, ec);
            return {};
        }
        char *out = nullptr;
        detail::ok(get(h_, n.c_str(), &out), ec);
        return detail::take(out);
    }
#if DSTOKEN_HPP_EXCEPTIONS
    static const char *has_nul(std::string_view a, std::string_view b = {}) noexcept {
        bool nul = a.find('\0') != std::string_view::npos || b.find('\0') != std::string_view::npos;
        return nul ? "dstoken: a string argument contains a NUL character" : nullptr;
    }
    template <class F>
    Claims &run(F f, const char *nul_message = nullptr) {
        std::error_code ec;
        f(ec);
        detail::throw_if(ec, nul_message);
        return *this;
    }
    template <class F>
    auto checked(F f, const char *nul_message = nullptr) const -> std::invoke_result_t<F &, std::error_code &> {
        std::error_code ec;
        auto result = f(ec);
        detail::throw_if(ec, nul_message);
        return result;
    }
    Claims &chain(bool (Claims::*set)(std::string_view, std::error_code &) noexcept, std::string_view v) {
        return run([&](std::error_code &ec) { return (this->*set)(v, ec); }, has_nul(v));
    }
#endif
    dst_claims *h_ = nullptr;
};

// ---- signing -------------------------------------------------------------------------------

/** Signs into `buf` without allocating; returns a view of the NUL-terminated token (empty on
 *  failure, with `ec` set). On DST_ERR_BUFFER_TOO_SMALL, `needed` (if given) receives the
 *  token length; a buffer of needed + 1 bytes suffices. */
inline std::string_view sign_into(const Claims &claims, const Key &key, char *buf, std::size_t cap,
                                  std::error_code &ec, std::size_t *needed = nullptr) noexcept {
    std::size_t len = 0;
    dst_status s = dst_sign_into(claims.get(), key.get(), buf, cap, &len);
    if (needed != nullptr && (s == DST_OK || s == DST_ERR_BUFFER_TOO_SMALL)) *needed = len;
    return detail::ok(s, ec) ? std::string_view(buf, len) : std::string_view();
}

struct RoomToken;  // the one-call mint's description of a token, below

/** A fixed-capacity token buffer for allocation-free signing (512 bytes fits typical room
 *  tokens). */
template <std::size_t N = 512>
class TokenBuffer {
public:
    /** Signs into the buffer; returns the status (DST_ERR_BUFFER_TOO_SMALL if N is short). */
    dst_status sign(const Claims &claims, const Key &key) noexcept {
        std::size_t len = 0;
        dst_status s = dst_sign_into(claims.get(), key.get(), buf_, N, &len);
        len_ = s == DST_OK ? len : 0;
        if (s != DST_OK) buf_[0] = '\0';
        return s;
    }
    /** Mints `token` into the buffer (dstoken::mint_into); returns the status. */
    dst_status mint(const RoomToken &token, const Key &key) noexcept;
    std::string_view view() const noexcept { return {buf_, len_}; }
    const char *c_str() const noexcept { return buf_; }

private:
    char buf_[N] = {};
    std::size_t len_ = 0;
};

/** Signs and returns the token; empty with `ec` set on failure. */
inline std::string sign(const Claims &claims, const Key &key, std::error_code &ec) {
    char *token = nullptr;
    detail::ok(dst_sign(claims.get(), key.get(), &token), ec);
    return detail::take(token);
}

/** Verifies a token at `now` with `leeway`; an empty Claims with `ec` set on failure. */
inline Claims verify(std::string_view token, const Key &key, std::chrono::system_clock::time_point now,
                     std::chrono::seconds leeway, std::error_code &ec) {
    detail::CStr t(token);
    if (t.has_nul()) {
        detail::ok(DST_ERR_MALFORMED_TOKEN, ec);
        return Claims::adopt(nullptr);
    }
    if (leeway.count() < 0 || leeway.count() > static_cast<std::int64_t>(UINT32_MAX)) {
        detail::ok(DST_ERR_INVALID_ARGUMENT, ec);
        return Claims::adopt(nullptr);
    }
    dst_claims *out = nullptr;
    detail::ok(dst_verify(t.c_str(), key.get(), detail::unix_seconds(now), static_cast<std::uint32_t>(leeway.count()), &out),
               ec);
    return Claims::adopt(out);
}

/** The room's join URL; `token` empty gives the public-room URL. Empty with `ec` set on
 *  failure. */
inline std::string join_url(std::string_view team, std::string_view room, std::string_view token,
                            std::error_code &ec) {
    detail::CStr te(team), r(room), to(token);
    if (te.has_nul() || r.has_nul() || to.has_nul()) {
        detail::ok(DST_ERR_INVALID_ARGUMENT, ec);
        return {};
    }
    char *url = nullptr;
    detail::ok(dst_join_url(te.c_str(), r.c_str(), token.empty() ? nullptr : to.c_str(), &url), ec);
    return detail::take(url);
}

#if DSTOKEN_HPP_EXCEPTIONS
/** Signs and returns the token; throws Error. */
inline std::string sign(const Claims &claims, const Key &key) {
    std::error_code ec;
    std::string token = sign(claims, key, ec);
    detail::throw_if(ec, nullptr);
    return token;
}

/** Verifies a token; throws Error (e.g. DST_ERR_BAD_SIGNATURE, DST_ERR_EXPIRED). */
inline Claims verify(std::string_view token, const Key &key,
                     std::chrono::system_clock::time_point now = std::chrono::system_clock::now(),
                     std::chrono::seconds leeway = std::chrono::seconds(0)) {
    std::error_code ec;
    Claims claims = verify(token, key, now, leeway, ec);
    if (ec && token.find('\0') != std::string_view::npos) detail::throw_if(ec, "dstoken: token contains a NUL character");
    if (ec && (leeway.count() < 0 || leeway.count() > static_cast<std::int64_t>(UINT32_MAX)))
        detail::throw_if(ec, "dstoken: leeway must be between 0 and 2^32-1 seconds");
    detail::throw_if(ec, nullptr);
    return claims;
}

/** The room's join URL; throws Error. */
inline std::string join_url(std::string_view team, std::string_view room, std::string_view token = {}) {
    std::error_code ec;
    std::string url = join_url(team, room, token, ec);
    bool nul = team.find('\0') != std::string_view::npos || room.find('\0') != std::string_view::npos ||
               token.find('\0') != std::string_view::npos;
    detail::throw_if(ec, nul ? "dstoken: a string argument contains a NUL character" : nullptr);
    return url;
}
#endif

// ---- the one-call mint ---------------------------------------------------------------------

/** Describes one room token for dstoken::mint: the C++ face of dst_room_token. An empty
 *  std::optional (or 0 for a number) means "absent"; `team_id` and `room` are required.
 *  Times are explicit (issued_at, not_before, expires_at in unix seconds) or relative
 *  (lifetime_seconds > 0: iat = now, exp = now + lifetime; not_before_skew_seconds > 0 adds
 *  nbf = now - skew; now = 0 reads the system clock), never both. Strings are UTF-8, borrowed
 *  for the call; one containing a NUL character is refused (DST_ERR_INVALID_ARGUMENT). */
struct RoomToken {
    std::optional<std::string_view> team_id;      ///< td (required)
    std::optional<std::string_view> room;         ///< rd (required)
    std::optional<std::string_view> user_name;    ///< u
    std::optional<std::string_view> user_id;      ///< ud
    std::optional<std::string_view> initials;     ///< initials
    std::optional<std::string_view> role;         ///< role, e.g. "moderator"
    std::optional<std::string_view> breakout_id;  ///< breakoutId
    std::optional<std::string_view> avatar;       ///< avatar (an image URL)
    std::int64_t issued_at = 0;                   ///< iat (explicit mode)
    std::int64_t not_before = 0;                  ///< nbf (explicit mode)
    std::int64_t expires_at = 0;                  ///< exp (explicit mode)
    std::int64_t lifetime_seconds = 0;            ///< > 0: relative mode
    std::int64_t not_before_skew_seconds = 0;     ///< > 0: nbf = now - skew (relative mode)
    std::int64_t now = 0;                         ///< relative mode's now; 0 = system clock
};

namespace detail {

/** A RoomToken as the C struct, with NUL-terminated copies of its strings (on the stack when
 *  shorter than 256 bytes, so the mint stays allocation-free for ordinary values). */
class CRoomToken {
public:
    explicit CRoomToken(const RoomToken &t)
        : s_{CStr(t.team_id.value_or(std::string_view())),   CStr(t.room.value_or(std::string_view())),
             CStr(t.user_name.value_or(std::string_view())), CStr(t.user_id.value_or(std::string_view())),
             CStr(t.initials.value_or(std::string_view())),  CStr(t.role.value_or(std::string_view())),
             CStr(t.breakout_id.value_or(std::string_view())), CStr(t.avatar.value_or(std::string_view()))},
          c_(DST_ROOM_TOKEN_INIT) {
        const std::optional<std::string_view> *fields[8] = {&t.team_id, &t.room, &t.user_name, &t.user_id,
                                                            &t.initials, &t.role, &t.breakout_id, &t.avatar};
        const char **ptrs[8] = {&c_.team_id, &c_.room, &c_.user_name, &c_.user_id,
                                &c_.initials, &c_.role, &c_.breakout_id, &c_.avatar};
        for (int i = 0; i < 8; ++i) {
            *ptrs[i] = fields[i]->has_value() ? s_[i].c_str() : nullptr;
            has_nul_ = has_nul_ || s_[i].has_nul();
        }
        c_.issued_at = t.issued_at;
        c_.not_before = t.not_before;
        c_.expires_at = t.expires_at;
        c_.lifetime_seconds = t.lifetime_seconds;
        c_.not_before_skew_seconds = t.not_before_skew_seconds;
        c_.now = t.now;
    }
    const dst_room_token *get() const noexcept { return &c_; }
    bool has_nul() const noexcept { return has_nul_; }

private:
    CStr s_[8];
    dst_room_token c_;
    bool has_nul_ = false;
};

inline const char *nul_message() noexcept { return "dstoken: a string argument contains a NUL character"; }

}  // namespace detail

/** Mints `token` into `buf` without allocating (for strings shorter than 256 bytes) and
 *  returns a view of the NUL-terminated token; empty on failure, with `ec` set. On
 *  DST_ERR_BUFFER_TOO_SMALL, `needed` (if given) receives the token length; a buffer of
 *  needed + 1 bytes suffices. */
inline std::string_view mint_into(const RoomToken &token, const Key &key, char *buf, std::size_t cap,
                                  std::error_code &ec, std::size_t *needed = nullptr) noexcept {
    detail::CRoomToken t(token);
    if (t.has_nul()) {
        detail::ok(DST_ERR_INVALID_ARGUMENT, ec);
        return {};
    }
    std::size_t len = 0;
    dst_status s = dst_mint_into(t.get(), key.get(), buf, cap, &len);
    if (needed != nullptr && (s == DST_OK || s == DST_ERR_BUFFER_TOO_SMALL)) *needed = len;
    return detail::ok(s, ec) ? std::string_view(buf, len) : std::string_view();
}

template <std::size_t N>
dst_status TokenBuffer<N>::mint(const RoomToken &token, const Key &key) noexcept {
    std::error_code ec;
    std::string_view v = mint_into(token, key, buf_, N, ec);
    len_ = v.size();
    if (ec) buf_[0] = '\0';
    return ec ? static_cast<dst_status>(ec.value()) : DST_OK;
}

/** Mints `token` in one call and returns it; empty with `ec` set on failure. */
inline std::string mint(const RoomToken &token, const Key &key, std::error_code &ec) {
    detail::CRoomToken t(token);
    if (t.has_nul()) {
        detail::ok(DST_ERR_INVALID_ARGUMENT, ec);
        return {};
    }
    char *out = nullptr;
    detail::ok(dst_mint(t.get(), key.get(), &out), ec);
    return detail::take(out);
}

/** Mints `token` and returns the join URL of its room (team as in join_url); empty with `ec`
 *  set on failure. */
inline std::string mint_url(const RoomToken &token, const Key &key, std::string_view team, std::error_code &ec) {
    detail::CRoomToken t(token);
    detail::CStr te(team);
    if (t.has_nul() || te.has_nul()) {
        detail::ok(DST_ERR_INVALID_ARGUMENT, ec);
        return {};
    }
    char *out = nullptr;
    detail::ok(dst_mint_url(t.get(), key.get(), te.c_str(), &out), ec);
    return detail::take(out);
}

#if DSTOKEN_HPP_EXCEPTIONS
/** Mints `token` in one call and returns it; throws Error (e.g. DST_ERR_MISSING_CLAIM). */
inline std::string mint(const RoomToken &token, const Key &key) {
    std::error_code ec;
    std::string jwt = mint(token, key, ec);
    detail::throw_if(ec, ec && detail::CRoomToken(token).has_nul() ? detail::nul_message() : nullptr);
    return jwt;
}

/** Mints `token` and returns the join URL of its room; throws Error. */
inline std::string mint_url(const RoomToken &token, const Key &key, std::string_view team) {
    std::error_code ec;
    std::string url = mint_url(token, key, team, ec);
    bool nul = ec && (detail::CRoomToken(token).has_nul() || team.find('\0') != std::string_view::npos);
    detail::throw_if(ec, nul ? detail::nul_message() : nullptr);
    return url;
}
#endif

}  // namespace dstoken

#if !defined(DSTOKEN_NO_DST_ALIAS)
/** The short spelling: dst::mint, dst::Key, dst::RoomToken, ... (define DSTOKEN_NO_DST_ALIAS
 *  before including this header if `dst` is taken in your program). */
namespace dst = dstoken;
#endif

#endif /* DSTOKEN_HPP */
