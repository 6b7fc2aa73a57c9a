#!/usr/bin/env bash
# End-to-end on a host with both renderers (nm-sandbox.sh with NM_MIXED=1: the real
# systemd-networkd, systemd-resolved and NetworkManager, driven by the real `netplan apply`):
# veth0 rendered for networkd, veth2 for NetworkManager. One apply configures both, and
# verification checks each through its own daemon (networkd manages veth0, NetworkManager
# veth2) besides the kernel's addresses and routes; a bad gateway on the NetworkManager device
# rolls both files back and both devices come back; `status` names each device's manager and
# the DNS NetworkManager gave resolved. (A device its daemon leaves alone failing the check
# is a unit test: Check.evaluateManager.) Only RFC 5737 addresses and loopback. Needs root.
# Usage: nm-mixed.sh NETCFG_BINARY
set -euo pipefail
NETCFG=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lib.sh"
NSA=nxA$$ NSB=nxB$$ GW=192.0.2.1

needs_root nm-mixed
NM_MIXED=1
source "$HERE/nm-sandbox.sh"

netcfg() { inns "$NETCFG" "$@"; }
field() { python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$1" "$2"; }
has_addr() { local out; out=$(inns ip -o addr show dev "$2"); [[ $out == *" $1 "* ]]; }
cat > "$W/etc/netplan/01-networkd.yaml" <<'YAML'
network:
  version: 2
  renderer: networkd
  ethernets:
    veth0:
      addresses: [192.0.2.10/24]
      routes:
        - to: default
          via: 192.0.2.1
YAML
cat > "$W/etc/netplan/02-nm.yaml" <<'YAML'
network:
  version: 2
  ethernets:
    veth2:
      renderer: NetworkManager
      addresses: [198.51.100.10/24]
      nameservers:
        addresses: [198.51.100.1]
        search: [nm.test]
YAML
chmod 600 "$W"/etc/netplan/*.yaml
files() { cat "$W/etc/netplan/01-networkd.yaml" "$W/etc/netplan/02-nm.yaml"; }

echo "[1] one apply, each device verified through its own daemon"
if netcfg apply -q; then ok "netcfg apply: exit 0 (verified: each daemon manages its device)"; else bad "apply: exit $?"; fi
has_addr 192.0.2.10/24 veth0 && has_addr 198.51.100.10/24 veth2 && ok "the kernel has both addresses" ||
  bad "addresses: $(inns ip -o -4 addr show)"
set +e; json=$(netcfg status --json --check --no-probe); rc=$?; set -e
[[ $rc -eq 0 ]] && ok "status --check: exit 0" || bad "status: exit $rc: $json"
[[ $(field "$json" '[(x["id"], x["managed-by"]) for x in d["devices"]]') == "[('veth0', 'networkd'), ('veth2', 'NetworkManager')]" ]] &&
  ok "status: veth0 managed by networkd, veth2 by NetworkManager" || bad "status: $(field "$json" '[(x["id"], x["managed-by"]) for x in d["devices"]]')"
[[ $(field "$json" '[(e["value"], e["origin"]) for x in d["devices"] if x["id"]=="veth2" for e in x["dns"]]') == "[('198.51.100.1', 'netplan'), ('nm.test', 'netplan')]" ]] &&
  ok "resolved has veth2's DNS from NetworkManager, traced to the netplan file" || bad "veth2 dns: $(field "$json" '[x["dns"] for x in d["devices"]]')"

echo "[2] a bad gateway on the NetworkManager device: both files and both devices come back"
before=$(files)
set +e; out=$(netcfg set-ip veth2 198.51.100.20/24 --gateway 198.51.100.254 --apply --verify-timeout 2 --json); rc=$?; set -e
[[ $rc -eq 3 ]] && ok "exit 3 (rolled back)" || bad "exit $rc, want 3: $out"
[[ $(field "$out" 'd["failed"]') == *"198.51.100.254"* && $(field "$out" '"NetworkManager manages veth2" in d["verified"]') == True ]] &&
  ok "the gateway failed; the restored state verified with NetworkManager managing veth2" || bad "said: $out"
[[ $(files) == "$before" ]] && ok "both files are byte-identical to before" || bad "files changed"
for _ in $(seq 100); do has_addr 198.51.100.10/24 veth2 && break; sleep 0.05; done
has_addr 192.0.2.10/24 veth0 && has_addr 198.51.100.10/24 veth2 && ! has_addr 198.51.100.20/24 veth2 &&
  ok "veth0 and veth2 have their previous addresses" || bad "addresses: $(inns ip -o -4 addr show)"
[[ $(nm_state veth2) == connected:netplan-veth2 ]] && ok "NetworkManager: veth2 connected with netplan-veth2" || bad "veth2: $(nm_state veth2)"

echo "nm-mixed: $PASS passed, $FAIL failed"
((FAIL == 0))
