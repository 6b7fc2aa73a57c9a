#!/usr/bin/env bash
# Builds .build/netcfg_VERSION_ARCH.deb from the release build with dpkg-deb.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(.build/release/netcfg --version)
arch=$(dpkg --print-architecture)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
chmod 0755 "$stage"
make --no-print-directory install PREFIX=/usr DESTDIR="$stage" >/dev/null
mkdir -p "$stage/DEBIAN"
# libstdc++ is linked in (scripts/build-release.sh) unless that build found no libstdc++.a.
# So is libgcc, unless that build's compiler had no libgcc.a.
cxx= gcc_s=
readelf -d .build/release/netcfg | grep -q 'NEEDED.*libstdc++' && cxx=" libstdc++6,"
readelf -d .build/release/netcfg | grep -q 'NEEDED.*libgcc_s' && gcc_s=", libgcc-s1"
cat > "$stage/DEBIAN/control" <<CONTROL
Package: netcfg
Version: $version
Architecture: $arch
Maintainer: netcfg developers <netcfg@example.invalid>
Depends: libyaml-0-2, libsystemd0, netplan.io,$cxx iproute2$gcc_s
Section: net
Priority: optional
Description: safe, verified network configuration for netplan hosts
 netcfg edits netplan YAML keeping comments and layout, sets DNS through
 systemd-resolved or resolv.conf, validates every change before writing, and
 applies it with verification and automatic rollback.
CONTROL
out=.build/netcfg_${version}_${arch}.deb
dpkg-deb --root-owner-group --build "$stage" "$out" >/dev/null
echo "$out"
