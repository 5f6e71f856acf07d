/* dstoken.hpp: header-only C++17 RAII wrapper over dstoken's C API (dstoken.h).
 * SPDX-License-Identifier: MIT OR Apache-2.0
 *
 * Handles (dstoken::Key, dstoken::Claims) are move-only and release their C handle in the
 * destructor. Every operation comes in two forms:
 *   - throwing (only when exceptions are enabled, i.e. __cpp_exceptions is defined): failures
 *     throw a subclass of dstoken::Error (a std::system_error) chosen by what went wrong
 *     (ExpiredError, SignatureError, ClaimMismatchError, ArgumentError, ...), carrying the
 *     parts of the failure (status(), reason(), argument(), value(), time(), name(), text());
 *   - non-throwing: the same name with a trailing `std::error_code &ec` parameter; on failure
 *     `ec` holds the status (category dstoken::category()), dstoken::last_error() the message
 *     and dstoken::last_error_parts() the parts. These are noexcept except where they build a
 *     std::string (they may then throw std::bad_alloc, or terminate without exceptions, as the
 *     C++ runtime does).
 * The library decides every rule and reports each refusal as data (dst_last_error()); the
 * message is the reason's template from dstoken_schema.hpp (generated from the schema) filled
 * with those parts and the C++ names of the arguments, after the C++ function you called
 * ("dstoken::mint: lifetime_seconds is 3600000 seconds (41 d 16 h 0 min 0 s), longer than ...").
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
#include "dstoken_schema.hpp"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

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

/** The parts of a failure, as data: what dst_last_error() reports (see dst_error in
 *  dstoken.h, and each Reason's meaning of the numbers in dstoken_schema.hpp). Which of
 *  name(), text() and the numbers a reason sets is listed with its DST_REASON_ constant; the
 *  others are zero or empty. dstoken::Error carries one; the error_code forms leave this
 *  thread's in dstoken::last_error_parts(). */
class ErrorParts {
public:
    ErrorParts() noexcept : e_() { e_.struct_size = sizeof e_; }
    explicit ErrorParts(const dst_error &e) noexcept : e_(e) {
        e_.name[sizeof e_.name - 1] = '\0';
        e_.text[sizeof e_.text - 1] = '\0';
    }
    /** The status the failing call returned. */
    dst_status status() const noexcept { return static_cast<dst_status>(e_.status); }
    /** Why: one reason per rule (Reason::none when the status says all there is). */
    Reason reason() const noexcept { return static_cast<Reason>(e_.reason); }
    /** The argument or claim at fault. */
    Argument argument() const noexcept { return static_cast<Argument>(e_.argument); }
    /** A second argument the rule involves (Argument::none if none). */
    Argument other() const noexcept { return static_cast<Argument>(e_.other); }
    /** The argument's name in the C++ API ("team_id", "lifetime_seconds"), "" for none. */
    std::string_view argument_name() const noexcept { return spelling(e_.argument); }
    std::string_view other_name() const noexcept { return spelling(e_.other); }
    /** The value given (see the reason). */
    std::int64_t value() const noexcept { return e_.value; }
    /** The limit, the value wanted, or a second value (see the reason). */
    std::int64_t limit() const noexcept { return e_.limit; }
    /** The time the error involves (an expired token's exp, ...), in unix seconds. */
    std::int64_t time_seconds() const noexcept { return e_.time; }
    /** The same as a time_point. */
    std::chrono::system_clock::time_point time() const noexcept {
        return std::chrono::system_clock::time_point(std::chrono::seconds(e_.time));
    }
    /** The value to give instead, when the reason has one. */
    std::int64_t suggested() const noexcept { return e_.suggested; }
    /** A claim's JSON name, or "". */
    std::string_view name() const noexcept { return e_.name; }
    /** A string the error is about (a host, the token's alg, the token's claim value), or "". */
    std::string_view text() const noexcept { return e_.text; }
    /** The C struct. */
    const dst_error &c() const noexcept { return e_; }

private:
    static std::string_view spelling(std::uint32_t arg) noexcept {
        return arg < std::size(schema::arguments) ? schema::arguments[arg] : "";
    }
    dst_error e_;
};

namespace detail {

/** Capacity of the C++ wrapper's message buffer (NUL included). */
inline constexpr std::size_t message_capacity = 1024;

/** This thread's message and parts for the last failure of a dstoken:: C++ call. Fixed
 *  buffers: no allocation (the error_code forms stay noexcept) and no destructor (they stay
 *  usable late in a thread's life, as the C library's last error does). */
inline thread_local char message[message_capacity] = "";
inline thread_local dst_error parts = {};

/** Appends to a bounded buffer, always NUL-terminated. */
struct Out {
    char *p, *end;
    void put(std::string_view s) noexcept {
        std::size_t n = std::min<std::size_t>(s.size(), static_cast<std::size_t>(end - p));
        std::memcpy(p, s.data(), n);
        p += n;
        *p = '\0';
    }
    void num(long long v) noexcept {
        char b[24];
        int n = std::snprintf(b, sizeof b, "%lld", v);
        put(std::string_view(b, n > 0 ? static_cast<std::size_t>(n) : 0));
    }
    /** Unix seconds as RFC 3339 UTC (2026-01-01T00:00:00Z). */
    void time(long long t) noexcept {
        long long days = t / 86400, secs = t % 86400;
        if (secs < 0) secs += 86400, days -= 1;
        // Days since 1970-01-01 to a civil date (Howard Hinnant's days_from_civil, inverted).
        long long z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
        long long doe = z - era * 146097, yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
        long long d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9, y = yoe + era * 400 + (m <= 2);
        char b[48];
        int n = std::snprintf(b, sizeof b, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ", y, m, d, secs / 3600,
                              secs / 60 % 60, secs % 60);
        put(std::string_view(b, n > 0 ? static_cast<std::size_t>(n) : 0));
    }
    /** Seconds as "1 d 2 h 3 min 4 s", leading zero units left out, seconds always. */
    void span(long long v) noexcept {
        unsigned long long t = v < 0 ? 0ULL - static_cast<unsigned long long>(v) : static_cast<unsigned long long>(v);
        const unsigned long long n[4] = {t / 86400, t / 3600 % 24, t / 60 % 60, t % 60};
        const char *unit[4] = {" d", " h", " min", " s"};
        bool started = false;
        for (int i = 0; i < 4; ++i) {
            if (n[i] == 0 && !started && i < 3) continue;
            if (started) put(" ");
            num(static_cast<long long>(n[i]));
            put(unit[i]);
            started = true;
        }
    }
};

/** Fills a reason's message template (dstoken_schema.hpp) with the parts of `e`, the
 *  arguments spelled as the C++ API spells them. */
inline void compose(Out &out, const dst_error &e) noexcept {
    const ErrorParts parts(e);
    std::string_view t = e.reason < std::size(schema::reasons) ? schema::reasons[e.reason].message : "";
    if (e.reason == DST_REASON_NONE || t.empty()) {
        out.put(e.status >= 0 && static_cast<std::size_t>(e.status) < std::size(schema::statuses)
                    ? schema::statuses[e.status]
                    : "unknown status");
        return;
    }
    while (!t.empty()) {
        std::size_t open = t.find('{'), close = open == std::string_view::npos ? open : t.find('}', open);
        if (close == std::string_view::npos) {
            out.put(t);
            break;
        }
        out.put(t.substr(0, open));
        std::string_view key = t.substr(open + 1, close - open - 1), format;
        t.remove_prefix(close + 1);
        if (std::size_t colon = key.find(':'); colon != std::string_view::npos) {
            format = key.substr(colon + 1);
            key = key.substr(0, colon);
        }
        if (key == "arg") out.put(parts.argument_name());
        else if (key == "other") out.put(parts.other_name());
        else if (key == "name") out.put(parts.name());
        else if (key == "text") out.put(parts.text());
        else {
            long long v = key == "value" ? e.value : key == "limit" ? e.limit : key == "time" ? e.time : e.suggested;
            if (format == "time") out.time(v);
            else if (format == "span") out.span(v);
            else if (format == "type") out.put(v >= 0 && static_cast<std::size_t>(v) < std::size(schema::types) ? schema::types[v] : "?");
            else out.num(v);
        }
    }
}

/** Records a failure as this thread's C++ error: the parts, and "<method>: <message><extra>"
 *  (a failure the wrapper finds itself, with no reason, is "<method>: <extra>"). */
inline void record(const char *method, const dst_error &e, const char *extra = nullptr) noexcept {
    parts = e;
    Out out{message, message + message_capacity - 1};
    out.put(method);
    out.put(": ");
    if (e.reason != DST_REASON_NONE || extra == nullptr) compose(out, e);
    if (extra != nullptr) out.put(extra);
}

/** Records a status in `ec`; true on success. On failure the parts come from dst_last_error()
 *  and the message is the reason's template filled with them, naming `method` (the C++
 *  function the user called). */
inline bool ok(dst_status status, const char *method, std::error_code &ec) noexcept {
    if (status == DST_OK) {
        ec.clear();
        return true;
    }
    dst_error e = DST_ERROR_INIT;
    if (!dst_last_error(&e) || e.status != status) {  // during thread exit: the status alone
        e = DST_ERROR_INIT;
        e.status = status;
    }
    record(method, e);
    ec = ::make_error_code(status);
    return false;
}

/** A failure the wrapper itself detects (an empty handle, a NUL in a string, a leeway out of
 *  C's range): the parts it knows, the message "<method>: <template><extra>" (or
 *  "<method>: <extra>" when there is no reason); returns false. */
inline bool fail(dst_status status, const char *method, std::uint32_t reason, std::uint32_t argument, const char *extra,
                 std::error_code &ec, std::int64_t value = 0) noexcept {
    dst_error e = DST_ERROR_INIT;
    e.status = status;
    e.reason = reason;
    e.argument = argument;
    e.value = value;
    record(method, e, extra);
    ec = ::make_error_code(status);
    return false;
}

/** A string argument with a NUL character, which a C string would cut short. */
inline bool fail_nul(const char *method, std::uint32_t argument, std::error_code &ec) noexcept {
    char extra[160];
    std::snprintf(extra, sizeof extra, "%s contains a NUL character, where the library's C strings end",
                  argument < std::size(schema::arguments) ? schema::arguments[argument] : "a string");
    return fail(DST_ERR_INVALID_ARGUMENT, method, DST_REASON_NONE, argument, extra, ec);
}

/** Checks that a Claims/Key argument is not empty (moved from, released, or the result of a
 *  failed call). */
inline bool not_empty(const void *handle, const char *method, std::uint32_t argument, const char *type,
                      std::error_code &ec) noexcept {
    if (handle != nullptr) return true;
    char extra[160];
    std::snprintf(extra, sizeof extra, ": an empty %s (moved from, released, or the result of a failed call)", type);
    return fail(DST_ERR_NULL_ARGUMENT, method, DST_REASON_NULL, argument, extra, ec);
}

}  // namespace detail

/** The message for the last failure of a dstoken:: C++ call on this thread ("" if none): the
 *  C++ function or method you called, then the reason's message with the C++ names of the
 *  arguments (e.g. "dstoken::Claims::set_string: \"td\" is a registered claim; set it with
 *  team_id, not as a custom claim"). A thrown dstoken::Error's what() begins with it. */
inline std::string last_error() { return detail::message; }

/** The parts of the last failure of a dstoken:: C++ call on this thread (status DST_OK if
 *  none): for the error_code forms, what a thrown dstoken::Error carries. */
inline ErrorParts last_error_parts() noexcept { return ErrorParts(detail::parts); }

/** Saves this thread's last error (the C library's and the C++ wrapper's) and puts it back
 *  when destroyed: for a signal handler, a callback or a logger that calls dstoken while the
 *  code it interrupted has an error still to read. */
class SavedError {
public:
    SavedError() noexcept : c_(DST_ERROR_INIT), cpp_(detail::parts), have_c_(dst_last_error(&c_)) {
        std::memcpy(message_, detail::message, sizeof message_);
    }
    ~SavedError() {
        if (have_c_) dst_last_error_restore(&c_);
        detail::parts = cpp_;
        std::memcpy(detail::message, message_, sizeof message_);
    }
    SavedError(const SavedError &) = delete;
    SavedError &operator=(const SavedError &) = delete;

private:
    dst_error c_, cpp_;
    bool have_c_;
    char message_[detail::message_capacity];
};

/** The library's version at run time, e.g. "0.1.0". */
inline std::string_view version() noexcept { return dst_version(); }

#if DSTOKEN_HPP_EXCEPTIONS
/** Thrown by the throwing API: a std::system_error (code() is the dst_status in
 *  dstoken::category()) with the parts of the failure (ErrorParts: reason(), argument(),
 *  value(), time(), name(), text(), ...). What went wrong decides the class: catch
 *  ExpiredError, SignatureError, ... or Error for all of them. */
class Error : public std::system_error, public ErrorParts {
public:
    Error(dst_status status, const std::string &message)
        : std::system_error(::make_error_code(status), message), ErrorParts(with_status(status)) {}
    Error(const ErrorParts &parts, const std::string &message)
        : std::system_error(::make_error_code(parts.status()), message), ErrorParts(parts) {}

private:
    static dst_error with_status(dst_status status) noexcept {
        dst_error e = DST_ERROR_INIT;
        e.status = status;
        return e;
    }
};
/** The same class, spelled as the standard library spells its own. */
using error = Error;

/** A bad argument (NULL/empty handle, invalid UTF-8, a value the library refuses, a buffer
 *  too small): also what std::invalid_argument would be, so the status says which. */
struct ArgumentError : Error { using Error::Error; };
/** Signing or minting lacks td/rd, or a verified token lacks a required claim (name()). */
struct MissingClaimError : Error { using Error::Error; };
/** The token is not a well-formed HS256 JWT (or is a URL, not a token): reason() says how. */
struct MalformedTokenError : Error { using Error::Error; };
/** The token's alg is not HS256 (text() is the token's alg), or it has crit extensions. */
struct AlgorithmError : Error { using Error::Error; };
/** The signature does not match the key. */
struct SignatureError : Error { using Error::Error; };
/** The token's exp has passed: expired_at() is its exp. */
struct ExpiredError : Error {
    using Error::Error;
    std::chrono::system_clock::time_point expired_at() const noexcept { return time(); }
};
/** The token's nbf has not come, or its iat is in the future: valid_from() is that time. */
struct NotYetValidError : Error {
    using Error::Error;
    std::chrono::system_clock::time_point valid_from() const noexcept { return time(); }
};
/** A claim looked up is absent (DST_ERR_NOT_FOUND) or of another type (DST_ERR_WRONG_TYPE). */
struct ClaimError : Error { using Error::Error; };
/** A verified token's team id or room is not the expected one: claim() is "td" or "rd",
 *  token_value() the token's value. */
struct ClaimMismatchError : Error {
    using Error::Error;
    std::string_view claim() const noexcept { return name(); }
    std::string_view token_value() const noexcept { return text(); }
};
/** A bug in dstoken. */
struct InternalError : Error { using Error::Error; };

namespace detail {
/** Throws this thread's last C++ failure as the class its status calls for. */
[[noreturn]] inline void throw_last() {
    const ErrorParts p(parts);
    const std::string m(message);
    switch (p.status()) {
    case DST_ERR_MISSING_CLAIM: throw MissingClaimError(p, m);
    case DST_ERR_MALFORMED_TOKEN: throw MalformedTokenError(p, m);
    case DST_ERR_UNSUPPORTED_ALGORITHM: throw AlgorithmError(p, m);
    case DST_ERR_BAD_SIGNATURE: throw SignatureError(p, m);
    case DST_ERR_EXPIRED: throw ExpiredError(p, m);
    case DST_ERR_NOT_YET_VALID: throw NotYetValidError(p, m);
    case DST_ERR_NOT_FOUND:
    case DST_ERR_WRONG_TYPE: throw ClaimError(p, m);
    case DST_ERR_CLAIM_MISMATCH: throw ClaimMismatchError(p, m);
    case DST_ERR_INTERNAL: throw InternalError(p, m);
    default: throw ArgumentError(p, m);
    }
}
}  // namespace detail
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

/** A duration as whole seconds (rounded down) and the nanoseconds beyond them, as
 *  dst_room_token's lifetime_seconds / lifetime_nanos and dst_claims_set_lifetime take it. */
template <class Rep, class Period>
inline void split(std::chrono::duration<Rep, Period> d, std::int64_t &seconds, std::uint32_t &nanos) noexcept {
    auto s = std::chrono::floor<std::chrono::seconds>(d);
    seconds = static_cast<std::int64_t>(s.count());
    nanos = static_cast<std::uint32_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(d - s).count());
}

#if DSTOKEN_HPP_EXCEPTIONS
/** Throws the failure recorded in `ec` (see last_error(), last_error_parts()). */
inline void throw_if(const std::error_code &ec) {
    if (ec) throw_last();
}
#endif

}  // namespace detail

/** An HS256 signing key (the team's developer key). Move-only. A key given as a string
 *  (std::string_view) is text: whitespace at its start or end is refused (a trailing newline
 *  read from a file would make every token fail at Digital Samba); a key given as bytes
 *  (pointer and length) is used exactly as it is. */
class Key {
public:
    /** Non-throwing factories; on failure the result is empty (`!key`) and `ec` is set. */
    static Key from_bytes(const void *secret, std::size_t len, std::error_code &ec) noexcept {
        return make(secret, len, false, "dstoken::Key::from_bytes", ec);
    }
    static Key from_string(std::string_view secret, std::error_code &ec) noexcept {
        return make(secret.data() != nullptr ? secret.data() : "", secret.size(), true, "dstoken::Key::from_string", ec);
    }
#if DSTOKEN_HPP_EXCEPTIONS
    /** Makes a key from the developer key as text; throws ArgumentError (an empty key,
     *  whitespace at either end). */
    explicit Key(std::string_view secret)
        : Key(checked(secret.data() != nullptr ? secret.data() : "", secret.size(), true)) {}
    /** Makes a key from the developer key's bytes, as they are; throws ArgumentError. */
    Key(const void *secret, std::size_t len) : Key(checked(secret, len, false)) {}
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
    static Key make(const void *secret, std::size_t len, bool text, const char *method, std::error_code &ec) noexcept {
        dst_key *k = nullptr;
        const auto *bytes = static_cast<const std::uint8_t *>(secret);
        detail::ok(text ? dst_key_new_text(bytes, len, &k) : dst_key_new(bytes, len, &k), method, ec);
        return Key(k);
    }
#if DSTOKEN_HPP_EXCEPTIONS
    static Key checked(const void *secret, std::size_t len, bool text) {
        std::error_code ec;
        Key k = make(secret, len, text, "dstoken::Key::Key", ec);
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
            detail::fail(DST_ERR_INTERNAL, "dstoken::Claims::Claims", DST_REASON_INTERNAL, DST_ARG_NONE, nullptr, ec);
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
    bool set_team_id(std::string_view v, std::error_code &ec) noexcept { return str(dst_claims_set_team_id, "dstoken::Claims::set_team_id", DST_ARG_TEAM_ID, v, ec); }
    bool set_room(std::string_view v, std::error_code &ec) noexcept { return str(dst_claims_set_room, "dstoken::Claims::set_room", DST_ARG_ROOM, v, ec); }
    bool set_user_name(std::string_view v, std::error_code &ec) noexcept { return str(dst_claims_set_user_name, "dstoken::Claims::set_user_name", DST_ARG_USER_NAME, v, ec); }
    bool set_user_id(std::string_view v, std::error_code &ec) noexcept { return str(dst_claims_set_user_id, "dstoken::Claims::set_user_id", DST_ARG_USER_ID, v, ec); }
    bool set_initials(std::string_view v, std::error_code &ec) noexcept { return str(dst_claims_set_initials, "dstoken::Claims::set_initials", DST_ARG_INITIALS, v, ec); }
    bool set_role(std::string_view v, std::error_code &ec) noexcept { return str(dst_claims_set_role, "dstoken::Claims::set_role", DST_ARG_ROLE, v, ec); }
    bool set_breakout_id(std::string_view v, std::error_code &ec) noexcept { return str(dst_claims_set_breakout_id, "dstoken::Claims::set_breakout_id", DST_ARG_BREAKOUT_ID, v, ec); }
    bool set_avatar(std::string_view v, std::error_code &ec) noexcept { return str(dst_claims_set_avatar, "dstoken::Claims::set_avatar", DST_ARG_AVATAR, v, ec); }
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
    /** iat = now, exp = now + `lifetime`, with the mint's lifetime rules: a whole number of
     *  seconds (any std::chrono duration; a part below a second is refused as the unit slip it
     *  is), at most `max_lifetime` (0: 30 days). `now` defaults to the system clock. */
    template <class Rep, class Period>
    bool set_lifetime(std::chrono::duration<Rep, Period> lifetime, std::chrono::seconds max_lifetime,
                      std::error_code &ec) noexcept {
        return lifetime_as("dstoken::Claims::set_lifetime", 0, lifetime, max_lifetime, ec);
    }
    template <class Rep, class Period>
    bool set_lifetime(time_point now, std::chrono::duration<Rep, Period> lifetime, std::chrono::seconds max_lifetime,
                      std::error_code &ec) noexcept {
        return lifetime_as("dstoken::Claims::set_lifetime", detail::unix_seconds(now), lifetime, max_lifetime, ec);
    }
    /** Custom claims (set_string, set_int, set_bool, set_json), through the library's
     *  dst_claims_set_custom_* functions: the name of a claim that has its own setter is
     *  refused (Reason::registered_name, other() that setter's argument), so data passed
     *  through as custom claims cannot replace the room, the role or a time. */
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
    Claims &team_id(std::string_view v) { return run([&](std::error_code &ec) { return str(dst_claims_set_team_id, "dstoken::Claims::team_id", DST_ARG_TEAM_ID, v, ec); }); }
    Claims &room(std::string_view v) { return run([&](std::error_code &ec) { return str(dst_claims_set_room, "dstoken::Claims::room", DST_ARG_ROOM, v, ec); }); }
    Claims &user_name(std::string_view v) { return run([&](std::error_code &ec) { return str(dst_claims_set_user_name, "dstoken::Claims::user_name", DST_ARG_USER_NAME, v, ec); }); }
    Claims &user_id(std::string_view v) { return run([&](std::error_code &ec) { return str(dst_claims_set_user_id, "dstoken::Claims::user_id", DST_ARG_USER_ID, v, ec); }); }
    Claims &initials(std::string_view v) { return run([&](std::error_code &ec) { return str(dst_claims_set_initials, "dstoken::Claims::initials", DST_ARG_INITIALS, v, ec); }); }
    Claims &role(std::string_view v) { return run([&](std::error_code &ec) { return str(dst_claims_set_role, "dstoken::Claims::role", DST_ARG_ROLE, v, ec); }); }
    Claims &breakout_id(std::string_view v) { return run([&](std::error_code &ec) { return str(dst_claims_set_breakout_id, "dstoken::Claims::breakout_id", DST_ARG_BREAKOUT_ID, v, ec); }); }
    Claims &avatar(std::string_view v) { return run([&](std::error_code &ec) { return str(dst_claims_set_avatar, "dstoken::Claims::avatar", DST_ARG_AVATAR, v, ec); }); }
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
    /** set_lifetime's throwing form: `claims.lifetime(std::chrono::hours(2))`. */
    template <class Rep, class Period>
    Claims &lifetime(std::chrono::duration<Rep, Period> lifetime,
                     std::chrono::seconds max_lifetime = std::chrono::seconds(0)) {
        return run([&](std::error_code &ec) { return lifetime_as("dstoken::Claims::lifetime", 0, lifetime, max_lifetime, ec); });
    }
    template <class Rep, class Period>
    Claims &lifetime(time_point now, std::chrono::duration<Rep, Period> lifetime,
                     std::chrono::seconds max_lifetime = std::chrono::seconds(0)) {
        return run([&](std::error_code &ec) {
            return lifetime_as("dstoken::Claims::lifetime", detail::unix_seconds(now), lifetime, max_lifetime, ec);
        });
    }
    /** Custom claims: registered names are refused, as in the error_code forms above
     *  (ArgumentError, reason() Reason::registered_name). */
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
        return detail::not_empty(h_, m, DST_ARG_CLAIMS, "Claims", ec);
    }
    Claims clone_as(const char *m, std::error_code &ec) const noexcept {
        if (!live(m, ec)) return adopt(nullptr);
        dst_claims *c = dst_claims_clone(h_);
        if (c == nullptr) detail::ok(DST_ERR_INTERNAL, m, ec);
        else ec.clear();
        return adopt(c);
    }
    bool str(dst_status (*set)(dst_claims *, const char *), const char *m, std::uint32_t arg, std::string_view v,
             std::error_code &ec) noexcept {
        if (!live(m, ec)) return false;
        detail::CStr c(v);
        if (c.has_nul()) return detail::fail_nul(m, arg, ec);
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
    template <class Rep, class Period>
    bool lifetime_as(const char *m, std::int64_t now, std::chrono::duration<Rep, Period> lifetime,
                     std::chrono::seconds max_lifetime, std::error_code &ec) noexcept {
        std::int64_t seconds = 0;
        std::uint32_t nanos = 0;
        detail::split(lifetime, seconds, nanos);
        return live(m, ec) && detail::ok(dst_claims_set_lifetime(h_, now, seconds, nanos, max_lifetime.count()), m, ec);
    }
    bool set_string_as(const char *m, std::string_view name, std::string_view value, std::error_code &ec) noexcept {
        if (!live(m, ec)) return false;
        detail::CStr n(name), v(value);
        if (n.has_nul()) return detail::fail_nul(m, DST_ARG_CLAIM_NAME, ec);
        if (v.has_nul()) return detail::fail_nul(m, DST_ARG_CLAIM, ec);
        return detail::ok(dst_claims_set_custom_string(h_, n.c_str(), v.c_str()), m, ec);
    }
    bool set_int_as(const char *m, std::string_view name, std::int64_t value, std::error_code &ec) noexcept {
        if (!live(m, ec)) return false;
        detail::CStr n(name);
        if (n.has_nul()) return detail::fail_nul(m, DST_ARG_CLAIM_NAME, ec);
        return detail::ok(dst_claims_set_custom_int(h_, n.c_str(), value), m, ec);
    }
    bool set_bool_as(const char *m, std::string_view name, bool value, std::error_code &ec) noexcept {
        if (!live(m, ec)) return false;
        detail::CStr n(name);
        if (n.has_nul()) return detail::fail_nul(m, DST_ARG_CLAIM_NAME, ec);
        return detail::ok(dst_claims_set_custom_bool(h_, n.c_str(), value), m, ec);
    }
    bool set_json_as(const char *m, std::string_view name, std::string_view json, std::error_code &ec) noexcept {
        if (!live(m, ec)) return false;
        detail::CStr n(name), v(json);
        if (n.has_nul()) return detail::fail_nul(m, DST_ARG_CLAIM_NAME, ec);
        if (v.has_nul()) return detail::fail_nul(m, DST_ARG_JSON_TEXT, ec);
        return detail::ok(dst_claims_set_custom_json(h_, n.c_str(), v.c_str()), m, ec);
    }
    bool remove_as(const char *m, std::string_view name, std::error_code &ec) noexcept {
        if (!live(m, ec)) return false;
        detail::CStr n(name);
        if (n.has_nul()) return detail::fail_nul(m, DST_ARG_CLAIM_NAME, ec);
        return detail::ok(dst_claims_remove(h_, n.c_str()), m, ec);
    }
    bool get_int_as(const char *m, std::string_view name, std::int64_t &out, std::error_code &ec) const noexcept {
        if (!live(m, ec)) return false;
        detail::CStr n(name);
        if (n.has_nul()) return detail::fail_nul(m, DST_ARG_CLAIM_NAME, ec);
        return detail::ok(dst_claims_get_int(h_, n.c_str(), &out), m, ec);
    }
    bool get_bool_as(const char *m, std::string_view name, bool &out, std::error_code &ec) const noexcept {
        if (!live(m, ec)) return false;
        detail::CStr n(name);
        if (n.has_nul()) return detail::fail_nul(m, DST_ARG_CLAIM_NAME, ec);
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
            detail::fail_nul(m, DST_ARG_CLAIM_NAME, ec);
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
/** dst_verify takes the leeway as a uint32_t: a std::chrono::seconds outside it is refused. */
inline bool leeway_ok(std::chrono::seconds leeway, const char *m, std::error_code &ec) noexcept {
    if (leeway.count() < 0)
        return fail(DST_ERR_INVALID_ARGUMENT, m, DST_REASON_NEGATIVE, DST_ARG_LEEWAY, nullptr, ec, leeway.count());
    if (leeway.count() > static_cast<std::int64_t>(UINT32_MAX))
        return fail(DST_ERR_INVALID_ARGUMENT, m, DST_REASON_NONE, DST_ARG_LEEWAY,
                    "leeway_seconds is more than 2^32-1 seconds (136 years)", ec);
    return true;
}
inline bool sign_args(const Claims &claims, const Key &key, const char *m, std::error_code &ec) noexcept {
    return not_empty(claims.get(), m, DST_ARG_CLAIMS, "Claims", ec) && not_empty(key.get(), m, DST_ARG_KEY, "Key", ec);
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
        detail::fail(DST_ERR_MALFORMED_TOKEN, m, DST_REASON_NOT_TOKEN_CHARS, DST_ARG_TOKEN, nullptr, ec);
        return Claims::adopt(nullptr);
    }
    if (!detail::leeway_ok(leeway, m, ec) || !detail::not_empty(key.get(), m, DST_ARG_KEY, "Key", ec))
        return Claims::adopt(nullptr);
    dst_claims *out = nullptr;
    detail::ok(dst_verify(t.c_str(), key.get(), detail::unix_seconds(now), static_cast<std::uint32_t>(leeway.count()), &out),
               m, ec);
    return Claims::adopt(out);
}

/** What verify() checks besides the signature and the times (dst_verify_options). */
struct VerifyOptions {
    /** The time to verify at; empty: the system clock. */
    std::optional<std::chrono::system_clock::time_point> now;
    /** Clock difference allowed for exp, nbf and iat (0 to 2^32-1 seconds). */
    std::chrono::seconds leeway{0};
    /** false (the default): a token without exp is refused (MissingClaimError). */
    bool exp_optional = false;
    /** The team id (td) the token must carry; another value is a ClaimMismatchError. */
    std::optional<std::string_view> team_id;
    /** The room (rd) the token must carry. */
    std::optional<std::string_view> room;
    /** Further claims the token must carry (MissingClaimError naming the first absent one). */
    std::vector<std::string> required;
};

/** Verifies a token with `options` (expected team and room, required claims, exp optional);
 *  an empty Claims with `ec` set on failure. */
inline Claims verify(std::string_view token, const Key &key, const VerifyOptions &options, std::error_code &ec) {
    const char *m = "dstoken::verify";
    detail::CStr t(token), team(options.team_id.value_or(std::string_view())),
        room(options.room.value_or(std::string_view()));
    if (t.has_nul()) {
        detail::fail(DST_ERR_MALFORMED_TOKEN, m, DST_REASON_NOT_TOKEN_CHARS, DST_ARG_TOKEN, nullptr, ec);
        return Claims::adopt(nullptr);
    }
    if (team.has_nul() || room.has_nul()) {
        detail::fail_nul(m, team.has_nul() ? DST_ARG_TEAM_ID : DST_ARG_ROOM, ec);
        return Claims::adopt(nullptr);
    }
    std::vector<const char *> required;
    required.reserve(options.required.size());
    for (const std::string &name : options.required) {
        if (name.find('\0') != std::string::npos) {
            detail::fail_nul(m, DST_ARG_REQUIRED, ec);
            return Claims::adopt(nullptr);
        }
        required.push_back(name.c_str());
    }
    if (!detail::leeway_ok(options.leeway, m, ec) || !detail::not_empty(key.get(), m, DST_ARG_KEY, "Key", ec))
        return Claims::adopt(nullptr);
    dst_verify_options o = DST_VERIFY_OPTIONS_INIT;
    o.now = options.now ? detail::unix_seconds(*options.now) : 0;
    o.leeway_seconds = static_cast<std::uint32_t>(options.leeway.count());
    o.exp_optional = options.exp_optional;
    o.team_id = options.team_id ? team.c_str() : nullptr;
    o.room = options.room ? room.c_str() : nullptr;
    o.required = required.empty() ? nullptr : required.data();
    o.required_len = required.size();
    dst_claims *out = nullptr;
    detail::ok(dst_verify_opts(t.c_str(), key.get(), &o, &out), m, ec);
    return Claims::adopt(out);
}

/** A token read without verification: its header (JSON text) and claims. */
struct Unverified {
    std::string header;
    Claims claims;
};

/** Reads a token's header and claims WITHOUT checking its signature or its times: what it
 *  returns proves nothing about who made the token (anyone can write one). For choosing a
 *  key, routing or logging before verify(). Only a malformed token is refused; `ec` is set
 *  and the result empty then. */
inline Unverified decode_unverified(std::string_view token, std::error_code &ec) {
    const char *m = "dstoken::decode_unverified";
    detail::CStr t(token);
    if (t.has_nul()) {
        detail::fail(DST_ERR_MALFORMED_TOKEN, m, DST_REASON_NOT_TOKEN_CHARS, DST_ARG_TOKEN, nullptr, ec);
        return {std::string(), Claims::adopt(nullptr)};
    }
    char *header = nullptr;
    dst_claims *claims = nullptr;
    detail::ok(dst_decode_unverified(t.c_str(), &header, &claims), m, ec);
    Claims c = Claims::adopt(claims);
    return {detail::take(header), std::move(c)};
}

/** Options of join_url and mint_url. */
enum class UrlOptions : std::uint32_t {
    none = 0,
    /** Accept a custom domain with a port (`meet.example.com:8443`, port 1 to 65535); without it
     *  a port is refused. An IP address is refused either way. */
    allow_port = DST_URL_ALLOW_PORT,
};

/** The room's join URL; `token` empty gives the public-room URL; `options`
 *  (UrlOptions::allow_port: a custom domain with a port). Empty with `ec` set on failure. */
inline std::string join_url(std::string_view team, std::string_view room, std::string_view token, UrlOptions options,
                            std::error_code &ec) {
    const char *m = "dstoken::join_url";
    detail::CStr te(team), r(room), to(token);
    if (te.has_nul() || r.has_nul() || to.has_nul()) {
        detail::fail_nul(m, te.has_nul() ? DST_ARG_TEAM : r.has_nul() ? DST_ARG_ROOM : DST_ARG_TOKEN, ec);
        return {};
    }
    char *url = nullptr;
    detail::ok(dst_join_url_opts(te.c_str(), r.c_str(), token.empty() ? nullptr : to.c_str(),
                                 static_cast<std::uint32_t>(options), &url),
               m, ec);
    return detail::take(url);
}
inline std::string join_url(std::string_view team, std::string_view room, std::string_view token,
                            std::error_code &ec) {
    return join_url(team, room, token, UrlOptions::none, ec);
}

#if DSTOKEN_HPP_EXCEPTIONS
/** Signs and returns the token; throws Error. */
inline std::string sign(const Claims &claims, const Key &key) {
    std::error_code ec;
    std::string token = sign(claims, key, ec);
    detail::throw_if(ec);
    return token;
}

/** Verifies a token; throws Error's subclasses (SignatureError, ExpiredError, ...). */
inline Claims verify(std::string_view token, const Key &key,
                     std::chrono::system_clock::time_point now = std::chrono::system_clock::now(),
                     std::chrono::seconds leeway = std::chrono::seconds(0)) {
    std::error_code ec;
    Claims claims = verify(token, key, now, leeway, ec);
    detail::throw_if(ec);
    return claims;
}

/** Verifies a token with options; throws Error's subclasses (ClaimMismatchError,
 *  MissingClaimError, ExpiredError, ...). */
inline Claims verify(std::string_view token, const Key &key, const VerifyOptions &options) {
    std::error_code ec;
    Claims claims = verify(token, key, options, ec);
    detail::throw_if(ec);
    return claims;
}

/** decode_unverified's throwing form (MalformedTokenError). Proves nothing: see above. */
inline Unverified decode_unverified(std::string_view token) {
    std::error_code ec;
    Unverified u = decode_unverified(token, ec);
    detail::throw_if(ec);
    return u;
}

/** The room's join URL (options: UrlOptions::allow_port); throws ArgumentError. */
inline std::string join_url(std::string_view team, std::string_view room, std::string_view token = {},
                            UrlOptions options = UrlOptions::none) {
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
    std::int64_t max_lifetime_seconds = 0;        ///< longest lifetime accepted; 0 = 30 days
    std::uint32_t lifetime_nanos = 0;             ///< the lifetime's part below a second: must be 0

    /** Sets lifetime_seconds and lifetime_nanos from a std::chrono duration
     *  (`t.lifetime(std::chrono::hours(1))`). A part below a second is refused by the mint:
     *  token times are whole seconds. */
    template <class Rep, class Period>
    RoomToken &lifetime(std::chrono::duration<Rep, Period> d) noexcept {
        detail::split(d, lifetime_seconds, lifetime_nanos);
        return *this;
    }
    /** Sets max_lifetime_seconds (raise it to mint tokens living longer than 30 days). */
    RoomToken &max_lifetime(std::chrono::seconds d) noexcept {
        max_lifetime_seconds = d.count();
        return *this;
    }
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
        static constexpr std::uint32_t args[8] = {DST_ARG_TEAM_ID, DST_ARG_ROOM,     DST_ARG_USER_NAME,   DST_ARG_USER_ID,
                                                  DST_ARG_INITIALS, DST_ARG_ROLE, DST_ARG_BREAKOUT_ID, DST_ARG_AVATAR};
        for (int i = 0; i < 8; ++i) {
            *ptrs[i] = fields[i]->has_value() ? s_[i].c_str() : nullptr;
            if (s_[i].has_nul() && !has_nul_) nul_argument_ = args[i];
            has_nul_ = has_nul_ || s_[i].has_nul();
        }
        c_.issued_at = t.issued_at;
        c_.not_before = t.not_before;
        c_.expires_at = t.expires_at;
        c_.lifetime_seconds = t.lifetime_seconds;
        c_.not_before_skew_seconds = t.not_before_skew_seconds;
        c_.now = t.now;
        c_.no_expiry = t.no_expiry;
        c_.max_lifetime_seconds = t.max_lifetime_seconds;
        c_.lifetime_nanos = t.lifetime_nanos;
    }
    const dst_room_token *get() const noexcept { return &c_; }
    bool has_nul() const noexcept { return has_nul_; }
    /** The first field with a NUL character. */
    std::uint32_t nul_argument() const noexcept { return nul_argument_; }

private:
    CStr s_[8];
    dst_room_token c_;
    bool has_nul_ = false;
    std::uint32_t nul_argument_ = DST_ARG_NONE;
};

inline std::string_view mint_into_as(const char *m, const RoomToken &token, const Key &key, char *buf, std::size_t cap,
                                     std::error_code &ec, std::size_t *needed) noexcept {
    detail::CRoomToken t(token);
    if (t.has_nul()) {
        detail::fail_nul(m, t.nul_argument(), ec);
        return {};
    }
    if (!detail::not_empty(key.get(), m, DST_ARG_KEY, "Key", ec)) return {};
    std::size_t len = 0;
    dst_status s = dst_mint_into(t.get(), key.get(), buf, cap, &len);
    if (needed != nullptr && (s == DST_OK || s == DST_ERR_BUFFER_TOO_SMALL)) *needed = len;
    return detail::ok(s, m, ec) ? std::string_view(buf, len) : std::string_view();
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
        detail::fail_nul(m, t.nul_argument(), ec);
        return {};
    }
    if (!detail::not_empty(key.get(), m, DST_ARG_KEY, "Key", ec)) return {};
    char *out = nullptr;
    detail::ok(dst_mint(t.get(), key.get(), &out), m, ec);
    return detail::take(out);
}

/** Mints `token` and returns the join URL of its room (team and options as in join_url);
 *  empty with `ec` set on failure. */
inline std::string mint_url(const RoomToken &token, const Key &key, std::string_view team, UrlOptions options,
                            std::error_code &ec) {
    const char *m = "dstoken::mint_url";
    detail::CRoomToken t(token);
    detail::CStr te(team);
    if (t.has_nul() || te.has_nul()) {
        detail::fail_nul(m, t.has_nul() ? t.nul_argument() : DST_ARG_TEAM, ec);
        return {};
    }
    if (!detail::not_empty(key.get(), m, DST_ARG_KEY, "Key", ec)) return {};
    char *url = nullptr;
    if (options == UrlOptions::none) {
        detail::ok(dst_mint_url(t.get(), key.get(), te.c_str(), &url), m, ec);
        return detail::take(url);
    }
    // dst_mint_url takes no options: mint, then build the URL with dst_join_url_opts.
    char *jwt = nullptr;
    if (!detail::ok(dst_mint(t.get(), key.get(), &jwt), m, ec)) return {};
    std::string minted = detail::take(jwt);
    detail::ok(dst_join_url_opts(te.c_str(), t.get()->room, minted.c_str(), static_cast<std::uint32_t>(options), &url),
               m, ec);
    return detail::take(url);
}
inline std::string mint_url(const RoomToken &token, const Key &key, std::string_view team, std::error_code &ec) {
    return mint_url(token, key, team, UrlOptions::none, ec);
}

#if DSTOKEN_HPP_EXCEPTIONS
/** Mints `token` in one call and returns it; throws Error (e.g. DST_ERR_MISSING_CLAIM). */
inline std::string mint(const RoomToken &token, const Key &key) {
    std::error_code ec;
    std::string jwt = mint(token, key, ec);
    detail::throw_if(ec);
    return jwt;
}

/** Mints `token` and returns the join URL of its room (options as in join_url); throws
 *  Error's subclasses. */
inline std::string mint_url(const RoomToken &token, const Key &key, std::string_view team,
                            UrlOptions options = UrlOptions::none) {
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
