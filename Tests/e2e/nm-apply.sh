#!/usr/bin/env bash
# End-to-end on the real NetworkManager (nm-sandbox.sh: NetworkManager on a private D-Bus,
# driven by the real `netplan apply`, in network namespaces; the host is never touched):
# every scenario of the networkd suite with `renderer: NetworkManager` (first apply verified;
# a bad gateway rolled back, files byte-identical and the connection back; a good change kept;
# an unconfirmed try whose process is killed rolled back at its deadline; a confirmed try
# kept; DNS verified by a lookup and a broken server rolled back; rollback --to N; a gateway
# ignoring ping kept), `dns status` naming NetworkManager as resolv.conf's owner, `status`
# naming it as the manager, and a NetworkManager-written 90-NM file (passthrough) edited with
# set-ip --apply. Only RFC 5737 addresses and loopback. Needs root.
# Usage: nm-apply.sh NETCFG_BINARY
set -euo pipefail
NETCFG=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lib.sh"
NSA=nmA$$ NSB=nmB$$ GW=192.0.2.1

needs_root nm-apply
source "$HERE/nm-sandbox.sh"

netcfg() { inns "$NETCFG" "$@"; }
field() { python3 -c "import json,sys; d=json.loads(sys.argv[1]); print(eval(sys.argv[2]))" "$1" "$2"; }
file() { cat "$W/etc/netplan/01-e2e.yaml"; }
has_addr() { local out; out=$(inns ip -o addr show dev "${2:-veth0}"); [[ $out == *" $1 "* ]]; }
default_via() { local out; out=$(inns ip -4 -o route show default); [[ $out == *"via $1 dev ${2:-veth0}"* ]]; }
# connected_with ADDRESS: NetworkManager has veth0 connected with netplan's profile and ADDRESS
# (it may finish activating a little after the kernel has the address: polled, 5 s at most).
connected_with() {
  local state ip4
  for _ in $(seq 100); do
    state=$(nm_state veth0); ip4=$(nm_ip4 veth0)
    [[ $state == connected:netplan-veth0 && $ip4 == "$1 "* ]] && return 0
    sleep 0.05
  done
  echo "  (NetworkManager: veth0 $state; IP4 $ip4)"
  return 1
}
cat > "$W/etc/netplan/01-e2e.yaml" <<'YAML'
# The host under test, rendered for NetworkManager.
network:
  version: 2
  renderer: NetworkManager
  ethernets:
    veth0:
      addresses: [192.0.2.10/24]   # first address
      routes:
        - to: default
          via: 192.0.2.1
YAML
chmod 600 "$W/etc/netplan/01-e2e.yaml"

echo "[0] first apply through NetworkManager, verified"
if netcfg apply -q; then ok "netcfg apply: exit 0"; else bad "netcfg apply: exit $?"; fi
has_addr 192.0.2.10/24 && ok "veth0 has 192.0.2.10/24" || bad "veth0: $(inns ip -o addr show dev veth0)"
connected_with 192.0.2.10/24 && ok "NetworkManager: veth0 connected with netplan-veth0, 192.0.2.10/24" || bad "not connected"
grep -q "NetworkManager.service" "$W/calls.log" && ok "netplan apply restarted NetworkManager" || bad "calls: $(cat "$W/calls.log")"

echo "[1] an unreachable gateway is rolled back"
before=$(file)
netcfg gateway veth0 192.0.2.254 -q
t0=$(now_ms)
set +e; netcfg apply --verify-timeout 2 2>"$W/logs/apply1.err" >/dev/null; rc=$?; set -e
[[ $rc -eq 3 ]] && ok "exit 3 (rolled back) after $(($(now_ms) - t0)) ms in all" || bad "exit $rc, want 3: $(cat "$W/logs/apply1.err")"
took=$(sed -n 's/.*(\([0-9]*\) ms after the backend returned).*/\1/p' "$W/logs/apply1.err")
echo "  measured: netplan apply returned -> previous state restored and verified: ${took:-?} ms (goal < 3000, with --verify-timeout 2)"
# The 3 s goal is the benchmark's (make bench: the median of three runs on a quiet machine, in
# BENCHMARKS.md). Here, beside the other test suites on two cores, NetworkManager's restart
# alone has taken seconds: this only makes sure the rollback stayed within the restore budget
# (the previous state is given max(verify timeout, 10 s) to verify).
[[ -n $took && $took -lt 13000 ]] && ok "restored and verified $took ms after netplan apply returned (< 13 s)" || bad "rollback took ${took:-?} ms: $(cat "$W/logs/apply1.err")"
[[ $(file) == "$before" ]] && ok "the netplan file is byte-identical to before" || bad "the netplan file changed"
default_via $GW && ok "default route via $GW is back" || bad "default route: $(inns ip -4 -o route show default)"
connected_with 192.0.2.10/24 && [[ $(nm_ip4 veth0) == "192.0.2.10/24 $GW "* ]] &&
  ok "NetworkManager: the connection is back, with 192.0.2.10/24 via $GW" || bad "connection: $(nm_ip4 veth0)"

echo "[2] a good change (new address) is kept"
t0=$(now_ms)
if netcfg set-ip veth0 192.0.2.11/24 --gateway $GW --apply -q; then ok "set-ip --apply: exit 0"; else bad "exit $?"; fi
echo "  measured: good change, set-ip --apply start -> applied and verified (edit, netplan apply, verification): $(($(now_ms) - t0)) ms"
has_addr 192.0.2.11/24 && ! has_addr 192.0.2.10/24 && ok "veth0 has 192.0.2.11/24, not the old address" || bad "veth0: $(inns ip -o addr show dev veth0)"
connected_with 192.0.2.11/24 && ok "NetworkManager carries 192.0.2.11/24" || bad "NetworkManager: $(nm_ip4 veth0)"

echo "[3] DNS through NetworkManager: verified by a lookup, a broken server rolled back"
if netcfg set-ip veth0 192.0.2.11/24 --gateway $GW --dns $GW --search e2e.test --apply --check-dns www.e2e.test -q; then
  ok "DNS $GW applied, www.e2e.test resolves"; else bad "DNS apply: exit $?"; fi
[[ $(nm_ip4 veth0) == "192.0.2.11/24 $GW $GW e2e.test " ]] && ok "NetworkManager: DNS $GW, search e2e.test" || bad "IP4: $(nm_ip4 veth0)"
set +e; out=$(netcfg dns status --json); set -e
[[ $(field "$out" 'd["resolv-conf"]["owner"]') == NetworkManager ]] && ok "dns status: NetworkManager owns /etc/resolv.conf" ||
  bad "dns status: $(field "$out" 'd["resolv-conf"]')"
before=$(file)
set +e; netcfg set-ip veth0 192.0.2.11/24 --gateway $GW --dns 192.0.2.53 --apply --check-dns www.e2e.test --verify-timeout 3 -q 2>/dev/null; rc=$?; set -e
[[ $rc -eq 3 ]] && ok "a broken DNS server: exit 3" || bad "broken DNS: exit $rc, want 3"
[[ $(file) == "$before" ]] && ok "the file with the working server is back" || bad "file: $(file)"
for _ in $(seq 50); do inns getent hosts www.e2e.test > /dev/null && break; sleep 0.1; done
inns getent hosts www.e2e.test > /dev/null && ok "www.e2e.test resolves again" || bad "no DNS after rollback: $(inns cat /etc/resolv.conf)"

echo "[4] status: NetworkManager manages veth0, nothing differs"
set +e; json=$(netcfg status --json --check --no-probe); rc=$?; set -e
[[ $rc -eq 0 && $(field "$json" 'd["devices"][0]["managed-by"]') == NetworkManager ]] &&
  ok "status --check: exit 0, managed by NetworkManager" || bad "exit $rc: $(field "$json" 'd["devices"][0]')"

echo "[5] rollback --to 0 restores generation 0, verified"
if netcfg rollback --to 0 -q; then ok "exit 0"; else bad "exit $?"; fi
has_addr 192.0.2.10/24 && ok "veth0 has 192.0.2.10/24 again" || bad "veth0: $(inns ip -o addr show dev veth0)"
connected_with 192.0.2.10/24 && ok "NetworkManager carries 192.0.2.10/24 again" || bad "NetworkManager: $(nm_ip4 veth0)"
grep -q "# first address" "$W/etc/netplan/01-e2e.yaml" && ok "the file of generation 0 is back, comments included" || bad "file: $(file)"

echo "[6] try, never confirmed, its process killed: rolled back at the deadline"
netcfg set-ip veth0 192.0.2.13/24 --gateway $GW -q
(inns setsid "$NETCFG" try --timeout 3 < /dev/null > "$W/logs/try6.log" 2>&1 &)
for _ in $(seq 100); do grep -q "applied and verified" "$W/logs/try6.log" 2>/dev/null && break; sleep 0.1; done
has_addr 192.0.2.13/24 && ok "the tried address is up" || bad "try did not apply: $(cat "$W/logs/try6.log")"
pkill -KILL -f "$NETCFG try" || true
for _ in $(seq 150); do [[ -e $W/varlib/netcfg/pending/manifest ]] || break; sleep 0.1; done
[[ ! -e $W/varlib/netcfg/pending/manifest ]] && ok "the watchdog rolled back within 15 s" || bad "still pending 15 s later"
has_addr 192.0.2.10/24 && ok "after the deadline the previous address is back" || bad "veth0: $(inns ip -o addr show dev veth0)"
connected_with 192.0.2.10/24 && ok "NetworkManager carries the previous address" || bad "NetworkManager: $(nm_ip4 veth0)"

echo "[7] try confirmed from another shell: kept after the deadline"
netcfg set-ip veth0 192.0.2.14/24 --gateway $GW -q
(inns setsid "$NETCFG" try --timeout 4 < /dev/null > "$W/logs/try7.log" 2>&1 &)
for _ in $(seq 100); do grep -q "applied and verified" "$W/logs/try7.log" 2>/dev/null && break; sleep 0.1; done
if netcfg confirm -q; then ok "netcfg confirm: exit 0"; else bad "confirm: exit $?: $(cat "$W/logs/try7.log")"; fi
sleep 5
has_addr 192.0.2.14/24 && ok "kept after the deadline" || bad "veth0: $(inns ip -o addr show dev veth0)"
[[ $(netcfg history | tail -1 | cut -f3) == confirmed ]] && ok "the newest generation is the confirmed one" || bad "history: $(netcfg history | tail -1)"

echo "[8] a gateway that ignores ping is kept"
ip netns exec "$NSB" sysctl -q -w net.ipv4.icmp_echo_ignore_all=1
inns ping -c1 -W1 -q $GW > /dev/null 2>&1 && bad "the gateway still answers ping" || ok "the gateway ignores ping"
if netcfg set-ip veth0 192.0.2.15/24 --gateway $GW --apply -q; then ok "set-ip --apply: exit 0 (the gateway resolved by ARP)"; else bad "exit $?"; fi
has_addr 192.0.2.15/24 && connected_with 192.0.2.15/24 && ok "kept: veth0 has 192.0.2.15/24" || bad "veth0: $(inns ip -o addr show dev veth0)"
ip netns exec "$NSB" sysctl -q -w net.ipv4.icmp_echo_ignore_all=0

echo "[9] a NetworkManager-written 90-NM file (passthrough) edited with set-ip --apply"
uuid=7c5d6a3e-1f43-4c2b-9d1e-0a8b6c4d2e11
cat > "$W/etc/netplan/90-NM-$uuid.yaml" <<YAML
network:
  version: 2
  ethernets:
    NM-$uuid:
      renderer: NetworkManager
      match:
        name: "veth2"
      addresses:
      - "198.51.100.10/24"
      networkmanager:
        uuid: "$uuid"
        name: "Wired connection 2"
        passthrough:
          connection.timestamp: "1764700000"
          ipv4.method: "manual"
          ipv4.address1: "198.51.100.10/24"
          ipv6.method: "disabled"
          ipv6.ip6-privacy: "-1"
          proxy._: ""
YAML
chmod 600 "$W/etc/netplan/90-NM-$uuid.yaml"
if netcfg apply -q; then ok "applied the 90-NM file"; else bad "apply: exit $?"; fi
before=$(cat "$W/etc/netplan/90-NM-$uuid.yaml")
if netcfg set-ip veth2 198.51.100.20/24 --gateway 198.51.100.1 --dns 198.51.100.1 --apply -q; then ok "set-ip veth2 --apply: exit 0"; else bad "exit $?"; fi
got=""
for _ in $(seq 100); do got=$(nm_ip4 veth2); [[ $got == "198.51.100.20/24 198.51.100.1 198.51.100.1 "* ]] && break; sleep 0.05; done
[[ $got == "198.51.100.20/24 198.51.100.1 198.51.100.1 "* ]] && ok "the live connection carries 198.51.100.20/24, gateway and DNS 198.51.100.1" ||
  bad "veth2: $got"
has_addr 198.51.100.20/24 veth2 && ! has_addr 198.51.100.10/24 veth2 && ok "the kernel has the new address only" || bad "veth2: $(inns ip -o addr show dev veth2)"
[[ $(nm_state veth2) == "connected:Wired connection 2" ]] && ok "still NetworkManager's own connection ('Wired connection 2')" || bad "veth2: $(nm_state veth2)"
grep -q 'ipv4.address1' "$W/etc/netplan/90-NM-$uuid.yaml" && bad "the overriding passthrough key stayed" || ok "the passthrough ipv4.address1 that would override the edit is gone"
diff <(echo "$before") "$W/etc/netplan/90-NM-$uuid.yaml" | grep -q '^[<>] *name: "veth2"' && bad "unrelated lines changed" || ok "the rest of the file is kept"

echo "nm-apply: $PASS passed, $FAIL failed"
((FAIL == 0))
