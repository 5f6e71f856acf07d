//go:build cgo

// C side of the Go binding (see godst.h).
#include <stdlib.h>
#include <string.h>
#include "godst.h"

// On failure: a copy of the calling thread's last error, for Go to free with free().
static dst_status godst_fail(dst_status s, dst_error **err) {
	if (s == DST_OK) return s;
	dst_error *e = malloc(sizeof *e);
	if (e) {
		*e = (dst_error)DST_ERROR_INIT;
		if (!dst_last_error(e)) e->status = s;
		if (e->status == DST_OK) e->status = s;
	}
	*err = e;
	return s;
}

dst_status godst_key_new(const uint8_t *secret, size_t len, int text, dst_key **out, dst_error **err) {
	return godst_fail(text ? dst_key_new_text(secret, len, out) : dst_key_new(secret, len, out), err);
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
	case GODST_JSON: return dst_claims_set_json(c, a, blob + op[2]);
	case GODST_CUSTOM: return dst_claims_set_custom_json(c, a, blob + op[2]);
	default: return DST_ERR_INTERNAL;
	}
}

static void godst_room_token(dst_room_token *t, const char *blob, const int64_t *f) {
	const char **strs[8] = {&t->team_id, &t->room, &t->user_name, &t->user_id,
	                        &t->initials, &t->role, &t->breakout_id, &t->avatar};
	for (int i = 0; i < 8; i++) *strs[i] = f[i] < 0 ? NULL : blob + f[i];
	t->issued_at = f[GODST_F_ISSUED_AT];
	t->not_before = f[GODST_F_NOT_BEFORE];
	t->expires_at = f[GODST_F_EXPIRES_AT];
	t->lifetime_seconds = f[GODST_F_LIFETIME];
	t->not_before_skew_seconds = f[GODST_F_SKEW];
	t->now = f[GODST_F_NOW];
	t->no_expiry = f[GODST_F_NO_EXPIRY] != 0;
	t->max_lifetime_seconds = f[GODST_F_MAX_LIFETIME];
	t->lifetime_nanos = (uint32_t)f[GODST_F_LIFETIME_NANOS];
}

dst_status godst_sign(const char *blob, const int64_t *f, const int64_t *ops, size_t n, const dst_key *key,
                      char **token, dst_error **err) {
	dst_claims *c = NULL;
	dst_status s;
	if (f) {
		dst_room_token t = DST_ROOM_TOKEN_INIT;
		godst_room_token(&t, blob, f);
		char *minted = NULL;
		s = dst_mint(&t, key, &minted);
		if (s == DST_OK && n == 0) {
			*token = minted;
			return s;
		}
		if (s == DST_OK) s = dst_decode_unverified(minted, NULL, &c);
		dst_string_free(minted);
	} else {
		c = dst_claims_new();
		s = c ? DST_OK : DST_ERR_INTERNAL;
	}
	for (size_t i = 0; s == DST_OK && i < n; i++) s = godst_apply(c, blob, ops + 3 * i);
	if (s == DST_OK) s = dst_sign(c, key, token);
	godst_fail(s, err);
	dst_claims_free(c);
	return s;
}

dst_status godst_verify(const char *token, const dst_key *key, int64_t now, uint32_t leeway, int exp_optional,
                        const char *team_id, const char *room, const char *required, size_t nreq, char **json,
                        dst_error **err) {
	const char *names[64];
	const char **req = nreq <= 64 ? names : malloc(nreq * sizeof *req);
	if (!req) return godst_fail(DST_ERR_INTERNAL, err);
	for (size_t i = 0; i < nreq; i++) {
		req[i] = required;
		required += strlen(required) + 1;
	}
	dst_verify_options o = DST_VERIFY_OPTIONS_INIT;
	o.now = now;
	o.leeway_seconds = leeway;
	o.exp_optional = exp_optional != 0;
	o.team_id = team_id;
	o.room = room;
	o.required = nreq ? req : NULL;
	o.required_len = nreq;
	dst_claims *c = NULL;
	dst_status s = dst_verify_opts(token, key, &o, &c);
	if (req != names) free(req);
	if (s == DST_OK) s = dst_claims_to_json(c, json);
	godst_fail(s, err);
	dst_claims_free(c);
	return s;
}

dst_status godst_decode(const char *token, char **header, char **json, dst_error **err) {
	dst_claims *c = NULL;
	dst_status s = dst_decode_unverified(token, header, &c);
	if (s == DST_OK) {
		s = dst_claims_to_json(c, json);
		if (s != DST_OK) dst_string_free(*header);
	}
	godst_fail(s, err);
	dst_claims_free(c);
	return s;
}

dst_status godst_join_url(const char *team, const char *room, const char *token, uint32_t flags, char **url,
                          dst_error **err) {
	return godst_fail(dst_join_url_opts(team, room, token, flags, url), err);
}

dst_status godst_mint(const char *blob, const int64_t *f, const dst_key *key, const char *team, char **out,
                      dst_error **err) {
	dst_room_token t = DST_ROOM_TOKEN_INIT;
	godst_room_token(&t, blob, f);
	return godst_fail(team ? dst_mint_url(&t, key, team, out) : dst_mint(&t, key, out), err);
}
