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
// The library decides every rule: an expiry is required (Sign and Mint refuse a token without
// exp unless asked for with Claims.NoExpiry or RoomToken.NoExpiry), times lie within
// 1970..9999 (milliseconds given as seconds are named as such), lifetimes are whole seconds
// of at most 30 days (RoomToken.MaxLifetime raises that), a token is never minted already
// expired, and the registered claim names are refused as custom claims, so data passed
// through Custom cannot override them. Verify requires exp unless WithExpOptional;
// DecodeUnverified reads a token without proving anything.
//
// Errors are *Error values carrying what the library reports as data: the status
// (ErrMissingClaim, ErrExpired, ...), the reason, the Go field or method at fault and the
// numbers involved (Time is exp for an expired token), with a message worded from them. Match
// them with errors.Is(err, dstoken.ErrExpired); read the parts with errors.As.
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
