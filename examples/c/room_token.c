/*
 * room_token: mint a Digital Samba room token, as in Digital Samba's documentation:
 * a team, a room, user "John Smith" as moderator, valid for one hour.
 *
 *   room_token [--team-id ID] [--key KEY] [--team NAME] [--room ROOM] [--user NAME]
 *              [--role ROLE] [--lifetime SECONDS]
 *
 * Every option falls back to an environment variable (DIGITALSAMBA_TEAM_ID,
 * DIGITALSAMBA_DEVELOPER_KEY, DIGITALSAMBA_TEAM, DIGITALSAMBA_ROOM, DIGITALSAMBA_USER) and then to a built-in
 * demo value, so the program runs as is. Prints the token on the first line and the room's
 * join URL on the second. Exit status: 0 on success, 2 on bad usage, 1 if dstoken fails.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dstoken.h"

/* Demo values: replace them with your team's (the key is on the Digital Samba dashboard).
 * Never ship a developer key in front-end code: tokens are minted on your server. */
#define DEMO_TEAM_ID "b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f"
#define DEMO_KEY "0123456789abcdef0123456789abcdef"
#define DEMO_TEAM "demo"
#define DEMO_ROOM "daily-standup"

static const char *env_or(const char *name, const char *fallback) {
    const char *v = getenv(name);
    return v != NULL && v[0] != '\0' ? v : fallback;
}

static int fail(const char *what, dst_status s) {
    fprintf(stderr, "room_token: %s failed: %s: %s\n", what, dst_status_name((int)s),
            dst_last_error_message());
    return 1;
}

static int usage(void) {
    fputs("usage: room_token [--team-id ID] [--key KEY] [--team NAME] [--room ROOM]\n"
          "                  [--user NAME] [--role ROLE] [--lifetime SECONDS]\n",
          stderr);
    return 2;
}

int main(int argc, char **argv) {
    const char *team_id = env_or("DIGITALSAMBA_TEAM_ID", DEMO_TEAM_ID);
    const char *key_text = env_or("DIGITALSAMBA_DEVELOPER_KEY", DEMO_KEY);
    const char *team = env_or("DIGITALSAMBA_TEAM", DEMO_TEAM);
    const char *room = env_or("DIGITALSAMBA_ROOM", DEMO_ROOM);
    const char *user = env_or("DIGITALSAMBA_USER", "John Smith");
    const char *role = "moderator";
    long long lifetime = 3600;

    for (int i = 1; i < argc; i++) {
        const char *opt = argv[i];
        if (i + 1 >= argc) return usage();
        const char *val = argv[++i];
        if (strcmp(opt, "--team-id") == 0) team_id = val;
        else if (strcmp(opt, "--key") == 0) key_text = val;
        else if (strcmp(opt, "--team") == 0) team = val;
        else if (strcmp(opt, "--room") == 0) room = val;
        else if (strcmp(opt, "--user") == 0) user = val;
        else if (strcmp(opt, "--role") == 0) role = val;
        else if (strcmp(opt, "--lifetime") == 0) {
            char *end = NULL;
            lifetime = strtoll(val, &end, 10);
            if (end == val || *end != '\0') return usage();
        } else return usage();
    }

    int rc = 1;
    dst_status s;
    dst_key *key = NULL;
    dst_claims *claims = NULL;
    char *token = NULL, *url = NULL;

    /* The developer key is used as its raw bytes. */
    s = dst_key_new((const uint8_t *)key_text, strlen(key_text), &key);
    if (s != DST_OK) { rc = fail("dst_key_new", s); goto out; }

    claims = dst_claims_new();
    if (claims == NULL) { rc = fail("dst_claims_new", DST_ERR_INTERNAL); goto out; }
    if ((s = dst_claims_set_team_id(claims, team_id)) != DST_OK) { rc = fail("team id", s); goto out; }
    if ((s = dst_claims_set_room(claims, room)) != DST_OK) { rc = fail("room", s); goto out; }
    if ((s = dst_claims_set_user_name(claims, user)) != DST_OK) { rc = fail("user name", s); goto out; }
    if ((s = dst_claims_set_role(claims, role)) != DST_OK) { rc = fail("role", s); goto out; }
    /* iat = now, nbf = now - 30 s (tolerates clock skew), exp = now + lifetime. */
    if ((s = dst_claims_set_validity(claims, 30, (int64_t)lifetime)) != DST_OK) { rc = fail("validity", s); goto out; }

    if ((s = dst_sign(claims, key, &token)) != DST_OK) { rc = fail("dst_sign", s); goto out; }
    if ((s = dst_join_url(team, room, token, &url)) != DST_OK) { rc = fail("dst_join_url", s); goto out; }

    printf("%s\n%s\n", token, url);
    rc = 0;
out:
    dst_string_free(url);
    dst_string_free(token);
    dst_claims_free(claims);
    dst_key_free(key);
    return rc;
}
