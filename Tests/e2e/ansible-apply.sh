#!/usr/bin/env bash
# End-to-end: the netcfg collection's modules applying for real, on the host of
# host-sandbox.sh (real netplan apply, systemd-networkd and systemd-resolved in network
# namespaces; the host is never touched), driven by real ansible-core (as scripts/test-ansible.sh
# pins it). A good change is applied, verified and `changed`, then not changed again; a bad
# gateway fails the task, which reports the rollback, and the file is back byte for byte; a
# try returns pending and a later `netcfg confirm` keeps it. Only RFC 5737 addresses and
# loopback. Needs root and ansible-core.
# Usage: ansible-apply.sh NETCFG_BINARY
set -euo pipefail
NETCFG=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lib.sh"
NSA=asA$$ NSB=asB$$ GW=192.0.2.1
needs_root ansible-apply
command -v ansible >/dev/null || { echo "ansible-apply: needs ansible-core (scripts/test-ansible.sh installs it)"; exit 2; }
source "$HERE/host-sandbox.sh"

python=$(python3 -c 'import sys; print(sys.executable)')
# module MODULE ARGS: one task on the sandbox host (connection local, inside its namespaces).
module() {
  local name=$1; shift
  inns env ANSIBLE_COLLECTIONS_PATH="$HERE/../.." ANSIBLE_NOCOLOR=1 ANSIBLE_DEPRECATION_WARNINGS=0 \
    ansible localhost -c local -e "ansible_python_interpreter=$python" -m "netcfg.netcfg.$name" -a "$* netcfg=$NETCFG" 2>&1
}
file() { cat "$W/etc/netplan/01-e2e.yaml"; }
has_addr() { local out; out=$(inns ip -o addr show dev veth0); [[ $out == *" $1 "* ]]; }
inns "$NETCFG" apply -q

echo "[1] a good change: applied, verified, changed; then not changed"
out=$(module netcfg_ip "interface=veth0 addresses=192.0.2.11/24 gateway=$GW apply=apply")
[[ $out == *CHANGED* && $out == *'"outcome": "applied"'* ]] && ok "changed, applied" || bad "first: $out"
has_addr 192.0.2.11/24 && ok "veth0 has 192.0.2.11/24" || bad "veth0: $(inns ip -o addr show dev veth0)"
out=$(module netcfg_ip "interface=veth0 addresses=192.0.2.11/24 gateway=$GW apply=apply")
[[ $out == *SUCCESS* && $out == *'"changed": false'* ]] && ok "again: not changed" || bad "second: $out"

echo "[2] a bad gateway: the task fails, says what was restored; the file is back"
before=$(file)
out=$(module netcfg_ip "interface=veth0 addresses=192.0.2.11/24 gateway=192.0.2.254 apply=apply verify_timeout=2") && bad "the task did not fail"
[[ $out == *FAILED* && $out == *"netcfg rolled the change back: verification failed"*"192.0.2.254"* &&
   $out == *"restored /etc/netplan/01-e2e.yaml and verified the previous state"* ]] &&
  ok "failed: rolled back, /etc/netplan/01-e2e.yaml restored" || bad "said: $out"
[[ $(file) == "$before" ]] && ok "the file is byte-identical to before" || bad "the file changed"
has_addr 192.0.2.11/24 && ok "veth0 keeps 192.0.2.11/24" || bad "veth0: $(inns ip -o addr show dev veth0)"

echo "[3] try: pending until a later netcfg confirm"
out=$(module netcfg_ip "interface=veth0 addresses=192.0.2.12/24 gateway=$GW apply=try try_timeout=30")
[[ $out == *CHANGED* && $out == *'"pending": true'* ]] && ok "changed, pending confirmation" || bad "try: $out"
has_addr 192.0.2.12/24 && ok "veth0 has 192.0.2.12/24" || bad "veth0: $(inns ip -o addr show dev veth0)"
inns "$NETCFG" confirm -q && ok "netcfg confirm: exit 0" || bad "confirm: exit $?"
[[ $(inns "$NETCFG" history | tail -1 | cut -f3) == confirmed ]] && ok "the newest generation is the confirmed one" || bad "history: $(inns "$NETCFG" history | tail -1)"

echo "ansible-apply: $PASS passed, $FAIL failed"
((FAIL == 0))
