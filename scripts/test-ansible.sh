#!/usr/bin/env bash
# The netcfg collection (ansible_collections/netcfg/netcfg) with real ansible-core, pinned:
# ansible-doc documents every module; the playbook of examples/ansible against three local
# roots (connection: local, netcfg_root per host): check mode changes nothing and reports the
# changes, --diff prints netcfg's diff of the edited lines, the first run changes every host,
# the second none, and the real netplan accepts every root afterwards; a bad value fails the
# task with netcfg's FILE:LINE:COL diagnostic and changes nothing; netcfg_set and netcfg_dns
# edit, netcfg_info gives facts. Installs the pinned ansible-core from PyPI when another (or
# none) is there. Usage: test-ansible.sh NETCFG_BINARY
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
netcfg=$(realpath "$1")
PASS=0 FAIL=0
ok() { PASS=$((PASS+1)); echo "  PASS  $*"; }
bad() { FAIL=$((FAIL+1)); echo "  FAIL  $*"; }
ANSIBLE_CORE=2.19.14
if [[ $(python3 -c 'import ansible.release; print(ansible.release.__version__)' 2>/dev/null) != "$ANSIBLE_CORE" ]]; then
  python3 -m pip install -q "ansible-core==$ANSIBLE_CORE" >/dev/null 2>&1 || pip install -q "ansible-core==$ANSIBLE_CORE" >/dev/null
fi
hash -r
export ANSIBLE_COLLECTIONS_PATH=$here ANSIBLE_NOCOLOR=1 ANSIBLE_HOST_KEY_CHECKING=0 ANSIBLE_DEPRECATION_WARNINGS=0
for module in netcfg_ip netcfg_dns netcfg_set netcfg_info; do
  doc=$(ansible-doc -j "netcfg.netcfg.$module" 2>&1) && [[ $doc == *'"short_description"'* ]] &&
    ok "ansible-doc documents $module" || bad "ansible-doc $module: $doc"
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
built=$(ansible-galaxy collection build "$here/ansible_collections/netcfg/netcfg" --output-path "$work" --force 2>&1) &&
  [[ -s $work/netcfg-netcfg-0.1.0.tar.gz ]] && ok "ansible-galaxy builds the collection" || bad "build: $built"
inventory=$work/inventory.ini
: > "$inventory"
while read -r line; do
  if [[ $line =~ ^node[0-9] ]]; then
    host=${line%% *}
    mkdir -p "$work/$host"
    cp -a "$here/examples/vm/." "$work/$host/"
    chmod 600 "$work/$host"/etc/netplan/*.yaml
    echo "$line netcfg_root=$work/$host netcfg_binary=$netcfg" >> "$inventory"
  else
    echo "$line" >> "$inventory"
  fi
done < "$here/examples/ansible/inventory.ini"
python=$(python3 -c 'import sys; print(sys.executable)')
play() {
  ansible-playbook -i "$inventory" -e "ansible_python_interpreter=$python" "$here/examples/ansible/netcfg.yml" "$@" 2>&1
}
# adhoc HOST-ROOT MODULE ARGS: one module on localhost against a root.
adhoc() {
  local root=$1 module=$2; shift 2
  ansible localhost -c local -e "ansible_python_interpreter=$python" -m "netcfg.netcfg.$module" \
    -a "$* root=$root netcfg=$netcfg" 2>&1
}
recap() { grep -E '^node[0-9]+ +:' | sed 's/ *: */ /'; }

snapshot() { find "$work" -name '*.yaml' -o -name '*.cfg' | sort | xargs md5sum; }
before=$(snapshot)
out=$(play --check --diff) || { echo "$out"; bad "check mode failed"; }
[[ $(echo "$out" | recap | grep -c 'changed=2') -eq 3 ]] && ok "check mode reports the changes on every host" || bad "check mode: $(echo "$out" | recap)"
[[ $(snapshot) == "$before" ]] && ok "check mode wrote nothing" || bad "check mode wrote files"
[[ $out == *"--- a/etc/netplan/50-cloud-init.yaml"* && $out == *"+            - 192.0.2.23/24"* && $out == *"-            gateway4: 192.168.100.2"* ]] &&
  ok "--diff prints netcfg's diff: the edited lines" || bad "--diff: $out"
out=$(play) || { echo "$out"; bad "first run failed"; }
[[ $(echo "$out" | recap | grep -c 'changed=2') -eq 3 ]] && ok "first run: changed on every host" || bad "first run: $(echo "$out" | recap)"
out=$(play) || { echo "$out"; bad "second run failed"; }
[[ $(echo "$out" | recap | grep -c 'changed=0') -eq 3 ]] && ok "second run: changed on none" || bad "second run: $(echo "$out" | recap)"
for host in node1 node2 node3; do
  if netplan generate --root-dir "$work/$host" 2>/dev/null; then ok "netplan accepts $host"; else bad "netplan rejects $host"; fi
done
grep -q "192.0.2.23/24" "$work/node3/run/systemd/network/10-netplan-ens33.network" && ok "node3 renders its own address" || bad "node3 address"

# A bad value: the task fails with netcfg's located diagnostic; nothing is written.
root=$work/node1
before=$(snapshot)
out=$(adhoc "$root" netcfg_set "set='{\"ethernets.ens33.mtu\": \"jumbo\"}'") && bad "a bad mtu did not fail: $out"
[[ $out == *FAILED* && $out =~ /etc/netplan/50-cloud-init.yaml:[0-9]+:[0-9]+:\ error ]] &&
  ok "a bad mtu fails the task with FILE:LINE:COL" || bad "bad mtu: $out"
[[ $(snapshot) == "$before" ]] && ok "and writes nothing" || bad "the failed task wrote files"
out=$(adhoc "$root" netcfg_set "set='{\"ethernets.ens33.mtu\": 9000}'")
[[ $out == *CHANGED* ]] && grep -q "mtu: 9000" "$root/etc/netplan/50-cloud-init.yaml" && ok "netcfg_set: mtu 9000 written, changed" || bad "netcfg_set: $out"
out=$(adhoc "$root" netcfg_set "set='{\"ethernets.ens33.mtu\": 9000}'")
[[ $out == *SUCCESS* ]] && ok "netcfg_set again: not changed" || bad "netcfg_set again: $out"
out=$(adhoc "$root" netcfg_set "unset=ethernets.ens33.mtu")
[[ $out == *CHANGED* ]] && ! grep -q "mtu:" "$root/etc/netplan/50-cloud-init.yaml" && ok "netcfg_set unset: the key is gone" || bad "unset: $out"
out=$(adhoc "$root" netcfg_dns "servers=192.0.2.99 interface=ens33")
[[ $out == *CHANGED* ]] && grep -q "192.0.2.99" "$root/etc/netplan/50-cloud-init.yaml" && ok "netcfg_dns: interface DNS written" || bad "netcfg_dns: $out"
out=$(adhoc "$root" netcfg_info "")
[[ $out == *'"netcfg"'* && $out == *'"192.0.2.99"'* && $out == *'"status": null'* ]] && ok "netcfg_info: facts with the DNS server, no live status below a root" || bad "netcfg_info: $out"
# As root: the modules applying for real on the end-to-end sandbox host.
if [[ $(id -u) -eq 0 ]]; then
  if out=$("$here/Tests/e2e/ansible-apply.sh" "$netcfg" 2>&1); then ok "${out##*$'\n'}"; else echo "$out"; bad "${out##*$'\n'}"; fi
else
  echo "NOTE: not root: Tests/e2e/ansible-apply.sh (apply and rollback through the modules) is SKIPPED" >&2
fi
echo "ansible: $PASS passed, $FAIL failed"
((FAIL == 0))
