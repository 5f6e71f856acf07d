// room_token (C++): the Digital Samba docs' scenario with dstoken.hpp — team, room, user
// "John Smith" as moderator, valid for one hour — printed as a token and a join URL.
// Values come from DIGITALSAMBA_TEAM_ID, DIGITALSAMBA_DEVELOPER_KEY, DIGITALSAMBA_TEAM and
// DIGITALSAMBA_ROOM and DIGITALSAMBA_USER, falling back to demo values.
#include <cstdlib>
#include <iostream>

#include "dstoken.hpp"

static std::string env_or(const char *name, const char *fallback) {
    const char *v = std::getenv(name);
    return v != nullptr && *v != '\0' ? v : fallback;
}

int main() {
    using namespace std::chrono_literals;
    const std::string team_id = env_or("DIGITALSAMBA_TEAM_ID", "b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f");
    const std::string secret = env_or("DIGITALSAMBA_DEVELOPER_KEY", "0123456789abcdef0123456789abcdef");
    const std::string team = env_or("DIGITALSAMBA_TEAM", "demo");
    const std::string room = env_or("DIGITALSAMBA_ROOM", "daily-standup");
    const std::string user = env_or("DIGITALSAMBA_USER", "John Smith");
    try {
        dstoken::Key key(secret);  // the developer key as text (whitespace at either end refused)
        dstoken::Claims claims;
        claims.team_id(team_id).room(room).user_name(user).role("moderator").validity(30s, 1h);
        std::string token = dstoken::sign(claims, key);
        std::cout << token << '\n' << dstoken::join_url(team, room, token) << '\n';
    } catch (const dstoken::Error &e) {
        std::cerr << "room_token: " << e.code().message() << ": " << e.what() << '\n';
        return 1;
    }
    return 0;
}
