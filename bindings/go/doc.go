// Package dstoken mints and verifies Digital Samba room tokens (HS256 JWTs) through the
// dstoken C library, linked statically by default: a program built with it needs no
// libdstoken.so.
//
// A token is built with the Claims builder and signed in one native call, or minted from a
// RoomToken struct through the library's one-call mint:
//
//	key, err := dstoken.NewKey([]byte(os.Getenv("DIGITALSAMBA_DEVELOPER_KEY")))
//	if err != nil { ... }
//	defer key.Close()
//	token, err := dstoken.NewClaims().TeamID(teamID).Room("daily-standup").
//		UserName("John Smith").Role("moderator").Validity(30*time.Second, time.Hour).Sign(key)
//	url, err := dstoken.JoinURL("acme", "daily-standup", token)
//
// An expiry is required: Sign and Mint refuse a token without exp unless asked for with
// Claims.NoExpiry or RoomToken.NoExpiry. Times lie within 1970..9999 (milliseconds given as
// seconds are named as such), a token is never minted already expired, and Custom refuses the
// registered claim names, so data passed through it cannot override them.
//
// Errors are *Error values carrying the status (ErrMissingClaim, ErrExpired, ...) and a message
// naming the function and the Go field or method at fault; match them with
// errors.Is(err, dstoken.ErrExpired).
//
// A Key is shared by any number of goroutines without a lock; Close makes later calls fail with
// ErrClosed, waits for the calls in progress, and wipes and frees the native key before it
// returns.
//
// Linking: by default the package links target/release/libdstoken.a of the repository it is
// part of (build it with `cargo build --release --locked --lib`; use the module through a replace
// directive pointing at a clone). With -tags dstoken_pkgconfig it uses an installed dstoken
// through `pkg-config --static dstoken`. See the repository README, section "Go".
package dstoken

// Version returns the linked library's version, e.g. "0.1.0" (dst_version()).
func Version() string { return libraryVersion() }
