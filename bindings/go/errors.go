package dstoken

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
)

// Status is a dstoken status code (the C API's dst_status). The non-zero values are the
// exported constants ErrNullArgument ... ErrInternal; each is also an error, so the errors
// this package returns can be matched by status with errors.Is:
//
//	if errors.Is(err, dstoken.ErrExpired) { ... }
//
// The numbers are the C API's and never change.
type Status int32

// The dstoken status codes; see the C header dstoken.h for each one's meaning.
const (
	// StatusOK is success (DST_OK); no function of this package returns it as an error.
	StatusOK Status = 0
	// ErrNullArgument (DST_ERR_NULL_ARGUMENT): a required argument was missing (e.g. a nil *Key).
	ErrNullArgument Status = 1
	// ErrInvalidUTF8 (DST_ERR_INVALID_UTF8): a string was not valid UTF-8; the message names it.
	ErrInvalidUTF8 Status = 2
	// ErrInvalidArgument (DST_ERR_INVALID_ARGUMENT): an argument or claim value is not
	// acceptable (empty key, bad JSON, exp before nbf/iat, a lifetime under one second, ...).
	ErrInvalidArgument Status = 3
	// ErrMissingClaim (DST_ERR_MISSING_CLAIM): signing needs the td (team id) and rd (room) claims.
	ErrMissingClaim Status = 4
	// ErrBufferTooSmall (DST_ERR_BUFFER_TOO_SMALL): not returned by this package (it sizes its buffers).
	ErrBufferTooSmall Status = 5
	// ErrMalformedToken (DST_ERR_MALFORMED_TOKEN): not a well-formed, strictly encoded HS256 JWT.
	ErrMalformedToken Status = 6
	// ErrUnsupportedAlgorithm (DST_ERR_UNSUPPORTED_ALGORITHM): alg is not HS256, or crit is present.
	ErrUnsupportedAlgorithm Status = 7
	// ErrBadSignature (DST_ERR_BAD_SIGNATURE): the signature does not match the key.
	ErrBadSignature Status = 8
	// ErrExpired (DST_ERR_EXPIRED): the token's exp has passed (beyond the leeway).
	ErrExpired Status = 9
	// ErrNotYetValid (DST_ERR_NOT_YET_VALID): nbf has not come, or iat is in the future.
	ErrNotYetValid Status = 10
	// ErrNotFound (DST_ERR_NOT_FOUND): the named claim is not present.
	ErrNotFound Status = 11
	// ErrWrongType (DST_ERR_WRONG_TYPE): the named claim has another JSON type.
	ErrWrongType Status = 12
	// ErrInternal (DST_ERR_INTERNAL): a bug in dstoken; no state was changed.
	ErrInternal Status = 13
)

var statusNames = [...]string{
	"DST_OK", "DST_ERR_NULL_ARGUMENT", "DST_ERR_INVALID_UTF8", "DST_ERR_INVALID_ARGUMENT",
	"DST_ERR_MISSING_CLAIM", "DST_ERR_BUFFER_TOO_SMALL", "DST_ERR_MALFORMED_TOKEN",
	"DST_ERR_UNSUPPORTED_ALGORITHM", "DST_ERR_BAD_SIGNATURE", "DST_ERR_EXPIRED",
	"DST_ERR_NOT_YET_VALID", "DST_ERR_NOT_FOUND", "DST_ERR_WRONG_TYPE", "DST_ERR_INTERNAL",
}

// String returns the status's C name, e.g. "DST_ERR_EXPIRED" (as dst_status_name), or
// "unknown status N".
func (s Status) String() string {
	if s >= 0 && int(s) < len(statusNames) {
		return statusNames[s]
	}
	return "unknown status " + strconv.Itoa(int(s))
}

// Error makes a Status usable as a sentinel error; its text is the C name, as String's, so
// that printing a Status (fmt prefers Error) shows "DST_ERR_EXPIRED".
func (s Status) Error() string { return s.String() }

// ParseStatus returns the Status whose C name is name ("DST_ERR_EXPIRED"), and false for
// names that are not a dstoken status.
func ParseStatus(name string) (Status, bool) {
	for i, n := range statusNames {
		if n == name {
			return Status(i), true
		}
	}
	return 0, false
}

// Error is the error every failing dstoken operation returns (except ErrClosed): the
// status and the library's message, which names the function and the argument or claim at
// fault and never contains key bytes. Match it by status with errors.Is(err, ErrExpired),
// or read both with errors.As:
//
//	var e *dstoken.Error
//	if errors.As(err, &e) { log.Print(e.Status, e.Message) }
type Error struct {
	// Status is the status code, e.g. ErrBadSignature.
	Status Status
	// Message describes the failure in the words of this package, naming the function called
	// and the field or method at fault, e.g. `Verify: the token's signature does not match ...`.
	Message string
}

// Error formats the error as "dstoken: <message> (<STATUS NAME>)".
func (e *Error) Error() string {
	if e.Message == "" {
		return "dstoken: " + e.Status.String()
	}
	return "dstoken: " + e.Message + " (" + e.Status.String() + ")"
}

// Is reports whether target is this error's Status (errors.Is(err, dstoken.ErrExpired)), or
// an *Error with the same Status.
func (e *Error) Is(target error) bool {
	switch t := target.(type) {
	case Status:
		return t == e.Status
	case *Error:
		return t != nil && t.Status == e.Status
	}
	return false
}

// ErrClosed is returned when a Key is used after Close.
var ErrClosed = errors.New("dstoken: the key has been closed")

// invalid makes an ErrInvalidArgument *Error for a check made on the Go side.
func invalid(msg string) error { return &Error{Status: ErrInvalidArgument, Message: msg} }

// The library's messages name its C functions and fields ("dst_mint_into: ...
// lifetime_seconds"); the caller used Go methods and fields: userMessage says those instead.
var cWords = strings.NewReplacer(
	`claim "td" (team id)`, `TeamID (claim "td")`, `claim "rd" (room)`, `Room (claim "rd")`,
	"team_id", "TeamID", "user_name", "UserName", "user_id", "UserID", "breakout_id", "BreakoutID",
	"issued_at", "IssuedAt", "not_before_skew_seconds", "NotBeforeSkew", "skew_seconds", "NotBeforeSkew",
	"not_before", "NotBefore", "expires_at", "ExpiresAt", "lifetime_seconds", "Lifetime",
	"no_expiry", "NoExpiry", "json_text", "the JSON text",
	"DST_URL_ALLOW_PORT / the binding's allow-port option", "URLOptions{AllowPort: true} with JoinURLWith or MintURLWith",
)

var cFunction = regexp.MustCompile(`^dst_[a-z_]+: `)

// userMessage is the library's message m for a failure of the Go operation op.
func userMessage(op, m string) string {
	return op + ": " + cWords.Replace(cFunction.ReplaceAllString(m, ""))
}
