/*
 * room_token: mint a Digital Samba room token, as in Digital Samba's documentation:
 * a team, a room, user "John Smith" as moderator, valid for one hour.
 *
 *   room_token [--team-id ID] [--key KEY] [--team NAME] [--room ROOM] [--user NAME]
 *              [--role ROLE] [--lifetime SECONDS]
 *
 * Every option falls back to an environment variable (DIGITALSAMBA_TEAM_ID,
 * DIGITALSAMBA_DEVELOPER_KEY, DIGITALSAMBA_TEAM, DIGITALSAMBA_ROOM, DIGITALSAMBA_USER) and then to a built-in
 * demo value, so the program runs as is; when it uses a demo value it says so on stderr (a
 * token signed with the demo key opens no real room). Prints the token on the first line and
 * the room's join URL on the second. Exit status: 0 on success, 2 on bad usage, 1 if dstoken
 * fails.
 *
 * One call mints the token and its URL (dst_mint_url); the claims-builder path
 * (dst_claims_new + setters + dst_sign) remains for custom claims.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dstoken.h"

/* Demo values: replace them with your team's (the key is on the Digital Samba dashboard).
 * Never ship a developer key in front-end code: tokens are minted on your server. */
static const char DEMO_TEAM_ID[] = "b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f";
static const char DEMO_KEY[] = "0123456789abcdef0123456789abcdef";
static const char DEMO_TEAM[] = "demo";
static const char DEMO_ROOM[] = "daily-standup";

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
            if (end == val || *end != '\0' || lifetime <= 0) {
                fputs("room_token: --lifetime must be a positive number of seconds\n", stderr);
                return usage();
            }
        } else return usage();
    }

    /* Never fall back silently: say which demo values are in use (an option or an
     * environment variable replaces each). */
    const struct {
        const char *value, *demo, *what;
    } defaults[] = {{key_text, DEMO_KEY, "developer key"},
                    {team_id, DEMO_TEAM_ID, "team id"},
                    {team, DEMO_TEAM, "team"},
                    {room, DEMO_ROOM, "room"}};
    char demo[64] = "";
    for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++) {
        if (defaults[i].value != defaults[i].demo) continue;
        if (demo[0] != '\0') strcat(demo, ", ");
        strcat(demo, defaults[i].what);
    }
    if (demo[0] != '\0')
        fprintf(stderr,
                "room_token: notice: using demo values for: %s. Set DIGITALSAMBA_DEVELOPER_KEY, "
                "DIGITALSAMBA_TEAM_ID, DIGITALSAMBA_TEAM, DIGITALSAMBA_ROOM (or --key, --team-id, --team, "
                "--room); a token signed with the demo key opens no real room.\n",
                demo);

    int rc = 1;
    dst_status s;
    dst_key *key = NULL;
    char *token = NULL, *url = NULL;

    /* The developer key is used as its raw bytes. */
    s = dst_key_new((const uint8_t *)key_text, strlen(key_text), &key);
    if (s != DST_OK) { rc = fail("dst_key_new", s); goto out; }

    /* One struct describes the token; absent fields stay NULL/0. */
    dst_room_token t = DST_ROOM_TOKEN_INIT;
    t.team_id = team_id;
    t.room = room;
    t.user_name = user;
    t.role = role;
    /* Relative mode: iat = now, nbf = now - 30 s (tolerates clock skew), exp = now + lifetime. */
    t.lifetime_seconds = (int64_t)lifetime;
    t.not_before_skew_seconds = 30;

    if ((s = dst_mint(&t, key, &token)) != DST_OK) { rc = fail("dst_mint", s); goto out; }
    if ((s = dst_join_url(team, room, token, &url)) != DST_OK) { rc = fail("dst_join_url", s); goto out; }

    printf("%s\n%s\n", token, url);
    rc = 0;
out:
    dst_string_free(url);
    dst_string_free(token);
    dst_key_free(key);
    return rc;
}
