# The host under test for nm-apply.sh (sourced after lib.sh, with NETCFG, HERE and NSA/NSB/GW
# set): the real NetworkManager (Debian's 1.42) on a private system D-Bus, driven by the real
# `netplan apply`, in network namespace NSA with veth0 (and veth2) in 192.0.2.0/24; the
# "router" 192.0.2.1 in NSB with a dnsmasq answering only *.e2e.test. A private mount and UTS
# namespace holds: its own /run, a read-only /sys (NetworkManager then manages the veth
# without udev), an overlay over /etc (NetworkManager rename-replaces /etc/resolv.conf; writes
# land in W/etc-upper), the test's /etc/netplan, /etc/NetworkManager and /var/lib, and no
# D-Bus activation of anything. Defines `inns` (run inside) and a teardown on exit.
# NM_MIXED=1: systemd-networkd and systemd-resolved run too (a host with both renderers);
# NetworkManager then gives its DNS to resolved and /etc/resolv.conf is resolved's stub link.
# Facts it rests on: with a writable /sys NetworkManager waits for udev and leaves the veth
# unmanaged; a file bind-mounted over /etc/resolv.conf makes its rename-replace fail (EBUSY);
# no-auto-default=* keeps it from adding a DHCP "Wired connection 1"; every `netplan apply`
# restarts NetworkManager (no address for about half a second: verification polls).
NETWORKD_BIN=/lib/systemd/systemd-networkd
if [[ ! -x /usr/sbin/NetworkManager ]]; then
  # network-manager's postinst starts the daemon where systemd runs: install it only where
  # none does and service starts are refused, as on the test machines.
  [[ ! -d /run/systemd/system ]] || { echo "nm-sandbox: systemd runs here; installing network-manager would start it on the host"; exit 2; }
  { [[ -x /usr/sbin/policy-rc.d ]] && { /usr/sbin/policy-rc.d network-manager start; [[ $? -eq 101 ]]; }; } 2>/dev/null ||
    { echo "nm-sandbox: no policy-rc.d refusing service starts; not installing network-manager"; exit 2; }
  install_missing /usr/sbin/NetworkManager:network-manager
fi
install_missing dnsmasq:dnsmasq-base ping:iputils-ping dbus-daemon:dbus nmcli:network-manager
[[ ${NM_MIXED:-} == 1 ]] && extract_resolved

W=$(mktemp -d "${TMPDIR:-/tmp}/netcfg-e2e-nm.XXXXXX")
sandbox_start
mkdir -p "$W"/{etc-upper,etc-work,empty,varlib/NetworkManager,sbin}
mkdir -p "$W"/etc/NetworkManager/{conf.d,system-connections,dispatcher.d}
chmod 700 "$W/varlib/NetworkManager"
router_up
# A second link, veth2, to a router address 198.51.100.1 (no DNS there).
ip link add name veth2 netns "$NSA" type veth peer name veth3 netns "$NSB"
ip -n "$NSB" addr add 198.51.100.1/24 dev veth3; ip -n "$NSB" link set veth3 up

NM_DNS=default
[[ ${NM_MIXED:-} == 1 ]] && NM_DNS=systemd-resolved
cat > "$W/etc/NetworkManager/NetworkManager.conf" <<EOF
[main]
plugins=keyfile
# no "Wired connection 1" (DHCP) for devices nothing configures
no-auto-default=*
auth-polkit=false
hostname-mode=none
dns=$NM_DNS
rc-manager=file
EOF
sandbox_systemd_etc

{
  echo '#!/bin/sh'
  echo 'set -e'
  echo 'mount -t tmpfs -o mode=755 e2erun /run'
  echo 'mkdir -p /run/dbus /run/systemd/network'
  echo 'mount -o remount,bind,ro /sys'
  echo "mount -t overlay e2eetc -o lowerdir=/etc,upperdir=$W/etc-upper,workdir=$W/etc-work /etc"
  if [[ ${NM_MIXED:-} == 1 ]]; then
    echo 'ln -sfn ../run/systemd/resolve/stub-resolv.conf /etc/resolv.conf'
    echo "cp $RESOLVED_ROOT/usr/share/dbus-1/system.d/org.freedesktop.resolve1.conf /etc/dbus-1/system.d/"
    for u in systemd-resolve:990 systemd-network:991; do
      echo "grep -q '^${u%%:*}:' /etc/passwd || { echo '${u%%:*}:x:${u##*:}:${u##*:}::/:/usr/sbin/nologin' >> /etc/passwd; echo '${u%%:*}:x:${u##*:}:' >> /etc/group; }"
    done
    echo "mount --bind $W/etc/systemd /etc/systemd"
  else
    echo 'rm -f /etc/resolv.conf; : > /etc/resolv.conf'
  fi
  echo "mount --bind $W/etc/netplan /etc/netplan"
  echo "mount --bind $W/etc/NetworkManager /etc/NetworkManager"
  echo "mount --bind $W/varlib /var/lib"
  echo "mount --bind $W/empty /usr/share/dbus-1/system-services"
  echo "mount --bind $W/sbin /usr/local/sbin"
  echo "echo $W > /run/e2e-sandbox"
  echo "echo \$\$ > $W/holder.pid"
  echo 'exec sleep infinity'
} > "$W/holder.sh"
for shim in "$HERE"/shims/*; do ln -s "$shim" "$W/sbin/"; done
chmod +x "$W/holder.sh"
ip netns exec "$NSA" unshare -m -u --propagation private "$W/holder.sh" > "$W/logs/holder.log" 2>&1 < /dev/null &
for _ in $(seq 200); do [[ -s $W/holder.pid ]] && break; sleep 0.02; done
HOLDER=$(cat "$W/holder.pid")
inns() { nsenter -t "$HOLDER" -m -n -u -- env PATH="$HERE/shims:$PATH" E2E_SANDBOX="$W" LC_ALL=C "$@"; }
printf '#!/bin/sh\nexec dbus-daemon --system --nofork --nopidfile\n' > "$W/svc/dbus.cmd"
printf '#!/bin/sh\nexec /usr/sbin/NetworkManager --debug\n' > "$W/svc/NetworkManager.cmd"
printf '#!/bin/sh\nSYSTEMD_LOG_TARGET=console exec %s\n' "$NETWORKD_BIN" > "$W/svc/systemd-networkd.cmd"
[[ ${NM_MIXED:-} == 1 ]] && printf '#!/bin/sh\nSYSTEMD_LOG_TARGET=console exec %s\n' "$RESOLVED_BIN" > "$W/svc/systemd-resolved.cmd"
chmod +x "$W"/svc/*.cmd
inns systemctl start dbus.service
for _ in $(seq 200); do inns test -S /run/dbus/system_bus_socket && break; sleep 0.02; done
if [[ ${NM_MIXED:-} == 1 ]]; then
  inns systemctl start systemd-networkd.service systemd-resolved.service
  inns systemctl enable systemd-networkd.service systemd-resolved.service
fi
inns systemctl start NetworkManager.service
for _ in $(seq 200); do inns nmcli -t general status > /dev/null 2>&1 && break; sleep 0.05; done

# nm_state IFACE: NetworkManager's STATE:CONNECTION for the device.
nm_state() { inns nmcli -t -f DEVICE,STATE,CONNECTION device | awk -F: -v d="$1" '$1==d{print $2":"$3}'; }
# nm_ip4 IFACE: the device's IP4 address, gateway, DNS and search domains as NetworkManager has them.
nm_ip4() { inns nmcli -g IP4.ADDRESS,IP4.GATEWAY,IP4.DNS,IP4.SEARCHES device show "$1" | tr '\n' ' '; }
