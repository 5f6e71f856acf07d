#!/usr/bin/env python3
"""Writes a Go module proxy tree (the layout GOPROXY=file://<dir> reads) for scripts/package.sh go.

  goproxy.py module STAGE PROXY MODULE VERSION TIME
      STAGE/<MODULE>@<VERSION>/ (the module's files) becomes PROXY/<MODULE>/@v/<VERSION>.zip,
      with <VERSION>.mod (its go.mod), <VERSION>.info ({"Version", "Time"}) and @v/list.
  goproxy.py deps PROXY  < `go mod download -json` output
      copies each listed module's .info/.mod/.zip from the module cache into PROXY, so that the
      tree resolves the module's requirements without any other proxy.

The zip has the entries `go mod download` expects (<module>@<version>/<path>), in a fixed order
with fixed timestamps, so the same files give the same zip (and the same go.sum hash)."""
import json
import os
import shutil
import sys
import zipfile
from datetime import datetime, timezone


def escape(path):
    """The module proxy's case encoding: an upper-case letter becomes '!' + its lower case."""
    return "".join("!" + c.lower() if c.isupper() else c for c in path)


def add_list(d, version):
    lst = os.path.join(d, "list")
    have = open(lst).read().split() if os.path.exists(lst) else []
    if version not in have:
        with open(lst, "a") as f:
            f.write(version + "\n")


def module(stage, proxy, mod, ver, when):
    d = os.path.join(proxy, escape(mod), "@v")
    os.makedirs(d, exist_ok=True)
    root = f"{mod}@{ver}"
    with zipfile.ZipFile(os.path.join(d, ver + ".zip"), "w", zipfile.ZIP_DEFLATED) as z:
        for dirpath, dirs, files in os.walk(os.path.join(stage, root)):
            dirs.sort()
            for name in sorted(files):
                full = os.path.join(dirpath, name)
                info = zipfile.ZipInfo(os.path.relpath(full, stage), (1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                with open(full, "rb") as f:
                    z.writestr(info, f.read())
    shutil.copyfile(os.path.join(stage, root, "go.mod"), os.path.join(d, ver + ".mod"))
    t = datetime.fromisoformat(when.replace("Z", "+00:00")).astimezone(timezone.utc)
    with open(os.path.join(d, ver + ".info"), "w") as f:
        json.dump({"Version": ver, "Time": t.strftime("%Y-%m-%dT%H:%M:%SZ")}, f)
    add_list(d, ver)


def deps(proxy):
    text, dec, i = sys.stdin.read(), json.JSONDecoder(), 0
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            break
        m, i = dec.raw_decode(text, i)
        if m.get("Error"):
            sys.exit(f"goproxy.py: go mod download: {m['Error']}")
        d = os.path.join(proxy, escape(m["Path"]), "@v")
        os.makedirs(d, exist_ok=True)
        for key in ("Info", "GoMod", "Zip"):
            if m.get(key):
                shutil.copy(m[key], d)
        add_list(d, m["Version"])


if __name__ == "__main__":
    if len(sys.argv) == 7 and sys.argv[1] == "module":
        module(*sys.argv[2:])
    elif len(sys.argv) == 3 and sys.argv[1] == "deps":
        deps(sys.argv[2])
    else:
        sys.exit(__doc__)
