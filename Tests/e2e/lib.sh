# Shared parts of the end-to-end scripts (sourced): result counting, installing what they
# need, systemd-resolved extracted (not installed: its postinst would turn the host's
# /etc/resolv.conf into a stub link), and a teardown that ends every process in the test's
# namespaces.
PASS=0 FAIL=0
ok() { PASS=$((PASS+1)); echo "  PASS  $*"; }
bad() { FAIL=$((FAIL+1)); echo "  FAIL  $*"; }
now_ms() { date +%s%3N; }
# jfield JSON KEY: the compact JSON of one top-level field of netcfg's --json output.
jfield() { python3 -c 'import json,sys; print(json.dumps(json.loads(sys.argv[1]).get(sys.argv[2]), separators=(",", ":")))' "$1" "$2"; }
# exists and is not a zombie (PID 1 of a container may reap orphans late)
alive() { [[ -r /proc/$1/stat ]] && [[ $(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) != Z ]]; }

E2E_BASE=${TMPDIR:-/tmp}/netcfg-e2e
RESOLVED_ROOT=$E2E_BASE/resolved-root
RESOLVED_BIN=$RESOLVED_ROOT/lib/systemd/systemd-resolved

# needs_root NAME: exit 2 with a message unless running as root.
needs_root() { [[ $(id -u) -eq 0 ]] || { echo "$1: needs root"; exit 2; }; }

# install_missing COMMAND:PACKAGE...: apt-get install the packages whose command is missing.
install_missing() {
  local need=() pair
  for pair in "$@"; do command -v "${pair%%:*}" >/dev/null || need+=("${pair##*:}"); done
  ((${#need[@]})) || return 0
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null; DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null; }
}

# extract_resolved: systemd-resolved of the installed systemd's version, below $RESOLVED_ROOT.
extract_resolved() {
  [[ -x $RESOLVED_BIN ]] && return 0
  mkdir -p "$E2E_BASE"
  local ver; ver=$(dpkg-query -W -f='${Version}' systemd)
  (cd "$E2E_BASE" && { apt-get download "systemd-resolved=$ver" >/dev/null 2>&1 ||
     { apt-get update -q >/dev/null && apt-get download "systemd-resolved=$ver" >/dev/null; }; } &&
     dpkg-deb -x systemd-resolved_*.deb "$RESOLVED_ROOT")
}

# end_namespaces NSA NSB PID...: TERM then KILL every process in the two namespaces (daemons
# started through nsenter included) and the given pids, then delete the namespaces.
end_namespaces() {
  local a=$1 b=$2; shift 2
  local pids p
  pids="$(ip netns pids "$a" 2>/dev/null) $(ip netns pids "$b" 2>/dev/null) $*"
  for p in $pids; do kill -TERM "$p" 2>/dev/null; done
  for p in $pids; do
    for _ in $(seq 300); do alive "$p" || break; sleep 0.01; done
    alive "$p" && kill -KILL "$p" 2>/dev/null
  done
  ip netns del "$a" 2>/dev/null; ip netns del "$b" 2>/dev/null
  return 0
}

# start_holder NS SCRIPT LOG: runs SCRIPT (which ends by writing its pid to $W/holder.pid and
# sleeping) in network namespace NS under a private mount namespace; sets HOLDER to its pid.
start_holder() {
  chmod +x "$2"
  ip netns exec "$1" unshare -m --propagation private "$2" > "$3" 2>&1 < /dev/null &
  for _ in $(seq 200); do [[ -s $W/holder.pid ]] && break; sleep 0.02; done
  HOLDER=$(cat "$W/holder.pid")
}

# The shared parts of the sandbox hosts (host-sandbox.sh, nm-sandbox.sh), which set W, NSA,
# NSB and GW first.

# sandbox_start: W's scratch folders, and a teardown on exit that ends every process in the
# namespaces (and DNSMASQ, HOLDER) and removes W, showing the logs' tails after a failure.
sandbox_start() {
  mkdir -p "$W"/{svc,pids,logs,etc/netplan,varlib}
  DNSMASQ="" HOLDER=""
  trap sandbox_teardown EXIT
}
sandbox_teardown() {
  set +e
  end_namespaces "$NSA" "$NSB" $DNSMASQ $HOLDER
  if ((FAIL)); then echo "--- logs"; tail -5 "$W"/logs/*.log 2>/dev/null; fi
  rm -rf "$W"
}

# router_up [DNSMASQ_ARG...]: namespaces NSA (the host) and NSB (the router GW on veth1,
# veth0 its peer in NSA), and a dnsmasq on GW answering only *.e2e.test; sets DNSMASQ.
router_up() {
  ip netns add "$NSA"; ip netns add "$NSB"
  ip link add name veth0 netns "$NSA" type veth peer name veth1 netns "$NSB"
  ip -n "$NSB" link set lo up; ip -n "$NSB" addr add "$GW/24" dev veth1; ip -n "$NSB" link set veth1 up
  ip -n "$NSA" link set lo up
  ip netns exec "$NSB" dnsmasq --keep-in-foreground --conf-file=/dev/null --no-resolv --no-hosts --no-poll \
    --bind-interfaces --listen-address="$GW" --except-interface=lo --local=/e2e.test/ \
    --address=/www.e2e.test/192.0.2.80 --pid-file= --user=root "$@" > "$W/logs/dnsmasq.log" 2>&1 < /dev/null &
  DNSMASQ=$!
}

# sandbox_systemd_etc: the host's /etc/systemd copied to W/etc/systemd, with a resolved.conf
# of the sandbox's own (no fallback servers, LLMNR, mDNS or DNSSEC) and no drop-ins.
sandbox_systemd_etc() {
  cp -a /etc/systemd "$W/etc/systemd"
  rm -rf "$W/etc/systemd/resolved.conf.d"
  printf '[Resolve]\nFallbackDNS=\nLLMNR=no\nMulticastDNS=no\nDNSSEC=no\n' > "$W/etc/systemd/resolved.conf"
}
