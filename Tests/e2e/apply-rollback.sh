#!/usr/bin/env bash
# End-to-end: `netcfg apply` / `rollback` / `try` / `recover` with the real `netplan apply`,
# systemd-networkd and systemd-resolved, on the host of host-sandbox.sh (network and mount
# namespaces; the host is never touched). Only RFC 5737 addresses and loopback. Needs root.
# Usage: apply-rollback.sh NETCFG_BINARY
set -euo pipefail
NETCFG=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lib.sh"
NSA=naA$$ NSB=naB$$ GW=192.0.2.1

needs_root apply-rollback
source "$HERE/host-sandbox.sh"

netcfg() { inns "$NETCFG" "$@"; }
file() { cat "$W/etc/netplan/01-e2e.yaml"; }
has_addr() { local out; out=$(inns ip -o addr show dev veth0); [[ $out == *" $1 "* ]]; }
default_via() { local out; out=$(inns ip -4 -o route show default); [[ $out == *"via $1 dev veth0"* ]]; }

echo "[0] first apply records generation 0 and verifies (netplan $E2E_NETPLAN)"
if netcfg apply -q; then ok "netcfg apply: exit 0"; else bad "netcfg apply: exit $?"; fi
if [[ $E2E_NETPLAN == 1.1 ]]; then
  grep -q "^netplan-1.1 apply" "$W/calls.log" && ok "netcfg ran netplan 1.1.2's apply" || bad "netplan 1.1 did not run: $(cat "$W/calls.log")"
else
  ! grep -q "^netplan-1.1" "$W/calls.log" && ok "netcfg ran Debian's netplan 0.106" || bad "netplan 1.1 ran"
fi
has_addr 192.0.2.10/24 && ok "veth0 has 192.0.2.10/24" || bad "veth0 lacks 192.0.2.10/24"

echo "[1] an unreachable gateway is rolled back"
before=$(file)
netcfg gateway veth0 192.0.2.254 -q
t0=$(now_ms)
set +e; netcfg apply --verify-timeout 2 2>"$W/logs/apply1.err" >/dev/null; rc=$?; set -e
t1=$(now_ms)
[[ $rc -eq 3 ]] && ok "exit 3 (rolled back) after $((t1 - t0)) ms in all" || bad "exit $rc, want 3: $(cat "$W/logs/apply1.err")"
took=$(sed -n 's/.*(\([0-9]*\) ms after the backend returned).*/\1/p' "$W/logs/apply1.err")
echo "  measured: netplan apply returned -> previous state restored and verified: ${took:-?} ms (goal < 3000, with --verify-timeout 2)"
# The 3 s goal is the benchmark's (make bench: the median of three runs); this only makes sure
# the rollback did not wait out another timeout.
[[ -n $took && $took -lt 6000 ]] && ok "rolled back and verified in $took ms (< 6 s)" || bad "rollback took ${took:-?} ms"
[[ $(file) == "$before" ]] && ok "the netplan file is byte-identical to before" || bad "the netplan file changed"
default_via $GW && ok "default route via $GW is back" || bad "default route: $(inns ip -4 -o route show default)"
inns ping -c1 -W1 -q $GW >/dev/null && ok "the gateway answers" || bad "the gateway does not answer"

echo "[1b] an edit with --apply is one transaction: a failure restores the pre-edit file"
before=$(file)
set +e; netcfg set-ip veth0 192.0.2.12/24 --gateway 192.0.2.253 --apply --verify-timeout 2 -q 2>/dev/null; rc=$?; set -e
[[ $rc -eq 3 ]] && ok "set-ip --apply with a dead gateway: exit 3" || bad "set-ip --apply: exit $rc, want 3"
[[ $(file) == "$before" ]] && ok "the pre-edit file is back, byte for byte" || bad "the file differs: $(file)"
has_addr 192.0.2.10/24 && ok "veth0 has its old address" || bad "veth0: $(inns ip -o addr show dev veth0)"

echo "[2] a good change (new address) is kept"
t0=$(now_ms)
if netcfg set-ip veth0 192.0.2.11/24 --gateway $GW --apply -q; then ok "set-ip --apply: exit 0"; else bad "exit $?"; fi
echo "  measured: good change, set-ip --apply start -> applied and verified (edit, netplan apply, verification): $(($(now_ms) - t0)) ms"
has_addr 192.0.2.11/24 && ok "veth0 has 192.0.2.11/24" || bad "veth0: $(inns ip -o addr show dev veth0)"
last=$(netcfg history | tail -1 | cut -f1)
[[ $last == 1 ]] && ok "it is the newest generation ($last)" || bad "newest generation is '$last'"

echo "[6] DNS through systemd-resolved: verified by a lookup, a broken server rolled back"
netcfg dns set $GW --global --search e2e.test -q
if netcfg apply --check-dns www.e2e.test -q; then ok "DNS $GW applied, www.e2e.test resolves"; else bad "DNS apply: exit $?"; fi
netcfg dns set 192.0.2.53 --global -q
set +e; netcfg apply --check-dns www.e2e.test --verify-timeout 3 -q 2>/dev/null; rc=$?; set -e
[[ $rc -eq 3 ]] && ok "broken DNS server: exit 3" || bad "broken DNS: exit $rc, want 3"
grep -q "DNS=$GW" "$W/etc/systemd/resolved.conf.d/90-netcfg.conf" && ok "the working drop-in is back" || bad "drop-in: $(cat "$W/etc/systemd/resolved.conf.d/90-netcfg.conf")"
inns getent hosts www.e2e.test >/dev/null && ok "www.e2e.test resolves again" || bad "no DNS after rollback"

echo "[7] rollback --to 0 restores generation 0, verified"
if netcfg rollback --to 0 -q; then ok "exit 0"; else bad "exit $?"; fi
has_addr 192.0.2.10/24 && ok "veth0 has 192.0.2.10/24 again" || bad "veth0: $(inns ip -o addr show dev veth0)"
grep -q "# first address" "$W/etc/netplan/01-e2e.yaml" && ok "the file of generation 0 is back, comments included" || bad "file: $(file)"

echo "[3] try, never confirmed, its process killed and its terminal gone: rolled back at the deadline"
before=$(file)
netcfg set-ip veth0 192.0.2.13/24 --gateway $GW -q
(inns setsid "$NETCFG" try --timeout 3 < /dev/null > "$W/logs/try3.log" 2>&1 &)
# The journal is pending from the start; the try says so once applied and verified.
for _ in $(seq 100); do grep -q "applied and verified" "$W/logs/try3.log" 2>/dev/null && break; sleep 0.1; done
has_addr 192.0.2.13/24 && ok "the tried address is up" || bad "try did not apply: $(cat "$W/logs/try3.log")"
pkill -KILL -f "$NETCFG try" || true
# The watchdog clears the journal once the previous state is restored and verified.
for _ in $(seq 150); do [[ -e $W/varlib/netcfg/pending/manifest ]] || break; sleep 0.1; done
[[ ! -e $W/varlib/netcfg/pending/manifest ]] && ok "the watchdog rolled back within 15 s" || bad "still pending 15 s later"
has_addr 192.0.2.10/24 && ok "after the deadline the previous address is back" || bad "veth0: $(inns ip -o addr show dev veth0)"
grep -q "192.0.2.10/24" "$W/etc/netplan/01-e2e.yaml" && ok "the previous file is back" || bad "file: $(file)"

echo "[4] try confirmed from another shell: kept after the deadline"
netcfg set-ip veth0 192.0.2.14/24 --gateway $GW -q
# Over SSH on the address the change takes away: told to confirm from the new one.
(inns setsid env "SSH_CONNECTION=192.0.2.1 40000 192.0.2.10 22" "$NETCFG" try --timeout 4 < /dev/null > "$W/logs/try4.log" 2>&1 &)
for _ in $(seq 100); do grep -q "applied and verified" "$W/logs/try4.log" 2>/dev/null && break; sleep 0.1; done
grep -q "which the change takes from veth0: it will drop once applied" "$W/logs/try4.log" && grep -q "ssh 192.0.2.14 netcfg confirm" "$W/logs/try4.log" &&
  ok "the SSH session on 192.0.2.10 is told it drops and to confirm via 192.0.2.14" || bad "try4: $(cat "$W/logs/try4.log")"
if netcfg confirm -q; then ok "netcfg confirm: exit 0"; else bad "confirm: exit $?"; fi
sleep 5
has_addr 192.0.2.14/24 && ok "kept after the deadline" || bad "veth0: $(inns ip -o addr show dev veth0)"
[[ $(netcfg history | tail -1 | cut -f3) == confirmed ]] && ok "the newest generation is the confirmed one" || bad "history: $(netcfg history | tail -1)"

# The crash scenarios need fault points, which only debug builds have (make bench runs this
# script on the release binary with E2E_NO_FAULTS=1).
if [[ ${E2E_NO_FAULTS:-0} == 1 ]]; then echo "[5] [5b] skipped: crash scenarios need a debug build"; else
echo "[5] a crash between the file write and the backend: recover restores the previous state"
before=$(file)
set +e; inns env "NETCFG_TEST_FAULT=renamed /etc/netplan/01-e2e.yaml#1" "$NETCFG" set-ip veth0 192.0.2.15/24 --gateway $GW --apply -q > /dev/null 2>&1; rc=$?; set -e
[[ $rc -eq 137 ]] && ok "the process died after writing (killed)" || bad "exit $rc, want 137 (SIGKILL)"
grep -q 192.0.2.15 "$W/etc/netplan/01-e2e.yaml" && ok "the new file was on disk" || bad "the crash came too early"
set +e; out=$(netcfg recover --json); rc=$?; set -e
[[ $rc -eq 0 ]] && ok "netcfg recover: exit 0" || bad "recover: exit $rc: $out"
[[ $(jfield "$out" backend) == '[]' ]] && ok "the backend never ran, so recover did not run it" || bad "recover ran the backend: $out"
[[ $(file) == "$before" ]] && ok "the previous file is back" || bad "file: $(file)"
has_addr 192.0.2.14/24 && ok "the kernel still has the previous address" || bad "veth0: $(inns ip -o addr show dev veth0)"
[[ $(netcfg recover) == "nothing to recover" ]] && ok "recover again: nothing to do" || bad "recover is not idempotent"

echo "[5b] a crash once the backend started: recover re-applies and returns once the previous state is verified"
before=$(file)
set +e; inns env "NETCFG_TEST_FAULT=verifying#1" "$NETCFG" set-ip veth0 192.0.2.16/24 --gateway $GW --apply -q > /dev/null 2>&1; rc=$?; set -e
[[ $rc -eq 137 ]] && ok "the process died while verifying (killed)" || bad "exit $rc, want 137 (SIGKILL)"
for _ in $(seq 50); do has_addr 192.0.2.16/24 && break; sleep 0.1; done
has_addr 192.0.2.16/24 && ok "the new address had reached the kernel" || bad "veth0: $(inns ip -o addr show dev veth0)"
set +e; out=$(netcfg recover --json); rc=$?; set -e
# Checked at once, no waiting: recover returns only once the restored state holds.
has_addr 192.0.2.14/24 && ok "the previous address is in force when recover returns" || bad "veth0: $(inns ip -o addr show dev veth0)"
[[ $rc -eq 0 ]] && ok "netcfg recover: exit 0" || bad "recover: exit $rc: $out"
[[ $(jfield "$out" backend) == '["netplan apply"]' && $(jfield "$out" verified) == *'"veth0 has 192.0.2.14/24"'* &&
  $(jfield "$out" outcome) == '"restored"' ]] &&
  ok "it says it ran netplan apply and verified $(jfield "$out" verified)" || bad "recover said: $out"
[[ $(file) == "$before" ]] && ok "the previous file is back" || bad "file: $(file)"

fi

echo "apply-rollback (netplan $E2E_NETPLAN): $PASS passed, $FAIL failed"
((FAIL == 0))
