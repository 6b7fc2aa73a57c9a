#!/usr/bin/env bash
# End-to-end: `netcfg apply` / `rollback` with the real `netplan apply`, systemd-networkd and
# systemd-resolved, inside a network namespace pair and a private mount namespace (own /run,
# /var/lib, and the test's /etc/netplan, /etc/systemd, /etc/resolv.conf), so the host is
# never touched. Host under test: veth0 in 192.0.2.0/24; "router": 192.0.2.1 with a dnsmasq
# answering only *.e2e.test. Only RFC 5737 addresses and loopback. Needs root.
# Usage: apply-rollback.sh NETCFG_BINARY
set -euo pipefail
NETCFG=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lib.sh"
NETWORKD_BIN=/lib/systemd/systemd-networkd
NSA=naA$$ NSB=naB$$ GW=192.0.2.1

needs_root apply-rollback
install_missing dnsmasq:dnsmasq-base ping:iputils-ping dbus-daemon:dbus networkctl:systemd
extract_resolved

W=$(mktemp -d "${TMPDIR:-/tmp}/netcfg-e2e-apply.XXXXXX")
mkdir -p "$W"/{svc,pids,logs,etc/netplan,varlib}
DNSMASQ="" HOLDER=""
teardown() {
  set +e
  end_namespaces "$NSA" "$NSB" $DNSMASQ $HOLDER
  if ((FAIL)); then echo "--- logs"; tail -5 "$W"/logs/*.log 2>/dev/null; fi
  rm -rf "$W"
}
trap teardown EXIT

ip netns add "$NSA"; ip netns add "$NSB"
ip link add name veth0 netns "$NSA" type veth peer name veth1 netns "$NSB"
ip -n "$NSB" link set lo up; ip -n "$NSB" addr add "$GW/24" dev veth1; ip -n "$NSB" link set veth1 up
ip -n "$NSA" link set lo up
ip netns exec "$NSB" dnsmasq --keep-in-foreground --conf-file=/dev/null --no-resolv --no-hosts --no-poll \
  --bind-interfaces --listen-address="$GW" --except-interface=lo --local=/e2e.test/ \
  --address=/www.e2e.test/192.0.2.80 --pid-file= --user=root > "$W/logs/dnsmasq.log" 2>&1 < /dev/null &
DNSMASQ=$!

# The sandbox's files.
cp -a /etc/systemd "$W/etc/systemd"
rm -rf "$W/etc/systemd/resolved.conf.d"
printf '[Resolve]\nFallbackDNS=\nLLMNR=no\nMulticastDNS=no\nDNSSEC=no\n' > "$W/etc/systemd/resolved.conf"
cp /etc/passwd /etc/group "$W/etc/"
for u in systemd-resolve:990 systemd-network:991; do
  grep -q "^${u%%:*}:" "$W/etc/passwd" || {
    echo "${u%%:*}:x:${u##*:}:${u##*:}::/:/usr/sbin/nologin" >> "$W/etc/passwd"; echo "${u%%:*}:x:${u##*:}:" >> "$W/etc/group"; }
done
mkdir -p "$W/etc/dbus-system.d"; cp -a /etc/dbus-1/system.d/. "$W/etc/dbus-system.d/" 2>/dev/null || true
cp "$RESOLVED_ROOT/usr/share/dbus-1/system.d/org.freedesktop.resolve1.conf" "$W/etc/dbus-system.d/"
printf 'nameserver 127.0.0.53\noptions timeout:1 attempts:1\nsearch e2e.test\n' > "$W/etc/resolv.conf"
cat > "$W/etc/netplan/01-e2e.yaml" <<'YAML'
# The host under test.
network:
  version: 2
  renderer: networkd
  ethernets:
    veth0:
      addresses: [192.0.2.10/24]   # first address
      routes:
        - to: default
          via: 192.0.2.1
YAML
chmod 600 "$W/etc/netplan/01-e2e.yaml"
{
  echo '#!/bin/sh'
  echo 'set -e'
  echo 'mount -t tmpfs -o mode=755 e2erun /run'
  echo 'mkdir -p /run/dbus /run/systemd/network'
  echo 'mount -o remount,bind,ro /sys'
  echo "mount --bind $W/etc/netplan /etc/netplan"
  echo "mount --bind $W/etc/systemd /etc/systemd"
  echo "mount --bind $W/etc/passwd /etc/passwd"
  echo "mount --bind $W/etc/group /etc/group"
  echo "mount --bind $W/etc/resolv.conf /etc/resolv.conf"
  echo "mount --bind $W/etc/dbus-system.d /etc/dbus-1/system.d"
  echo "mount --bind $W/varlib /var/lib"
  echo "echo \$\$ > $W/holder.pid"
  echo 'exec sleep infinity'
} > "$W/holder.sh"
chmod +x "$W/holder.sh"
ip netns exec "$NSA" unshare -m --propagation private "$W/holder.sh" > "$W/logs/holder.log" 2>&1 < /dev/null &
for _ in $(seq 200); do [[ -s $W/holder.pid ]] && break; sleep 0.02; done
HOLDER=$(cat "$W/holder.pid")
inns() { nsenter -t "$HOLDER" -m -n -- env PATH="$HERE/shims:$PATH" E2E_SANDBOX="$W" "$@"; }
printf '#!/bin/sh\nexec dbus-daemon --system --nofork --nopidfile\n' > "$W/svc/dbus.cmd"
printf '#!/bin/sh\nSYSTEMD_LOG_TARGET=console exec %s\n' "$NETWORKD_BIN" > "$W/svc/systemd-networkd.cmd"
printf '#!/bin/sh\nSYSTEMD_LOG_TARGET=console exec %s\n' "$RESOLVED_BIN" > "$W/svc/systemd-resolved.cmd"
chmod +x "$W"/svc/*.cmd
inns systemctl start dbus.service
for _ in $(seq 200); do inns test -S /run/dbus/system_bus_socket && break; sleep 0.02; done
inns systemctl start systemd-networkd.service systemd-resolved.service

netcfg() { inns "$NETCFG" "$@"; }
file() { cat "$W/etc/netplan/01-e2e.yaml"; }
has_addr() { local out; out=$(inns ip -o addr show dev veth0); [[ $out == *" $1 "* ]]; }
default_via() { local out; out=$(inns ip -4 -o route show default); [[ $out == *"via $1 dev veth0"* ]]; }

echo "[0] first apply records generation 0 and verifies"
if netcfg apply -q; then ok "netcfg apply: exit 0"; else bad "netcfg apply: exit $?"; fi
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
[[ -n $took && $took -lt 3000 ]] && ok "rolled back and verified in $took ms (< 3 s)" || bad "rollback took ${took:-?} ms"
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
for _ in $(seq 100); do [[ -d $W/varlib/netcfg/pending ]] && grep -q awaiting "$W/varlib/netcfg/pending/info" 2>/dev/null && break; sleep 0.1; done
has_addr 192.0.2.13/24 && ok "the tried address is up" || bad "try did not apply: $(cat "$W/logs/try3.log")"
pkill -KILL -f "$NETCFG try" || true
sleep 5
has_addr 192.0.2.10/24 && ok "after the deadline the previous address is back" || bad "veth0: $(inns ip -o addr show dev veth0)"
grep -q "192.0.2.10/24" "$W/etc/netplan/01-e2e.yaml" && ok "the previous file is back" || bad "file: $(file)"

echo "[4] try confirmed from another shell: kept after the deadline"
netcfg set-ip veth0 192.0.2.14/24 --gateway $GW -q
(inns setsid "$NETCFG" try --timeout 4 < /dev/null > "$W/logs/try4.log" 2>&1 &)
for _ in $(seq 100); do grep -q awaiting "$W/varlib/netcfg/pending/info" 2>/dev/null && break; sleep 0.1; done
if netcfg confirm -q; then ok "netcfg confirm: exit 0"; else bad "confirm: exit $?"; fi
sleep 5
has_addr 192.0.2.14/24 && ok "kept after the deadline" || bad "veth0: $(inns ip -o addr show dev veth0)"
[[ $(netcfg history | tail -1 | cut -f3) == confirmed ]] && ok "the newest generation is the confirmed one" || bad "history: $(netcfg history | tail -1)"

echo "[5] a crash between the file write and the backend: recover restores the previous state"
before=$(file)
set +e; inns env "NETCFG_TEST_FAULT=renamed /etc/netplan/01-e2e.yaml#1" "$NETCFG" set-ip veth0 192.0.2.15/24 --gateway $GW --apply -q > /dev/null 2>&1; rc=$?; set -e
[[ $rc -eq 137 ]] && ok "the process died after writing (killed)" || bad "exit $rc, want 137 (SIGKILL)"
grep -q 192.0.2.15 "$W/etc/netplan/01-e2e.yaml" && ok "the new file was on disk" || bad "the crash came too early"
if netcfg recover -q > /dev/null; then ok "netcfg recover: exit 0"; else bad "recover: exit $?"; fi
[[ $(file) == "$before" ]] && ok "the previous file is back" || bad "file: $(file)"
has_addr 192.0.2.14/24 && ok "the kernel still has the previous address" || bad "veth0: $(inns ip -o addr show dev veth0)"
[[ $(netcfg recover) == "nothing to recover" ]] && ok "recover again: nothing to do" || bad "recover is not idempotent"

echo "apply-rollback: $PASS passed, $FAIL failed"
((FAIL == 0))
