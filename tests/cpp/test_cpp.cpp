// dstoken.hpp with exceptions: the throwing API, the error_code overloads, RAII and moves,
// the error classes and their parts, std::chrono lifetimes, verify options, the unverified
// decode, text keys and SavedError in a signal handler. (Each rule's cases are in the shared
// vectors, which test_cpp_mint runs; these tests are of the C++ API's shape.)
#include "dstoken.hpp"

#include <csignal>
#include <thread>
#include <vector>

#include "check.hpp"

using namespace std::chrono_literals;

static const char KAT_TOKEN[] =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJ0ZCI6ImIxYTdjMmQ0LTEyMzQtNGNkZS05ZjAwLTBhMWIyYzNkNGU1ZiIsInJkIjoiZGFpbHktc3RhbmR1cCIsInUi"
    "OiJKb2huIFNtaXRoIiwidWQiOiJ1c2VyLTAwMDA0MiIsInJvbGUiOiJtb2RlcmF0b3IiLCJpYXQiOjE3NjcyMjU2MDAs"
    "ImV4cCI6MTc2NzIyOTIwMH0.Wn0Cr5LETjwImX91BCJGPVuho_HGq-VKV4IobwvIesU";

static dstoken::Claims workload() {
    dstoken::Claims c;
    c.team_id("b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f")
        .room("daily-standup")
        .user_name("John Smith")
        .user_id("user-000042")
        .role("moderator")
        .issued_at(1767225600)
        .expires_at(1767229200);
    return c;
}

static void test_known_answer_and_round_trip() {
    dstoken::Key key("0123456789abcdef0123456789abcdef");
    auto claims = workload();
    std::string token = dstoken::sign(claims, key);
    CHECK_EQ(token, std::string(KAT_TOKEN));
    auto t = std::chrono::system_clock::time_point(std::chrono::seconds(1767225600));
    dstoken::Claims back = dstoken::verify(token, key, t, 0s);
    CHECK_EQ(back.get_string("u"), std::string("John Smith"));
    CHECK_EQ(back.get_int("exp"), int64_t(1767229200));
    CHECK_EQ(back.to_json(), claims.to_json());
}

static void test_errors_throw_with_status() {
    dstoken::Key key("k");
    dstoken::Claims c;
    try {
        dstoken::sign(c, key);
        CHECK(false);
    } catch (const dstoken::Error &e) {
        CHECK_EQ(e.status(), DST_ERR_MISSING_CLAIM);
        CHECK(std::string(e.what()).find("\"td\"") != std::string::npos);
        CHECK(e.code() == DST_ERR_MISSING_CLAIM);
        CHECK_EQ(e.code().message(), std::string("DST_ERR_MISSING_CLAIM"));
    }
    try {
        c.set_int("u", 5);
        CHECK(false);
    } catch (const dstoken::Error &e) {
        CHECK_EQ(e.status(), DST_ERR_INVALID_ARGUMENT);
    }
    try {
        c.user_name(std::string_view("a\0b", 3));
        CHECK(false);
    } catch (const dstoken::Error &e) {
        CHECK_EQ(e.status(), DST_ERR_INVALID_ARGUMENT);
        CHECK(std::string(e.what()).find("NUL") != std::string::npos);
    }
    try {
        dstoken::Key empty("");
        CHECK(false);
    } catch (const dstoken::Error &e) {
        CHECK_EQ(e.status(), DST_ERR_INVALID_ARGUMENT);
    }
    try {
        c.get_string("missing");
        CHECK(false);
    } catch (const std::system_error &e) {  // Error is a std::system_error
        CHECK(e.code() == DST_ERR_NOT_FOUND);
    }
    try {
        dstoken::verify("a.b.c", key);
        CHECK(false);
    } catch (const dstoken::Error &e) {
        CHECK_EQ(e.status(), DST_ERR_MALFORMED_TOKEN);
    }
}

static void test_error_code_overloads() {
    std::error_code ec;
    dstoken::Key key = dstoken::Key::from_string("", ec);
    CHECK(!key && ec == DST_ERR_INVALID_ARGUMENT);
    key = dstoken::Key::from_string("secret", ec);
    CHECK(key && !ec);
    dstoken::Claims c;
    CHECK(!c.set_expires_in(-1s, ec) && ec == DST_ERR_INVALID_ARGUMENT);
    CHECK(c.set_team_id("t", ec) && !ec);
    std::string token = dstoken::sign(c, key, ec);
    CHECK(token.empty() && ec == DST_ERR_MISSING_CLAIM);
    CHECK(dstoken::last_error().find("\"rd\"") != std::string::npos);
    CHECK(c.set_room("r", ec));
    CHECK(c.set_validity(10s, 1h, ec));
    token = dstoken::sign(c, key, ec);
    CHECK(!ec && !token.empty());
    auto back = dstoken::verify(token, key, std::chrono::system_clock::now(), 0s, ec);
    CHECK(back && !ec);
    auto later = dstoken::verify(token, key, std::chrono::system_clock::now() + 2h, 0s, ec);
    CHECK(!later && ec == DST_ERR_EXPIRED);
    int64_t v = 0;
    CHECK(!back.get_int("u", v, ec) && ec == DST_ERR_NOT_FOUND);
    CHECK(dstoken::join_url("acme", "r", token, ec) == "https://acme.digitalsamba.com/r?token=" + token);
    CHECK(dstoken::join_url("bad host", "r", "", ec).empty() && ec == DST_ERR_INVALID_ARGUMENT);
}

static void test_allocation_free_paths() {
    dstoken::Key key("0123456789abcdef0123456789abcdef");
    auto claims = workload();
    dstoken::TokenBuffer<> buf;
    CHECK_EQ(buf.sign(claims, key), DST_OK);
    CHECK(buf.view() == KAT_TOKEN);
    dstoken::TokenBuffer<64> small;
    CHECK_EQ(small.sign(claims, key), DST_ERR_BUFFER_TOO_SMALL);
    CHECK(small.view().empty());
    char raw[100];
    std::size_t needed = 0;
    std::error_code ec;
    CHECK(dstoken::sign_into(claims, key, raw, sizeof raw, ec, &needed).empty());
    CHECK(ec == DST_ERR_BUFFER_TOO_SMALL && needed == 288);
    std::vector<char> big(needed + 1);
    CHECK(dstoken::sign_into(claims, key, big.data(), big.size(), ec) == KAT_TOKEN);
}

static void test_moves_and_clone() {
    dstoken::Claims a;
    a.user_name("x");
    dstoken::Claims b = std::move(a);
    CHECK(!a && b);
    dstoken::Claims c = b.clone();
    c.user_name("y");
    CHECK_EQ(b.get_string("u"), std::string("x"));
    CHECK_EQ(c.get_string("u"), std::string("y"));
    b = std::move(c);
    CHECK_EQ(b.get_string("u"), std::string("y"));
    dstoken::Key k1("one"), k2("two");
    k1 = std::move(k2);
    CHECK(k1 && !k2);
    static_assert(!std::is_copy_constructible_v<dstoken::Claims>);
    static_assert(!std::is_copy_constructible_v<dstoken::Key>);
    static_assert(std::is_nothrow_move_constructible_v<dstoken::Key>);
}

static bool starts_with(const std::string &s, const char *prefix) { return s.rfind(prefix, 0) == 0; }
static bool has(const std::string &s, const char *part) { return s.find(part) != std::string::npos; }

// adopt() takes ownership, release() gives it back, no double free (the
// valgrind and ASan runs of this test catch one).
static void test_release_and_adopt() {
    dstoken::Claims a;
    a.user_name("x");
    dst_claims *raw = a.release();
    CHECK(raw != nullptr && !a && a.get() == nullptr);
    CHECK(a.release() == nullptr);  // an empty Claims releases NULL
    dstoken::Claims b = dstoken::Claims::adopt(raw);
    CHECK(b && b.get() == raw);
    CHECK_EQ(b.get_string("u"), std::string("x"));
    // Round trip through C: a handle released, used and freed by C code.
    dst_claims *c_handle = b.clone().release();
    CHECK_EQ(dst_claims_set_room(c_handle, "r"), DST_OK);
    dst_claims_free(c_handle);
    // A handle from the C API adopted, then released and freed by hand.
    dstoken::Key key("k");
    dst_claims *from_c = dst_claims_new();
    CHECK_EQ(dst_claims_set_team_id(from_c, "t"), DST_OK);
    CHECK_EQ(dst_claims_set_room(from_c, "r"), DST_OK);
    dstoken::Claims adopted = dstoken::Claims::adopt(from_c);
    dstoken::VerifyOptions exp_optional;
    exp_optional.exp_optional = true;
    auto back = dstoken::verify(dstoken::sign(adopted, key), key, exp_optional);
    CHECK_EQ(back.get_string("td"), std::string("t"));
    dst_claims_free(adopted.release());
    CHECK(!adopted);
}

// Messages name the C++ method called, then the reason's template filled with the parts and
// the C++ names of the arguments; an empty object says it was moved from.
static void test_messages_name_the_cpp_method() {
    dstoken::Key key("k");
    dstoken::Claims c;
    try {
        c.set_int("u", 5);
        CHECK(false);
    } catch (const dstoken::ArgumentError &e) {
        CHECK(starts_with(e.what(), "dstoken::Claims::set_int: \"u\" is a registered claim; set it with user_name, "
                                    "not as a custom claim"));
        CHECK(e.reason() == dstoken::Reason::registered_name && e.other() == dstoken::Argument::user_name);
        CHECK(e.name() == "u" && e.argument_name() == "name" && e.other_name() == "user_name");
    }
    try {
        c.expires_in(-1s);
        CHECK(false);
    } catch (const dstoken::Error &e) {
        CHECK(starts_with(e.what(), "dstoken::Claims::expires_in: "));
    }
    try {
        c.room("r");
        dstoken::sign(c, key);
        CHECK(false);
    } catch (const dstoken::MissingClaimError &e) {
        CHECK_EQ(e.status(), DST_ERR_MISSING_CLAIM);
        CHECK(starts_with(e.what(), "dstoken::sign: team_id (claim \"td\") is required"));
        CHECK(e.argument() == dstoken::Argument::team_id && e.name() == "td");
    }
    CHECK(starts_with(dstoken::last_error(), "dstoken::sign: "));
    dstoken::Claims moved = std::move(c);
    try {
        c.team_id("t");
        CHECK(false);
    } catch (const dstoken::ArgumentError &e) {
        CHECK_EQ(e.status(), DST_ERR_NULL_ARGUMENT);
        CHECK(starts_with(e.what(), "dstoken::Claims::team_id: claims is missing (NULL): an empty Claims (moved from"));
        CHECK(e.reason() == dstoken::Reason::null && e.argument() == dstoken::Argument::claims);
    }
    try {
        c.get_string("u");
        CHECK(false);
    } catch (const dstoken::Error &e) {
        CHECK(starts_with(e.what(), "dstoken::Claims::get_string: claims is missing (NULL): an empty Claims"));
    }
    dstoken::Key moved_key = std::move(key);
    try {
        moved.team_id("t");
        dstoken::sign(moved, key);
        CHECK(false);
    } catch (const dstoken::Error &e) {
        CHECK(starts_with(e.what(), "dstoken::sign: key is missing (NULL): an empty Key (moved from"));
        CHECK(e.argument() == dstoken::Argument::key);
    }
    try {
        dstoken::verify("a.b.c", moved_key);
        CHECK(false);
    } catch (const dstoken::MalformedTokenError &e) {
        CHECK(starts_with(e.what(), "dstoken::verify: "));
    }
    try {
        moved.set_json(std::string_view("a\0b", 3), "1");
        CHECK(false);
    } catch (const dstoken::ArgumentError &e) {
        CHECK(starts_with(e.what(), "dstoken::Claims::set_json: name contains a NUL character"));
        CHECK(e.argument() == dstoken::Argument::claim_name && e.reason() == dstoken::Reason::none);
    }
    try {
        dstoken::Key empty("");
        CHECK(false);
    } catch (const dstoken::ArgumentError &e) {
        CHECK(starts_with(e.what(), "dstoken::Key::Key: key must not be empty"));
    }
    // The error_code forms record the same messages and parts, under their own names.
    std::error_code ec;
    CHECK(!c.set_room("r", ec) && ec == DST_ERR_NULL_ARGUMENT);
    CHECK(starts_with(dstoken::last_error(), "dstoken::Claims::set_room: claims is missing (NULL)"));
    CHECK(dstoken::last_error_parts().argument() == dstoken::Argument::claims);
    dstoken::TokenBuffer<> buf;
    CHECK_EQ(buf.sign(c, moved_key), DST_ERR_NULL_ARGUMENT);
    CHECK(starts_with(dstoken::last_error(), "dstoken::TokenBuffer::sign: claims is missing (NULL)"));
}

// The classes a caller catches, the parts they carry, and the times and spans of the
// message (RFC 3339 UTC; days to seconds).
static void test_error_classes_and_parts() {
    using clock = std::chrono::system_clock;
    const auto t0 = clock::time_point(1767225600s);  // 2026-01-01T00:00:00Z
    dstoken::Key key("0123456789abcdef0123456789abcdef");
    dstoken::Claims c;
    c.team_id("team").room("room").issued_at(t0).expires_at(t0 + 1h);
    const std::string token = dstoken::sign(c, key);
    try {
        dstoken::verify(token, key, t0 + 1h + 24h + 5s);
        CHECK(false);
    } catch (const dstoken::ExpiredError &e) {
        CHECK(e.expired_at() == t0 + 1h && e.time_seconds() == 1767229200);
        CHECK(e.value() == 86405 && e.limit() == 0 && e.reason() == dstoken::Reason::expired);
        CHECK(starts_with(e.what(), "dstoken::verify: the token expired at 2026-01-01T01:00:00Z, 1 d 0 h 0 min 5 s ago"));
        CHECK(e.code() == DST_ERR_EXPIRED && e.code().category() == dstoken::category());
    }
    try {
        dstoken::verify(token, key, t0 - 90s, 30s);
        CHECK(false);
    } catch (const dstoken::NotYetValidError &e) {
        CHECK(e.valid_from() == t0 && e.value() == 90 && e.limit() == 30);
        CHECK(has(e.what(), "2026-01-01T00:00:00Z, 1 min 30 s from now"));
    }
    try {
        dstoken::verify(token, dstoken::Key("another key"), t0);
        CHECK(false);
    } catch (const dstoken::SignatureError &e) {
        CHECK(e.reason() == dstoken::Reason::signature_mismatch);
    }
    try {
        dstoken::verify("eyJhbGciOiJub25lIn0.e30.AAAA", key, t0);
        CHECK(false);
    } catch (const dstoken::AlgorithmError &e) {
        CHECK(e.text() == "none" && has(e.what(), "the token's alg is \"none\""));
    }
    try {
        dstoken::verify("https://acme.digitalsamba.com/room?token=" + token, key, t0);
        CHECK(false);
    } catch (const dstoken::MalformedTokenError &e) {
        CHECK(e.reason() == dstoken::Reason::is_url);
    }
    try {
        c.get_int("team_id_is_not_here");
        CHECK(false);
    } catch (const dstoken::ClaimError &e) {
        CHECK(e.status() == DST_ERR_NOT_FOUND && e.name() == "team_id_is_not_here");
    }
    try {
        c.get_int("td");
        CHECK(false);
    } catch (const dstoken::ClaimError &e) {
        CHECK(e.status() == DST_ERR_WRONG_TYPE);
        CHECK(has(e.what(), "claim \"td\" is a string, not an integer"));
    }
    // dstoken::error is the same class; every subclass is a std::system_error.
    static_assert(std::is_same_v<dstoken::error, dstoken::Error>);
    static_assert(std::is_base_of_v<std::system_error, dstoken::ExpiredError>);
    static_assert(std::is_base_of_v<dstoken::ErrorParts, dstoken::ClaimMismatchError>);
    // A millisecond time: the value, the suggested seconds, and the time they stand for.
    try {
        c.expires_at(std::int64_t{1767229200000});
        CHECK(false);
    } catch (const dstoken::ArgumentError &e) {
        CHECK(e.reason() == dstoken::Reason::milliseconds && e.suggested() == 1767229200);
        CHECK(has(e.what(), "expires_at is 1767229200000, which looks like milliseconds: 1767229200000 ms is "
                            "2026-01-01T01:00:00Z; give seconds (1767229200)"));
    }
}

// std::chrono lifetimes: whole seconds of any unit; a part below a second is refused (the
// core's rule), as is a lifetime over the maximum unless it is raised.
static void test_chrono_lifetimes() {
    using clock = std::chrono::system_clock;
    const auto t0 = clock::time_point(1767225600s);
    dstoken::Key key("0123456789abcdef0123456789abcdef");
    dstoken::RoomToken t;
    t.team_id = "team";
    t.room = "room";
    t.now = 1767225600;
    t.lifetime(2h);
    CHECK(t.lifetime_seconds == 7200 && t.lifetime_nanos == 0);
    auto back = dstoken::verify(dstoken::mint(t, key), key, t0);
    CHECK_EQ(back.get_int("exp") - back.get_int("iat"), std::int64_t{7200});
    t.lifetime(std::chrono::milliseconds(1500));
    CHECK(t.lifetime_seconds == 1 && t.lifetime_nanos == 500000000);
    try {
        dstoken::mint(t, key);
        CHECK(false);
    } catch (const dstoken::ArgumentError &e) {
        CHECK(e.reason() == dstoken::Reason::sub_second && e.value() == 1 && e.limit() == 500000000);
        CHECK(e.argument() == dstoken::Argument::lifetime && has(e.what(), "lifetime_seconds is 1 s and 500000000 ns"));
    }
    t.lifetime(std::chrono::duration<double>(3600.0));  // a floating duration of whole seconds
    CHECK(t.lifetime_seconds == 3600 && t.lifetime_nanos == 0);
    t.lifetime(std::chrono::hours(24 * 40));
    try {
        dstoken::mint(t, key);
        CHECK(false);
    } catch (const dstoken::ArgumentError &e) {
        CHECK(e.reason() == dstoken::Reason::lifetime_too_long && e.limit() == 30 * 86400);
        CHECK(has(e.what(), "(40 d 0 h 0 min 0 s), longer than the 30 d 0 h 0 min 0 s allowed"));
        CHECK(has(e.what(), "raise max_lifetime_seconds"));
    }
    t.max_lifetime(std::chrono::hours(24 * 60));
    CHECK(t.max_lifetime_seconds == 60 * 86400);
    CHECK(!dstoken::mint(t, key).empty());

    dstoken::Claims c;
    c.team_id("team").room("room").lifetime(t0, 30min);
    CHECK_EQ(c.get_int("iat"), std::int64_t{1767225600});
    CHECK_EQ(c.get_int("exp"), std::int64_t{1767225600 + 1800});
    std::error_code ec;
    CHECK(!c.set_lifetime(t0, std::chrono::microseconds(5), std::chrono::seconds(0), ec) && ec == DST_ERR_INVALID_ARGUMENT);
    CHECK(dstoken::last_error_parts().reason() == dstoken::Reason::sub_second);
    CHECK(!c.set_lifetime(std::chrono::hours(48), std::chrono::hours(24), ec) && ec == DST_ERR_INVALID_ARGUMENT);
    CHECK(dstoken::last_error_parts().limit() == 86400);
    CHECK(c.set_lifetime(std::chrono::hours(48), std::chrono::hours(72), ec) && !ec);
    CHECK_EQ(c.get_int("exp") - c.get_int("iat"), std::int64_t{48 * 3600});
    CHECK(!c.set_lifetime(-1s, 0s, ec) && dstoken::last_error_parts().reason() == dstoken::Reason::not_positive);
}

// VerifyOptions: expected team and room, required claims, exp optional, now and leeway.
static void test_verify_options() {
    using clock = std::chrono::system_clock;
    const auto t0 = clock::time_point(1767225600s);
    dstoken::Key key("0123456789abcdef0123456789abcdef");
    dstoken::Claims c;
    c.team_id("team").room("room").user_name("Ann").issued_at(t0).expires_at(t0 + 1h);
    const std::string token = dstoken::sign(c, key);
    dstoken::VerifyOptions o;
    o.now = t0;
    o.team_id = "team";
    o.room = "room";
    o.required = {"u", "iat"};
    CHECK_EQ(dstoken::verify(token, key, o).get_string("u"), std::string("Ann"));
    o.room = "other";
    try {
        dstoken::verify(token, key, o);
        CHECK(false);
    } catch (const dstoken::ClaimMismatchError &e) {
        CHECK(e.claim() == "rd" && e.token_value() == "room" && e.argument() == dstoken::Argument::room);
        CHECK(starts_with(e.what(), "dstoken::verify: the token's room (claim \"rd\") is \"room\", not the one expected"));
    }
    o.room.reset();
    o.required = {"ud"};
    try {
        dstoken::verify(token, key, o);
        CHECK(false);
    } catch (const dstoken::MissingClaimError &e) {
        CHECK(e.name() == "ud");
    }
    o.required = {std::string("u\0x", 3)};
    std::error_code ec;
    CHECK(!dstoken::verify(token, key, o, ec) && ec == DST_ERR_INVALID_ARGUMENT);
    CHECK(dstoken::last_error_parts().argument() == dstoken::Argument::required);
    o.required.clear();
    o.now = t0 + 1h + 10s;
    CHECK(!dstoken::verify(token, key, o, ec) && ec == DST_ERR_EXPIRED);
    o.leeway = 11s;  // expired when now >= exp + leeway
    CHECK(dstoken::verify(token, key, o, ec) && !ec);
    o.leeway = -1s;
    CHECK(!dstoken::verify(token, key, o, ec) && ec == DST_ERR_INVALID_ARGUMENT);
    CHECK(dstoken::last_error_parts().argument() == dstoken::Argument::leeway);
    // A token without exp: refused unless exp is optional.
    dstoken::Claims no_exp;
    no_exp.team_id("team").room("room");
    const std::string forever = dstoken::sign(no_exp, key);
    dstoken::VerifyOptions d;
    CHECK(!dstoken::verify(forever, key, d, ec) && ec == DST_ERR_MISSING_CLAIM);
    d.exp_optional = true;
    CHECK(dstoken::verify(forever, key, d, ec) && !ec);
}

// decode_unverified: header and claims, whatever the signature; malformed tokens refused.
static void test_decode_unverified() {
    dstoken::Key key("0123456789abcdef0123456789abcdef");
    auto claims = workload();
    std::string token = dstoken::sign(claims, key);
    token.back() = token.back() == 'A' ? 'B' : 'A';  // no longer the key's signature
    dstoken::Unverified u = dstoken::decode_unverified(token);
    CHECK_EQ(u.header, std::string("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"));
    CHECK_EQ(u.claims.to_json(), claims.to_json());
    try {
        dstoken::decode_unverified("not.a token");
        CHECK(false);
    } catch (const dstoken::MalformedTokenError &e) {
        CHECK(starts_with(e.what(), "dstoken::decode_unverified: "));
    }
    std::error_code ec;
    dstoken::Unverified bad = dstoken::decode_unverified(std::string_view("a\0.b.c", 6), ec);
    CHECK(ec == DST_ERR_MALFORMED_TOKEN && !bad.claims && bad.header.empty());
}

// Keys given as strings are text (whitespace at either end refused); as bytes, as they are.
static void test_text_and_byte_keys() {
    try {
        dstoken::Key k(std::string_view("0123456789abcdef0123456789abcdef\n"));
        CHECK(false);
    } catch (const dstoken::ArgumentError &e) {
        CHECK(e.reason() == dstoken::Reason::key_whitespace && e.value() == 32);
        CHECK(starts_with(e.what(), "dstoken::Key::Key: key has whitespace at its start or end (offset 32)"));
    }
    std::error_code ec;
    CHECK(!dstoken::Key::from_string(" k", ec) && ec == DST_ERR_INVALID_ARGUMENT);
    CHECK(starts_with(dstoken::last_error(), "dstoken::Key::from_string: "));
    const char bytes[] = "k\n";
    CHECK(dstoken::Key::from_bytes(bytes, 2, ec) && !ec);
    dstoken::Key k(bytes, 2);
    CHECK(bool(k));
}

// SavedError: a signal handler that calls dstoken (and fails) leaves the interrupted code's
// error, C and C++, as it was.
static volatile std::sig_atomic_t handler_ran = 0;
static void on_alarm(int) {
    dstoken::SavedError saved;
    std::error_code ec;
    (void)dstoken::Key::from_string(" padded", ec);  // fails: whitespace
    handler_ran = dstoken::last_error_parts().reason() == dstoken::Reason::key_whitespace ? 1 : 2;
}
static void test_saved_error_in_a_signal_handler() {
    dstoken::Claims c;
    std::error_code ec;
    CHECK(!c.set_expires_at(std::int64_t{1767229200000}, ec));
    const std::string before = dstoken::last_error();
    CHECK(std::signal(SIGALRM, on_alarm) != SIG_ERR);
    CHECK(std::raise(SIGALRM) == 0);
    CHECK(handler_ran == 1);
    std::signal(SIGALRM, SIG_DFL);
    CHECK_EQ(dstoken::last_error(), before);
    CHECK(dstoken::last_error_parts().reason() == dstoken::Reason::milliseconds);
    dst_error e = DST_ERROR_INIT;
    CHECK(dst_last_error(&e) && e.reason == DST_REASON_MILLISECONDS);
}

static void test_shared_key_across_threads() {
    dstoken::Key key("shared");
    std::vector<std::thread> threads;
    std::vector<int> ok(4, 0);
    for (int i = 0; i < 4; ++i) {
        threads.emplace_back([&, i] {
            dstoken::Claims c;
            c.team_id("t").room("r").expires_in(1h);
            for (int n = 0; n < 500; ++n) {
                c.user_id("user-" + std::to_string(i) + "-" + std::to_string(n));
                auto back = dstoken::verify(dstoken::sign(c, key), key);
                ok[i] += back.get_string("ud") == "user-" + std::to_string(i) + "-" + std::to_string(n);
            }
        });
    }
    for (auto &t : threads) t.join();
    for (int n : ok) CHECK_EQ(n, 500);
}

// The custom-claim setters go to the library's custom-claim functions, which refuse a
// registered name (each name's case is in the shared vectors); custom names work.
static void test_custom_setters() {
    dstoken::Key key("0123456789abcdef0123456789abcdef");
    dstoken::Claims c;
    c.team_id("t").room("lobby").role("attendee").issued_at(1767225600).expires_at(1767225660);
    for (int form = 0; form < 4; ++form) {
        try {
            if (form == 0) c.set_string("role", "moderator");
            if (form == 1) c.set_int("exp", 4102444800);
            if (form == 2) c.set_bool("rd", true);
            if (form == 3) c.set_json("td", "\"other\"");
            CHECK(false);
        } catch (const dstoken::ArgumentError &e) {
            CHECK(e.reason() == dstoken::Reason::registered_name && e.argument() == dstoken::Argument::claim_name);
            CHECK(starts_with(e.what(), "dstoken::Claims::set_"));
        }
    }
    c.set_string("plan", "pro").set_int("n", 7).set_bool("ok", true).set_json("score", "2.5");
    dstoken::Claims back = dstoken::verify(dstoken::sign(c, key), key, std::chrono::system_clock::time_point(1767225600s), 0s);
    CHECK_EQ(back.get_string("role"), std::string("attendee"));
    CHECK_EQ(back.get_string("rd"), std::string("lobby"));
    CHECK_EQ(back.get_int("exp"), std::int64_t{1767225660});
    CHECK_EQ(back.get_string("plan"), std::string("pro"));
    CHECK_EQ(back.get_json("score"), std::string("2.5"));
}

int main() {
    test_known_answer_and_round_trip();
    test_errors_throw_with_status();
    test_error_code_overloads();
    test_allocation_free_paths();
    test_moves_and_clone();
    test_release_and_adopt();
    test_messages_name_the_cpp_method();
    test_shared_key_across_threads();
    test_custom_setters();
    test_error_classes_and_parts();
    test_chrono_lifetimes();
    test_verify_options();
    test_decode_unverified();
    test_text_and_byte_keys();
    test_saved_error_in_a_signal_handler();
    CHECK(dstoken::version() == DSTOKEN_VERSION_STRING);
    return cpp_report("test_cpp");
}
