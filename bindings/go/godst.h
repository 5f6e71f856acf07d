// Helpers of the Go binding: each runs one whole operation in a single cgo call and, on
// failure, returns a malloc'ed copy of the thread's last error (dst_last_error) in *err, for
// Go to read and free(): a goroutine may continue on another OS thread after a cgo call, so
// the error must be copied in the same call that failed.
#ifndef DSTOKEN_GO_H
#define DSTOKEN_GO_H
#include <stddef.h>
#include <stdint.h>
#include "dstoken.h"

// Operations applied to a claim set, as triples (kind, a, b) in an int64 array: for string
// setters a is the offset of a NUL-terminated value in blob; for JSON a is the name's offset
// and b the JSON text's; for times a is the value.
enum {
	GODST_TEAM_ID = 1, GODST_ROOM, GODST_USER_NAME, GODST_USER_ID, GODST_INITIALS, GODST_ROLE,
	GODST_BREAKOUT_ID, GODST_AVATAR, GODST_ISSUED_AT, GODST_NOT_BEFORE, GODST_EXPIRES_AT,
	GODST_JSON, GODST_CUSTOM
};

// The fields of dst_room_token godst_mint and godst_sign read from f: the eight strings as
// offsets into blob (-1 = NULL), then these.
enum {
	GODST_F_ISSUED_AT = 8, GODST_F_NOT_BEFORE, GODST_F_EXPIRES_AT, GODST_F_LIFETIME, GODST_F_SKEW, GODST_F_NOW,
	GODST_F_NO_EXPIRY, GODST_F_MAX_LIFETIME, GODST_F_LIFETIME_NANOS, GODST_F_COUNT
};

dst_status godst_key_new(const uint8_t *secret, size_t len, int text, dst_key **out, dst_error **err);
// Signs a claim set. f == NULL: the ops on an empty set (the dst_claims setters), then
// dst_sign. Otherwise the token f describes is minted (dst_mint: every rule of the mint), its
// claims read back (dst_decode_unverified), the ops applied to them (custom claims), and the
// result signed: custom claims follow the mint's rules without the binding repeating them.
dst_status godst_sign(const char *blob, const int64_t *f, const int64_t *ops, size_t n, const dst_key *key,
                      char **token, dst_error **err);
// Verifies through dst_verify_opts; required holds nreq NUL-terminated names one after the
// other; team_id and room may be NULL. Returns the payload as JSON text.
dst_status godst_verify(const char *token, const dst_key *key, int64_t now, uint32_t leeway, int exp_optional,
                        const char *team_id, const char *room, const char *required, size_t nreq, char **json,
                        dst_error **err);
dst_status godst_decode(const char *token, char **header, char **json, dst_error **err);
// Mints through dst_mint (team == NULL) or dst_mint_url.
dst_status godst_mint(const char *blob, const int64_t *f, const dst_key *key, const char *team, char **out,
                      dst_error **err);
dst_status godst_join_url(const char *team, const char *room, const char *token, uint32_t flags, char **url,
                          dst_error **err);

#endif
