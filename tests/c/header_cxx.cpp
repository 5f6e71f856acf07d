// The plain C header must compile cleanly as C++ (-Wall -Wextra -Werror -pedantic) and link.
#include "dstoken.h"

#include <cstdio>
#include <cstring>

int main() {
    dst_key *key = nullptr;
    const char secret[] = "cxx-key";
    if (dst_key_new(reinterpret_cast<const uint8_t *>(secret), sizeof secret - 1, &key) != DST_OK) return 1;
    dst_claims *claims = dst_claims_new();
    dst_status s = dst_claims_set_team_id(claims, "team");
    if (s == DST_OK) s = dst_claims_set_room(claims, "room");
    char *token = nullptr;
    if (s == DST_OK) s = dst_sign(claims, key, &token);
    // DST_ROOM_TOKEN_INIT is usable from C++11 (an expression of type dst_room_token).
    dst_room_token t = DST_ROOM_TOKEN_INIT;
    auto u = DST_ROOM_TOKEN_INIT;
    t.team_id = "team";
    t.room = "room";
    t.no_expiry = true;  // `token` (dst_sign) has no exp either
    char *minted = nullptr;
    if (s == DST_OK) s = dst_mint(&t, key, &minted);
    bool same = s == DST_OK && std::strcmp(minted, token) == 0 && u.struct_size == sizeof u && u.team_id == nullptr;
    dst_string_free(minted);
    int rc = (same && std::strlen(token) > 40 && std::strcmp(dst_version(), DSTOKEN_VERSION_STRING) == 0) ? 0 : 1;
    std::printf("header_cxx: %s\n", rc == 0 ? "ok" : dst_last_error_message());
    dst_string_free(token);
    dst_claims_free(claims);
    dst_key_free(key);
    return rc;
}
