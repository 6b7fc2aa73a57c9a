# The host under test for apply-rollback.sh and crash-matrix.sh (sourced after lib.sh, with
# NETCFG, HERE and NSA/NSB/GW set): veth0 in 192.0.2.0/24 in namespace NSA; the "router"
# 192.0.2.1 in NSB with a dnsmasq answering only *.e2e.test; a private mount namespace (own
# /run, /var/lib, and the test's /etc/netplan, /etc/systemd, /etc/resolv.conf) whose holder
# process is HOLDER; dbus, systemd-networkd and systemd-resolved started through the systemctl
# shim. Defines `inns` (run inside) and a teardown on exit. The sandbox's files are below W.
# ETC_OVERLAY=1: /etc is an overlay (writes land in W/etc-upper) and /etc/resolv.conf is
# resolved's stub link in it, for tests that replace resolv.conf itself.
# E2E_DHCP=1: the router's dnsmasq also serves DHCP (192.0.2.100-149, 2-minute leases, itself
# as router and DNS server).
NETWORKD_BIN=/lib/systemd/systemd-networkd
install_missing dnsmasq:dnsmasq-base ping:iputils-ping dbus-daemon:dbus networkctl:systemd
extract_resolved

W=$(mktemp -d "${TMPDIR:-/tmp}/netcfg-e2e-apply.XXXXXX")
sandbox_start
DHCP_ARGS=()
[[ ${E2E_DHCP:-} == 1 ]] && DHCP_ARGS=(--interface=veth1 --dhcp-range=192.0.2.100,192.0.2.149,255.255.255.0,2m
  --dhcp-leasefile="$W/dnsmasq.leases" --dhcp-option=option:router,"$GW" --dhcp-authoritative)
router_up "${DHCP_ARGS[@]}"

# The sandbox's files.
sandbox_systemd_etc
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
  if [[ ${ETC_OVERLAY:-} == 1 ]]; then
    mkdir -p "$W/etc-upper" "$W/etc-work"
    echo "mount -t overlay e2eetc -o lowerdir=/etc,upperdir=$W/etc-upper,workdir=$W/etc-work /etc"
    echo 'ln -sfn ../run/systemd/resolve/stub-resolv.conf /etc/resolv.conf'
  fi
  echo "mount --bind $W/etc/netplan /etc/netplan"
  echo "mount --bind $W/etc/systemd /etc/systemd"
  echo "mount --bind $W/etc/passwd /etc/passwd"
  echo "mount --bind $W/etc/group /etc/group"
  [[ ${ETC_OVERLAY:-} == 1 ]] || echo "mount --bind $W/etc/resolv.conf /etc/resolv.conf"
  echo "mount --bind $W/etc/dbus-system.d /etc/dbus-1/system.d"
  echo "mount --bind $W/varlib /var/lib"
  # As root, netcfg runs helpers from the system's directories only (never PATH): the shims
  # are the system's systemctl and udevadm here (and, with E2E_NETPLAN=1.1, netplan 1.1.2's
  # netplan), and find the sandbox through /run.
  echo "mount --bind $W/sbin /usr/local/sbin"
  echo "echo $W > /run/e2e-sandbox"
  echo "echo \$\$ > $W/holder.pid"
  echo 'exec sleep infinity'
} > "$W/holder.sh"
mkdir -p /usr/local/sbin "$W/sbin"
for shim in "$HERE"/shims/*; do ln -s "$shim" "$W/sbin/"; done
# E2E_NETPLAN=1.1: netplan 1.1.2 (built from Tests/Fixtures/netplan-1.1 when missing) answers
# as `netplan` in the sandbox, before Debian's 0.106 in /usr/sbin; each call is logged.
E2E_NETPLAN=${E2E_NETPLAN:-0.106}
if [[ $E2E_NETPLAN == 1.1 ]]; then
  netplan11=$("$HERE/../Fixtures/netplan-1.1/build.sh")
  printf '#!/bin/sh
echo "netplan-1.1 $*" >> %s/calls.log
exec %s "$@"
' "$W" "$netplan11" > "$W/sbin/netplan"
  chmod +x "$W/sbin/netplan"
fi
start_holder "$NSA" "$W/holder.sh" "$W/logs/holder.log"
inns() { nsenter -t "$HOLDER" -m -n -- env PATH="$HERE/shims:$PATH" E2E_SANDBOX="$W" "$@"; }
printf '#!/bin/sh\nexec dbus-daemon --system --nofork --nopidfile\n' > "$W/svc/dbus.cmd"
printf '#!/bin/sh\nSYSTEMD_LOG_TARGET=console exec %s\n' "$NETWORKD_BIN" > "$W/svc/systemd-networkd.cmd"
printf '#!/bin/sh\nSYSTEMD_LOG_TARGET=console exec %s\n' "$RESOLVED_BIN" > "$W/svc/systemd-resolved.cmd"
chmod +x "$W"/svc/*.cmd
inns systemctl start dbus.service
for _ in $(seq 200); do inns test -S /run/dbus/system_bus_socket && break; sleep 0.02; done
inns systemctl start systemd-networkd.service systemd-resolved.service
inns systemctl enable systemd-networkd.service systemd-resolved.service

