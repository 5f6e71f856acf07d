// Helpers of the Go binding: each runs one whole operation in a single cgo call and, on
// failure, returns a malloc'ed copy of the thread's last-error message in *msg (free()).
#ifndef DSTOKEN_GO_H
#define DSTOKEN_GO_H
#include <stddef.h>
#include <stdint.h>
#include "dstoken.h"

// Operations of the claims builder, as triples (kind, a, b) in an int64 array: for string
// setters a is the offset of a NUL-terminated value in blob; for JSON a is the name's offset
// and b the JSON text's; for times a (and b) are the values.
enum {
	GODST_TEAM_ID = 1, GODST_ROOM, GODST_USER_NAME, GODST_USER_ID, GODST_INITIALS, GODST_ROLE,
	GODST_BREAKOUT_ID, GODST_AVATAR, GODST_ISSUED_AT, GODST_NOT_BEFORE, GODST_EXPIRES_AT,
	GODST_EXPIRES_IN, GODST_VALIDITY, GODST_JSON
};

dst_status godst_key_new(const uint8_t *secret, size_t len, dst_key **out, char **msg);
dst_status godst_sign_ops(const char *blob, const int64_t *ops, size_t n, const dst_key *key, char **token,
                          char **msg);
dst_status godst_verify(const char *token, const dst_key *key, int64_t now, uint32_t leeway, char **json,
                        char **msg);
// Mints through dst_mint (team == NULL) or dst_mint_url: f holds the eight string fields of
// dst_room_token as offsets into blob (-1 = NULL), then issued_at, not_before, expires_at,
// lifetime_seconds, not_before_skew_seconds, now and no_expiry (0 or 1).
dst_status godst_mint(const char *blob, const int64_t *f, const dst_key *key, const char *team, char **out,
                      char **msg);
dst_status godst_join_url(const char *team, const char *room, const char *token, uint32_t flags, char **url,
                          char **msg);

#endif
