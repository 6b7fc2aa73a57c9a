#!/usr/bin/env bash
# Test tooling (never installed, never in the .deb): builds netplan 1.1.2 (Ubuntu 24.04's and
# Debian 13's; upstream tag 1.1.2, GPL-3.0, unchanged) from the tarball beside this script
# into PREFIX (default .build/netplan-1.1 of the repository) and prints the path of
# PREFIX/netplan, a wrapper that runs that netplan with its own library, Python bindings and
# generator. A build already there is reused. Debian's /usr/sbin/netplan (0.106) stays as is.
# Needs (installed when missing, as root): meson ninja-build pkg-config libglib2.0-dev
# libyaml-dev uuid-dev libsystemd-dev bash-completion python3-cffi python3-dev. About 10 s.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
prefix=$(realpath -m "${1:-$repo/.build/netplan-1.1}")
if [[ -x $prefix/netplan && -x $prefix/libexec/netplan/generate ]]; then echo "$prefix/netplan"; exit 0; fi
missing=()
for p in meson ninja-build pkg-config libglib2.0-dev libyaml-dev uuid-dev libsystemd-dev bash-completion python3-cffi python3-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  [[ $(id -u) -eq 0 ]] || { echo "build.sh: missing packages (install as root): ${missing[*]}" >&2; exit 1; }
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null; apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; }
fi
# Built in a scratch folder, then moved into place whole: an interrupted build leaves nothing.
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
tar xzf "$here/netplan-1.1.2.tar.gz" -C "$work"
source=$work/netplan-1.1.2
meson setup "$source/build" "$source" --prefix="$prefix" -Dtesting=false -Dunit_testing=false >/dev/null
ninja -C "$source/build" >/dev/null
DESTDIR=$work/stage ninja -C "$source/build" install >/dev/null
python=$(cd "$work/stage$prefix" && ls -d lib/python3*/site-packages)
library=$(cd "$work/stage$prefix" && dirname "$(find . -name 'libnetplan.so.1' | head -1)")
cat > "$work/stage$prefix/netplan" <<WRAPPER
#!/bin/sh
# netplan 1.1.2 built by Tests/Fixtures/netplan-1.1/build.sh (test tooling).
export PYTHONPATH="$prefix/$python:$prefix/share/netplan\${PYTHONPATH:+:\$PYTHONPATH}"
export LD_LIBRARY_PATH="$prefix/${library#./}\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"
export NETPLAN_GENERATE_PATH="$prefix/libexec/netplan/generate"
exec python3 "$prefix/share/netplan/netplan.script" "\$@"
WRAPPER
chmod +x "$work/stage$prefix/netplan"
mkdir -p "$(dirname "$prefix")"
rm -rf "$prefix.partial"; mv "$work/stage$prefix" "$prefix.partial"; rm -rf "$prefix"; mv "$prefix.partial" "$prefix"
echo "$prefix/netplan"
