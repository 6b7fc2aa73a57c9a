#!/usr/bin/env bash
# The shipped binary (release, link-time optimised: scripts/build-release.sh) against the
# debug build the Swift tests run: the same output and exit code on every netplan file of
# the corpus (`validate --json`, `show`), and the same edit of the example
# VM (`set-ip`, then the file it wrote). An optimiser that changed behaviour fails here.
# Usage: test-release-same.sh RELEASE_BINARY [DEBUG_BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
release=$(realpath "$1")
debug=$(realpath "${2:-.build/debug/netcfg}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# run BINARY ROOT ARGS...: stdout, stderr and the exit code, as one text.
run() {
  local bin=$1 root=$2 rc=0 out
  shift 2
  out=$("$bin" "$@" --root "$root" 2>&1) || rc=$?
  printf '%s\nexit %d\n' "$out" "$rc"
}

# compare_shard K: the corpus files whose place in the sorted list is K modulo 2, in a root
# of the shard's own; prints how many it compared and how many differed (two shards run at
# once: the debug build is slow, and make test has a time budget).
compare_shard() {
  local k=$1 i=0 files=0 differ=0 root=$work/root$1 file args
  mkdir -p "$root/etc/netplan"
  while IFS= read -r -d '' file; do
    i=$((i + 1))
    ((i % 2 == k)) || continue
    rm -f "$root/etc/netplan/"*
    install -m 600 "$file" "$root/etc/netplan/50-corpus.yaml"
    for args in "validate --json" "show"; do
      # shellcheck disable=SC2086
      if [[ $(run "$release" "$root" $args) != "$(run "$debug" "$root" $args)" ]]; then
        echo "  differs: netcfg $args on $file" >&2
        differ=$((differ + 1))
      fi
    done
    files=$((files + 1))
  done < "$work/corpus"
  echo "$files $differ"
}
find Tests/Fixtures/netplan-corpus -name '*.yaml' -print0 | sort -z > "$work/corpus"
compare_shard 0 > "$work/shard0" &
shard0=$!
compare_shard 1 > "$work/shard1"
wait "$shard0"
read -r files0 differ0 < "$work/shard0"
read -r files1 differ1 < "$work/shard1"
files=$((files0 + files1)) differ=$((differ0 + differ1))

# The demo's edit on two copies of the example VM.
for which in release debug; do
  cp -a examples/vm "$work/$which"
  chmod 600 "$work/$which"/etc/netplan/*.yaml
  bin=$release
  [[ $which == debug ]] && bin=$debug
  run "$bin" "$work/$which" set-ip ens33 192.168.100.140/24 --gateway 192.168.100.1 --dns 114.114.114.114 |
    sed "s|$work/$which|ROOT|g" > "$work/$which.out"
done
if ! grep -qx 'exit 0' "$work/debug.out" || ! grep -q '192.168.100.140/24' "$work/debug/etc/netplan/"*.yaml; then
  echo "  the debug build's set-ip on examples/vm did not write the address: $(cat "$work/debug.out")" >&2
  differ=$((differ + 1))
elif ! cmp -s "$work/release.out" "$work/debug.out" || ! diff -r --no-dereference "$work/release/etc" "$work/debug/etc" >/dev/null; then
  echo "  differs: set-ip on examples/vm" >&2
  differ=$((differ + 1))
fi
echo "release against debug: $files corpus files x 2 commands and one edit, $differ differing"
((files > 0 && differ == 0))
