"""The C example never falls back silently to demo values: it names them on stderr,
and says nothing when real values come from the environment or the command line."""
import os
import subprocess

import pytest

DEMO_ENV = ("DIGITALSAMBA_DEVELOPER_KEY", "DIGITALSAMBA_TEAM_ID", "DIGITALSAMBA_TEAM", "DIGITALSAMBA_ROOM")


def run(args=(), **env):
    exe = os.environ.get("DSTOKEN_EXAMPLE")
    if not exe:
        pytest.skip("DSTOKEN_EXAMPLE is not set (ctest sets it)")
    base = {k: v for k, v in os.environ.items() if k not in DEMO_ENV}
    return subprocess.run([exe, *args], check=True, capture_output=True, text=True, env={**base, **env})


def test_demo_values_are_named_on_stderr():
    out = run()
    assert "using demo values for: developer key, team id, team, room" in out.stderr
    assert len(out.stdout.splitlines()) == 2


def test_partial_demo_values_are_named():
    out = run(DIGITALSAMBA_DEVELOPER_KEY="real-key", DIGITALSAMBA_TEAM_ID="T")
    assert "using demo values for: team, room" in out.stderr
    assert "developer key" not in out.stderr.split("Set ")[0]


def test_no_notice_with_real_values():
    out = run(["--team", "acme", "--room", "r"], DIGITALSAMBA_DEVELOPER_KEY="real-key", DIGITALSAMBA_TEAM_ID="T")
    assert out.stderr == ""
