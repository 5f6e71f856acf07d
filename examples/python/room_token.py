#!/usr/bin/env python3
"""The Digital Samba docs' scenario in Python: a team, a room, user "John Smith" as moderator,
valid for one hour. Prints the token and the room's join URL.

Values come from DIGITALSAMBA_TEAM_ID, DIGITALSAMBA_DEVELOPER_KEY, DIGITALSAMBA_TEAM,
DIGITALSAMBA_ROOM and DIGITALSAMBA_USER, falling back to demo values. The library is found as
dstoken.py describes (DSTOKEN_LIBRARY, the build directory, or the system).
"""
import os
import sys

from dstoken import Claims, DstokenError, Key, join_url, sign


def env(name: str, default: str) -> str:
    return os.environ.get(name) or default


def main() -> int:
    team_id = env("DIGITALSAMBA_TEAM_ID", "b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f")
    developer_key = env("DIGITALSAMBA_DEVELOPER_KEY", "0123456789abcdef0123456789abcdef")
    team = env("DIGITALSAMBA_TEAM", "demo")
    room = env("DIGITALSAMBA_ROOM", "daily-standup")
    user = env("DIGITALSAMBA_USER", "John Smith")
    try:
        key = Key(developer_key)  # the developer key's raw (UTF-8) bytes
        claims = Claims(td=team_id, rd=room, u=user, role="moderator")
        claims.set_validity(30, 3600)
        token = sign(claims, key)
        print(token)
        print(join_url(team, room, token))
    except DstokenError as e:
        print(f"room_token: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
