// room_token mints a Digital Samba room token, as in Digital Samba's documentation: a team, a
// room, user "John Smith" as moderator, valid for one hour (nbf back-dated 30 s for clock skew).
//
//	go run . [-team-id ID] [-team NAME] [-room ROOM] [-user NAME] [-role ROLE] [-lifetime 1h]
//
// The developer key comes from DIGITALSAMBA_DEVELOPER_KEY (never from the command line); the
// other values fall back to DIGITALSAMBA_TEAM_ID, DIGITALSAMBA_TEAM, DIGITALSAMBA_ROOM and
// DIGITALSAMBA_USER, then to demo values, which it names on stderr (a token signed with the demo
// key opens no real room). Prints the token, then the room's join URL. Exit status: 0 on
// success, 2 on bad usage, 1 if dstoken fails.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	dstoken "github.com/dstoken/dstoken/bindings/go"
)

// Demo values: replace them with your team's (the key is on the Digital Samba dashboard).
const (
	demoTeamID = "b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f"
	demoKey    = "0123456789abcdef0123456789abcdef"
	demoTeam   = "demo"
	demoRoom   = "daily-standup"
)

var demoUsed []string

func envOr(name, demo, what string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	if what != "" {
		demoUsed = append(demoUsed, what)
	}
	return demo
}

func main() {
	teamID := flag.String("team-id", envOr("DIGITALSAMBA_TEAM_ID", demoTeamID, "team id"), "Digital Samba team id (td)")
	team := flag.String("team", envOr("DIGITALSAMBA_TEAM", demoTeam, "team"), "team name or custom domain of the join URL")
	room := flag.String("room", envOr("DIGITALSAMBA_ROOM", demoRoom, "room"), "room name or UUID (rd)")
	user := flag.String("user", envOr("DIGITALSAMBA_USER", "John Smith", ""), "user's display name (u)")
	role := flag.String("role", "moderator", "role")
	lifetime := flag.Duration("lifetime", time.Hour, "how long the token is valid")
	flag.Parse()
	if flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	flag.Visit(func(f *flag.Flag) { // a flag replaces a demo value too
		demoUsed = slices.DeleteFunc(demoUsed, func(what string) bool { return strings.ReplaceAll(what, " ", "-") == f.Name })
	})
	keyText := envOr("DIGITALSAMBA_DEVELOPER_KEY", demoKey, "developer key")
	if len(demoUsed) > 0 {
		fmt.Fprintf(os.Stderr, "room_token: notice: using demo values for: %s. Set DIGITALSAMBA_DEVELOPER_KEY, "+
			"DIGITALSAMBA_TEAM_ID, DIGITALSAMBA_TEAM, DIGITALSAMBA_ROOM (or -team-id, -team, -room); "+
			"a token signed with the demo key opens no real room.\n", strings.Join(demoUsed, ", "))
	}

	key, err := dstoken.NewKey([]byte(keyText)) // the developer key is used as its raw bytes
	if err != nil {
		fail(err)
	}
	defer key.Close()
	token, err := dstoken.NewClaims().TeamID(*teamID).Room(*room).UserName(*user).Role(*role).
		Validity(30*time.Second, *lifetime).Sign(key)
	if err != nil {
		fail(err)
	}
	url, err := dstoken.JoinURL(*team, *room, token)
	if err != nil {
		fail(err)
	}
	fmt.Println(token)
	fmt.Println(url)
}

func fail(err error) {
	var e *dstoken.Error
	if errors.As(err, &e) { // the status name and the library's message
		fmt.Fprintf(os.Stderr, "room_token: %s: %s\n", e.Status, e.Message)
	} else {
		fmt.Fprintf(os.Stderr, "room_token: %v\n", err)
	}
	os.Exit(1)
}
