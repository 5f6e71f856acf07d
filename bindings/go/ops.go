package dstoken

// Operation kinds of the claims builder (godst.h's GODST_* values; native.go checks that they
// agree): claims.go encodes a claim set as (kind, a, b) triples that either backend applies.
const (
	opTeamID = iota + 1
	opRoom
	opUserName
	opUserID
	opInitials
	opRole
	opBreakoutID
	opAvatar
	opIssuedAt
	opNotBefore
	opExpiresAt
	opExpiresIn
	opValidity
	opJSON
)

// cstr is a NUL-terminated copy of s in Go memory (the library may read it during the call only).
func cstr(s string) []byte {
	b := make([]byte, len(s)+1)
	copy(b, s)
	return b
}
