#!/usr/bin/env bash
# End-to-end crash matrix: the live steps of a transaction (the backend running, verification,
# rollback, `try` and its watchdog) with the real `netplan apply`, systemd-networkd and
# systemd-resolved on the host of host-sandbox.sh. Each command runs once to learn its steps
# (NETCFG_TEST_FAULT_TRACE), then once per step killed there (NETCFG_TEST_FAULT, debug builds
# only), then `netcfg recover`. Afterwards the files are all as before with the history
# unchanged, or all as after with one generation more; veth0 has the address of the file on
# disk; nothing is left pending. The steps of netcfg's own records below /var/lib/netcfg are
# crashed under --root by CrashMatrixTests. Needs root. Usage: crash-matrix.sh NETCFG_BINARY
set -euo pipefail
NETCFG=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lib.sh"
NSA=nmA$$ NSB=nmB$$ GW=192.0.2.1

needs_root crash-matrix
source "$HERE/host-sandbox.sh"

netcfg() { inns "$NETCFG" "$@"; }
has_addr() { local out; out=$(inns ip -o addr show dev veth0); [[ $out == *" $1 "* ]]; }
# Every file of the sandbox's /etc (kind, mode, contents or link target; a leftover temp file
# shows), and the number of recorded generations.
state() {
  (cd "$W/etc" && find . \( -type f -o -type l \) -printf '%p %y %m %l\n' | sort &&
    find . -type f -print0 | sort -z | xargs -0 sha256sum)
}
generations() { find "$W/varlib/netcfg/generations" -name manifest 2>/dev/null | wc -l; }
address_in_file() { grep -o '192\.0\.2\.[0-9]*/24' "$W/etc/netplan/01-e2e.yaml" | head -1; }
BASE=$(cat "$W/etc/netplan/01-e2e.yaml")
# Back to the starting point: the original file, applied.
reset() {
  if [[ $(cat "$W/etc/netplan/01-e2e.yaml") != "$BASE" ]] || ! has_addr 192.0.2.10/24; then
    printf '%s\n' "$BASE" > "$W/etc/netplan/01-e2e.yaml"
    netcfg apply -q > /dev/null 2>&1 || true
  fi
}

CASES=0 BY_WATCHDOG=0
# matrix NAME WANT_RC -- COMMAND...: the reference run (exit WANT_RC), then a crash at each step.
matrix() {
  local name=$1 want=$2; shift 3
  reset
  local before after g0 steps step rc now g
  before=$(state) g0=$(generations)
  rm -f "$W/trace"
  set +e; inns env NETCFG_TEST_FAULT_TRACE="$W/trace" "$NETCFG" "$@" -q > /dev/null 2>&1; rc=$?; set -e
  [[ $rc -eq $want ]] || bad "$name: the reference run exited $rc, want $want"
  after=$(state)
  mapfile -t steps < <(grep -v '/var/lib/netcfg/' "$W/trace")
  echo "  $name: ${#steps[@]} steps: $(printf '%s, ' "${steps[@]}")"
  for step in "${steps[@]}"; do
    reset
    before=$(state) g0=$(generations)
    set +e; inns env "NETCFG_TEST_FAULT=$step" "$NETCFG" "$@" -q > /dev/null 2>&1; rc=$?; set -e
    CASES=$((CASES + 1))
    # A crashed watchdog leaves the rollback to the waiting `try` (exit 3).
    if [[ $rc -ne 137 && ! ($step == watchdog:* && $rc -eq 3) ]]; then bad "$name @ $step: exit $rc, not killed there"; continue; fi
    if ((BY_WATCHDOG)); then
      # No netcfg command: the watchdog the `try` started before writing anything undoes it.
      for _ in $(seq 300); do [[ -e $W/varlib/netcfg/pending/manifest ]] || break; sleep 0.1; done
      [[ -e $W/varlib/netcfg/pending/manifest ]] && { bad "$name @ $step: still pending 30 s later, nothing rolled it back"; continue; }
    elif ! netcfg recover -q > /dev/null 2>&1; then bad "$name @ $step: recover failed"; continue; fi
    now=$(state) g=$(generations)
    if [[ $now == "$before" && $g -eq $g0 ]]; then :
    elif [[ $now == "$after" && $g -eq $((g0 + 1)) && $want -eq 0 ]]; then :
    else bad "$name @ $step: files $([[ $now == "$before" ]] && echo before || { [[ $now == "$after" ]] && echo after || echo 'neither before nor after'; }), generations $g0 -> $g"; continue
    fi
    [[ $(netcfg recover) == "nothing to recover" ]] || { bad "$name @ $step: still pending after recover"; continue; }
    has_addr "$(address_in_file)" || { bad "$name @ $step: veth0 lacks $(address_in_file), the file's address"; continue; }
    ok "$name @ $step"
  done
}

echo "[crash] a good change (set-ip --apply): committed or rolled back, never in between"
matrix "set-ip --apply" 0 -- set-ip veth0 192.0.2.21/24 --gateway $GW --apply
echo "[crash] a bad gateway (set-ip --apply, rolled back): crashed during verification and during the rollback"
matrix "bad gateway" 3 -- set-ip veth0 192.0.2.22/24 --gateway 192.0.2.254 --apply --verify-timeout 1
echo "[crash] try, never confirmed, killed at every step (before, during and after verification) and no other"
echo "        netcfg command: its watchdog rolls it back at the deadline; the watchdog crashed during its rollback"
BY_WATCHDOG=1 matrix "try" 3 -- set-ip veth0 192.0.2.23/24 --gateway $GW --try --timeout 2

echo "crash matrix (live): $CASES crashes, $PASS passed, $FAIL failed"
echo "crash-matrix: $PASS passed, $FAIL failed"
((FAIL == 0 && CASES >= 20))
