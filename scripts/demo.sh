#!/usr/bin/env bash
# The seed's task on the example VM root (a cloud-init VM whose DNS and gateway came from
# DHCP-era settings): ens33 gets 192.168.100.140/24, its default route via 192.168.100.1
# (replacing the deprecated gateway4) and DNS 114.114.114.114 — on a scratch copy of
# examples/vm, so nothing of this machine is touched.
set -euo pipefail
bin=$(realpath "${1:-.build/debug/netcfg}")
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
cp -a "$here/examples/vm/." "$root/"
chmod 600 "$root"/etc/netplan/*.yaml  # git does not keep modes; netplan wants 0600
task=(set-ip ens33 192.168.100.140/24 --gateway 192.168.100.1 --dns 114.114.114.114 --root "$root")

echo "== what the VM has now (netcfg show)"
"$bin" show ens33 --root "$root" -q
echo
echo "== netcfg ${task[*]:0:7}   (only the changed lines change; comments stay)"
"$bin" "${task[@]}"
echo
echo "== the same command again changes nothing"
"$bin" "${task[@]}"
echo
echo "== bad input is refused before anything is written (exit 64)"
"$bin" set-ip ens33 192.168.100.300/24 --root "$root" || echo "(exit $?)"
"$bin" set-ip ens33 192.168.100.140/24 --gateway 10.0.0.1 --root "$root" || echo "(exit $?)"
echo
echo "== netcfg validate --netplan: our checks and the real netplan's verdict"
"$bin" validate --netplan --root "$root" || true
if command -v netplan >/dev/null 2>&1 || [ -x /usr/sbin/netplan ]; then
  echo
  echo "== what systemd-networkd gets (netplan generate, on the scratch root)"
  PATH=$PATH:/usr/sbin netplan generate --root-dir "$root" 2>/dev/null
  grep -h -E '^(Address|Gateway|DNS|DHCP|Destination)=' "$root"/run/systemd/network/*.network
fi
