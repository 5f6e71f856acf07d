// dstoken.hpp compiled with -fno-exceptions: only the error_code API and the allocation-free
// path exist, and they work.
#include "dstoken.hpp"

#include "check.hpp"

#if defined(__cpp_exceptions)
#error "this test must be compiled with -fno-exceptions"
#endif

using namespace std::chrono_literals;

int main() {
    std::error_code ec;
    auto key = dstoken::Key::from_string("0123456789abcdef0123456789abcdef", ec);
    CHECK(key && !ec);
    dstoken::Claims c;
    CHECK(c);
    CHECK(c.set_team_id("b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f", ec));
    CHECK(c.set_room("daily-standup", ec));
    CHECK(c.set_user_name("John Smith", ec));
    CHECK(c.set_role("moderator", ec));
    CHECK(c.set_issued_at(1767225600, ec));
    CHECK(c.set_expires_at(1767229200, ec));
    dstoken::TokenBuffer<> buf;
    // Hot loop: same-length user ids, no allocation in the library.
    char id[16];
    for (int i = 0; i < 1000; ++i) {
        std::snprintf(id, sizeof id, "user-%06d", i);
        CHECK(c.set_user_id(id, ec));
        CHECK(buf.sign(c, key) == DST_OK);
    }
    CHECK(buf.view().size() == 288);
    CHECK(!c.set_int("u", 1, ec) && ec == DST_ERR_INVALID_ARGUMENT);
    CHECK(!c.set_string(std::string_view("a\0", 2), "x", ec) && ec == DST_ERR_INVALID_ARGUMENT);
    auto t = std::chrono::system_clock::time_point(std::chrono::seconds(1767225600));
    auto back = dstoken::verify(buf.view(), key, t, 0s, ec);
    CHECK(back && !ec);
    CHECK(back.get_string("ud", ec) == "user-000999");

    // Without exceptions, last_error() names the method called and fills the reason's
    // template with the C++ names of the arguments; last_error_parts() has the parts.
    dstoken::Claims moved = std::move(back);
    CHECK(!back.set_team_id("t", ec) && ec == DST_ERR_NULL_ARGUMENT);
    CHECK(dstoken::last_error().rfind("dstoken::Claims::set_team_id: claims is missing (NULL): an empty Claims (moved from",
                                      0) == 0);
    CHECK(dstoken::sign(back, key, ec).empty() && ec == DST_ERR_NULL_ARGUMENT);
    CHECK(dstoken::last_error().rfind("dstoken::sign: claims is missing (NULL)", 0) == 0);
    dstoken::Claims fresh;
    CHECK(fresh.set_room("r", ec));
    CHECK(dstoken::sign(fresh, key, ec).empty() && ec == DST_ERR_MISSING_CLAIM);
    CHECK(dstoken::last_error() == "dstoken::sign: team_id (claim \"td\") is required");
    CHECK(dstoken::last_error_parts().argument() == dstoken::Argument::team_id);
    CHECK(!fresh.set_int("rd", 1, ec) && ec == DST_ERR_INVALID_ARGUMENT);
    CHECK(dstoken::last_error().rfind("dstoken::Claims::set_int: ", 0) == 0);
    CHECK(!fresh.set_json("role", "\"moderator\"", ec) && ec == DST_ERR_INVALID_ARGUMENT);
    CHECK(dstoken::last_error() == "dstoken::Claims::set_json: \"role\" is a registered claim; set it with role, "
                                   "not as a custom claim");
    CHECK(dstoken::last_error_parts().reason() == dstoken::Reason::registered_name);
    CHECK(fresh.set_string("plan", "pro", ec) && !ec);
    // The new API without exceptions: chrono lifetimes, verify options, the unverified decode.
    CHECK(!fresh.set_lifetime(std::chrono::milliseconds(2500), 0s, ec) && ec == DST_ERR_INVALID_ARGUMENT);
    CHECK(dstoken::last_error_parts().reason() == dstoken::Reason::sub_second);
    CHECK(fresh.set_team_id("t", ec) && fresh.set_lifetime(t, 90s, 0s, ec));
    const std::string token = dstoken::sign(fresh, key, ec);
    dstoken::VerifyOptions o;
    o.now = t;
    o.team_id = "another";
    CHECK(!dstoken::verify(token, key, o, ec) && ec == DST_ERR_CLAIM_MISMATCH);
    CHECK(dstoken::last_error_parts().text() == "t" && dstoken::last_error_parts().name() == "td");
    o.team_id = "t";
    CHECK(dstoken::verify(token, key, o, ec) && !ec);
    dstoken::Unverified u = dstoken::decode_unverified(token, ec);
    CHECK(!ec && u.claims.get_string("plan", ec) == "pro");
    // Item 9: release() and adopt().
    dst_claims *raw = moved.release();
    CHECK(raw != nullptr && !moved);
    dstoken::Claims again = dstoken::Claims::adopt(raw);
    CHECK(again.get_string("ud", ec) == "user-000999" && !ec);
    return cpp_report("test_cpp_noexcept");
}
