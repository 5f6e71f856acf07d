package dstoken

// Operation kinds on a claim set (godst.h's GODST_* values; native.go checks that they
// agree): claims.go encodes what the mint cannot carry (custom claims, strings holding U+0000,
// times at the Unix epoch) as (kind, a, b) triples that either backend applies.
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
	opJSON
	opCustom
)

// The slots of a dst_room_token as godst_mint and godst_sign read it (godst.h's GODST_F_*):
// the eight strings (offsets into a blob, -1 for NULL), then these.
const (
	fIssuedAt = iota + 8
	fNotBefore
	fExpiresAt
	fLifetime
	fSkew
	fNow
	fNoExpiry
	fMaxLifetime
	fLifetimeNanos
	fCount
)

// cstr is a NUL-terminated copy of s in Go memory (the library may read it during the call only).
func cstr(s string) []byte {
	b := make([]byte, len(s)+1)
	copy(b, s)
	return b
}
