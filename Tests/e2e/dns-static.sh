#!/usr/bin/env bash
# End-to-end: DNS method 1 (a static /etc/resolv.conf instead of systemd-resolved's stub link)
# and the way back, with the real netplan apply, networkd and resolved on the host of
# host-sandbox.sh with /etc as an overlay (the host's /etc is never written). Applied, the
# static file stops and disables resolved and its servers are asked directly; a dead server
# is rolled back (the link back, resolved enabled and running again); `dns reset` returns to
# resolved, verified. Only RFC 5737 addresses and loopback. Needs root.
# Usage: dns-static.sh NETCFG_BINARY
set -euo pipefail
NETCFG=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lib.sh"
NSA=ndA$$ NSB=ndB$$ GW=192.0.2.1

needs_root dns-static
ETC_OVERLAY=1 source "$HERE/host-sandbox.sh"

netcfg() { inns "$NETCFG" "$@"; }
resolved_runs() { inns systemctl is-active --quiet systemd-resolved; }
resolved_enabled() { inns systemctl is-enabled systemd-resolved >/dev/null; }
lookup() { inns getent hosts www.e2e.test 2>/dev/null | awk '{print $1}'; }
stub_link() { [[ $(inns readlink /etc/resolv.conf) == ../run/systemd/resolve/stub-resolv.conf ]]; }

echo "[0] resolved's stub link, resolved running with the lab's server"
netcfg apply -q
if netcfg dns set $GW --global --search e2e.test --apply --check-dns www.e2e.test -q; then ok "resolved serves $GW"; else bad "exit $?"; fi
stub_link && resolved_runs && ok "resolv.conf links to the stub, resolved runs" || bad "start: $(inns ls -l /etc/resolv.conf)"

echo "[1] a static resolv.conf naming a dead server: rolled back, resolved back"
set +e; netcfg dns set 192.0.2.53 --method resolv-conf --force --search e2e.test --apply --verify-timeout 2 --json > "$W/logs/dead.json" 2>/dev/null; rc=$?; set -e
[[ $rc -eq 3 ]] && ok "exit 3 (rolled back)" || bad "exit $rc, want 3: $(cat "$W/logs/dead.json")"
[[ $(jfield "$(cat "$W/logs/dead.json")" checks) == *'"kind":"dns-server"'* ]] && ok "the failed check is the server's answer" || bad "checks: $(jfield "$(cat "$W/logs/dead.json")" checks)"
stub_link && ok "resolv.conf is the stub link again" || bad "resolv.conf: $(inns ls -l /etc/resolv.conf)"
resolved_runs && resolved_enabled && ok "resolved runs and is enabled again" || bad "resolved is not back"
grep -q "disable --now systemd-resolved" "$W/calls.log" && ok "resolved had been stopped and disabled" || bad "resolved was never disabled"
[[ $(lookup) == 192.0.2.80 ]] && ok "lookups work through resolved again" || bad "lookup: '$(lookup)'"

echo "[2] method 1 with a working server: resolved stopped and disabled, lookups through the file"
if netcfg dns set $GW --method resolv-conf --force --search e2e.test --apply -q; then ok "exit 0"; else bad "exit $?"; fi
[[ ! -L $W/etc-upper/resolv.conf ]] && grep -q "^nameserver $GW\$" "$W/etc-upper/resolv.conf" && ok "resolv.conf is a static file naming $GW" ||
  bad "resolv.conf: $(inns ls -l /etc/resolv.conf)"
! resolved_runs && ! resolved_enabled && ok "resolved is stopped and disabled" || bad "resolved still runs or is enabled"
[[ $(lookup) == 192.0.2.80 ]] && ok "www.e2e.test resolves through the static file" || bad "lookup: '$(lookup)'"

echo "[3] dns reset: the stub link back, resolved enabled and running, verified"
t0=$(now_ms); if netcfg dns reset --apply -q; then ok "exit 0 after $(($(now_ms) - t0)) ms"; else bad "exit $?"; fi
stub_link && ok "resolv.conf links to the stub again" || bad "resolv.conf: $(inns ls -l /etc/resolv.conf)"
resolved_runs && resolved_enabled && ok "resolved runs and is enabled" || bad "resolved is not back"
[[ $(lookup) == 192.0.2.80 ]] && ok "lookups work through resolved" || bad "lookup: '$(lookup)'"
out=$(netcfg dns reset 2>&1)
[[ $out == unchanged ]] && ok "a second reset changes nothing" || bad "second reset: $out"

echo "dns-static: $PASS passed, $FAIL failed"
((FAIL == 0))
