package dstoken

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// Status is a dstoken status code (the C API's dst_status). The non-zero values are the
// exported constants ErrNullArgument ... ErrClaimMismatch; each is also an error, so the
// errors this package returns can be matched by status with errors.Is:
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
	// ErrMissingClaim (DST_ERR_MISSING_CLAIM): signing needs the td (team id) and rd (room)
	// claims; Verify needs exp (unless WithExpOptional) and the claims of WithRequired.
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
	// ErrClaimMismatch (DST_ERR_CLAIM_MISMATCH): the token's td or rd is not the one
	// WithTeamID or WithRoom expects.
	ErrClaimMismatch Status = 14
)

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

// String returns the reason's name in the schema, e.g. "EXPIRED".
func (r Reason) String() string {
	if int(r) < len(reasonInfo) {
		return reasonInfo[r].name
	}
	return "reason " + strconv.FormatUint(uint64(r), 10)
}

// String returns this package's spelling of the argument, e.g. "Lifetime" or "TeamID"
// (the field, method or parameter it names); "" for ArgNone.
func (a Arg) String() string {
	if int(a) < len(argInfo) {
		return argInfo[a].spelling
	}
	return "argument " + strconv.FormatUint(uint64(a), 10)
}

// Error is the error every failing dstoken operation returns (except ErrClosed): what the
// library reports as data (dst_last_error), with a message worded from it in this package's
// names. Match it by status with errors.Is(err, dstoken.ErrExpired), or read its parts with
// errors.As:
//
//	var e *dstoken.Error
//	if errors.As(err, &e) && e.Reason == dstoken.ReasonExpired {
//		log.Printf("expired at %s", e.Time)
//	}
//
// Which of Name, Text and the numbers a reason sets, and what they mean, is listed with
// the reason in dstoken's error schema (and the C header's DST_REASON_ constants).
type Error struct {
	// Status is the status code, e.g. ErrBadSignature.
	Status Status
	// Reason says which rule refused the call, e.g. ReasonExpired.
	Reason Reason
	// Argument is the argument or claim at fault (its String is this package's name for
	// it); Other a second one the rule involves (the other of two that conflict).
	Argument, Other Arg
	// Value is the value given; Limit the limit, the value wanted or a second value;
	// Suggested the value to give instead (see the reason).
	Value, Limit, Suggested int64
	// Time is the time the error involves (exp for ReasonExpired, nbf for
	// ReasonNotYetValid, ...); the zero time.Time when the reason has none.
	Time time.Time
	// Name is a claim's JSON name, or ""; Text a string the error is about (the host given,
	// the token's alg, the token's td for ErrClaimMismatch), or "".
	Name, Text string
	// Expected is the value WithTeamID or WithRoom expected, for ErrClaimMismatch.
	Expected string
	// Op is the function or method that failed, e.g. "Verify".
	Op string
	// Message describes the failure in the words of this package, naming the function called
	// and the field or method at fault, e.g. `Verify: the token expired at 2026-01-01T00:00:00Z, 5 s ago`.
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

// errorParts is dst_error as both backends read it.
type errorParts struct {
	status                        int32
	reason, argument, other       uint32
	value, limit, time, suggested int64
	name, text                    string
}

// newError makes the *Error of a failed call of the Go function op from the library's parts.
func newError(op string, p errorParts) *Error {
	e := &Error{Status: Status(p.status), Reason: Reason(p.reason), Argument: Arg(p.argument), Other: Arg(p.other),
		Value: p.value, Limit: p.limit, Suggested: p.suggested, Name: p.name, Text: p.text, Op: op}
	if e.Status == StatusOK { // a failure with no error recorded: the library's bug
		e.Status, e.Reason = ErrInternal, ReasonInternal
	}
	if int(e.Reason) < len(reasonInfo) && reasonInfo[e.Reason].hasTime {
		e.Time = time.Unix(p.time, 0).UTC()
	}
	e.Message = op + ": " + e.describe(p.time)
	return e
}

// refuse makes an *Error for a check this package makes itself (a Go value the library
// cannot be given), worded from the schema's template as the library's errors are.
func refuse(op string, s Status, r Reason, arg Arg, value, limit int64) *Error {
	return newError(op, errorParts{status: int32(s), reason: uint32(r), argument: uint32(arg), value: value, limit: limit})
}

// describe fills the reason's message template (schema/dstoken.json) with the parts: {arg}
// and {other} in this package's spelling, {name} and {text} as they are, the numbers as
// integers, or as an RFC 3339 time (:time), a span of days to seconds (:span) or a JSON type
// (:type).
func (e *Error) describe(t int64) string {
	if int(e.Reason) >= len(reasonInfo) {
		return e.Status.String() + " (reason " + strconv.FormatUint(uint64(e.Reason), 10) + ")"
	}
	tmpl := reasonInfo[e.Reason].message
	if e.Reason == ReasonNone {
		tmpl = e.Status.String()
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(tmpl, '{')
		j := strings.IndexByte(tmpl[i+1:], '}')
		if i < 0 || j < 0 {
			b.WriteString(tmpl)
			break
		}
		b.WriteString(tmpl[:i])
		field, format, _ := strings.Cut(tmpl[i+1:i+1+j], ":")
		tmpl = tmpl[i+j+2:]
		var n int64
		switch field {
		case "arg":
			b.WriteString(e.Argument.String())
			continue
		case "other":
			b.WriteString(e.Other.String())
			continue
		case "name":
			b.WriteString(e.Name)
			continue
		case "text":
			b.WriteString(e.Text)
			continue
		case "value":
			n = e.Value
		case "limit":
			n = e.Limit
		case "time":
			n = t
		case "suggested":
			n = e.Suggested
		}
		b.WriteString(formatNumber(n, format))
	}
	return b.String() + e.hint()
}

// hint adds what only Go's types explain.
func (e *Error) hint() string {
	switch {
	case e.Reason == ReasonSubSecond && e.Value == 0 && (e.Argument == ArgLifetime || e.Argument == ArgMaxLifetime):
		// A time.Duration counts nanoseconds: Lifetime: 3600 is 3.6 µs.
		return "; a time.Duration counts nanoseconds: for " + strconv.FormatInt(e.Limit, 10) +
			" seconds pass " + strconv.FormatInt(e.Limit, 10) + " * time.Second"
	case e.Reason == ReasonSubSecond:
		return " (d.Round(time.Second))"
	case e.Reason == ReasonMilliseconds:
		return "; a time in milliseconds is time.UnixMilli(ms)"
	case e.Reason == ReasonClaimMismatch && e.Expected != "":
		return ": " + strconv.Quote(e.Expected)
	}
	return ""
}

func formatNumber(n int64, format string) string {
	switch format {
	case "time":
		return time.Unix(n, 0).UTC().Format(time.RFC3339)
	case "span":
		return span(n)
	case "type":
		if n >= 0 && n < int64(len(jsonTypeTexts)) {
			return jsonTypeTexts[n]
		}
	}
	return strconv.FormatInt(n, 10)
}

// span formats seconds as "1 d 2 h 3 min 4 s", leading zero units left out.
func span(n int64) string {
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}
	parts := []struct {
		unit string
		v    int64
	}{{"d", n / 86400}, {"h", n / 3600 % 24}, {"min", n / 60 % 60}, {"s", n % 60}}
	var b strings.Builder
	b.WriteString(sign)
	started := false
	for i, p := range parts {
		if p.v == 0 && !started && i < len(parts)-1 {
			continue
		}
		if started {
			b.WriteByte(' ')
		}
		started = true
		b.WriteString(strconv.FormatInt(p.v, 10) + " " + p.unit)
	}
	return b.String()
}
