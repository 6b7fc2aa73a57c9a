#!/usr/bin/env bash
# Cost of `netcfg validate` on a 2,000-device netplan file (release build), and on 1 device
# for the fixed start-up cost: CPU time (user+sys, median of RUNS) and, when valgrind is
# installed, the instruction count, which does not vary with machine load. Rerun after
# changing a hot path.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
scripts/build-release.sh >/dev/null  # the binary make release ships
bin=$here/.build/release/netcfg
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
for n in 1 2000; do
  rm -rf "$root/etc"
  python3 bench/gen-netplan.py "$root" "$n"
  "$bin" validate --root "$root" >/dev/null 2>&1 || { echo "validate failed on $n devices" >&2; exit 1; }
  printf 'netcfg validate, %5d devices: ' "$n"
  python3 bench/cpu-time.py "${RUNS:-15}" "$bin" validate --root "$root"
  if command -v valgrind >/dev/null; then
    # Counted only when netcfg ran to its end under valgrind: Debian 12's valgrind 3.19 gives
    # up on the binary's debug info, and knows no openat2 (syscall 437), which netcfg opens
    # files with; a count of a run that stopped early would mislead.
    rc=0
    out=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" validate --root "$root" 2>&1 >/dev/null) || rc=$?
    ir=$(sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' <<< "$out")
    if [[ $rc -eq 0 && -n $ir ]] && ! grep -q "unhandled .* syscall" <<< "$out"; then
      printf '                               %s instructions\n' "$ir"
    else
      printf '                               (no instruction count: netcfg does not run to its end under this valgrind)\n'
    fi
  fi
done
