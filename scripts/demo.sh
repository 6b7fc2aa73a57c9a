#!/usr/bin/env bash
# The seed's fixed-IP task on the example VM root: ens33 gets 192.168.100.140/24, its default
# route via 192.168.100.1 (replacing the deprecated gateway4) and DNS 114.114.114.114. Works on
# a scratch copy of examples/vm, shows the minimal diff, then lets the real netplan render it.
set -euo pipefail
bin=$(realpath "${1:-.build/debug/netcfg}")
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
cp -a "$here/examples/vm/." "$root/"
cd "$root"
chmod 600 etc/netplan/*.yaml  # git does not keep modes; netplan wants 0600
file=etc/netplan/50-cloud-init.yaml
dev=network.ethernets.ens33
edit=(--unset "$dev.gateway4"
  "$dev.addresses=[192.168.100.140/24]"
  "$dev.routes+={to: default, via: 192.168.100.1}"
  "$dev.nameservers.addresses=[114.114.114.114]"
  "$dev.dhcp4=false")

echo "== netcfg: fixed IP, default route and DNS for ens33 (examples/vm, scratch copy)"
"$bin" yaml-edit "$file" --write "${edit[@]}"
echo
echo "== the same edit again (setting values, not appending) changes nothing"
"$bin" yaml-edit "$file" --unset "$dev.gateway4" "$dev.addresses=[192.168.100.140/24]" \
  "$dev.nameservers.addresses=[114.114.114.114]" "$dev.dhcp4=false"
echo
echo "== invalid YAML is refused with a located error"
printf 'network:\n  ethernets:\n    ens33:\n\taddresses: []\n' > broken.yaml
"$bin" yaml-edit broken.yaml "network.version=2" || echo "(exit $?)"
echo
if command -v netplan >/dev/null 2>&1 || [ -x /usr/sbin/netplan ]; then
  echo "== the real netplan accepts the result: netplan generate --root-dir"
  PATH=$PATH:/usr/sbin netplan generate --root-dir .
  grep -h -E '^(Address|Gateway|DNS|DHCP)=' run/systemd/network/*.network
else
  echo "(netplan not installed: skipping netplan generate)"
fi
