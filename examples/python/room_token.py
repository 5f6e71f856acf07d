#!/usr/bin/env python3
"""The Digital Samba docs' scenario in Python: a team, a room, user "John Smith" as moderator,
valid for one hour (not before 30 s ago). Prints the token and the room's join URL.

Values come from DIGITALSAMBA_TEAM_ID, DIGITALSAMBA_DEVELOPER_KEY, DIGITALSAMBA_TEAM,
DIGITALSAMBA_ROOM and DIGITALSAMBA_USER, falling back to demo values. Uses the installed
`dstoken` package (pip install dist/dstoken-*.whl); from a checkout it falls back to
bindings/python, with the library from DSTOKEN_LIBRARY or the CMake build (build/stage/lib).
"""
import os
import sys
from pathlib import Path

try:
    import dstoken
except ImportError:  # a source checkout: the package in bindings/python, the library just built
    _root = Path(__file__).resolve().parents[2]
    sys.path.insert(0, str(_root / "bindings" / "python"))
    _built = sorted((_root / "build" / "stage" / "lib").glob("libdstoken.so.*.*.*"))
    if _built and "DSTOKEN_LIBRARY" not in os.environ:
        os.environ["DSTOKEN_LIBRARY"] = str(_built[0])
    import dstoken


def env(name: str, default: str) -> str:
    return os.environ.get(name) or default


def main() -> int:
    team_id = env("DIGITALSAMBA_TEAM_ID", "b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f")
    developer_key = env("DIGITALSAMBA_DEVELOPER_KEY", "0123456789abcdef0123456789abcdef")
    team = env("DIGITALSAMBA_TEAM", "demo")
    room = env("DIGITALSAMBA_ROOM", "daily-standup")
    user = env("DIGITALSAMBA_USER", "John Smith")
    try:
        with dstoken.Key(developer_key) as key:  # the developer key's raw (UTF-8) bytes
            token = dstoken.mint(key, team_id=team_id, room=room, user_name=user, role="moderator",
                                 lifetime=3600, not_before_skew=30)
        print(token)
        print(dstoken.join_url(team, room, token))
    except dstoken.DstokenError as e:
        print(f"room_token: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
