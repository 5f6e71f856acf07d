// dstoken.hpp with exceptions: the throwing API, the error_code overloads, RAII and moves.
#include "dstoken.hpp"

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
    auto back = dstoken::verify(dstoken::sign(adopted, key), key);
    CHECK_EQ(back.get_string("td"), std::string("t"));
    dst_claims_free(adopted.release());
    CHECK(!adopted);
}

// Messages name the C++ method called, say "moved from" for an empty
// object, and for a missing claim name the setter.
static void test_messages_name_the_cpp_method() {
    dstoken::Key key("k");
    dstoken::Claims c;
    try {
        c.set_int("u", 5);
        CHECK(false);
    } catch (const dstoken::Error &e) {
        CHECK(starts_with(e.what(), "dstoken::Claims::set_int: claim \"u\""));
        CHECK(!has(e.what(), "dst_claims_set_int"));
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
    } catch (const dstoken::Error &e) {
        CHECK_EQ(e.status(), DST_ERR_MISSING_CLAIM);
        CHECK(starts_with(e.what(), "dstoken::sign: claim \"td\""));
        CHECK(has(e.what(), "set it with Claims::team_id() or Claims::set_team_id()"));
        CHECK(!has(e.what(), "dst_sign"));
    }
    CHECK(starts_with(dstoken::last_error(), "dstoken::sign: "));
    dstoken::Claims moved = std::move(c);
    try {
        c.team_id("t");
        CHECK(false);
    } catch (const dstoken::Error &e) {
        CHECK_EQ(e.status(), DST_ERR_NULL_ARGUMENT);
        CHECK(starts_with(e.what(), "dstoken::Claims::team_id: this Claims is empty: it was moved from"));
        CHECK(!has(e.what(), "is NULL") && !has(e.what(), "`claims`"));
    }
    try {
        c.get_string("u");
        CHECK(false);
    } catch (const dstoken::Error &e) {
        CHECK(starts_with(e.what(), "dstoken::Claims::get_string: this Claims is empty"));
    }
    try {
        dstoken::sign(c, key);
        CHECK(false);
    } catch (const dstoken::Error &e) {
        CHECK_EQ(e.status(), DST_ERR_NULL_ARGUMENT);
        CHECK(starts_with(e.what(), "dstoken::sign: argument `claims` is an empty Claims: it was moved from"));
    }
    dstoken::Key moved_key = std::move(key);
    try {
        moved.team_id("t");
        dstoken::sign(moved, key);
        CHECK(false);
    } catch (const dstoken::Error &e) {
        CHECK(starts_with(e.what(), "dstoken::sign: argument `key` is an empty Key: it was moved from"));
    }
    try {
        dstoken::verify("a.b.c", key);
        CHECK(false);
    } catch (const dstoken::Error &e) {
        CHECK(starts_with(e.what(), "dstoken::verify: argument `key` is an empty Key"));
    }
    try {
        dstoken::verify("a.b.c", moved_key);
        CHECK(false);
    } catch (const dstoken::Error &e) {
        CHECK_EQ(e.status(), DST_ERR_MALFORMED_TOKEN);
        CHECK(starts_with(e.what(), "dstoken::verify: "));
    }
    try {
        moved.set_json(std::string_view("a\0b", 3), "1");
        CHECK(false);
    } catch (const dstoken::Error &e) {
        CHECK(starts_with(e.what(), "dstoken::Claims::set_json: argument `name` contains a NUL character"));
    }
    try {
        dstoken::Key empty("");
        CHECK(false);
    } catch (const dstoken::Error &e) {
        CHECK(starts_with(e.what(), "dstoken::Key::Key: "));
    }
    // The error_code forms record the same messages, under their own names.
    std::error_code ec;
    CHECK(!c.set_room("r", ec) && ec == DST_ERR_NULL_ARGUMENT);
    CHECK(starts_with(dstoken::last_error(), "dstoken::Claims::set_room: this Claims is empty"));
    dstoken::TokenBuffer<> buf;
    CHECK_EQ(buf.sign(c, moved_key), DST_ERR_NULL_ARGUMENT);
    CHECK(starts_with(dstoken::last_error(), "dstoken::TokenBuffer::sign: argument `claims` is an empty Claims"));
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

// The custom-claim setters refuse every registered name, naming the
// typed setter, so data passed through as custom claims cannot replace the room, the role or a
// time; NaN and Infinity are not JSON and are refused.
static void test_custom_setters_refuse_registered_names() {
    static const char *const registered[][2] = {
        {"td", "Claims::team_id()"},       {"rd", "Claims::room()"},         {"u", "Claims::user_name()"},
        {"ud", "Claims::user_id()"},       {"initials", "Claims::initials()"}, {"role", "Claims::role()"},
        {"breakoutId", "Claims::breakout_id()"}, {"avatar", "Claims::avatar()"},
        {"iat", "Claims::issued_at()"},    {"nbf", "Claims::not_before()"},  {"exp", "Claims::expires_at()"},
    };
    dstoken::Key key("0123456789abcdef0123456789abcdef");
    dstoken::Claims c;
    c.team_id("t").room("lobby").role("attendee").issued_at(1767225600).expires_at(1767225660);
    for (const auto &r : registered) {
        const std::string name = r[0];
        for (int form = 0; form < 4; ++form) {
            try {
                if (form == 0) c.set_string(name, "moderator");
                if (form == 1) c.set_int(name, 4102444800);
                if (form == 2) c.set_bool(name, true);
                if (form == 3) c.set_json(name, "\"moderator\"");
                CHECK(false);
            } catch (const dstoken::Error &e) {
                CHECK_EQ(e.status(), DST_ERR_INVALID_ARGUMENT);
                CHECK(has(e.what(), ("claim \"" + name + "\" is a registered claim, not a custom one: set it with ").c_str()));
                CHECK(has(e.what(), r[1]));
                CHECK(starts_with(e.what(), "dstoken::Claims::set_"));
            }
            std::error_code ec;
            CHECK(!c.set_string(name, "x", ec) && ec == DST_ERR_INVALID_ARGUMENT);
            CHECK(has(dstoken::last_error().c_str(), r[1]));
        }
    }
    try {
        c.set_string("role", "moderator");
        CHECK(false);
    } catch (const dstoken::Error &e) {
        CHECK(starts_with(e.what(), "dstoken::Claims::set_string: claim \"role\" is a registered claim, "
                                    "not a custom one: set it with Claims::role() or Claims::set_role()"));
    }
    for (const char *bad : {"NaN", "Infinity", "-Infinity", "[NaN]"}) {
        try {
            c.set_json("score", bad);
            CHECK(false);
        } catch (const dstoken::Error &e) {
            CHECK_EQ(e.status(), DST_ERR_INVALID_ARGUMENT);
        }
    }
    // Custom names still work, and nothing registered was replaced.
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
    test_custom_setters_refuse_registered_names();
    CHECK(dstoken::version() == DSTOKEN_VERSION_STRING);
    return cpp_report("test_cpp");
}
