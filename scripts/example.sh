#!/usr/bin/env bash
# Quick start: builds libdstoken and the C example with CMake, then runs the example, which
# prints a room token and its join URL. Options after `--` go to the example, e.g.
#   scripts/example.sh -- --key "$DEVELOPER_KEY" --team-id "$TEAM_ID" --team acme --room demo
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build --target room_token -j"$(nproc)"
[[ "${1:-}" == "--" ]] && shift
exec build/room_token "$@"
