// The one-call mint in C++ (dstoken::mint, mint_into, TokenBuffer::mint, mint_url and the
// dst:: spelling), built twice: with exceptions and with -fno-exceptions. Then every shared
// vector (DSTOKEN_VECTORS) byte for byte through dst::mint and the Claims builder.
#include "dstoken.hpp"

#include <cstdlib>
#include <cstring>
#include <ctime>
#include <iterator>

#include "check.hpp"
#include "json_min.h"

namespace {

const char *const KEY = "0123456789abcdef0123456789abcdef";

dst::RoomToken workload() {
    dst::RoomToken t;
    t.team_id = "b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f";
    t.room = "daily-standup";
    t.user_name = "John Smith";
    t.user_id = "user-000001";
    t.role = "moderator";
    t.issued_at = 1767225600;
    t.expires_at = 1767229200;
    t.now = 1767225600 - 60;  // explicit mode: the time exp must be after (not the clock's)
    return t;
}

void api_tests() {
    std::error_code ec;
    auto key = dst::Key::from_string(KEY, ec);
    CHECK(key && !ec);
    const dst::RoomToken t = workload();
    std::string token = dst::mint(t, key, ec);
    CHECK(!ec && token.size() == 288);

    // Same token as the builder.
    dstoken::Claims c;
    CHECK(c.set_team_id(*t.team_id, ec) && c.set_room(*t.room, ec) && c.set_user_name(*t.user_name, ec) &&
          c.set_user_id(*t.user_id, ec) && c.set_role(*t.role, ec) && c.set_issued_at(t.issued_at, ec) &&
          c.set_expires_at(t.expires_at, ec));
    CHECK(dstoken::sign(c, key, ec) == token);

    // Allocation-free forms.
    char buf[300];
    std::size_t needed = 0;
    CHECK(dst::mint_into(t, key, buf, sizeof buf, ec, &needed) == token && needed == 288 && !ec);
    CHECK(dst::mint_into(t, key, buf, 10, ec, &needed).empty() && ec == DST_ERR_BUFFER_TOO_SMALL && needed == 288);
    dst::TokenBuffer<> tb;
    char id[16];
    for (int i = 0; i < 100; ++i) {
        std::snprintf(id, sizeof id, "user-%06d", i);
        dst::RoomToken fresh = t;
        fresh.user_id = id;
        CHECK(tb.mint(fresh, key) == DST_OK && tb.view().size() == 288);
    }
    dst::TokenBuffer<16> tiny;
    CHECK(tiny.mint(t, key) == DST_ERR_BUFFER_TOO_SMALL && tiny.view().empty() && tiny.c_str()[0] == '\0');

    // URL.
    CHECK(dst::mint_url(t, key, "acme", ec) == "https://acme.digitalsamba.com/daily-standup?token=" + token);

    // A custom domain with a port: only with UrlOptions::allow_port, the refusal naming that
    // option (never the C flag); an IP address refused either way.
    CHECK(dst::mint_url(t, key, "meet.example.com:8443", ec).empty() && ec == DST_ERR_INVALID_ARGUMENT);
    CHECK(dstoken::last_error().rfind("dstoken::mint_url: ", 0) == 0);
    CHECK(dstoken::last_error().find("dstoken::UrlOptions::allow_port") != std::string::npos);
    CHECK(dstoken::last_error().find("DST_URL") == std::string::npos);
    CHECK(dst::join_url("meet.example.com:8443", "r", "", ec).empty() && ec == DST_ERR_INVALID_ARGUMENT);
    CHECK(dstoken::last_error().rfind("dstoken::join_url: ", 0) == 0);
    CHECK(dstoken::last_error().find("dstoken::UrlOptions::allow_port") != std::string::npos);
    CHECK(dstoken::last_error().find("DST_URL") == std::string::npos);
    CHECK(dst::join_url("Meet.Example.com:8443", "my room", "a.b.c", dst::UrlOptions::allow_port, ec) ==
          "https://meet.example.com:8443/my%20room?token=a.b.c" && !ec);
    CHECK(dst::join_url("meet.example.com", "r", "", dst::UrlOptions::allow_port, ec) == "https://meet.example.com/r");
    CHECK(dst::join_url("acme", "r", "", dst::UrlOptions::none, ec) == "https://acme.digitalsamba.com/r");
    CHECK(dst::mint_url(t, key, "Meet.Example.com:8443", dst::UrlOptions::allow_port, ec) ==
          "https://meet.example.com:8443/daily-standup?token=" + token && !ec);
    CHECK(dst::mint_url(t, key, "acme", dst::UrlOptions::none, ec) ==
          "https://acme.digitalsamba.com/daily-standup?token=" + token && !ec);
    for (const char *team : {"127.0.0.1:8080", "10.0.0.1", "[::1]:8443", "meet.example.com:0", "acme:8443"}) {
        CHECK(dst::join_url(team, "r", "", dst::UrlOptions::allow_port, ec).empty() && ec == DST_ERR_INVALID_ARGUMENT);
        CHECK(dst::mint_url(t, key, team, dst::UrlOptions::allow_port, ec).empty() && ec == DST_ERR_INVALID_ARGUMENT);
        CHECK(dstoken::last_error().rfind("dstoken::mint_url: ", 0) == 0);
    }
    {
        dst::RoomToken no_room = t;
        no_room.room.reset();  // minting errors name mint_url and the RoomToken field
        CHECK(dst::mint_url(no_room, key, "meet.example.com:8443", dst::UrlOptions::allow_port, ec).empty() &&
              ec == DST_ERR_MISSING_CLAIM);
        CHECK(dstoken::last_error().rfind("dstoken::mint_url: ", 0) == 0);
        CHECK(dstoken::last_error().find("room (claim \"rd\") is required") != std::string::npos);
        CHECK(dstoken::last_error_parts().argument() == dstoken::Argument::room);
        CHECK(dst::mint_url(t, key, std::string_view("a.b\0:1", 6), dst::UrlOptions::allow_port, ec).empty() &&
              ec == DST_ERR_INVALID_ARGUMENT);
    }

    // Errors: statuses through ec, nothing returned.
    dst::RoomToken bad = t;
    bad.room.reset();
    CHECK(dst::mint(bad, key, ec).empty() && ec == DST_ERR_MISSING_CLAIM);
    CHECK(dstoken::last_error().find("\"rd\"") != std::string::npos);
    bad = t;
    bad.user_name = std::string_view("a\0b", 3);
    CHECK(dst::mint(bad, key, ec).empty() && ec == DST_ERR_INVALID_ARGUMENT);
    CHECK(dst::mint_url(t, key, std::string_view("a\0", 2), ec).empty() && ec == DST_ERR_INVALID_ARGUMENT);
    bad = t;
    bad.user_name = "bad \xff utf-8";
    CHECK(dst::mint(bad, key, ec).empty() && ec == DST_ERR_INVALID_UTF8);
    bad = t;
    bad.lifetime_seconds = 60;
    CHECK(dst::mint(bad, key, ec).empty() && ec == DST_ERR_INVALID_ARGUMENT);
    bad = t;
    bad.team_id = "";
    CHECK(dst::mint(bad, key, ec).empty() && ec == DST_ERR_INVALID_ARGUMENT);

    // Relative mode from the clock.
    dst::RoomToken rel;
    rel.team_id = "t";
    rel.room = "r";
    rel.lifetime_seconds = 3600;
    rel.not_before_skew_seconds = 30;
    std::string r = dst::mint(rel, key, ec);
    CHECK(!ec);
    auto back = dstoken::verify(r, key, std::chrono::system_clock::now(), std::chrono::seconds(5), ec);
    CHECK(back && !ec);
    std::int64_t iat = 0, nbf = 0, exp = 0;
    CHECK(back.get_int("iat", iat, ec) && back.get_int("nbf", nbf, ec) && back.get_int("exp", exp, ec));
    CHECK(std::llabs(static_cast<long long>(iat - std::time(nullptr))) <= 2 && nbf == iat - 30 && exp == iat + 3600);

    // An expiry is required unless RoomToken::no_expiry says otherwise; the
    // message names the C++ function and the RoomToken fields to set.
    dst::RoomToken none;
    none.team_id = "t";
    none.room = "r";
    CHECK(dst::mint(none, key, ec).empty() && ec == DST_ERR_INVALID_ARGUMENT);
    const std::string msg = dstoken::last_error();
    CHECK(msg.rfind("dstoken::mint: ", 0) == 0);
    CHECK(msg.find("expires_at") != std::string::npos && msg.find("lifetime_seconds") != std::string::npos);
    CHECK(dstoken::last_error_parts().reason() == dstoken::Reason::no_expiry);
    CHECK(msg.find("dst_") == std::string::npos);
    CHECK(dst::mint_into(none, key, buf, sizeof buf, ec).empty() && ec == DST_ERR_INVALID_ARGUMENT);
    CHECK(dst::mint_url(none, key, "acme", ec).empty() && ec == DST_ERR_INVALID_ARGUMENT);
    CHECK(dstoken::last_error().rfind("dstoken::mint_url: ", 0) == 0);
    none.no_expiry = true;
    std::string forever = dst::mint(none, key, ec);
    CHECK(!ec && !forever.empty());
    // Verifying it needs exp made optional (VerifyOptions::exp_optional); by default a token
    // without exp is refused as MissingClaimError, naming the claim.
    CHECK(!dstoken::verify(forever, key, std::chrono::system_clock::now(), std::chrono::seconds(0), ec) &&
          ec == DST_ERR_MISSING_CLAIM && dstoken::last_error_parts().name() == "exp");
    dstoken::VerifyOptions exp_optional;
    exp_optional.exp_optional = true;
    auto fb = dstoken::verify(forever, key, exp_optional, ec);
    CHECK(fb && !ec);
    std::int64_t ignored = 0;
    CHECK(!fb.get_int("exp", ignored, ec) && ec == DST_ERR_NOT_FOUND);
    none.lifetime_seconds = 60;  // no_expiry and an expiry: refused
    CHECK(dst::mint(none, key, ec).empty() && ec == DST_ERR_INVALID_ARGUMENT);
    none.no_expiry = false;
    none.lifetime_seconds = -5;  // a negative lifetime: refused
    CHECK(dst::mint(none, key, ec).empty() && ec == DST_ERR_INVALID_ARGUMENT);

#if defined(__cpp_exceptions)
    CHECK(dst::mint(t, key) == token);
    CHECK(dst::mint_url(t, key, "acme") == "https://acme.digitalsamba.com/daily-standup?token=" + token);
    CHECK(dst::mint_url(t, key, "meet.example.com:8443", dst::UrlOptions::allow_port) ==
          "https://meet.example.com:8443/daily-standup?token=" + token);
    CHECK(dst::join_url("meet.example.com:8443", "r", "", dst::UrlOptions::allow_port) ==
          "https://meet.example.com:8443/r");
    try {
        dst::join_url("meet.example.com:8443", "r");
        CHECK(false);
    } catch (const dst::Error &e) {
        CHECK(e.status() == DST_ERR_INVALID_ARGUMENT);
        CHECK(std::string(e.what()).find("dstoken::UrlOptions::allow_port") != std::string::npos);
    }
    bad = t;
    bad.team_id.reset();
    try {
        dst::mint(bad, key);
        CHECK(false);
    } catch (const dst::Error &e) {
        CHECK(e.status() == DST_ERR_MISSING_CLAIM);
        CHECK(std::string(e.what()).rfind("dstoken::mint: ", 0) == 0);
        CHECK(std::string(e.what()).find("team_id (claim \"td\") is required") != std::string::npos);
        CHECK(dynamic_cast<const dst::MissingClaimError *>(&e) != nullptr && e.argument() == dst::Argument::team_id);
    }
    bad = t;
    bad.role = std::string_view("x\0", 2);
    try {
        dst::mint(bad, key);
        CHECK(false);
    } catch (const dst::Error &e) {
        CHECK(e.status() == DST_ERR_INVALID_ARGUMENT);
        CHECK(std::string(e.what()).find("NUL") != std::string::npos);
    }
#endif
}

// ---- vectors ---------------------------------------------------------------------------------

dst::Key case_key(const jv *c, std::error_code &ec) {
    std::string hex = jv_str(c, "key_hex"), bytes;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        bytes.push_back(static_cast<char>(std::strtoul(hex.substr(i, 2).c_str(), nullptr, 16)));
    return dst::Key::from_bytes(bytes.data(), bytes.size(), ec);
}

std::optional<std::string_view> opt(const jv *t, const char *field) {
    const char *s = jv_str(t, field);
    return s ? std::optional<std::string_view>(s) : std::nullopt;
}

dst::RoomToken room_token(const jv *t) {
    dst::RoomToken r;
    r.team_id = opt(t, "team_id");
    r.room = opt(t, "room");
    r.user_name = opt(t, "user_name");
    r.user_id = opt(t, "user_id");
    r.initials = opt(t, "initials");
    r.role = opt(t, "role");
    r.breakout_id = opt(t, "breakout_id");
    r.avatar = opt(t, "avatar");
    r.issued_at = jv_int(t, "issued_at", 0);
    r.not_before = jv_int(t, "not_before", 0);
    r.expires_at = jv_int(t, "expires_at", 0);
    r.lifetime_seconds = jv_int(t, "lifetime_seconds", 0);
    r.not_before_skew_seconds = jv_int(t, "not_before_skew_seconds", 0);
    r.now = jv_int(t, "now", 0);
    r.no_expiry = jv_bool(t, "no_expiry", 0) != 0;
    r.max_lifetime_seconds = jv_int(t, "max_lifetime_seconds", 0);
    // The lifetime as a std::chrono duration, as a C++ program gives it: seconds plus the
    // case's nanoseconds (a sub-second lifetime is the core's to refuse).
    if (jv_get(t, "lifetime_seconds") || jv_get(t, "lifetime_nanos"))
        r.lifetime(std::chrono::seconds(jv_int(t, "lifetime_seconds", 0)) +
                   std::chrono::nanoseconds(jv_int(t, "lifetime_nanos", 0)));
    return r;
}

// The index of `name` in one of the schema's tables (dstoken_schema.hpp), or -1.
template <std::size_t N>
long index_of(const char *const (&table)[N], const char *name) {
    for (std::size_t i = 0; name != nullptr && i < N; ++i)
        if (std::strcmp(table[i], name) == 0) return static_cast<long>(i);
    return -1;
}
long reason_number(const char *name) {
    for (std::size_t i = 0; name != nullptr && i < std::size(dstoken::schema::reasons); ++i)
        if (std::strcmp(dstoken::schema::reasons[i].name, name) == 0) return static_cast<long>(i);
    return -1;
}

// A refusal's parts (from dstoken::last_error_parts() or a caught Error) against the case:
// status, reason, argument, the parts, and the argument's C++ spelling in the message when
// the reason's template names it.
void check_parts(const char *section, const jv *c, const dstoken::ErrorParts &p, const std::string &message) {
    const char *name = jv_str(c, "name");
    bool ok = std::string(dst_status_name(p.status())) == jv_str(c, "status") &&
              static_cast<long>(p.reason()) == reason_number(jv_str(c, "reason")) &&
              static_cast<long>(p.argument()) == index_of(dstoken::schema::argument_names, jv_str(c, "argument"));
    const jv *parts = jv_get(c, "parts");
    for (std::size_t i = 0; parts && i < parts->n; ++i) {
        const std::string k = parts->keys[i];
        const jv *v = &parts->items[i];
        ok = ok && (k == "other"       ? static_cast<long>(p.other()) == index_of(dstoken::schema::argument_names, v->str)
                    : k == "name"      ? p.name() == v->str
                    : k == "text"      ? p.text() == v->str
                    : k == "value"     ? p.value() == v->num
                    : k == "limit"     ? p.limit() == v->num
                    : k == "time"      ? p.time_seconds() == v->num &&
                                        p.time() == std::chrono::system_clock::time_point(std::chrono::seconds(v->num))
                    : k == "suggested" ? p.suggested() == v->num
                                       : false);
    }
    const std::string_view tmpl = dstoken::schema::reasons[static_cast<std::size_t>(p.reason())].message;
    if (tmpl.find("{arg}") != std::string_view::npos) ok = ok && message.find(p.argument_name()) != std::string::npos;
    if (tmpl.find("{other}") != std::string_view::npos) ok = ok && message.find(p.other_name()) != std::string::npos;
    ok = ok && message.find("{") == std::string::npos;  // every placeholder filled
    if (!ok)
        std::fprintf(stderr, "%s %s: status %s reason %u argument %u, message %s\n", section, name,
                     dst_status_name(p.status()), static_cast<unsigned>(p.reason()), static_cast<unsigned>(p.argument()),
                     message.c_str());
    CHECK(ok);
}

#if defined(__cpp_exceptions)
// The exception class each status calls for.
bool class_matches(const dstoken::Error &e) {
    switch (e.status()) {
    case DST_ERR_EXPIRED: return dynamic_cast<const dstoken::ExpiredError *>(&e) != nullptr;
    case DST_ERR_NOT_YET_VALID: return dynamic_cast<const dstoken::NotYetValidError *>(&e) != nullptr;
    case DST_ERR_BAD_SIGNATURE: return dynamic_cast<const dstoken::SignatureError *>(&e) != nullptr;
    case DST_ERR_UNSUPPORTED_ALGORITHM: return dynamic_cast<const dstoken::AlgorithmError *>(&e) != nullptr;
    case DST_ERR_MALFORMED_TOKEN: return dynamic_cast<const dstoken::MalformedTokenError *>(&e) != nullptr;
    case DST_ERR_MISSING_CLAIM: return dynamic_cast<const dstoken::MissingClaimError *>(&e) != nullptr;
    case DST_ERR_CLAIM_MISMATCH: return dynamic_cast<const dstoken::ClaimMismatchError *>(&e) != nullptr;
    case DST_ERR_INVALID_ARGUMENT:
    case DST_ERR_NULL_ARGUMENT:
    case DST_ERR_INVALID_UTF8: return dynamic_cast<const dstoken::ArgumentError *>(&e) != nullptr;
    default: return false;
    }
}
#endif

dstoken::VerifyOptions verify_options(const jv *c) {
    dstoken::VerifyOptions o;
    o.now = std::chrono::system_clock::time_point(std::chrono::seconds(jv_int(c, "now", 0)));
    o.leeway = std::chrono::seconds(jv_int(c, "leeway", 0));
    const jv *options = jv_get(c, "options");
    if (options == nullptr) return o;
    o.exp_optional = jv_bool(options, "exp_optional", 0) != 0;
    o.team_id = opt(options, "team_id");
    o.room = opt(options, "room");
    const jv *req = jv_get(options, "required");
    for (std::size_t i = 0; req && i < req->n; ++i) o.required.emplace_back(req->items[i].str);
    return o;
}

// The builder path (dstoken::Claims, error_code API): the first failing status, or the token.
std::string builder(const jv *c, std::error_code &ec) {
    const jv *t = jv_get(c, "token");
    dst::RoomToken r = room_token(t);
    auto key = case_key(c, ec);
    dstoken::Claims cl;
    using Set = bool (dstoken::Claims::*)(std::string_view, std::error_code &) noexcept;
    const std::pair<std::optional<std::string_view>, Set> setters[] = {
        {r.team_id, &dstoken::Claims::set_team_id},   {r.room, &dstoken::Claims::set_room},
        {r.user_name, &dstoken::Claims::set_user_name}, {r.user_id, &dstoken::Claims::set_user_id},
        {r.initials, &dstoken::Claims::set_initials}, {r.role, &dstoken::Claims::set_role},
        {r.breakout_id, &dstoken::Claims::set_breakout_id}, {r.avatar, &dstoken::Claims::set_avatar}};
    for (const auto &[v, set] : setters)
        if (v && !(cl.*set)(*v, ec)) return {};
    std::int64_t iat = r.issued_at, nbf = r.not_before, exp = r.expires_at;
    if (r.lifetime_seconds != 0) {
        iat = r.now;
        nbf = r.not_before_skew_seconds != 0 ? r.now - r.not_before_skew_seconds : 0;
        exp = r.now + r.lifetime_seconds;
    }
    if (iat && !cl.set_issued_at(iat, ec)) return {};
    if (nbf && !cl.set_not_before(nbf, ec)) return {};
    if (exp && !cl.set_expires_at(exp, ec)) return {};
    const jv *custom = jv_get(c, "custom");
    for (std::size_t i = 0; custom && i < custom->n; ++i)
        if (!cl.set_json(custom->items[i].items[0].str, custom->items[i].items[1].str, ec)) return {};
    return dstoken::sign(cl, key, ec);
}

void vector_tests(const char *path) {
    char *text = nullptr;
    jv root;
    if (jv_load(path, &text, &root) != 0) {
        std::fprintf(stderr, "cannot read or parse %s\n", path);
        ++cpp_failures;
        std::free(text);
        return;
    }
    const jv *sign = jv_get(&root, "sign"), *errors = jv_get(&root, "sign_errors");
    CHECK(sign && errors && sign->n >= 10);
    std::size_t minted = 0;
    for (std::size_t i = 0; sign && i < sign->n; ++i) {
        const jv *c = &sign->items[i];
        const std::string want = jv_str(c, "jwt");
        std::error_code ec;
        CHECK_EQ(builder(c, ec), want);
        if (jv_get(c, "custom") == nullptr) {
            auto key = case_key(c, ec);
            std::string got = dst::mint(room_token(jv_get(c, "token")), key, ec);
            if (got != want) std::fprintf(stderr, "vector %s: mint gave %s\n", jv_str(c, "name"), got.c_str());
            CHECK_EQ(got, want);
            ++minted;
        }
    }
    for (std::size_t i = 0; errors && i < errors->n; ++i) {
        const jv *c = &errors->items[i];
        const std::string want = jv_str(c, "status");
        std::error_code ec, ec2;
        auto key = case_key(c, ec);
        CHECK(dst::mint(room_token(jv_get(c, "token")), key, ec).empty());
        CHECK_EQ(std::string(dst_status_name(ec.value())), want);
        check_parts("sign_errors", c, dstoken::last_error_parts(), dstoken::last_error());
        CHECK(builder(c, ec2).empty());
        CHECK_EQ(std::string(dst_status_name(ec2.value())), want);
    }
    // mint_errors: dst::mint refuses each (status and the message's words, naming dstoken::mint);
    // a case with `custom` puts a registered name through the C++ custom-claim setter, which
    // refuses it, while its token alone mints.
    const jv *mint_errors = jv_get(&root, "mint_errors");
    CHECK(mint_errors && mint_errors->n >= 10);
    std::size_t custom_refused = 0;
    for (std::size_t i = 0; mint_errors && i < mint_errors->n; ++i) {
        const jv *c = &mint_errors->items[i];
        std::error_code ec;
        auto key = case_key(c, ec);
        const std::string got = dst::mint(room_token(jv_get(c, "token")), key, ec);
        if (jv_get(c, "custom") != nullptr) {
            CHECK(!got.empty() && !ec);
            std::error_code ec2;
            CHECK(builder(c, ec2).empty() && ec2 == DST_ERR_INVALID_ARGUMENT);
            CHECK(dstoken::last_error().rfind("dstoken::Claims::set_json: ", 0) == 0);
            check_parts("mint_errors", c, dstoken::last_error_parts(), dstoken::last_error());
            ++custom_refused;
            continue;
        }
        CHECK(got.empty());
        CHECK_EQ(std::string(dst_status_name(ec.value())), std::string(jv_str(c, "status")));
        const std::string msg = dstoken::last_error();
        check_parts("mint_errors", c, dstoken::last_error_parts(), msg);
#if defined(__cpp_exceptions)
        try {
            dst::mint(room_token(jv_get(c, "token")), key);
            CHECK(false);
        } catch (const dstoken::ArgumentError &e) {
            CHECK(std::string(e.what()).rfind(msg, 0) == 0);
            check_parts("mint_errors (thrown)", c, e, e.what());
        }
#endif
        CHECK(msg.rfind("dstoken::mint: ", 0) == 0);
        const jv *words = jv_get(c, "message_contains");
        for (std::size_t w = 0; words && w < words->n; ++w) {
            if (msg.find(words->items[w].str) == std::string::npos) {
                std::fprintf(stderr, "mint_error %s: \"%s\" not in %s\n", jv_str(c, "name"), words->items[w].str,
                             msg.c_str());
                CHECK(false);
            }
        }
    }
    CHECK(custom_refused >= 1);

    // verify: through dstoken::verify with VerifyOptions (the case's options, now and leeway).
    const jv *verify = jv_get(&root, "verify");
    CHECK(verify && verify->n >= 10);
    for (std::size_t i = 0; verify && i < verify->n; ++i) {
        const jv *c = &verify->items[i];
        std::error_code ec;
        auto key = case_key(c, ec);
        const dstoken::VerifyOptions o = verify_options(c);
        dstoken::Claims claims = dstoken::verify(jv_str(c, "jwt"), key, o, ec);
        CHECK_EQ(std::string(dst_status_name(ec.value())), std::string(jv_str(c, "status")));
        if (!ec) {
            if (jv_get(c, "claims") == nullptr) continue;  // a refusal expected: the status check failed
            char *want = jv_compact(jv_get(c, "claims"));
            CHECK_EQ(claims.to_json(ec), std::string(want));
            std::free(want);
            continue;
        }
        CHECK(!claims);
        check_parts("verify", c, dstoken::last_error_parts(), dstoken::last_error());
        CHECK(dstoken::last_error().rfind("dstoken::verify: ", 0) == 0);
#if defined(__cpp_exceptions)
        try {
            dstoken::verify(jv_str(c, "jwt"), key, o);
            CHECK(false);
        } catch (const dstoken::Error &e) {
            CHECK(class_matches(e));
            check_parts("verify (thrown)", c, e, e.what());
        }
#endif
    }

    // decode: dstoken::decode_unverified.
    const jv *decode = jv_get(&root, "decode");
    CHECK(decode && decode->n >= 3);
    for (std::size_t i = 0; decode && i < decode->n; ++i) {
        const jv *c = &decode->items[i];
        std::error_code ec;
        dstoken::Unverified u = dstoken::decode_unverified(jv_str(c, "jwt"), ec);
        CHECK_EQ(std::string(dst_status_name(ec.value())), std::string(jv_str(c, "status")));
        if (!ec && (jv_get(c, "header") == nullptr || jv_get(c, "claims") == nullptr)) {
            continue;  // a refusal expected: the status check failed
        } else if (!ec) {
            char *header = jv_compact(jv_get(c, "header")), *claims = jv_compact(jv_get(c, "claims"));
            CHECK_EQ(u.header, std::string(header));
            CHECK_EQ(u.claims.to_json(ec), std::string(claims));
            std::free(header);
            std::free(claims);
        } else {
            CHECK(u.header.empty() && !u.claims);
            check_parts("decode", c, dstoken::last_error_parts(), dstoken::last_error());
        }
    }

    // keys: a key given as a string (Key::from_string, Key(std::string_view)).
    const jv *keys = jv_get(&root, "keys");
    CHECK(keys && keys->n >= 3);
    for (std::size_t i = 0; keys && i < keys->n; ++i) {
        const jv *c = &keys->items[i];
        std::error_code ec;
        dstoken::Key k = dstoken::Key::from_string(jv_str(c, "key"), ec);
        CHECK_EQ(std::string(dst_status_name(ec.value())), std::string(jv_str(c, "status")));
        CHECK(bool(k) == !ec);
        if (ec) check_parts("keys", c, dstoken::last_error_parts(), dstoken::last_error());
#if defined(__cpp_exceptions)
        if (ec) {
            try {
                dstoken::Key thrown{std::string_view(jv_str(c, "key"))};
                CHECK(false);
            } catch (const dstoken::ArgumentError &e) {
                check_parts("keys (thrown)", c, e, e.what());
            }
        }
#endif
    }
    std::printf("vectors: %zu sign (%zu through dst::mint), %zu sign_errors, %zu mint_errors, %zu verify, %zu decode, "
                "%zu keys\n",
                sign ? sign->n : 0, minted, errors ? errors->n : 0, mint_errors ? mint_errors->n : 0,
                verify ? verify->n : 0, decode ? decode->n : 0, keys ? keys->n : 0);
    jv_free(&root);
    std::free(text);
}

}  // namespace

int main() {
    api_tests();
    const char *path = std::getenv("DSTOKEN_VECTORS");
    if (path == nullptr) {
        std::fprintf(stderr, "DSTOKEN_VECTORS is not set (ctest sets it to tests/vectors/vectors.json)\n");
        return 1;
    }
    vector_tests(path);
#if defined(__cpp_exceptions)
    return cpp_report("test_cpp_mint");
#else
    return cpp_report("test_cpp_mint_noexcept");
#endif
}
