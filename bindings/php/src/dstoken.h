/* The declarations of include/dstoken.h that the PHP binding calls, in the C subset PHP's FFI
 * parses (no preprocessor). tests/LibraryTest.php (testHeaderMatchesTheLibraryHeader) checks
 * that every prototype here and dst_room_token's fields match include/dstoken.h. Differences,
 * all ABI-compatible: dst_key_new and dst_key_new_text take `const char *` (PHP's FFI passes a
 * PHP string only to a char pointer), dst_status is `int`, dst_error's arrays have their
 * capacities as numbers (DST_ERROR_NAME_CAPACITY, DST_ERROR_TEXT_CAPACITY) and
 * dst_verify_options' `required` is `const char **`. */
typedef struct dst_claims dst_claims;
typedef struct dst_key dst_key;
typedef struct {
    size_t struct_size;
    const char *team_id;
    const char *room;
    const char *user_name;
    const char *user_id;
    const char *initials;
    const char *role;
    const char *breakout_id;
    const char *avatar;
    int64_t issued_at;
    int64_t not_before;
    int64_t expires_at;
    int64_t lifetime_seconds;
    int64_t not_before_skew_seconds;
    int64_t now;
    bool no_expiry;
    int64_t max_lifetime_seconds;
    uint32_t lifetime_nanos;
} dst_room_token;
typedef struct {
    size_t struct_size;
    int32_t status;
    uint32_t reason;
    uint32_t argument;
    uint32_t other;
    int64_t value;
    int64_t limit;
    int64_t time;
    int64_t suggested;
    char name[128];
    char text[256];
} dst_error;
typedef struct {
    size_t struct_size;
    int64_t now;
    uint32_t leeway_seconds;
    bool exp_optional;
    const char *team_id;
    const char *room;
    const char **required;
    size_t required_len;
} dst_verify_options;
dst_claims *dst_claims_new(void);
void dst_claims_free(dst_claims *claims);
int dst_claims_set_team_id(dst_claims *claims, const char *value);
int dst_claims_set_room(dst_claims *claims, const char *value);
int dst_claims_set_user_name(dst_claims *claims, const char *value);
int dst_claims_set_user_id(dst_claims *claims, const char *value);
int dst_claims_set_initials(dst_claims *claims, const char *value);
int dst_claims_set_role(dst_claims *claims, const char *value);
int dst_claims_set_breakout_id(dst_claims *claims, const char *value);
int dst_claims_set_avatar(dst_claims *claims, const char *value);
int dst_claims_set_issued_at(dst_claims *claims, int64_t unix_seconds);
int dst_claims_set_not_before(dst_claims *claims, int64_t unix_seconds);
int dst_claims_set_expires_at(dst_claims *claims, int64_t unix_seconds);
int dst_claims_set_custom_json(dst_claims *claims, const char *name, const char *json_text);
int dst_claims_to_json(const dst_claims *claims, char **out);
int dst_key_new(const char *secret, size_t len, dst_key **out);
int dst_key_new_text(const char *text, size_t len, dst_key **out);
void dst_key_free(dst_key *key);
int dst_mint_into(const dst_room_token *token, const dst_key *key, char *buf, size_t cap, size_t *len_out);
int dst_mint_url(const dst_room_token *token, const dst_key *key, const char *team, char **url_out);
int dst_sign_into(const dst_claims *claims, const dst_key *key, char *buf, size_t cap, size_t *len_out);
void dst_string_free(char *s);
int dst_join_url(const char *team, const char *room, const char *token, char **url_out);
int dst_join_url_opts(const char *team, const char *room, const char *token, uint32_t flags, char **url_out);
int dst_verify_opts(const char *token, const dst_key *key, const dst_verify_options *options, dst_claims **claims_out);
int dst_decode_unverified(const char *token, char **header_out, dst_claims **claims_out);
bool dst_last_error(dst_error *out);
const char *dst_status_name(int status);
const char *dst_version(void);
