package dstoken_test

import (
	"errors"
	"fmt"
	"time"

	dstoken "github.com/dstoken/dstoken/bindings/go"
)

// The developer key of the examples; a real one comes from Digital Samba's dashboard, read
// from a secret store or the environment, never from source code.
var developerKey = []byte("an example developer key, 32+ bytes")

// Build a room token with the Claims builder and the URL that opens the room with it.
func Example() {
	key, err := dstoken.NewKey(developerKey)
	if err != nil {
		panic(err)
	}
	defer key.Close()

	token, err := dstoken.NewClaims().
		TeamID("b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f").
		Room("daily-standup").
		UserName("John Smith").
		Role("moderator").
		Validity(30*time.Second, time.Hour). // nbf = now-30s, exp = now+1h
		At(time.Unix(1767225600, 0)).        // a fixed "now" for this example's output
		Sign(key)
	if err != nil {
		panic(err)
	}
	url, err := dstoken.JoinURL("acme", "daily-standup", token)
	if err != nil {
		panic(err)
	}
	fmt.Println(url[:len("https://acme.digitalsamba.com/daily-standup?token=")+20] + "...")
	// Output: https://acme.digitalsamba.com/daily-standup?token=eyJhbGciOiJIUzI1NiIs...
}

// Mint a token in one native call from a RoomToken.
func ExampleMint() {
	key, err := dstoken.NewKey(developerKey)
	if err != nil {
		panic(err)
	}
	defer key.Close()

	token, err := dstoken.Mint(key, &dstoken.RoomToken{
		TeamID:   "b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f",
		Room:     "daily-standup",
		UserName: "John Smith",
		Lifetime: time.Hour,
		Now:      time.Unix(1767225600, 0), // omit to use the clock
	})
	if err != nil {
		panic(err)
	}
	claims, err := dstoken.Verify(token, key, dstoken.WithTime(time.Unix(1767225600, 0)))
	if err != nil {
		panic(err)
	}
	fmt.Println(claims.JSON())
	// Output: {"td":"b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f","rd":"daily-standup","u":"John Smith","iat":1767225600,"exp":1767229200}
}

// Verify a token and read its claims, custom ones included.
func ExampleVerify() {
	key, _ := dstoken.NewKey(developerKey)
	defer key.Close()
	issued := time.Unix(1767225600, 0)
	token, _ := dstoken.NewClaims().TeamID("team").Room("room").UserName("Ann").
		ExpiresIn(time.Hour).At(issued).Custom("plan", map[string]any{"seats": 5}).Sign(key)

	claims, err := dstoken.Verify(token, key, dstoken.WithTime(issued.Add(time.Minute)), dstoken.WithLeeway(5*time.Second))
	if err != nil {
		panic(err)
	}
	var plan struct{ Seats int }
	if err := claims.Decode("plan", &plan); err != nil {
		panic(err)
	}
	fmt.Println(claims.UserName, claims.ExpiresAt.Sub(claims.IssuedAt), plan.Seats)
	// Output: Ann 1h0m0s 5
}

// Errors carry the status and the library's error as data; match them with errors.Is, read
// them with errors.As.
func ExampleError() {
	key, _ := dstoken.NewKey(developerKey)
	defer key.Close()
	token, _ := dstoken.NewClaims().TeamID("team").Room("room").ExpiresIn(time.Minute).
		At(time.Unix(1767225600, 0)).Sign(key)

	_, err := dstoken.Verify(token, key, dstoken.WithTime(time.Unix(1767225600, 0).Add(time.Hour)))
	fmt.Println(errors.Is(err, dstoken.ErrExpired))
	var e *dstoken.Error
	if errors.As(err, &e) {
		fmt.Println(e.Status, e.Reason, e.Time.Format(time.RFC3339)) // e.Time: exp
	}

	_, err = dstoken.NewClaims().Room("room").Sign(key) // no TeamID
	fmt.Println(errors.Is(err, dstoken.ErrMissingClaim))
	// Output:
	// true
	// DST_ERR_EXPIRED EXPIRED 2026-01-01T00:01:00Z
	// true
}

// A token that never expires must be asked for; without an expiry, Sign says what to set.
func ExampleClaims_NoExpiry() {
	key, _ := dstoken.NewKey(developerKey)
	defer key.Close()
	_, err := dstoken.NewClaims().TeamID("team").Room("room").Sign(key)
	fmt.Println(err)
	token, err := dstoken.NewClaims().TeamID("team").Room("room").NoExpiry().Sign(key)
	fmt.Println(err == nil && token != "")
	// Output:
	// dstoken: Claims.Sign: the token has no expiry: give Lifetime or ExpiresAt, or allow a token that never expires explicitly (DST_ERR_INVALID_ARGUMENT)
	// true
}
