#!/usr/bin/env bash
# CPU time of `netcfg validate` on a 2,000-device netplan file (release build), and of the
# same command on 1 device for the fixed start-up cost. Rerun after changing a hot path.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
swift build -c release >/dev/null
bin=$here/.build/release/netcfg
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
for n in 1 2000; do
  rm -rf "$root/etc"
  python3 bench/gen-netplan.py "$root" "$n"
  "$bin" validate --root "$root" >/dev/null 2>&1 || { echo "validate failed on $n devices" >&2; exit 1; }
  printf 'netcfg validate, %5d devices: ' "$n"
  python3 bench/cpu-time.py "${RUNS:-15}" "$bin" validate --root "$root"
done
