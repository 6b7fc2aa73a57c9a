#!/usr/bin/env bash
# The Ansible playbook of examples/ansible against three local roots (connection: local,
# netcfg_root per host): the first run changes every host, the second none, check mode
# changes nothing, and the real netplan accepts every root afterwards. Installs ansible-core
# from PyPI when it is missing. Usage: test-ansible.sh NETCFG_BINARY
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
netcfg=$(realpath "$1")
PASS=0 FAIL=0
ok() { PASS=$((PASS+1)); echo "  PASS  $*"; }
bad() { FAIL=$((FAIL+1)); echo "  FAIL  $*"; }
if ! command -v ansible-playbook >/dev/null; then
  python3 -m pip install -q ansible-core >/dev/null 2>&1 || pip install -q ansible-core >/dev/null
fi
hash -r
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
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
  ANSIBLE_NOCOLOR=1 ANSIBLE_HOST_KEY_CHECKING=0 ansible-playbook -i "$inventory" \
    -e "ansible_python_interpreter=$python" "$here/examples/ansible/netcfg.yml" "$@" 2>&1
}
recap() { grep -E '^node[0-9]+ +:' | sed 's/ *: */ /'; }

out=$(play --check) || { echo "$out"; bad "check mode failed"; }
snapshot() { find "$work" -name '*.yaml' -o -name '*.cfg' | sort | xargs md5sum; }
before=$(snapshot)
[[ $(echo "$out" | recap | grep -c 'changed=2') -eq 3 ]] && ok "check mode reports the changes on every host" || bad "check mode: $(echo "$out" | recap)"
[[ $(snapshot) == "$before" ]] && ok "check mode wrote nothing" || bad "check mode wrote files"
out=$(play) || { echo "$out"; bad "first run failed"; }
[[ $(echo "$out" | recap | grep -c 'changed=2') -eq 3 ]] && ok "first run: changed on every host" || bad "first run: $(echo "$out" | recap)"
out=$(play) || { echo "$out"; bad "second run failed"; }
[[ $(echo "$out" | recap | grep -c 'changed=0') -eq 3 ]] && ok "second run: changed on none" || bad "second run: $(echo "$out" | recap)"
for host in node1 node2 node3; do
  if netplan generate --root-dir "$work/$host" 2>/dev/null; then ok "netplan accepts $host"; else bad "netplan rejects $host"; fi
done
grep -q "192.0.2.23/24" "$work/node3/run/systemd/network/10-netplan-ens33.network" && ok "node3 renders its own address" || bad "node3 address"
echo "ansible: $PASS passed, $FAIL failed"
((FAIL == 0))
