#!/usr/bin/env bash
# End-to-end: `netcfg status` on the host of host-sandbox.sh (real netplan apply, networkd,
# resolved and a DHCP server in network namespaces; the host is never touched). A clean state
# reports nothing, names networkd as the manager and resolved's servers with their netplan
# lines; an address added by hand, a DNS server set at run time, resolv.conf replaced by a
# file, a DHCP lease where a fixed address is configured, an edit not applied yet, networkd
# stopped: each reported with the right reason, --check exiting 1; a cloud-init-owned file is
# named. The probes find the gateway and resolved's stub answering. Only RFC 5737 addresses
# and loopback. Needs root.
# Usage: status.sh NETCFG_BINARY
set -euo pipefail
NETCFG=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lib.sh"
NSA=nsA$$ NSB=nsB$$ GW=192.0.2.1

needs_root status
ETC_OVERLAY=1 E2E_DHCP=1
source "$HERE/host-sandbox.sh"

netcfg() { inns "$NETCFG" "$@"; }
field() { python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$1" "$2"; }

echo "[1] a clean state: nothing differs"
netcfg set-ip veth0 192.0.2.10/24 --gateway $GW --dns $GW --search e2e.test --apply -q || bad "set-ip --apply: exit $?"
set +e; out=$(netcfg status --check --no-probe); rc=$?; set -e
[[ $rc -eq 0 && $out == *"the live state agrees with the files"* ]] && ok "status --check: exit 0, agrees" || bad "exit $rc: $out"
json=$(netcfg status --json)
[[ $(field "$json" '[a["origin"] for a in d["devices"][0]["addresses"] if a["address"]=="192.0.2.10/24"]') == "['static']" ]] &&
  ok "192.0.2.10/24 is static" || bad "addresses: $(field "$json" 'd["devices"][0]["addresses"]')"
[[ $(field "$json" 'sorted((p["kind"], p["result"]) for p in d["probes"])') == "[('dns-server', 'ok'), ('gateway', 'ok')]" ]] &&
  ok "probes: the gateway is there, the stub answers" || bad "probes: $(field "$json" 'd["probes"]')"
[[ $(field "$json" 'd["devices"][0]["managed-by"]') == networkd ]] && ok "managed by networkd" ||
  bad "managed-by: $(field "$json" 'd["devices"][0]["managed-by"]')"
[[ $(field "$json" '[(e["kind"], e["value"], e["origin"], e["source"].split(":")[0]) for e in d["devices"][0]["dns"]]') == \
   "[('server', '192.0.2.1', 'netplan', '/etc/netplan/01-e2e.yaml'), ('domain', 'e2e.test', 'netplan', '/etc/netplan/01-e2e.yaml')]" ]] &&
  ok "resolved's link DNS: 192.0.2.1 and e2e.test, from the netplan file" || bad "dns: $(field "$json" 'd["devices"][0]["dns"]')"
[[ $(field "$json" 'd["resolved"]') == "{'global': [], 'differences': []}" ]] && ok "resolved: no global DNS, as resolved.conf says" ||
  bad "resolved: $(field "$json" 'd["resolved"]')"

echo "[2] an address added by hand"
inns ip addr add 192.0.2.99/24 dev veth0
set +e; out=$(netcfg status --check --no-probe); rc=$?; set -e
[[ $rc -eq 1 ]] && ok "status --check: exit 1" || bad "exit $rc"
[[ $out == *"UNEXPECTED  192.0.2.99/24 is in no netplan file (added by hand, or by another tool)"* ]] &&
  ok "named: 192.0.2.99/24 added by hand" || bad "said: $out"
inns ip addr del 192.0.2.99/24 dev veth0

echo "[3] a resolved.conf drop-in resolved has not read, then has"
mkdir -p "$W/etc/systemd/resolved.conf.d"
printf '[Resolve]\nDNS=192.0.2.53\n' > "$W/etc/systemd/resolved.conf.d/50-e2e.conf"
set +e; json=$(netcfg status --json --check --no-probe); rc=$?; set -e
[[ $rc -eq 1 && $(field "$json" '[(x["kind"], x["what"], x["source"]) for x in d["resolved"]["differences"]]') == \
   "[('missing', 'global DNS server 192.0.2.53', '/etc/systemd/resolved.conf.d/50-e2e.conf:2:1')]" ]] &&
  ok "not read yet: missing from resolved, with the drop-in's line; exit 1" || bad "exit $rc: $(field "$json" 'd["resolved"]')"
netcfg apply -q || bad "apply (restarts resolved): exit $?"
json=""
for _ in $(seq 30); do  # networkd gives the restarted resolved its links' DNS again
  json=$(netcfg status --json --no-probe)
  [[ $(field "$json" 'len(d["devices"][0]["dns"])') == 2 ]] && break; sleep 0.1
done
[[ $(field "$json" '[(e["value"], e["origin"], e["source"]) for e in d["resolved"]["global"]]') == \
   "[('192.0.2.53', 'resolved.conf', '/etc/systemd/resolved.conf.d/50-e2e.conf:2:1')]" && $(field "$json" 'd["differs"]') == False ]] &&
  ok "restarted: the global server 192.0.2.53 from the drop-in, nothing differs" || bad "resolved: $(field "$json" 'd["resolved"]'), devices dns $(field "$json" 'd["devices"][0]["dns"]'), reasons $(field "$json" 'd["reasons"]')"
rm "$W/etc/systemd/resolved.conf.d/50-e2e.conf"
netcfg apply -q || bad "apply: exit $?"

echo "[4] resolv.conf replaced by a file"
inns sh -c 'rm /etc/resolv.conf && printf "# written by hand\nnameserver 198.51.100.53\noptions timeout:1 attempts:1\n" > /etc/resolv.conf'
inns busctl call org.freedesktop.resolve1 /org/freedesktop/resolve1 org.freedesktop.resolve1.Manager ResolveHostname 'isit' 0 www.e2e.test 0 0 \
  > /dev/null 2>&1 || true  # resolved reads a changed resolv.conf when it is next asked
set +e; json=$(netcfg status --json --check --no-probe); rc=$?; set -e
[[ $rc -eq 1 ]] && ok "status --check: exit 1" || bad "exit $rc"
[[ $(field "$json" '[r["code"] for r in d["reasons"] if r["differs"]]') == "['resolv-conf']" &&
   $(field "$json" '[r["text"] for r in d["reasons"] if r["code"]=="resolv-conf"][0]') == "/etc/resolv.conf is a file (written by hand"*"programs ask 198.51.100.53, not systemd-resolved"* ]] &&
  ok "reason: resolv.conf is a file, programs ask 198.51.100.53" || bad "reasons: $(field "$json" 'd["reasons"]')"
[[ $(field "$json" '[(e["value"], e["origin"]) for e in d["resolved"]["global"]]') == "[('198.51.100.53', 'resolv.conf')]" ]] &&
  ok "resolved took 198.51.100.53 from the file (origin resolv.conf)" || bad "resolved: $(field "$json" 'd["resolved"]')"
netcfg dns reset --apply -q || bad "dns reset --apply: exit $?"
set +e; out=$(netcfg status --check --no-probe); rc=$?; set -e
[[ $rc -eq 0 ]] && ok "netcfg dns reset --apply (the reason's advice): status --check exit 0" || bad "exit $rc after dns reset: $out"

echo "[5] an edit not applied yet"
netcfg set-ip veth0 192.0.2.10/24 192.0.2.12/24 -q
set +e; json=$(netcfg status --json --check --no-probe); rc=$?; set -e
[[ $rc -eq 1 ]] && ok "status --check: exit 1" || bad "exit $rc"
[[ $(field "$json" '[x["kind"] for x in d["devices"][0]["differences"]]') == "['missing']" &&
   $(field "$json" 'd["devices"][0]["differences"][0]["what"]') == "address 192.0.2.12/24" &&
   $(field "$json" 'd["devices"][0]["differences"][0]["source"]') == /etc/netplan/01-e2e.yaml:* ]] &&
  ok "difference: missing address 192.0.2.12/24 (with its file:line)" || bad "differences: $(field "$json" 'd["devices"][0]["differences"]')"
[[ $(field "$json" '[r["code"] for r in d["reasons"]]') == *"edited-since-apply"* ]] &&
  ok "reason: the files changed since the last apply" || bad "reasons: $(field "$json" 'd["reasons"]')"
netcfg apply -q || bad "apply: exit $?"
set +e; netcfg status --check --no-probe > /dev/null; rc=$?; set -e
[[ $rc -eq 0 ]] && ok "applied: status --check exit 0 again" || bad "exit $rc after apply"

echo "[6] a DHCP lease where a fixed address is configured"
printf 'network:\n  version: 2\n  renderer: networkd\n  ethernets:\n    veth0:\n      dhcp4: true\n' > "$W/etc/netplan/01-e2e.yaml"
netcfg apply -q || bad "apply dhcp4: exit $?"
lease=""
for _ in $(seq 100); do
  lease=$(inns ip -j -4 addr show dev veth0 | python3 -c 'import json,sys; print(" ".join(a["local"] for l in json.load(sys.stdin) for a in l["addr_info"] if a["local"].startswith("192.0.2.1") and len(a["local"]) == 11))')
  [[ -n $lease ]] && break; sleep 0.1
done
[[ -n $lease ]] && ok "a lease from the router's DHCP server: $lease" || bad "no lease in 10 s: $(inns ip -4 addr show dev veth0)"
netcfg set-ip veth0 192.0.2.10/24 --gateway $GW -q
set +e; json=$(netcfg status --json --check --no-probe); rc=$?; set -e
[[ $rc -eq 1 ]] && ok "status --check: exit 1" || bad "exit $rc"
[[ $(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print([(a["origin"], 0 < a["valid-lifetime"] <= 120) for a in d["devices"][0]["addresses"] if a["address"]==sys.argv[2]+"/24"])' "$json" "$lease") == "[('dhcp', True)]" ]] &&
  ok "$lease/24: origin dhcp, with its lease time left" || bad "addresses: $(field "$json" 'd["devices"][0]["addresses"]')"
[[ $(field "$json" 'sorted(x["kind"] + " " + x["what"] for x in d["devices"][0]["differences"])') == "['missing address 192.0.2.10/24', 'unexpected address $lease/24']" ]] &&
  ok "differences: the lease unexpected, the fixed address missing (the lease's default route is the configured one)" || bad "differences: $(field "$json" 'd["devices"][0]["differences"]')"
[[ $(field "$json" '[x["detail"] for x in d["devices"][0]["differences"] if x["kind"]=="unexpected"][0]') == *"is a lease (DHCP or a router advertisement) while dhcp4 is off and a fixed address is configured" ]] &&
  ok "in plain words: a lease while dhcp4 is off and a fixed address is configured" || bad "detail: $(field "$json" 'd["devices"][0]["differences"]')"
[[ $(field "$json" '[(e["value"], e["origin"]) for e in d["devices"][0]["dns"]]') == "[('192.0.2.1', 'dhcp')]" ]] &&
  ok "resolved's link DNS 192.0.2.1 came from DHCP" || bad "dns: $(field "$json" 'd["devices"][0]["dns"]')"
[[ $(field "$json" '[r["code"] for r in d["reasons"]]') == *"edited-since-apply"* ]] &&
  ok "reason: edited since the last apply" || bad "reasons: $(field "$json" 'd["reasons"]')"
netcfg apply -q || bad "apply: exit $?"
set +e; out=$(netcfg status --check --no-probe); rc=$?; set -e
[[ $rc -eq 0 ]] && ok "the fixed address applied: status --check exit 0" || bad "exit $rc: $out"

echo "[7] a file cloud-init owns"
inns mkdir -p /etc/cloud
mv "$W/etc/netplan/01-e2e.yaml" "$W/etc/netplan/50-cloud-init.yaml"
netcfg apply -q || bad "apply: exit $?"
set +e; json=$(netcfg status --json --check --no-probe); rc=$?; set -e
[[ $rc -eq 0 && $(field "$json" '[r["text"] for r in d["reasons"] if r["code"]=="cloud-init"]') == *"cloud-init owns /etc/netplan/50-cloud-init.yaml and may write it again at the next boot"* ]] &&
  ok "reason: cloud-init owns 50-cloud-init.yaml (a risk, not a difference: exit 0)" || bad "exit $rc, reasons: $(field "$json" 'd["reasons"]')"
netcfg cloud-init disable-network -q
[[ $(field "$(netcfg status --json --no-probe)" '[r["code"] for r in d["reasons"]]') != *cloud-init* ]] &&
  ok "its network configuration disabled: the reason goes" || bad "cloud-init still named"

echo "[8] networkd stopped"
inns systemctl stop systemd-networkd
set +e; json=$(netcfg status --json --check --no-probe); rc=$?; set -e
[[ $rc -eq 1 && $(field "$json" '[x["detail"] for x in d["devices"][0]["differences"] if x["what"]=="backend"]') == "['systemd-networkd is not running: nothing applies this definition to veth0']" &&
   $(field "$json" 'd["devices"][0]["managed-by"]') == none ]] &&
  ok "networkd not running: managed by none, the backend differs, exit 1" || bad "exit $rc: $(field "$json" 'd["devices"][0]')"
inns systemctl start systemd-networkd

echo "status: $PASS passed, $FAIL failed"
((FAIL == 0))
