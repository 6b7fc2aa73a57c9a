#!/usr/bin/env bash
# Provision a Kubernetes node's network in one idempotent step: a fixed address and gateway on
# the node interface, DNS for the cluster, and cloud-init kept from undoing it. Safe to run
# again (nothing changes the second time) and from automation: every step is verified and
# rolled back on failure (exit 3).
#
#   examples/provision-node.sh IFACE ADDRESS/PREFIX GATEWAY DNS [SEARCH] [--root DIR]
#   examples/provision-node.sh bond0 10.10.0.21/24 10.10.0.1 10.10.0.53 cluster.local
set -euo pipefail
if (($# < 4)); then
  echo "usage: $0 IFACE ADDRESS/PREFIX GATEWAY DNS [SEARCH] [--root DIR]" >&2
  exit 64
fi
iface=$1 address=$2 gateway=$3 dns=$4
shift 4
search=()
if (($#)) && [[ $1 != --* ]]; then search=(--search "$1"); shift; fi
extra=("$@")  # e.g. --root /mnt/image: render only, nothing applied
netcfg=${NETCFG:-netcfg}
apply=(--apply)
for a in "${extra[@]}"; do [[ $a == --root ]] && apply=(); done  # an image is rendered, not applied

"$netcfg" cloud-init disable-network "${extra[@]}" -q
"$netcfg" set-ip "$iface" "$address" --gateway "$gateway" --dns "$dns" "${search[@]}" "${apply[@]}" "${extra[@]}" -q
"$netcfg" dns set "$dns" --global "${search[@]}" "${apply[@]}" "${extra[@]}" -q
"$netcfg" validate "${extra[@]}" -q
