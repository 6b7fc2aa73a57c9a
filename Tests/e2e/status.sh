#!/usr/bin/env bash
# End-to-end: `netcfg status` on the host of host-sandbox.sh (real netplan apply, networkd and
# resolved in network namespaces; the host is never touched). A clean state reports nothing;
# an address added by hand, and an edit not applied yet, are each reported with the right
# reason and make --check exit 1; the probes find the gateway and resolved's stub answering.
# Only RFC 5737 addresses and loopback. Needs root.
# Usage: status.sh NETCFG_BINARY
set -euo pipefail
NETCFG=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lib.sh"
NSA=nsA$$ NSB=nsB$$ GW=192.0.2.1

needs_root status
source "$HERE/host-sandbox.sh"

netcfg() { inns "$NETCFG" "$@"; }
field() { python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$1" "$2"; }

echo "[1] a clean state: nothing differs"
netcfg set-ip veth0 192.0.2.10/24 --gateway $GW --dns $GW --apply -q || bad "set-ip --apply: exit $?"
set +e; out=$(netcfg status --check --no-probe); rc=$?; set -e
[[ $rc -eq 0 && $out == *"the live state agrees with the files"* ]] && ok "status --check: exit 0, agrees" || bad "exit $rc: $out"
json=$(netcfg status --json)
[[ $(field "$json" '[a["origin"] for a in d["devices"][0]["addresses"] if a["address"]=="192.0.2.10/24"]') == "['static']" ]] &&
  ok "192.0.2.10/24 is static" || bad "addresses: $(field "$json" 'd["devices"][0]["addresses"]')"
[[ $(field "$json" 'sorted((p["kind"], p["result"]) for p in d["probes"])') == "[('dns-server', 'ok'), ('gateway', 'ok')]" ]] &&
  ok "probes: the gateway is there, the stub answers" || bad "probes: $(field "$json" 'd["probes"]')"

echo "[2] an address added by hand"
inns ip addr add 192.0.2.99/24 dev veth0
set +e; out=$(netcfg status --check --no-probe); rc=$?; set -e
[[ $rc -eq 1 ]] && ok "status --check: exit 1" || bad "exit $rc"
[[ $out == *"UNEXPECTED  192.0.2.99/24 is in no netplan file (added by hand, or by another tool)"* ]] &&
  ok "named: 192.0.2.99/24 added by hand" || bad "said: $out"
inns ip addr del 192.0.2.99/24 dev veth0

echo "[3] an edit not applied yet"
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

echo "status: $PASS passed, $FAIL failed"
((FAIL == 0))
