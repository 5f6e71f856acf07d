/* An out-of-tree program built only against an installed dstoken: prints the library version
 * and a token for fixed claims, for the packaging tests to verify with PyJWT. */
#include <dstoken.h>
#include <stdio.h>
#include <string.h>

int main(void) {
    dst_key *key = NULL;
    dst_claims *claims = dst_claims_new();
    char *token = NULL;
    const char secret[] = "consumer-key-0123456789abcdefghij";
    dst_status s = dst_key_new((const uint8_t *)secret, strlen(secret), &key);
    if (s == DST_OK) s = dst_claims_set_team_id(claims, "consumer-team");
    if (s == DST_OK) s = dst_claims_set_room(claims, "consumer-room");
    if (s == DST_OK) s = dst_claims_set_user_name(claims, "Zo\xc3\xab");
    if (s == DST_OK) s = dst_claims_set_expires_in(claims, 600);
    if (s == DST_OK) s = dst_sign(claims, key, &token);
    if (s == DST_OK) printf("%s\n%s\n", dst_version(), token);
    else fprintf(stderr, "consumer: %s: %s\n", dst_status_name((int)s), dst_last_error_message());
    dst_string_free(token);
    dst_claims_free(claims);
    dst_key_free(key);
    return s == DST_OK && strcmp(dst_version(), DSTOKEN_VERSION_STRING) == 0 ? 0 : 1;
}
