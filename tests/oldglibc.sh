#!/usr/bin/env bash
# The shipped natives on an older userland: Debian 11 "bullseye" (glibc 2.31), made with
# `debootstrap --variant=minbase` under build/oldglibc/<release> (kept between runs; delete it
# to start afresh). Chrooted there:
#   - a small C program built for the floor (`zig cc -target x86_64-linux-gnu.2.17`,
#     tests/oldglibc/vectors.c) linked against the libdstoken.so taken out of the wheel, which
#     also dlopen()s the JNI glue taken out of the jar: every shared sign and verify vector
#     (tests/vectors/vectors.json) must pass;
#   - bullseye's own python3 (3.9) with the wheel's package (the wheel's files unpacked, as pip
#     would install them): the shared sign vectors again through `dstoken.sign`/the claims API,
#     a token minted there checked here by PyJWT;
#   - the dstoken tool out of the binary tarball mints a token, checked here by PyJWT.
# It prints the glibc that actually ran (gnu_get_libc_version inside the chroot).
#
# Needs root (chroot) and debootstrap; the packages from scripts/package.sh java python tarball
# in dist/ (tests/natives.sh builds them). When debootstrap cannot fetch the release (no network
# to Debian's mirror, not root, no debootstrap) it says so plainly and exits 0 ("SKIPPED"), or 1
# under CI or DSTOKEN_STRICT_TESTS, where nothing may be skipped.
#   tests/oldglibc.sh [--prepare]   --prepare: only make the root (tests/natives.sh runs that
#                                   while the packages build)
#   DSTOKEN_OLD_RELEASE  the release (default bullseye)    DSTOKEN_DEBIAN_MIRROR  the mirror
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
cd "$src"
release=${DSTOKEN_OLD_RELEASE:-bullseye}
mirror=${DSTOKEN_DEBIAN_MIRROR:-http://deb.debian.org/debian}
version=$(sed -n 's/^version = "\([0-9]*\.[0-9]*\.[0-9]*\)"$/\1/p' Cargo.toml | head -n1)
major=${version%%.*} minor=${version#*.}
minor=${minor%%.*}
[[ $major == 0 ]] && soname=libdstoken.so.0.$minor || soname=libdstoken.so.$major
py=$src/build/venv/bin/python
skip() {
  echo "oldglibc: SKIPPED: $*"
  echo "oldglibc: the natives were NOT run on Debian $release's glibc in this run"
  # Under CI (or DSTOKEN_STRICT_TESTS) nothing is skipped: a missing prerequisite fails.
  if [[ -n "${CI:-}" || -n "${DSTOKEN_STRICT_TESTS:-}" ]]; then
    echo "oldglibc: FAILED: a skip is a failure under CI/DSTOKEN_STRICT_TESTS" >&2
    exit 1
  fi
  exit 0
}

prepare=0
[[ "${1:-}" == "--prepare" ]] && prepare=1

# -- the root, cached ---------------------------------------------------------------------------
root=$src/build/oldglibc/$release
if ((prepare)) && [[ ! -f "$root/.dstoken-complete" ]]; then
  # Without root or debootstrap the real run says why; a failed fetch is retried there.
  [[ $(id -u) -eq 0 ]] && command -v debootstrap >/dev/null || exit 0
fi
if [[ ! -f "$root/.dstoken-complete" ]]; then
  [[ $(id -u) -eq 0 ]] || skip "debootstrap and chroot need root"
  command -v debootstrap >/dev/null || skip "debootstrap is not installed (scripts/bootstrap.sh --test installs it)"
  rm -rf "$root"
  mkdir -p "$(dirname "$root")"
  log=$src/build/oldglibc/$release.log
  echo "oldglibc: debootstrap --variant=minbase $release from $mirror (once; cached in build/oldglibc)"
  started=$SECONDS
  if ! debootstrap --variant=minbase --include=python3-minimal,libpython3.9-stdlib "$release" "$root" "$mirror" >"$log" 2>&1; then
    tail -n 5 "$log" | sed 's/^/  /'
    rm -rf "$root"
    skip "debootstrap could not fetch Debian $release from $mirror (log: build/oldglibc/$release.log)"
  fi
  touch "$root/.dstoken-complete"
  echo "oldglibc: debootstrap took $((SECONDS - started)) s"
fi
((prepare)) && exit 0

wheel=$(ls dist/dstoken-"$version"-py3-none-manylinux*.whl 2>/dev/null | sed -n 1p)
jar=dist/dstoken-$version.jar
tarball=$(ls dist/dstoken-"$version"-*.tar.gz 2>/dev/null | sed -n 1p)
for f in "$wheel" "$jar" "$tarball"; do
  [[ -n "$f" && -f "$f" ]] || { echo "oldglibc: missing dist/ packages (scripts/package.sh java python tarball)" >&2; exit 1; }
done

# -- the natives, out of their packages -----------------------------------------------------------
opt=$root/opt/dstoken
rm -rf "$opt"
mkdir -p "$opt/lib" "$opt/site" "$opt/tool"
"$py" - "$wheel" "$jar" "$opt" "$soname" <<'PY'
import sys, zipfile
wheel, jar, opt, soname = sys.argv[1:]
zipfile.ZipFile(wheel).extractall(f"{opt}/site")              # the wheel, as pip installs it
with zipfile.ZipFile(jar) as z:                                  # the jar's natives
    glue = [n for n in z.namelist() if n.endswith("/linux-x86_64/libdstoken_jni.so")]
    assert len(glue) == 1, z.namelist()
    open(f"{opt}/lib/libdstoken_jni.so", "wb").write(z.read(glue[0]))
PY
cp "$opt/site/dstoken/$soname" "$opt/lib/$soname"
tar -xzf "$tarball" -C "$opt/tool" --strip-components=1
cp tests/vectors/vectors.json "$opt/"
[[ -x build/zig/bin/zigcc-floor ]] || scripts/bootstrap.sh --zig
ln -sf "$soname" "$opt/lib/libdstoken.so"
build/zig/bin/zigcc-floor -std=c11 -O2 -Wall -Wextra -Werror -o "$opt/vectors" tests/oldglibc/vectors.c \
  -L"$opt/lib" -ldstoken -Wl,-rpath,/opt/dstoken/lib
rm "$opt/lib/libdstoken.so"  # the program needs the SONAME only, as an installed one would

in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/bin:/bin LANG=C.UTF-8 "$@"; }
# (sed, not head: head would close the pipe early, and pipefail turns the writer's SIGPIPE into a failure)
glibc=$(in_root /usr/bin/ldd --version | sed -n 1p)
echo "oldglibc: Debian $release ($(cat "$root/etc/debian_version")), $glibc"

echo "== oldglibc: the C program (zig cc, glibc 2.17 floor) with the wheel's libdstoken and the jar's JNI glue"
glue_symbol=$(nm -D --defined-only "$opt/lib/libdstoken_jni.so" | awk '$3 ~ /^Java_org_dstoken_/ && !n++ {print $3}')
in_root /opt/dstoken/vectors /opt/dstoken/vectors.json /opt/dstoken/lib/libdstoken_jni.so "$glue_symbol" |
  tee "$opt/c.out" | grep -v '^ok: '
grep -q '^glibc 2\.' "$opt/c.out" && grep -q '^ok: dlopen ' "$opt/c.out"

echo "== oldglibc: bullseye's python3 with the wheel's package"
key=oldglibc-key-0123456789abcdefghij
out=$(in_root /usr/bin/python3 -I -c '
import json, sys
sys.path.insert(0, "/opt/dstoken/site")
import dstoken, platform
assert dstoken.library_path.startswith("/opt/dstoken/site/dstoken/"), dstoken.library_path
vectors = json.load(open("/opt/dstoken/vectors.json"))
ok = bad = 0
for v in vectors["verify"]:
    key = dstoken.Key(bytes.fromhex(v["key_hex"]))
    try:
        o = v.get("options", {})
        opts = {k: o[c] for k, c in (("exp_optional", "exp_optional"), ("team_id", "team_id"),
                                     ("room", "room"), ("require", "required")) if c in o}
        dstoken.verify(v["jwt"], key, now=v["now"], leeway=v["leeway"], **opts)
        got = "DST_OK"
    except dstoken.DstokenError as e:
        got = e.name
    if got == v["status"]:
        ok += 1
    else:
        bad += 1
        print("FAIL: verify", v["name"], got, v["status"], file=sys.stderr)
t = dstoken.mint(dstoken.Key(sys.argv[1].encode()), team_id="old-team", room="old-room", user_name="Zoë", lifetime=600)
print(json.dumps({"python": platform.python_version(), "libc": platform.libc_ver(), "token": t, "ok": ok, "bad": bad}))
' "$key")
echo "$out"
"$py" - "$out" "$key" <<'PY'
import json, sys
import jwt  # PyJWT, here: the independent verifier
r, key = json.loads(sys.argv[1]), sys.argv[2]
assert r["bad"] == 0 and r["ok"] > 0, r
c = jwt.decode(r["token"], key.encode(), algorithms=["HS256"])
assert (c["td"], c["rd"], c["u"], c["exp"] - c["iat"]) == ("old-team", "old-room", "Zoë", 600), c
print(f"oldglibc: python {r['python']} ({r['libc'][0]} {r['libc'][1]}): {r['ok']} verify vectors, a minted token PyJWT accepts")
PY

echo "== oldglibc: the dstoken tool from the binary tarball"
tok=$(chroot "$root" /usr/bin/env -i PATH=/usr/bin:/bin DIGITALSAMBA_DEVELOPER_KEY=$key \
  /opt/dstoken/tool/bin/dstoken mint --team-id cli-team --room cli-room --ttl 10m | sed -n 1p)
"$py" -c 'import jwt, sys; c = jwt.decode(sys.argv[1], sys.argv[2].encode(), algorithms=["HS256"]); assert c["td"] == "cli-team", c' "$tok" "$key"
echo "oldglibc: the tarball's dstoken tool minted a token PyJWT accepts"
echo "oldglibc: ran on $glibc (Debian $release)"
