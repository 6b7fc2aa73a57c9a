#!/usr/bin/env bash
# End-to-end: the real systemd-resolved reads what `netcfg dns set --global` wrote and serves
# it. Two network namespaces joined by a veth pair (192.0.2.10/24 under test, 192.0.2.1 with a
# dnsmasq that answers only *.e2e.test), a private mount namespace with its own /run and the
# test root's /etc/systemd, so nothing of the host is touched. Only RFC 5737 addresses inside
# these namespaces and loopback are used. Needs root. Usage: resolved-dns.sh NETCFG_BINARY
set -euo pipefail
NETCFG=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lib.sh"
REPO=$(cd "$HERE/../.." && pwd)
NSA=ncA$$ NSB=ncB$$ ADDR=192.0.2.10/24 DNS=192.0.2.1

needs_root resolved-dns
install_missing dnsmasq:dnsmasq-base dig:bind9-dnsutils dbus-daemon:dbus
extract_resolved

W=$(mktemp -d "${TMPDIR:-/tmp}/netcfg-e2e-run.XXXXXX")
HOLDER="" DNSMASQ="" DBUS="" RESOLVED=""
teardown() {
  set +e

  end_namespaces "$NSA" "$NSB" $RESOLVED $DBUS $DNSMASQ $HOLDER
  rm -rf "$W"
}
trap teardown EXIT

# 1. The root an operator has: stock resolved.conf, resolv.conf a stub link. netcfg edits it.
root=$W/root
mkdir -p "$root/etc/systemd"
cp "$REPO/Tests/Fixtures/roots/ubuntu-server/etc/systemd/resolved.conf" "$root/etc/systemd/"
ln -s ../run/systemd/resolve/stub-resolv.conf "$root/etc/resolv.conf"
"$NETCFG" dns set "$DNS" --global --search e2e.test --root "$root" -q
[[ -f $root/etc/systemd/resolved.conf.d/90-netcfg.conf ]] && ok "netcfg wrote resolved.conf.d/90-netcfg.conf" ||
  bad "no drop-in written"
# No fallback servers: a lookup must reach the configured server or fail.
printf '[Resolve]\nFallbackDNS=\nLLMNR=no\nMulticastDNS=no\nDNSSEC=no\n' > "$root/etc/systemd/resolved.conf.d/10-e2e-quiet.conf"

# 2. Two namespaces and a DNS server that answers only e2e.test.
ip netns add "$NSA"; ip netns add "$NSB"
ip link add name veth0 netns "$NSA" type veth peer name veth1 netns "$NSB"
ip -n "$NSB" link set lo up; ip -n "$NSB" addr add "$DNS/24" dev veth1; ip -n "$NSB" link set veth1 up
ip -n "$NSA" link set lo up; ip -n "$NSA" addr add "$ADDR" dev veth0; ip -n "$NSA" link set veth0 up
ip netns exec "$NSB" dnsmasq --keep-in-foreground --conf-file=/dev/null --no-resolv --no-hosts --no-poll \
  --bind-interfaces --listen-address="$DNS" --except-interface=lo --local=/e2e.test/ \
  --address=/www.e2e.test/192.0.2.80 --log-queries --log-facility="$W/dnsmasq.log" --pid-file= --user=root \
  > "$W/dnsmasq.out" 2>&1 < /dev/null &
DNSMASQ=$!

# 3. The sandbox: private /run, the test root's /etc/systemd, a resolve user, a D-Bus.
mkdir -p "$W/dbus-system.d"
cp -a /etc/dbus-1/system.d/. "$W/dbus-system.d/" 2>/dev/null || true
cp "$RESOLVED_ROOT/usr/share/dbus-1/system.d/org.freedesktop.resolve1.conf" "$W/dbus-system.d/"
cp /etc/passwd /etc/group "$W/"
grep -q '^systemd-resolve:' "$W/passwd" || {
  echo 'systemd-resolve:x:990:990:systemd Resolver:/:/usr/sbin/nologin' >> "$W/passwd"
  echo 'systemd-resolve:x:990:' >> "$W/group"; }
printf 'nameserver 127.0.0.53\noptions timeout:1 attempts:1\nsearch e2e.test\n' > "$W/resolv.conf"
{
  echo '#!/bin/sh'
  echo 'set -e'
  echo 'mount -t tmpfs -o mode=755 ncrun /run'
  echo 'mkdir -p /run/dbus /run/systemd'
  echo "mount --bind $root/etc/systemd /etc/systemd"
  echo "mount --bind $W/passwd /etc/passwd"
  echo "mount --bind $W/group /etc/group"
  echo "mount --bind $W/resolv.conf /etc/resolv.conf"
  echo 'mkdir -p /etc/dbus-1/system.d'
  echo "mount --bind $W/dbus-system.d /etc/dbus-1/system.d"
  echo "echo \$\$ > $W/holder.pid"
  echo 'exec sleep infinity'
} > "$W/holder.sh"
start_holder "$NSA" "$W/holder.sh" "$W/holder.out"
inns() { nsenter -t "$HOLDER" -m -n -- "$@"; }
inns setsid dbus-daemon --system --nofork --nopidfile > "$W/dbus.log" 2>&1 < /dev/null &
DBUS=$!
for _ in $(seq 200); do inns test -S /run/dbus/system_bus_socket && break; sleep 0.02; done
inns setsid env SYSTEMD_LOG_TARGET=console "$RESOLVED_BIN" > "$W/resolved.log" 2>&1 < /dev/null &
RESOLVED=$!

# 4. A lookup through the stub reaches the server netcfg configured.
got=""
for _ in $(seq 100); do
  got=$(inns dig +short +time=1 +tries=1 @127.0.0.53 www.e2e.test 2>/dev/null | grep -v '^;;' | head -1 || true)
  [[ -n $got ]] && break
  sleep 0.1
done
[[ $got == 192.0.2.80 ]] && ok "lookup via 127.0.0.53: www.e2e.test -> $got" || bad "lookup via 127.0.0.53: '${got:-no answer}'"
grep -q "query\[A\] www.e2e.test from 192.0.2.10" "$W/dnsmasq.log" &&
  ok "the query reached the configured server $DNS" || bad "no query at $DNS: $(tail -3 "$W/dnsmasq.log" 2>/dev/null)"
servers=$(inns sh -c 'grep ^nameserver /run/systemd/resolve/resolv.conf 2>/dev/null | tr "\n" " "')
[[ $servers == *"$DNS"* ]] && ok "resolved lists $DNS as its upstream server" || bad "resolved upstream servers: '$servers'"
got=$(inns getent hosts www 2>/dev/null | awk '{print $1}' || true)
[[ $got == 192.0.2.80 ]] && ok "search domain from netcfg: getent hosts www -> $got" || bad "getent hosts www -> '${got:-none}'"

if ((FAIL)); then echo "--- resolved log"; tail -20 "$W/resolved.log"; fi
echo "resolved-dns: $PASS passed, $FAIL failed"
((FAIL == 0))
