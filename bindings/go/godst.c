//go:build cgo

// C side of the Go binding (see godst.h).
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include "godst.h"

// A copy of the calling thread's last-error message, for Go to free with free().
static char *godst_errdup(void) {
	const char *m = dst_last_error_message();
	return strdup(m ? m : "");
}

dst_status godst_key_new(const uint8_t *secret, size_t len, dst_key **out, char **msg) {
	dst_status s = dst_key_new(secret, len, out);
	if (s != DST_OK) *msg = godst_errdup();
	return s;
}


static dst_status godst_apply(dst_claims *c, const char *blob, const int64_t *op) {
	const char *a = blob + op[1];
	switch ((int)op[0]) {
	case GODST_TEAM_ID: return dst_claims_set_team_id(c, a);
	case GODST_ROOM: return dst_claims_set_room(c, a);
	case GODST_USER_NAME: return dst_claims_set_user_name(c, a);
	case GODST_USER_ID: return dst_claims_set_user_id(c, a);
	case GODST_INITIALS: return dst_claims_set_initials(c, a);
	case GODST_ROLE: return dst_claims_set_role(c, a);
	case GODST_BREAKOUT_ID: return dst_claims_set_breakout_id(c, a);
	case GODST_AVATAR: return dst_claims_set_avatar(c, a);
	case GODST_ISSUED_AT: return dst_claims_set_issued_at(c, op[1]);
	case GODST_NOT_BEFORE: return dst_claims_set_not_before(c, op[1]);
	case GODST_EXPIRES_AT: return dst_claims_set_expires_at(c, op[1]);
	case GODST_EXPIRES_IN: return dst_claims_set_expires_in(c, op[1]);
	case GODST_VALIDITY: return dst_claims_set_validity(c, op[1], op[2]);
	case GODST_JSON: return dst_claims_set_json(c, a, blob + op[2]);
	default: return DST_ERR_INTERNAL;
	}
}

// Builds a claim set from ops and signs it: one crossing per token.
dst_status godst_sign_ops(const char *blob, const int64_t *ops, size_t n, const dst_key *key,
                                 char **token, char **msg) {
	dst_claims *c = dst_claims_new();
	dst_status s = c ? DST_OK : DST_ERR_INTERNAL;
	for (size_t i = 0; s == DST_OK && i < n; i++) s = godst_apply(c, blob, ops + 3 * i);
	if (s == DST_OK) s = dst_sign(c, key, token);
	if (s != DST_OK) *msg = godst_errdup();
	dst_claims_free(c);
	return s;
}

// Verifies a token and returns its payload as JSON text.
dst_status godst_verify(const char *token, const dst_key *key, int64_t now, uint32_t leeway,
                               char **json, char **msg) {
	dst_claims *c = NULL;
	dst_status s = dst_verify(token, key, now, leeway, &c);
	if (s == DST_OK) s = dst_claims_to_json(c, json);
	if (s != DST_OK) *msg = godst_errdup();
	dst_claims_free(c);
	return s;
}

dst_status godst_join_url(const char *team, const char *room, const char *token, uint32_t flags, char **url,
                          char **msg) {
	dst_status s = dst_join_url_opts(team, room, token, flags, url);
	if (s != DST_OK) *msg = godst_errdup();
	return s;
}

dst_status godst_mint(const char *blob, const int64_t *f, const dst_key *key, const char *team, char **out,
                      char **msg) {
	dst_room_token t = DST_ROOM_TOKEN_INIT;
	const char **strs[8] = {&t.team_id, &t.room, &t.user_name, &t.user_id,
	                        &t.initials, &t.role, &t.breakout_id, &t.avatar};
	for (int i = 0; i < 8; i++) *strs[i] = f[i] < 0 ? NULL : blob + f[i];
	t.issued_at = f[8];
	t.not_before = f[9];
	t.expires_at = f[10];
	t.lifetime_seconds = f[11];
	t.not_before_skew_seconds = f[12];
	t.now = f[13];
	t.no_expiry = f[14] != 0;
	dst_status s = team ? dst_mint_url(&t, key, team, out) : dst_mint(&t, key, out);
	if (s != DST_OK) *msg = godst_errdup();
	return s;
}
