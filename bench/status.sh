#!/usr/bin/env bash
# `netcfg status --no-probe` on a host with 10 network devices (issue 20: under 30 ms), timed
# with hyperfine inside the end-to-end sandbox host (Tests/e2e/host-sandbox.sh: real
# systemd-networkd and systemd-resolved answering netcfg's questions, in network namespaces;
# the host is never touched): veth0 and 9 more veth links, each with a fixed address, DNS and
# a route, applied through netcfg. Prints hyperfine's summary; with OUT=FILE, also writes its
# JSON there. Needs root. Only RFC 5737 addresses.
# Usage: bench/status.sh NETCFG_BINARY (the release build: make release)
set -euo pipefail
NETCFG=$(realpath "$1")
HERE=$(cd "$(dirname "$0")/../Tests/e2e" && pwd)
source "$HERE/lib.sh"
NSA=nsA$$ NSB=nsB$$ GW=192.0.2.1
needs_root bench-status
install_missing hyperfine:hyperfine
source "$HERE/host-sandbox.sh"

# Nine more links, 198.51.100.16*i/28 each, with a route in table 100+i and a DNS server.
{
  printf 'network:\n  version: 2\n  renderer: networkd\n  ethernets:\n'
  printf '    veth0:\n      addresses: [192.0.2.10/24]\n      routes: [{to: default, via: %s}]\n' "$GW"
  printf '      nameservers: {addresses: [%s], search: [e2e.test]}\n' "$GW"
  for i in $(seq 1 9); do
    ip link add name "vb$i" netns "$NSA" type veth peer name "vr$i" netns "$NSB"
    ip -n "$NSB" link set "vr$i" up
    printf '    vb%d:\n      addresses: [198.51.100.%d/28]\n' "$i" $((16 * (i - 1) + 1))
    printf '      routes: [{to: 203.0.113.0/24, via: 198.51.100.%d, table: %d}]\n' $((16 * (i - 1) + 2)) $((100 + i))
    printf '      nameservers: {addresses: [198.51.100.%d]}\n' $((16 * (i - 1) + 2))
  done
} > "$W/etc/netplan/01-e2e.yaml"
inns "$NETCFG" apply -q --no-verify
for _ in $(seq 100); do  # every link configured
  [[ $(inns ip -4 -o addr show | grep -c ' 198\.51\.100\.') -eq 9 ]] && break; sleep 0.1
done
inns "$NETCFG" status --no-probe --check > "$W/status.txt" || { cat "$W/status.txt"; echo "status differs before timing"; exit 1; }
inns hyperfine -N --warmup 5 --runs 100 ${OUT:+--export-json "$W/hyperfine.json"} "$NETCFG status --no-probe"
[[ -z ${OUT:-} ]] || cp "$W/hyperfine.json" "$OUT"
