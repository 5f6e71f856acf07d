"""Shared fixtures of the package tests. scripts/test-python.sh runs them against the wheel
installed in a fresh venv, from a directory outside the repository (DSTOKEN_EXPECT_INSTALLED=1);
during development they also run against bindings/python with DSTOKEN_LIBRARY set."""
import os
import re
from pathlib import Path

import pytest

SRC = Path(os.environ.get("DSTOKEN_SOURCE_DIR") or Path(__file__).resolve().parents[3])
KEY = b"0123456789abcdef0123456789abcdef"


def cargo_version() -> str:
    text = (SRC / "Cargo.toml").read_text(encoding="utf-8")
    return re.search(r'^version = "([0-9]+\.[0-9]+\.[0-9]+)"', text, re.M).group(1)


@pytest.fixture
def key():
    import dstoken

    with dstoken.Key(KEY) as k:
        yield k
