#!/usr/bin/env bash
# netcfg against netplan's own CLI and against the floor (issue 8), written to BENCHMARKS.md.
#
# What it measures, and why:
#   * Wall-clock time of whole processes (hyperfine), because that is what a person or a
#     script waiting on `netcfg` pays: start-up, parse, merge, validation, edit, write.
#       netcfg show / get / validate / set-ip     the commands people run most
#       netplan get / set                         netplan's CLI doing the same work
#       cat FILE, cp FILE                         the floor: reading / copying the bytes
#       bench/libyaml-parse FILE                  the floor of parsing: libyaml's events alone
#       bench/swift-floor set-ip ...              the floor of a netcfg command: a Swift program
#                                                 built and linked like netcfg that reads its
#                                                 command line and does nothing else
#     All on the same generated netplan files of 1, 100, 1,000, 2,000 and 10,000 devices
#     (bench/gen-netplan.py: comments, addresses, routes, nameservers on every device), so
#     the time per device shows whether the cost grows linearly.
#   * Peak RSS of each netcfg and netplan command (/usr/bin/time), because a tool that
#     holds the whole file as a tree of objects can need many times the file's size.
#   * When root: the end-to-end test's timings (Tests/e2e/apply-rollback.sh: a good change
#     applied and verified, a bad gateway rolled back and verified), which are what the
#     safety promise costs on a real networkd; and `status --no-probe` on a 10-device
#     sandbox host (bench/status.sh, issue 20's target: under 30 ms).
#   Then bench/report.py checks the numbers against the targets of issue 8 (PASS/FAIL).
#
# Alternation: hyperfine runs all runs of one command before the next. So that a slow drift
# of the machine (other load, thermal, caches) does not favour one command, each size is
# measured in ROUNDS hyperfine invocations, each with all commands, the order of the
# commands rotated by one every round; the medians combine all runs of all rounds.
# Every timed run (of every command, reads included) is preceded by the same --prepare:
# a fresh copy of the pristine root as the work root, so each write does the same work.
# Commands run without a shell (hyperfine -N) with their output to /dev/null (hyperfine's
# default --output=null), which is how `cat FILE > /dev/null` is measured too.
# The targets measured against a reference (the libyaml floor, `netplan set`) are judged
# on alternated pairs of runs (bench/paired.py): the host's speed moves by a third from one
# minute to the next here, and a ratio of two hyperfine medians taken minutes apart moves
# with it.
#
# Usage: bench/bench.sh   (or: make bench)
# Environment:
#   NETCFG_BIN=PATH   benchmark this binary (default: the release build, as `make release`)
#   SIZES="1 100"     device counts (default: 1 100 1000 2000 10000)
#   SET_ONLY_SIZES    sizes where only set-ip, netplan set and the floor run (default: 2000)
#   ROUNDS=N          hyperfine invocations per size (default: 3)
#   RUNS=N            timed runs per command per round (default: 20 up to 100 devices,
#                     10 up to 2,000, 5 above)
#   PAIRS=N           alternated pairs of runs per target measured against a reference
#                     (default: 15)
#   E2E=0             skip the end-to-end timings (they need root and take about a minute)
#   OUT=PATH          where the report goes (default: BENCHMARKS.md at the repository root)
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"

SIZES=${SIZES:-"1 100 1000 2000 10000"}
SET_ONLY_SIZES=${SET_ONLY_SIZES:-2000}
ROUNDS=${ROUNDS:-3}
RUNS=${RUNS:-}
PAIRS=${PAIRS:-15}
E2E=${E2E:-1}
OUT=${OUT:-$REPO/BENCHMARKS.md}

# The commands, one per line: NAME | GROUP | PAIR | COMMAND. GROUP is netcfg, netplan or
# floor; commands with the same PAIR (get, set) are compared (ratio netplan/netcfg).
# @BIN@, @NETPLAN@, @ROOT@ (the pristine root), @WORK@ (the fresh copy) and @FILE@ (the
# generated file in the pristine root) are filled in per size; the command line is split
# like a POSIX shell would (quotes), but no shell runs it.
COMMANDS=$(cat <<'END'
netcfg show     | netcfg  | -   | @BIN@ show --root @ROOT@
netcfg get      | netcfg  | get | @BIN@ get --root @ROOT@ ethernets.eth0
netcfg validate | netcfg  | -   | @BIN@ validate --root @ROOT@
netcfg set-ip   | netcfg  | set | @BIN@ set-ip eth0 10.250.0.5/24 --gateway 10.250.0.1 --root @WORK@
netplan get     | netplan | get | @NETPLAN@ get --root-dir @ROOT@ ethernets.eth0
netplan set     | netplan | set | @NETPLAN@ set --root-dir @WORK@ 'ethernets.eth0={addresses: [10.250.0.5/24], routes: [{to: default, via: 10.250.0.1}]}'
floor: cat      | floor   | -   | cat @FILE@
floor: cp       | floor   | -   | cp @FILE@ @WORK@/copy.yaml
floor: libyaml  | floor   | -   | @LIBYAML@ @FILE@
floor: Swift    | floor   | -   | @SWIFTFLOOR@ set-ip eth0 10.250.0.5/24 --gateway 10.250.0.1 --root @WORK@
END
)
# The file bench/gen-netplan.py writes below a root.
GENERATED=etc/netplan/50-bench.yaml
# The commands that run at SET_ONLY_SIZES.
SET_ONLY_NAMES='netcfg set-ip|netplan set|floor: cat|floor: cp|floor: libyaml|floor: Swift'

log() { echo "bench: $*" >&2; }
die() { echo "bench: error: $*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------
# Tools

# install_missing COMMAND:PACKAGE...: apt-get install the packages whose command is missing
# (root), or stop with the list of what to install (not root).
install_missing() {
  local need=() pair
  for pair in "$@"; do have "${pair%%:*}" || need+=("${pair##*:}"); done
  ((${#need[@]})) || return 0
  if [[ $(id -u) -ne 0 ]]; then
    die "missing: ${need[*]}; install them with: sudo apt-get install -y ${need[*]}"
  fi
  log "installing ${need[*]} ..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null; } ||
    die "could not install ${need[*]}"
  for pair in "$@"; do have "${pair%%:*}" || die "installed ${need[*]}, but ${pair%%:*} is still missing"; done
}

# have COMMAND: COMMAND is on the PATH (or, given as an absolute path, executable).
have() {
  if [[ $1 == /* ]]; then [[ -x $1 ]]; else command -v "$1" >/dev/null 2>&1; fi
}

# The netplan CLI (in /usr/sbin, which is not on every user's PATH).
find_netplan() {
  if command -v netplan >/dev/null 2>&1; then command -v netplan
  elif [[ -x /usr/sbin/netplan ]]; then echo /usr/sbin/netplan
  else die "netplan not found"; fi
}

# The netcfg binary: $NETCFG_BIN, or a release build of this checkout.
find_netcfg() {
  if [[ -n ${NETCFG_BIN:-} ]]; then
    [[ -x $NETCFG_BIN ]] || die "NETCFG_BIN=$NETCFG_BIN is not an executable"
    realpath "$NETCFG_BIN"
  else
    # The binary as shipped (`make release`, `make deb`): the Swift runtime and libstdc++
    # linked in, which also starts faster than loading shared libraries.
    log "building the release binary (scripts/build-release.sh, as make release) ..."
    scripts/build-release.sh >/dev/null
    echo "$REPO/.build/release/netcfg"
  fi
}

# ---------------------------------------------------------------------------------------
# Commands

# command_lines SIZE: the lines of COMMANDS measured at SIZE (no blank lines).
command_lines() {
  local line
  while IFS= read -r line; do
    [[ -n $line ]] || continue
    if is_set_only "$1" && ! [[ $(field 1 "$line") =~ ^($SET_ONLY_NAMES)$ ]]; then continue; fi
    echo "$line"
  done <<< "$COMMANDS"
}

# field N LINE: the Nth |-separated field of a COMMANDS line, trimmed (the 4th is the rest).
field() {
  local n=$1 rest=$2 f i
  for ((i = 1; i < n; i++)); do rest=${rest#*|}; done
  if ((n < 4)); then f=${rest%%|*}; else f=$rest; fi
  f=${f#"${f%%[![:space:]]*}"}
  echo "${f%"${f##*[![:space:]]}"}"
}

is_set_only() { [[ " $SET_ONLY_SIZES " == *" $1 "* ]]; }

# fill TEMPLATE ROOT WORK FILE: the command line with its placeholders filled in (paths
# quoted, so the line splits back into the same words).
fill() {
  local c=$1
  c=${c//@BIN@/$(printf %q "$BIN")}
  c=${c//@NETPLAN@/$(printf %q "$NETPLAN")}
  c=${c//@LIBYAML@/$(printf %q "$LIBYAML")}
  c=${c//@SWIFTFLOOR@/$(printf %q "$SWIFTFLOOR")}
  c=${c//@ROOT@/$(printf %q "$2")}
  c=${c//@WORK@/$(printf %q "$3")}
  c=${c//@FILE@/$(printf %q "$4")}
  echo "$c"
}

# command_of LINE DIR: the command of a COMMANDS line for the size measured in DIR (DIR/root
# the pristine root, DIR/work the work root).
command_of() { fill "$(field 4 "$1")" "$2/root" "$2/work" "$2/root/$GENERATED"; }

# run_line LINE: run a filled-in command line as words (quotes honoured, no shell features).
run_line() { eval "set -- $1"; "$@"; }

# reset_work PRISTINE WORK: the work root becomes a fresh copy of the pristine one.
reset_work() { rm -rf "$2" && cp -a "$1" "$2"; }

# ---------------------------------------------------------------------------------------
# Measuring one size

# sanity_check SIZE DIR: each command once; any failure stops the benchmark with its
# stderr. The two set commands must have written the new address and gateway.
sanity_check() {
  local n=$1 dir=$2 line name cmd
  while IFS= read -r line; do
    name=$(field 1 "$line")
    cmd=$(command_of "$line" "$dir")
    reset_work "$dir/root" "$dir/work"
    if ! run_line "$cmd" >/dev/null 2>"$dir/stderr"; then
      die "$name fails on $n devices: $cmd
$(cat "$dir/stderr")"
    fi
    if [[ $(field 3 "$line") == set ]]; then
      grep -q '10\.250\.0\.5/24' "$dir/work/$GENERATED" &&
        grep -q '10\.250\.0\.1' "$dir/work/$GENERATED" ||
        die "$name on $n devices did not write the address and gateway"
    fi
  done < <(command_lines "$n")
}

# runs_for SIZE: timed runs per command per round.
runs_for() {
  if [[ -n $RUNS ]]; then echo "$RUNS"
  elif (($1 <= 100)); then echo 20
  elif (($1 <= 2000)); then echo 10
  else echo 5; fi
}

# time_size SIZE DIR OUTDIR: ROUNDS hyperfine invocations with all commands, the order
# rotated by one each round; round-K.json in OUTDIR.
time_size() {
  local n=$1 dir=$2 out=$3 round runs lines=() args i k
  runs=$(runs_for "$n")
  echo "$runs" > "$out/runs"
  mapfile -t lines < <(command_lines "$n")
  # sync: the copy's dirty pages reach the disk before the timed run, so a command that
  # fsyncs what it writes (netcfg does) waits for its own write only, not for the copy.
  printf '#!/bin/sh\nrm -rf "%s" && cp -a "%s" "%s" && sync\n' "$dir/work" "$dir/root" "$dir/work" > "$dir/reset.sh"
  for ((round = 1; round <= ROUNDS; round++)); do
    log "  $n devices: round $round/$ROUNDS (${#lines[@]} commands x (1 warm-up + $runs runs))"
    args=(-N --style basic --warmup 1 --runs "$runs" --prepare "sh $(printf %q "$dir/reset.sh")"
          --export-json "$out/round-$round.json")
    for ((i = 0; i < ${#lines[@]}; i++)); do
      k=$(((i + round - 1) % ${#lines[@]}))
      args+=(-n "$(field 1 "${lines[k]}")" "$(command_of "${lines[k]}" "$dir")")
    done
    hyperfine "${args[@]}" >> "$out/hyperfine.log" 2>&1 ||
      die "hyperfine failed on $n devices: $(tail -5 "$out/hyperfine.log")"
  done
}

# The targets measured against a reference, by size: COMMAND|REFERENCE.
paired_targets() {
  case $1 in
    1) echo "netcfg set-ip|netplan set" ;;
    2000) printf '%s\n' "netcfg set-ip|floor: libyaml" "netcfg set-ip|netplan set" ;;
    10000) printf '%s\n' "netcfg validate|floor: libyaml" "netcfg get|floor: libyaml" "netcfg show|floor: libyaml" \
      "netcfg set-ip|floor: libyaml" ;;
  esac
}

# paired SIZE DIR OUTDIR: each target's ratio from PAIRS alternated pairs of runs (the
# command, then its reference, or the other way round; bench/paired.py), in
# OUTDIR/paired.tsv: what the verdicts use, the host's minute taken out of each pair.
paired() {
  local n=$1 dir=$2 out=$3 pair a b line spec=$2/pairs.tsv
  : > "$spec"
  while IFS= read -r pair; do
    [[ -n $pair ]] || continue
    a=${pair%%|*} b=${pair#*|}
    local ca="" cb=""
    while IFS= read -r line; do
      [[ $(field 1 "$line") == "$a" ]] && ca=$(command_of "$line" "$dir")
      [[ $(field 1 "$line") == "$b" ]] && cb=$(command_of "$line" "$dir")
    done < <(command_lines "$n")
    [[ -n $ca && -n $cb ]] || continue
    printf '%s\t%s\t%s\t%s\n' "$a" "$ca" "$b" "$cb" >> "$spec"
  done < <(paired_targets "$n")
  [[ -s $spec ]] || return 0
  log "  $n devices: $(wc -l < "$spec") targets in $PAIRS alternated pairs of runs"
  python3 bench/paired.py "$dir/reset.sh" "$PAIRS" < "$spec" > "$out/paired.tsv" ||
    die "paired runs failed on $n devices"
}

# peak_rss SIZE DIR OUTDIR: peak RSS (KB) of each netcfg and netplan command, 3 runs each,
# as lines NAME<TAB>KB KB KB in OUTDIR/rss.tsv.
peak_rss() {
  local n=$1 dir=$2 out=$3 line name cmd kbs i
  : > "$out/rss.tsv"
  while IFS= read -r line; do
    [[ $(field 2 "$line") == floor ]] && continue
    name=$(field 1 "$line")
    cmd=$(command_of "$line" "$dir")
    kbs=()
    for i in 1 2 3; do
      reset_work "$dir/root" "$dir/work"
      run_line "/usr/bin/time -f %M -o $(printf %q "$dir/rss") $cmd" >/dev/null 2>&1 ||
        die "$name failed under /usr/bin/time on $n devices"
      kbs+=("$(tail -1 "$dir/rss")")
    done
    printf '%s\t%s\n' "$name" "${kbs[*]}" >> "$out/rss.tsv"
  done < <(command_lines "$n")
}

# measure_size SIZE: generate the file, check, time, peak RSS.
measure_size() {
  local n=$1 dir=$WORKDIR/size-$1 out=$RESULTS/$1
  mkdir -p "$dir" "$out"
  python3 bench/gen-netplan.py "$dir/root" "$n"
  stat -c %s "$dir/root/$GENERATED" > "$out/file_bytes"
  log "$n devices ($(cat "$out/file_bytes") bytes)"
  sanity_check "$n" "$dir"
  time_size "$n" "$dir" "$out"
  paired "$n" "$dir" "$out"
  peak_rss "$n" "$dir" "$out"
  rm -rf "$dir"
}

# ---------------------------------------------------------------------------------------
# The machine, the end-to-end timings, the report

# meta KEY VALUE: one line of RESULTS/meta.tsv.
meta() { printf '%s\t%s\n' "$1" "$2" >> "$RESULTS/meta.tsv"; }

describe_machine() {
  local swiftv cpu mem commit
  swiftv=$( (swift --version 2>/dev/null || echo "not installed") | sed -n 1p)
  cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | sed -n 1p)
  mem=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
  if commit=$(git rev-parse --short HEAD 2>/dev/null); then
    GIT_OPTIONAL_LOCKS=0 git diff --quiet HEAD -- Sources || commit="$commit (Sources/ with uncommitted changes)"
  else
    commit=unknown
  fi
  [[ -z ${NETCFG_BIN:-} ]] || commit="$commit (the binary came from NETCFG_BIN: not necessarily built from it)"
  meta date "$(date -u '+%Y-%m-%d %H:%M UTC')"
  meta cpus "$(nproc)"
  meta cpu "${cpu:-unknown}"
  meta memory "$mem"
  meta kernel "$(uname -sr)"
  meta load "$(cut -d' ' -f1-3 /proc/loadavg)"
  meta swift "$swiftv"
  meta netplan "$(dpkg-query -W -f='${Version}' netplan.io 2>/dev/null || echo unknown) ($NETPLAN)"
  meta hyperfine "$(hyperfine --version)"
  meta netcfg "$("$BIN" --version) ($BIN${NETCFG_BIN:+, from NETCFG_BIN})"
  if [[ -n ${NETCFG_BIN:-} ]]; then
    meta binary "NETCFG_BIN, $(stat -c %s "$BIN") bytes"
  else
    meta binary "the release binary of \`make release\` (scripts/build-release.sh: the Swift runtime, libstdc++ and libgcc linked in, link-time optimised), $(stat -c %s "$BIN") bytes"
  fi
  meta checkout "$commit"
  meta sizes "$SIZES"
  meta set_only_sizes "$SET_ONLY_SIZES"
  meta rounds "$ROUNDS"
  meta pairs "$PAIRS"
}

# second_cpu WHEN: how much the second CPU gives to work like a parse, recorded as meta
# pair_WHEN: libyaml's parse of a 10,000-device file, two copies at once against one alone
# (medians of 9 alternations; 1.00: the second CPU is a whole core, 2.00: it adds nothing).
# netcfg parses, checks and prints on two threads against a floor on one: its ratios move
# with this (on the VM measured here: 1.5-1.7 in quiet minutes, when one parse alone ran
# fastest, and about 1.1 in busy ones: two vCPUs that share a core, or its caches and memory,
# with each other or with other guests).
second_cpu() {
  local dir=$WORKDIR/second-cpu
  [[ -d $dir ]] || python3 bench/gen-netplan.py "$dir" 10000 >/dev/null
  meta "pair_$1" "$(python3 - "$LIBYAML" "$dir/$GENERATED" <<'PY'
import statistics, subprocess, sys, time
cmd = sys.argv[1:]
alone, pair = [], []
for _ in range(9):
    t = time.perf_counter(); subprocess.run(cmd, check=True); alone.append(time.perf_counter() - t)
    t = time.perf_counter(); a = subprocess.Popen(cmd); b = subprocess.Popen(cmd)
    if a.wait() or b.wait(): sys.exit("libyaml-parse failed")
    pair.append(time.perf_counter() - t)
one, two = statistics.median(alone), statistics.median(pair)
print("%.2f (one parse %.1f ms, two at once %.1f ms)" % (two / one, one * 1000, two * 1000))
PY
)"
}

# end_to_end: Tests/e2e/apply-rollback.sh when root, 3 runs with each netplan (Debian's 0.106
# and 1.1.2 from Tests/Fixtures/netplan-1.1); its `measured:` lines, tagged with the netplan
# version, go to the report.
end_to_end() {
  if [[ $E2E == 0 ]]; then echo "skipped (E2E=0)" > "$RESULTS/e2e.status"; return; fi
  if [[ $(id -u) -ne 0 ]]; then echo "skipped (not root)" > "$RESULTS/e2e.status"; return; fi
  log "end-to-end timings (Tests/e2e/apply-rollback.sh, 3 runs of about 30 s per netplan version; nm-apply.sh, 3 runs of about 60 s; medians) ..."
  local rc=0 summaries="" run version
  : > "$RESULTS/e2e.log"; : > "$RESULTS/e2e.measured"
  for version in 0.106 1.1; do
    : > "$RESULTS/e2e.$version.log"
    # The release binary has no fault points: the crash scenarios are left out.
    for run in 1 2 3; do
      E2E_NETPLAN=$version E2E_NO_FAULTS=1 Tests/e2e/apply-rollback.sh "$BIN" >> "$RESULTS/e2e.$version.log" 2>&1 || rc=$?
    done
    summaries+="${summaries:+; }$(grep '^apply-rollback ' "$RESULTS/e2e.$version.log" | tail -1 || true)"
    sed -n "s/^  measured: /[netplan $version] /p" "$RESULTS/e2e.$version.log" >> "$RESULTS/e2e.measured"
    cat "$RESULTS/e2e.$version.log" >> "$RESULTS/e2e.log"
  done
  : > "$RESULTS/e2e.nm.log"
  for run in 1 2 3; do
    Tests/e2e/nm-apply.sh "$BIN" >> "$RESULTS/e2e.nm.log" 2>&1 || rc=$?
  done
  summaries+="; $(grep '^nm-apply: ' "$RESULTS/e2e.nm.log" | tail -1 || true)"
  sed -n "s/^  measured: /[NetworkManager] /p" "$RESULTS/e2e.nm.log" >> "$RESULTS/e2e.measured"
  cat "$RESULTS/e2e.nm.log" >> "$RESULTS/e2e.log"
  if ((rc == 0)); then echo "ran: $summaries" > "$RESULTS/e2e.status"
  else echo "FAILED (exit $rc): ${summaries:-$(tail -1 "$RESULTS/e2e.log")}" > "$RESULTS/e2e.status"; fi
  # The failed checks (and the scenario each belongs to), for the report.
  grep -E '^\[[0-9]|^  FAIL' "$RESULTS/e2e.log" | grep -B1 '^  FAIL' | grep -v '^--$' > "$RESULTS/e2e.failures" || true
  ((rc == 0)) || { log "the end-to-end test failed:"; cat "$RESULTS/e2e.failures" >&2; }
}

# status_bench: bench/status.sh (root): `status --no-probe` on a 10-device sandbox host.
status_bench() {
  if [[ $E2E == 0 ]]; then echo "skipped (E2E=0)" > "$RESULTS/status.status"; return; fi
  if [[ $(id -u) -ne 0 ]]; then echo "skipped (not root)" > "$RESULTS/status.status"; return; fi
  log "status --no-probe on a 10-device sandbox host (bench/status.sh, 100 runs) ..."
  if OUT=$RESULTS/status.json bench/status.sh "$BIN" > "$RESULTS/status.log" 2>&1; then
    echo "ran" > "$RESULTS/status.status"
  else
    echo "FAILED: $(tail -1 "$RESULTS/status.log")" > "$RESULTS/status.status"
  fi
}

main() {
  install_missing hyperfine:hyperfine /usr/bin/time:time python3:python3 pkg-config:pkg-config
  CC=${CC:-$(command -v cc || command -v gcc || command -v clang || true)}
  [[ -n $CC ]] || { install_missing gcc:gcc; CC=gcc; }
  command -v netplan >/dev/null 2>&1 || install_missing /usr/sbin/netplan:netplan.io
  NETPLAN=$(find_netplan)
  BIN=$(find_netcfg)
  [[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive number"

  WORKDIR=$(mktemp -d "${TMPDIR:-/tmp}/netcfg-benchrun.XXXXXX")
  trap 'rm -rf "$WORKDIR"' EXIT
  trap 'exit 130' INT TERM
  RESULTS=$WORKDIR/results
  mkdir -p "$RESULTS"
  LIBYAML=$WORKDIR/libyaml-parse
  "$CC" -O2 -o "$LIBYAML" bench/libyaml-parse.c $(pkg-config --cflags --libs yaml-0.1) ||
    die "cannot build bench/libyaml-parse.c"
  log "building bench/swift-floor (scripts/build-release.sh, as make release links netcfg) ..."
  scripts/build-release.sh --package-path bench/swift-floor >/dev/null ||
    die "cannot build bench/swift-floor"
  SWIFTFLOOR=$REPO/bench/swift-floor/.build/release/SwiftFloor
  printf '%s\n' "$COMMANDS" | sed '/^$/d' > "$RESULTS/commands.txt"

  local start=$SECONDS n
  describe_machine
  second_cpu start
  for n in $SIZES; do measure_size "$n"; done
  second_cpu end
  end_to_end
  status_bench
  meta duration "$(((SECONDS - start) / 60)) min $(((SECONDS - start) % 60)) s"
  python3 bench/report.py "$RESULTS" "$OUT"
}

main "$@"
