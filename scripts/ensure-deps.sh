#!/usr/bin/env bash
# Installs what netcfg needs to build and test, when it is missing: libyaml (headers and
# pkg-config file), libsystemd's headers (sd-bus: `status` asks the daemons over D-Bus) and the
# real netplan (used to prove that what netcfg writes is accepted).
set -euo pipefail

missing=()
pkg-config --exists yaml-0.1 2>/dev/null || missing+=(libyaml-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
[ -e /usr/include/systemd/sd-bus.h ] || missing+=(libsystemd-dev)
command -v netplan >/dev/null 2>&1 || [ -x /usr/sbin/netplan ] || missing+=(netplan.io)
command -v patch >/dev/null 2>&1 || missing+=(patch)  # tests apply --dry-run diffs with it

if ((${#missing[@]} == 0)); then exit 0; fi

if [ "$(id -u)" -ne 0 ]; then
  echo "netcfg needs: ${missing[*]}" >&2
  echo "install them with: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "installing ${missing[*]} ..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
