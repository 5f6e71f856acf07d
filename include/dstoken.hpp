/* dstoken.hpp: header-only C++17 RAII wrapper over dstoken's C API (dstoken.h).
 * SPDX-License-Identifier: MIT OR Apache-2.0
 *
 * Handles (dstoken::Key, dstoken::Claims) are move-only and release their C handle in the
 * destructor. Every operation comes in two forms:
 *   - throwing (only when exceptions are enabled, i.e. __cpp_exceptions is defined): failures
 *     throw dstoken::Error, a std::system_error carrying the dst_status and the message;
 *   - non-throwing: the same name with a trailing `std::error_code &ec` parameter; on failure
 *     `ec` holds the status (category dstoken::category()) and dstoken::last_error() the
 *     message. These are noexcept except where they build a std::string (they may then throw
 *     std::bad_alloc, or terminate without exceptions, as the C++ runtime does).
 * Messages name the C++ function or method you called ("dstoken::Claims::set_int: claim ..."),
 * say when a Claims or Key is empty because it was moved from, and for a missing claim name the
 * setter that sets it.
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
#include <cstdio>
#include <cstring>
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

namespace detail {

/** Capacity of the C++ wrapper's message buffer (NUL included). */
inline constexpr std::size_t message_capacity = 1024;

/** This thread's message for the last failure of a dstoken:: C++ call. A fixed buffer: no
 *  allocation (the error_code forms stay noexcept) and no destructor (it stays usable late in
 *  a thread's life, as the C library's message does). */
inline thread_local char message[message_capacity] = "";

/** Records "<method>: <text><hint>" as this thread's C++ message. */
inline void set_message(const char *method, const char *text, const char *hint = nullptr) noexcept {
    std::snprintf(message, message_capacity, "%s: %s%s", method, text, hint != nullptr ? hint : "");
}

/** The C library's last message without its "dst_function: " prefix (the C++ message names
 *  the C++ method instead). */
inline const char *c_message_body() noexcept {
    const char *m = dst_last_error_message();
    if (std::strncmp(m, "dst_", 4) == 0) {
        const char *colon = std::strstr(m, ": ");
        if (colon != nullptr) return colon + 2;
    }
    return m;
}

/** How a C++ user sets a required claim the library reported missing ("td" or "rd"); nullptr
 *  when the message names neither. `mint`: the claim comes from a RoomToken field. */
inline const char *missing_claim_hint(const char *body, bool mint) noexcept {
    bool td = std::strstr(body, "\"td\"") != nullptr, rd = std::strstr(body, "\"rd\"") != nullptr;
    if (mint) return td ? "; set RoomToken::team_id" : rd ? "; set RoomToken::room" : nullptr;
#if DSTOKEN_HPP_EXCEPTIONS
    return td ? "; set it with Claims::team_id() or Claims::set_team_id()"
              : rd ? "; set it with Claims::room() or Claims::set_room()" : nullptr;
#else
    return td ? "; set it with Claims::set_team_id()" : rd ? "; set it with Claims::set_room()" : nullptr;
#endif
}

/** Records a status in `ec`; true on success. On failure the C library's message becomes the
 *  C++ message, naming `method` (the C++ function the user called) instead of the C function,
 *  and for a missing claim the setter that sets it. */
inline bool ok(dst_status status, const char *method, std::error_code &ec, bool mint = false) noexcept {
    if (status == DST_OK) {
        ec.clear();
        return true;
    }
    const char *body = c_message_body();
    set_message(method, body, status == DST_ERR_MISSING_CLAIM ? missing_claim_hint(body, mint) : nullptr);
    ec = ::make_error_code(status);
    return false;
}

/** The same without a method name (the C function's message is kept as it is). */
inline bool ok(dst_status status, std::error_code &ec) noexcept {
    if (status == DST_OK) {
        ec.clear();
        return true;
    }
    std::snprintf(message, message_capacity, "%s", dst_last_error_message());
    ec = ::make_error_code(status);
    return false;
}

/** A failure the wrapper itself detects (empty handle, NUL in a string, leeway out of range):
 *  records "<method>: <text>" and the status; returns false. */
inline bool fail(dst_status status, const char *method, const char *text, std::error_code &ec) noexcept {
    set_message(method, text, nullptr);
    ec = ::make_error_code(status);
    return false;
}

inline bool fail_nul(const char *method, const char *argument, std::error_code &ec) noexcept {
    char text[160];
    std::snprintf(text, sizeof text,
                  "argument `%s` contains a NUL character, which a C string cannot hold (it would cut the value short)",
                  argument);
    return fail(DST_ERR_INVALID_ARGUMENT, method, text, ec);
}

/** Rewrites the C flag the library's port refusal names ("DST_URL_ALLOW_PORT / the binding's
 *  allow-port option") in this thread's C++ message as the C++ option. */
inline void name_url_option() noexcept {
    static constexpr const char flag[] = "DST_URL_ALLOW_PORT / the binding's allow-port option";
    static constexpr const char cpp[] = "dstoken::UrlOptions::allow_port";
    char *at = std::strstr(message, flag);
    if (at == nullptr) return;
    const char *rest = at + sizeof flag - 1;
    std::memmove(at + sizeof cpp - 1, rest, std::strlen(rest) + 1);  // shorter: fits
    std::memcpy(at, cpp, sizeof cpp - 1);
}

/** Refuses a registered claim name (td rd u ud initials role breakoutId avatar iat nbf exp) in a
 *  custom-claim setter (set_string, set_int, set_bool, set_json) with DST_ERR_INVALID_ARGUMENT,
 *  naming the typed setter: a value passed through as a custom claim must never replace the
 *  room, the role or a time. True when `name` is not registered. */
inline bool custom_name(std::string_view name, const char *method, std::error_code &ec) noexcept {
    struct Registered {
        const char *name, *setter;
    };
#if DSTOKEN_HPP_EXCEPTIONS
    static constexpr Registered registered[] = {
        {"td", "Claims::team_id() or Claims::set_team_id()"},
        {"rd", "Claims::room() or Claims::set_room()"},
        {"u", "Claims::user_name() or Claims::set_user_name()"},
        {"ud", "Claims::user_id() or Claims::set_user_id()"},
        {"initials", "Claims::initials() or Claims::set_initials()"},
        {"role", "Claims::role() or Claims::set_role()"},
        {"breakoutId", "Claims::breakout_id() or Claims::set_breakout_id()"},
        {"avatar", "Claims::avatar() or Claims::set_avatar()"},
        {"iat", "Claims::issued_at() or Claims::set_issued_at()"},
        {"nbf", "Claims::not_before() or Claims::set_not_before()"},
        {"exp", "Claims::expires_in(), Claims::expires_at() or their set_ forms"},
    };
#else
    static constexpr Registered registered[] = {
        {"td", "Claims::set_team_id()"},       {"rd", "Claims::set_room()"},
        {"u", "Claims::set_user_name()"},      {"ud", "Claims::set_user_id()"},
        {"initials", "Claims::set_initials()"}, {"role", "Claims::set_role()"},
        {"breakoutId", "Claims::set_breakout_id()"}, {"avatar", "Claims::set_avatar()"},
        {"iat", "Claims::set_issued_at()"},    {"nbf", "Claims::set_not_before()"},
        {"exp", "Claims::set_expires_in() or Claims::set_expires_at()"},
    };
#endif
    for (const Registered &r : registered) {
        if (name == r.name) {
            char text[200];
            std::snprintf(text, sizeof text, "claim \"%s\" is a registered claim, not a custom one: set it with %s",
                          r.name, r.setter);
            return fail(DST_ERR_INVALID_ARGUMENT, method, text, ec);
        }
    }
    return true;
}

inline constexpr const char *empty_claims_self =
    "this Claims is empty: it was moved from, released, or is the result of a failed call; "
    "assign it a new dstoken::Claims first";

/** Checks that a Claims/Key argument is not empty (moved from, released, or the result of a
 *  failed call); records the failure naming `method` and `argument` otherwise. */
inline bool not_empty(const void *handle, const char *method, const char *argument, const char *type,
                      std::error_code &ec) noexcept {
    if (handle != nullptr) return true;
    char text[200];
    std::snprintf(text, sizeof text,
                  "argument `%s` is an empty %s: it was moved from, released, or is the result of a failed call",
                  argument, type);
    return fail(DST_ERR_NULL_ARGUMENT, method, text, ec);
}

}  // namespace detail

/** The message for the last failure of a dstoken:: C++ call on this thread ("" if none). It
 *  names the C++ function or method you called (e.g. "dstoken::Claims::set_int: ...",
 *  "dstoken::sign: ..."), says when an object was empty (moved from), and for a missing claim
 *  names the setter that sets it. It is also the what() of a thrown dstoken::Error. (The C
 *  functions' own message, naming the C function, is dst_last_error_message().) */
inline std::string last_error() { return detail::message; }

/** The library's version at run time, e.g. "0.1.0". */
inline std::string_view version() noexcept { return dst_version(); }

#if DSTOKEN_HPP_EXCEPTIONS
/** Thrown by the throwing API: the status plus the message (see last_error()). */
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
/** Throws the failure recorded in `ec` with the C++ message (see last_error()). */
inline void throw_if(const std::error_code &ec) {
    if (ec) throw Error(static_cast<dst_status>(ec.value()), std::string(message));
}
/** As throw_if(ec); a non-NULL `nul_message` replaces the message (kept for older callers). */
inline void throw_if(const std::error_code &ec, const char *nul_message) {
    if (!ec) return;
    throw Error(static_cast<dst_status>(ec.value()), nul_message != nullptr ? std::string(nul_message) : std::string(message));
}
#endif

}  // namespace detail

/** An HS256 signing key (the team's developer key, used as raw bytes). Move-only. */
class Key {
public:
    /** Non-throwing factory; on failure the result is empty (`!key`) and `ec` is set. */
    static Key from_bytes(const void *secret, std::size_t len, std::error_code &ec) noexcept {
        return make(secret, len, "dstoken::Key::from_bytes", ec);
    }
    static Key from_string(std::string_view secret, std::error_code &ec) noexcept {
        return make(secret.data() != nullptr ? secret.data() : "", secret.size(), "dstoken::Key::from_string", ec);
    }
#if DSTOKEN_HPP_EXCEPTIONS
    /** Makes a key from the developer key's bytes; throws Error (e.g. for an empty key). */
    explicit Key(std::string_view secret) : Key(checked(secret.data() != nullptr ? secret.data() : "", secret.size())) {}
    Key(const void *secret, std::size_t len) : Key(checked(secret, len)) {}
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

    /** The C handle (borrowed: this Key still owns it and frees it). */
    const dst_key *get() const noexcept { return h_; }
    explicit operator bool() const noexcept { return h_ != nullptr; }

private:
    explicit Key(dst_key *h) noexcept : h_(h) {}
    static Key make(const void *secret, std::size_t len, const char *method, std::error_code &ec) noexcept {
        dst_key *k = nullptr;
        detail::ok(dst_key_new(static_cast<const std::uint8_t *>(secret), len, &k), method, ec);
        return Key(k);
    }
#if DSTOKEN_HPP_EXCEPTIONS
    static Key checked(const void *secret, std::size_t len) {
        std::error_code ec;
        Key k = make(secret, len, "dstoken::Key::Key", ec);
        detail::throw_if(ec);
        return k;
    }
#endif
    dst_key *h_ = nullptr;
};

/** Token claims. Move-only; copy explicitly with clone(). A moved-from Claims is empty
 *  (`!claims`): every method on it fails with DST_ERR_NULL_ARGUMENT and a message saying so. */
class Claims {
public:
    using time_point = std::chrono::system_clock::time_point;

    /** An empty claim set. With exceptions, throws Error if the handle cannot be made;
     *  without, check `bool(claims)`. */
    Claims() : h_(dst_claims_new()) {
        if (h_ == nullptr) {
            std::error_code ec;
            detail::ok(DST_ERR_INTERNAL, "dstoken::Claims::Claims", ec);
#if DSTOKEN_HPP_EXCEPTIONS
            detail::throw_if(ec);
#endif
        }
    }
    /** Takes ownership of the C handle `h` (e.g. from dst_verify(), or from another Claims'
     *  release()): the new Claims frees it with dst_claims_free() when destroyed. Ownership is
     *  transferred: the caller must not free `h` itself, nor adopt it a second time, and must
     *  not pass a handle another Claims still owns (`Claims::adopt(a.get())` frees the handle
     *  twice; use `Claims::adopt(a.release())`). NULL gives an empty Claims. */
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

    /** The C handle (borrowed: this Claims still owns it and frees it). */
    dst_claims *get() noexcept { return h_; }
    const dst_claims *get() const noexcept { return h_; }
    /** Gives up ownership: returns the C handle (NULL if empty) and leaves this Claims empty.
     *  The caller then owns the handle: free it with dst_claims_free() or hand it to
     *  Claims::adopt(). */
    [[nodiscard]] dst_claims *release() noexcept { return std::exchange(h_, nullptr); }
    explicit operator bool() const noexcept { return h_ != nullptr; }

    /** A deep copy; empty with `ec` set on failure. */
    Claims clone(std::error_code &ec) const noexcept { return clone_as("dstoken::Claims::clone", ec); }

    // ---- non-throwing setters: true on success, else `ec` is set -------------------------
    bool set_team_id(std::string_view v, std::error_code &ec) noexcept { return str(dst_claims_set_team_id, "dstoken::Claims::set_team_id", v, ec); }
    bool set_room(std::string_view v, std::error_code &ec) noexcept { return str(dst_claims_set_room, "dstoken::Claims::set_room", v, ec); }
    bool set_user_name(std::string_view v, std::error_code &ec) noexcept { return str(dst_claims_set_user_name, "dstoken::Claims::set_user_name", v, ec); }
    bool set_user_id(std::string_view v, std::error_code &ec) noexcept { return str(dst_claims_set_user_id, "dstoken::Claims::set_user_id", v, ec); }
    bool set_initials(std::string_view v, std::error_code &ec) noexcept { return str(dst_claims_set_initials, "dstoken::Claims::set_initials", v, ec); }
    bool set_role(std::string_view v, std::error_code &ec) noexcept { return str(dst_claims_set_role, "dstoken::Claims::set_role", v, ec); }
    bool set_breakout_id(std::string_view v, std::error_code &ec) noexcept { return str(dst_claims_set_breakout_id, "dstoken::Claims::set_breakout_id", v, ec); }
    bool set_avatar(std::string_view v, std::error_code &ec) noexcept { return str(dst_claims_set_avatar, "dstoken::Claims::set_avatar", v, ec); }
    bool set_issued_at(std::int64_t t, std::error_code &ec) noexcept { return time(dst_claims_set_issued_at, "dstoken::Claims::set_issued_at", t, ec); }
    bool set_not_before(std::int64_t t, std::error_code &ec) noexcept { return time(dst_claims_set_not_before, "dstoken::Claims::set_not_before", t, ec); }
    bool set_expires_at(std::int64_t t, std::error_code &ec) noexcept { return time(dst_claims_set_expires_at, "dstoken::Claims::set_expires_at", t, ec); }
    bool set_issued_at(time_point t, std::error_code &ec) noexcept { return set_issued_at(detail::unix_seconds(t), ec); }
    bool set_not_before(time_point t, std::error_code &ec) noexcept { return set_not_before(detail::unix_seconds(t), ec); }
    bool set_expires_at(time_point t, std::error_code &ec) noexcept { return set_expires_at(detail::unix_seconds(t), ec); }
    bool set_expires_in(std::chrono::seconds lifetime, std::error_code &ec) noexcept {
        return expires_in_as("dstoken::Claims::set_expires_in", lifetime, ec);
    }
    bool set_validity(std::chrono::seconds skew, std::chrono::seconds lifetime, std::error_code &ec) noexcept {
        return validity_as("dstoken::Claims::set_validity", skew, lifetime, ec);
    }
    /** Custom claims (set_string, set_int, set_bool, set_json): a registered name (td rd u ud
     *  initials role breakoutId avatar iat nbf exp) is refused with DST_ERR_INVALID_ARGUMENT
     *  naming its typed setter, so data passed through as custom claims cannot replace the
     *  room, the role or a time. (The C functions dst_claims_set_string etc. still accept them.) */
    bool set_string(std::string_view name, std::string_view value, std::error_code &ec) noexcept {
        return set_string_as("dstoken::Claims::set_string", name, value, ec);
    }
    bool set_int(std::string_view name, std::int64_t value, std::error_code &ec) noexcept {
        return set_int_as("dstoken::Claims::set_int", name, value, ec);
    }
    bool set_bool(std::string_view name, bool value, std::error_code &ec) noexcept {
        return set_bool_as("dstoken::Claims::set_bool", name, value, ec);
    }
    bool set_json(std::string_view name, std::string_view json, std::error_code &ec) noexcept {
        return set_json_as("dstoken::Claims::set_json", name, json, ec);
    }
    bool remove(std::string_view name, std::error_code &ec) noexcept { return remove_as("dstoken::Claims::remove", name, ec); }

    // ---- non-throwing getters ------------------------------------------------------------
    std::string get_string(std::string_view name, std::error_code &ec) const {
        return text(dst_claims_get_string, "dstoken::Claims::get_string", name, ec);
    }
    std::string get_json(std::string_view name, std::error_code &ec) const {
        return text(dst_claims_get_json, "dstoken::Claims::get_json", name, ec);
    }
    bool get_int(std::string_view name, std::int64_t &out, std::error_code &ec) const noexcept {
        return get_int_as("dstoken::Claims::get_int", name, out, ec);
    }
    bool get_bool(std::string_view name, bool &out, std::error_code &ec) const noexcept {
        return get_bool_as("dstoken::Claims::get_bool", name, out, ec);
    }
    std::string to_json(std::error_code &ec) const { return to_json_as("dstoken::Claims::to_json", ec); }

#if DSTOKEN_HPP_EXCEPTIONS
    // ---- throwing API: setters return *this for chaining ---------------------------------
    Claims clone() const { return checked([&](std::error_code &ec) { return clone_as("dstoken::Claims::clone", ec); }); }
    Claims &team_id(std::string_view v) { return run([&](std::error_code &ec) { return str(dst_claims_set_team_id, "dstoken::Claims::team_id", v, ec); }); }
    Claims &room(std::string_view v) { return run([&](std::error_code &ec) { return str(dst_claims_set_room, "dstoken::Claims::room", v, ec); }); }
    Claims &user_name(std::string_view v) { return run([&](std::error_code &ec) { return str(dst_claims_set_user_name, "dstoken::Claims::user_name", v, ec); }); }
    Claims &user_id(std::string_view v) { return run([&](std::error_code &ec) { return str(dst_claims_set_user_id, "dstoken::Claims::user_id", v, ec); }); }
    Claims &initials(std::string_view v) { return run([&](std::error_code &ec) { return str(dst_claims_set_initials, "dstoken::Claims::initials", v, ec); }); }
    Claims &role(std::string_view v) { return run([&](std::error_code &ec) { return str(dst_claims_set_role, "dstoken::Claims::role", v, ec); }); }
    Claims &breakout_id(std::string_view v) { return run([&](std::error_code &ec) { return str(dst_claims_set_breakout_id, "dstoken::Claims::breakout_id", v, ec); }); }
    Claims &avatar(std::string_view v) { return run([&](std::error_code &ec) { return str(dst_claims_set_avatar, "dstoken::Claims::avatar", v, ec); }); }
    Claims &issued_at(std::int64_t t) { return run([&](std::error_code &ec) { return time(dst_claims_set_issued_at, "dstoken::Claims::issued_at", t, ec); }); }
    Claims &not_before(std::int64_t t) { return run([&](std::error_code &ec) { return time(dst_claims_set_not_before, "dstoken::Claims::not_before", t, ec); }); }
    Claims &expires_at(std::int64_t t) { return run([&](std::error_code &ec) { return time(dst_claims_set_expires_at, "dstoken::Claims::expires_at", t, ec); }); }
    Claims &issued_at(time_point t) { return issued_at(detail::unix_seconds(t)); }
    Claims &not_before(time_point t) { return not_before(detail::unix_seconds(t)); }
    Claims &expires_at(time_point t) { return expires_at(detail::unix_seconds(t)); }
    Claims &expires_in(std::chrono::seconds lifetime) {
        return run([&](std::error_code &ec) { return expires_in_as("dstoken::Claims::expires_in", lifetime, ec); });
    }
    Claims &validity(std::chrono::seconds skew, std::chrono::seconds lifetime) {
        return run([&](std::error_code &ec) { return validity_as("dstoken::Claims::validity", skew, lifetime, ec); });
    }
    /** Custom claims: registered names are refused, as in the error_code forms above. */
    Claims &set_string(std::string_view name, std::string_view value) {
        return run([&](std::error_code &ec) { return set_string(name, value, ec); });
    }
    Claims &set_int(std::string_view name, std::int64_t value) {
        return run([&](std::error_code &ec) { return set_int(name, value, ec); });
    }
    Claims &set_bool(std::string_view name, bool value) {
        return run([&](std::error_code &ec) { return set_bool(name, value, ec); });
    }
    Claims &set_json(std::string_view name, std::string_view json) {
        return run([&](std::error_code &ec) { return set_json(name, json, ec); });
    }
    Claims &remove(std::string_view name) {
        return run([&](std::error_code &ec) { return remove(name, ec); });
    }
    std::string get_string(std::string_view name) const {
        return checked([&](std::error_code &ec) { return get_string(name, ec); });
    }
    std::string get_json(std::string_view name) const {
        return checked([&](std::error_code &ec) { return get_json(name, ec); });
    }
    std::int64_t get_int(std::string_view name) const {
        std::int64_t v = 0;
        checked([&](std::error_code &ec) { return get_int(name, v, ec); });
        return v;
    }
    bool get_bool(std::string_view name) const {
        bool v = false;
        checked([&](std::error_code &ec) { return get_bool(name, v, ec); });
        return v;
    }
    std::string to_json() const {
        return checked([&](std::error_code &ec) { return to_json(ec); });
    }
#endif

private:
    struct Adopt {};
    Claims(dst_claims *h, Adopt) noexcept : h_(h) {}

    /** False (with the "this Claims is empty" message) when moved from / empty. */
    bool live(const char *m, std::error_code &ec) const noexcept {
        return h_ != nullptr || detail::fail(DST_ERR_NULL_ARGUMENT, m, detail::empty_claims_self, ec);
    }
    Claims clone_as(const char *m, std::error_code &ec) const noexcept {
        if (!live(m, ec)) return adopt(nullptr);
        dst_claims *c = dst_claims_clone(h_);
        detail::ok(c != nullptr ? DST_OK : DST_ERR_INTERNAL, m, ec);
        return adopt(c);
    }
    bool str(dst_status (*set)(dst_claims *, const char *), const char *m, std::string_view v,
             std::error_code &ec) noexcept {
        if (!live(m, ec)) return false;
        detail::CStr c(v);
        if (c.has_nul()) return detail::fail_nul(m, "value", ec);
        return detail::ok(set(h_, c.c_str()), m, ec);
    }
    bool time(dst_status (*set)(dst_claims *, std::int64_t), const char *m, std::int64_t t, std::error_code &ec) noexcept {
        return live(m, ec) && detail::ok(set(h_, t), m, ec);
    }
    bool expires_in_as(const char *m, std::chrono::seconds lifetime, std::error_code &ec) noexcept {
        return live(m, ec) && detail::ok(dst_claims_set_expires_in(h_, lifetime.count()), m, ec);
    }
    bool validity_as(const char *m, std::chrono::seconds skew, std::chrono::seconds lifetime, std::error_code &ec) noexcept {
        return live(m, ec) && detail::ok(dst_claims_set_validity(h_, skew.count(), lifetime.count()), m, ec);
    }
    bool set_string_as(const char *m, std::string_view name, std::string_view value, std::error_code &ec) noexcept {
        if (!live(m, ec)) return false;
        if (!detail::custom_name(name, m, ec)) return false;
        detail::CStr n(name), v(value);
        if (n.has_nul()) return detail::fail_nul(m, "name", ec);
        if (v.has_nul()) return detail::fail_nul(m, "value", ec);
        return detail::ok(dst_claims_set_string(h_, n.c_str(), v.c_str()), m, ec);
    }
    bool set_int_as(const char *m, std::string_view name, std::int64_t value, std::error_code &ec) noexcept {
        if (!live(m, ec)) return false;
        if (!detail::custom_name(name, m, ec)) return false;
        detail::CStr n(name);
        if (n.has_nul()) return detail::fail_nul(m, "name", ec);
        return detail::ok(dst_claims_set_int(h_, n.c_str(), value), m, ec);
    }
    bool set_bool_as(const char *m, std::string_view name, bool value, std::error_code &ec) noexcept {
        if (!live(m, ec)) return false;
        if (!detail::custom_name(name, m, ec)) return false;
        detail::CStr n(name);
        if (n.has_nul()) return detail::fail_nul(m, "name", ec);
        return detail::ok(dst_claims_set_bool(h_, n.c_str(), value), m, ec);
    }
    bool set_json_as(const char *m, std::string_view name, std::string_view json, std::error_code &ec) noexcept {
        if (!live(m, ec)) return false;
        if (!detail::custom_name(name, m, ec)) return false;
        detail::CStr n(name), v(json);
        if (n.has_nul()) return detail::fail_nul(m, "name", ec);
        if (v.has_nul()) return detail::fail_nul(m, "json", ec);
        return detail::ok(dst_claims_set_json(h_, n.c_str(), v.c_str()), m, ec);
    }
    bool remove_as(const char *m, std::string_view name, std::error_code &ec) noexcept {
        if (!live(m, ec)) return false;
        detail::CStr n(name);
        if (n.has_nul()) return detail::fail_nul(m, "name", ec);
        return detail::ok(dst_claims_remove(h_, n.c_str()), m, ec);
    }
    bool get_int_as(const char *m, std::string_view name, std::int64_t &out, std::error_code &ec) const noexcept {
        if (!live(m, ec)) return false;
        detail::CStr n(name);
        if (n.has_nul()) return detail::fail_nul(m, "name", ec);
        return detail::ok(dst_claims_get_int(h_, n.c_str(), &out), m, ec);
    }
    bool get_bool_as(const char *m, std::string_view name, bool &out, std::error_code &ec) const noexcept {
        if (!live(m, ec)) return false;
        detail::CStr n(name);
        if (n.has_nul()) return detail::fail_nul(m, "name", ec);
        return detail::ok(dst_claims_get_bool(h_, n.c_str(), &out), m, ec);
    }
    std::string to_json_as(const char *m, std::error_code &ec) const {
        if (!live(m, ec)) return {};
        char *out = nullptr;
        detail::ok(dst_claims_to_json(h_, &out), m, ec);
        return detail::take(out);
    }
    std::string text(dst_status (*get)(const dst_claims *, const char *, char **), const char *m,
                     std::string_view name, std::error_code &ec) const {
        if (!live(m, ec)) return {};
        detail::CStr n(name);
        if (n.has_nul()) {
            detail::fail_nul(m, "name", ec);
            return {};
        }
        char *out = nullptr;
        detail::ok(get(h_, n.c_str(), &out), m, ec);
        return detail::take(out);
    }
#if DSTOKEN_HPP_EXCEPTIONS
    template <class F>
    Claims &run(F f) {
        std::error_code ec;
        f(ec);
        detail::throw_if(ec);
        return *this;
    }
    template <class F>
    auto checked(F f) const -> std::invoke_result_t<F &, std::error_code &> {
        std::error_code ec;
        auto result = f(ec);
        detail::throw_if(ec);
        return result;
    }
#endif
    dst_claims *h_ = nullptr;
};

// ---- signing -------------------------------------------------------------------------------

namespace detail {
inline bool sign_args(const Claims &claims, const Key &key, const char *m, std::error_code &ec) noexcept {
    return not_empty(claims.get(), m, "claims", "Claims", ec) && not_empty(key.get(), m, "key", "Key", ec);
}
}  // namespace detail

/** Signs into `buf` without allocating; returns a view of the NUL-terminated token (empty on
 *  failure, with `ec` set). On DST_ERR_BUFFER_TOO_SMALL, `needed` (if given) receives the
 *  token length; a buffer of needed + 1 bytes suffices. */
inline std::string_view sign_into(const Claims &claims, const Key &key, char *buf, std::size_t cap,
                                  std::error_code &ec, std::size_t *needed = nullptr) noexcept {
    if (!detail::sign_args(claims, key, "dstoken::sign_into", ec)) return {};
    std::size_t len = 0;
    dst_status s = dst_sign_into(claims.get(), key.get(), buf, cap, &len);
    if (needed != nullptr && (s == DST_OK || s == DST_ERR_BUFFER_TOO_SMALL)) *needed = len;
    return detail::ok(s, "dstoken::sign_into", ec) ? std::string_view(buf, len) : std::string_view();
}

struct RoomToken;  // the one-call mint's description of a token, below

/** A fixed-capacity token buffer for allocation-free signing (512 bytes fits typical room
 *  tokens). */
template <std::size_t N = 512>
class TokenBuffer {
public:
    /** Signs into the buffer; returns the status (DST_ERR_BUFFER_TOO_SMALL if N is short);
     *  dstoken::last_error() has the message. */
    dst_status sign(const Claims &claims, const Key &key) noexcept {
        std::error_code ec;
        std::size_t len = 0;
        dst_status s = detail::sign_args(claims, key, "dstoken::TokenBuffer::sign", ec)
                           ? dst_sign_into(claims.get(), key.get(), buf_, N, &len)
                           : static_cast<dst_status>(ec.value());
        if (s != DST_OK && !ec) detail::ok(s, "dstoken::TokenBuffer::sign", ec);
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
    if (!detail::sign_args(claims, key, "dstoken::sign", ec)) return {};
    char *token = nullptr;
    detail::ok(dst_sign(claims.get(), key.get(), &token), "dstoken::sign", ec);
    return detail::take(token);
}

/** Verifies a token at `now` with `leeway`; an empty Claims with `ec` set on failure. */
inline Claims verify(std::string_view token, const Key &key, std::chrono::system_clock::time_point now,
                     std::chrono::seconds leeway, std::error_code &ec) {
    const char *m = "dstoken::verify";
    detail::CStr t(token);
    if (t.has_nul()) {
        detail::fail(DST_ERR_MALFORMED_TOKEN, m, "the token contains a NUL character, which no JWT has", ec);
        return Claims::adopt(nullptr);
    }
    if (leeway.count() < 0 || leeway.count() > static_cast<std::int64_t>(UINT32_MAX)) {
        detail::fail(DST_ERR_INVALID_ARGUMENT, m, "leeway must be between 0 and 2^32-1 seconds", ec);
        return Claims::adopt(nullptr);
    }
    if (!detail::not_empty(key.get(), m, "key", "Key", ec)) return Claims::adopt(nullptr);
    dst_claims *out = nullptr;
    detail::ok(dst_verify(t.c_str(), key.get(), detail::unix_seconds(now), static_cast<std::uint32_t>(leeway.count()), &out),
               m, ec);
    return Claims::adopt(out);
}

/** The room's join URL; `token` empty gives the public-room URL. Empty with `ec` set on
 *  failure. */
inline std::string join_url(std::string_view team, std::string_view room, std::string_view token,
                            std::error_code &ec) {
    const char *m = "dstoken::join_url";
    detail::CStr te(team), r(room), to(token);
    if (te.has_nul() || r.has_nul() || to.has_nul()) {
        detail::fail_nul(m, te.has_nul() ? "team" : r.has_nul() ? "room" : "token", ec);
        return {};
    }
    char *url = nullptr;
    if (!detail::ok(dst_join_url(te.c_str(), r.c_str(), token.empty() ? nullptr : to.c_str(), &url), m, ec))
        detail::name_url_option();
    return detail::take(url);
}

/** Options of join_url and mint_url. */
enum class UrlOptions : std::uint32_t {
    none = 0,
    /** Accept a custom domain with a port (`meet.example.com:8443`, port 1 to 65535); without it
     *  a port is refused. An IP address is refused either way. */
    allow_port = DST_URL_ALLOW_PORT,
};

/** join_url with options (UrlOptions::allow_port: a custom domain with a port). Empty with
 *  `ec` set on failure. */
inline std::string join_url(std::string_view team, std::string_view room, std::string_view token, UrlOptions options,
                            std::error_code &ec) {
    const char *m = "dstoken::join_url";
    detail::CStr te(team), r(room), to(token);
    if (te.has_nul() || r.has_nul() || to.has_nul()) {
        detail::fail_nul(m, te.has_nul() ? "team" : r.has_nul() ? "room" : "token", ec);
        return {};
    }
    char *url = nullptr;
    if (!detail::ok(dst_join_url_opts(te.c_str(), r.c_str(), token.empty() ? nullptr : to.c_str(),
                                      static_cast<std::uint32_t>(options), &url),
                    m, ec))
        detail::name_url_option();
    return detail::take(url);
}

#if DSTOKEN_HPP_EXCEPTIONS
/** Signs and returns the token; throws Error. */
inline std::string sign(const Claims &claims, const Key &key) {
    std::error_code ec;
    std::string token = sign(claims, key, ec);
    detail::throw_if(ec);
    return token;
}

/** Verifies a token; throws Error (e.g. DST_ERR_BAD_SIGNATURE, DST_ERR_EXPIRED). */
inline Claims verify(std::string_view token, const Key &key,
                     std::chrono::system_clock::time_point now = std::chrono::system_clock::now(),
                     std::chrono::seconds leeway = std::chrono::seconds(0)) {
    std::error_code ec;
    Claims claims = verify(token, key, now, leeway, ec);
    detail::throw_if(ec);
    return claims;
}

/** The room's join URL; throws Error. */
inline std::string join_url(std::string_view team, std::string_view room, std::string_view token = {}) {
    std::error_code ec;
    std::string url = join_url(team, room, token, ec);
    detail::throw_if(ec);
    return url;
}

/** join_url with options (UrlOptions::allow_port: a custom domain with a port); throws Error. */
inline std::string join_url(std::string_view team, std::string_view room, std::string_view token,
                            UrlOptions options) {
    std::error_code ec;
    std::string url = join_url(team, room, token, options, ec);
    detail::throw_if(ec);
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
    bool no_expiry = false;                       ///< true: no exp (refused without an expiry otherwise)
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
        c_.no_expiry = t.no_expiry;
    }
    const dst_room_token *get() const noexcept { return &c_; }
    bool has_nul() const noexcept { return has_nul_; }

private:
    CStr s_[8];
    dst_room_token c_;
    bool has_nul_ = false;
};

inline constexpr const char *room_token_nul =
    "a RoomToken string contains a NUL character, which a C string cannot hold (it would cut the value short)";

inline std::string_view mint_into_as(const char *m, const RoomToken &token, const Key &key, char *buf, std::size_t cap,
                                     std::error_code &ec, std::size_t *needed) noexcept {
    detail::CRoomToken t(token);
    if (t.has_nul()) {
        detail::fail(DST_ERR_INVALID_ARGUMENT, m, room_token_nul, ec);
        return {};
    }
    if (!detail::not_empty(key.get(), m, "key", "Key", ec)) return {};
    std::size_t len = 0;
    dst_status s = dst_mint_into(t.get(), key.get(), buf, cap, &len);
    if (needed != nullptr && (s == DST_OK || s == DST_ERR_BUFFER_TOO_SMALL)) *needed = len;
    return detail::ok(s, m, ec, true) ? std::string_view(buf, len) : std::string_view();
}

}  // namespace detail

/** Mints `token` into `buf` without allocating (for strings shorter than 256 bytes) and
 *  returns a view of the NUL-terminated token; empty on failure, with `ec` set. On
 *  DST_ERR_BUFFER_TOO_SMALL, `needed` (if given) receives the token length; a buffer of
 *  needed + 1 bytes suffices. */
inline std::string_view mint_into(const RoomToken &token, const Key &key, char *buf, std::size_t cap,
                                  std::error_code &ec, std::size_t *needed = nullptr) noexcept {
    return detail::mint_into_as("dstoken::mint_into", token, key, buf, cap, ec, needed);
}

template <std::size_t N>
dst_status TokenBuffer<N>::mint(const RoomToken &token, const Key &key) noexcept {
    std::error_code ec;
    std::string_view v = detail::mint_into_as("dstoken::TokenBuffer::mint", token, key, buf_, N, ec, nullptr);
    len_ = v.size();
    if (ec) buf_[0] = '\0';
    return ec ? static_cast<dst_status>(ec.value()) : DST_OK;
}

/** Mints `token` in one call and returns it; empty with `ec` set on failure. */
inline std::string mint(const RoomToken &token, const Key &key, std::error_code &ec) {
    const char *m = "dstoken::mint";
    detail::CRoomToken t(token);
    if (t.has_nul()) {
        detail::fail(DST_ERR_INVALID_ARGUMENT, m, detail::room_token_nul, ec);
        return {};
    }
    if (!detail::not_empty(key.get(), m, "key", "Key", ec)) return {};
    char *out = nullptr;
    detail::ok(dst_mint(t.get(), key.get(), &out), m, ec, true);
    return detail::take(out);
}

/** Mints `token` and returns the join URL of its room (team as in join_url); empty with `ec`
 *  set on failure. */
inline std::string mint_url(const RoomToken &token, const Key &key, std::string_view team, std::error_code &ec) {
    const char *m = "dstoken::mint_url";
    detail::CRoomToken t(token);
    detail::CStr te(team);
    if (t.has_nul()) {
        detail::fail(DST_ERR_INVALID_ARGUMENT, m, detail::room_token_nul, ec);
        return {};
    }
    if (te.has_nul()) {
        detail::fail_nul(m, "team", ec);
        return {};
    }
    if (!detail::not_empty(key.get(), m, "key", "Key", ec)) return {};
    char *out = nullptr;
    if (!detail::ok(dst_mint_url(t.get(), key.get(), te.c_str(), &out), m, ec, true)) detail::name_url_option();
    return detail::take(out);
}

/** mint_url with options (UrlOptions::allow_port: a custom domain with a port): mints `token`,
 *  then builds the URL with dst_join_url_opts (dst_mint_url takes no options). Empty with `ec`
 *  set on failure. */
inline std::string mint_url(const RoomToken &token, const Key &key, std::string_view team, UrlOptions options,
                            std::error_code &ec) {
    if (options == UrlOptions::none) return mint_url(token, key, team, ec);
    const char *m = "dstoken::mint_url";
    detail::CRoomToken t(token);
    detail::CStr te(team);
    if (t.has_nul()) {
        detail::fail(DST_ERR_INVALID_ARGUMENT, m, detail::room_token_nul, ec);
        return {};
    }
    if (te.has_nul()) {
        detail::fail_nul(m, "team", ec);
        return {};
    }
    if (!detail::not_empty(key.get(), m, "key", "Key", ec)) return {};
    char *jwt = nullptr;
    if (!detail::ok(dst_mint(t.get(), key.get(), &jwt), m, ec, true)) return {};
    std::string minted = detail::take(jwt);
    char *url = nullptr;
    if (!detail::ok(dst_join_url_opts(te.c_str(), t.get()->room, minted.c_str(), static_cast<std::uint32_t>(options),
                                      &url),
                    m, ec))
        detail::name_url_option();
    return detail::take(url);
}

#if DSTOKEN_HPP_EXCEPTIONS
/** Mints `token` in one call and returns it; throws Error (e.g. DST_ERR_MISSING_CLAIM). */
inline std::string mint(const RoomToken &token, const Key &key) {
    std::error_code ec;
    std::string jwt = mint(token, key, ec);
    detail::throw_if(ec);
    return jwt;
}

/** Mints `token` and returns the join URL of its room; throws Error. */
inline std::string mint_url(const RoomToken &token, const Key &key, std::string_view team) {
    std::error_code ec;
    std::string url = mint_url(token, key, team, ec);
    detail::throw_if(ec);
    return url;
}

/** mint_url with options (UrlOptions::allow_port: a custom domain with a port); throws Error. */
inline std::string mint_url(const RoomToken &token, const Key &key, std::string_view team, UrlOptions options) {
    std::error_code ec;
    std::string url = mint_url(token, key, team, options, ec);
    detail::throw_if(ec);
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
