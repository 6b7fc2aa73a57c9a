#!/usr/bin/env bash
# Packaging checks on a fresh clone: `make install` into a staging root puts every file in
# place, and (as root) the Debian package installs, runs and removes cleanly on this machine.
set -euo pipefail
cd "$(dirname "$0")/.."
PASS=0 FAIL=0
ok() { PASS=$((PASS+1)); echo "  PASS  $*"; }
bad() { FAIL=$((FAIL+1)); echo "  FAIL  $*"; }

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
make --no-print-directory install PREFIX=/usr/local DESTDIR="$stage" >/dev/null 2>&1
for f in bin/netcfg share/man/man8/netcfg.8 share/bash-completion/completions/netcfg \
  share/zsh/vendor-completions/_netcfg share/fish/vendor_completions.d/netcfg.fish lib/systemd/system/netcfg-recover.service \
  share/doc/netcfg/copyright; do
  [[ -s $stage/usr/local/$f ]] && ok "make install: $f" || bad "make install: $f missing"
done
# Test data (netplan's corpus, fixtures) is never installed.
leaked=$(cd "$stage" && find . -type f \( -name '*.yaml' -o -name '*.tsv' -o -name '*.jsonl' -o -path '*Fixtures*' -o -path '*corpus*' \) | head -3)
[[ -z $leaked ]] && ok "make install installs no test data" || bad "test data installed: $leaked"
"$stage/usr/local/bin/netcfg" --version >/dev/null && ok "the installed binary runs" || bad "the installed binary does not run"
# The installed binary is the link-time optimised release build: it must do what the debug
# build the Swift tests ran does (scripts/test-release-same.sh).
if [[ -x .build/debug/netcfg ]]; then
  scripts/test-release-same.sh "$stage/usr/local/bin/netcfg" .build/debug/netcfg &&
    ok "the installed binary gives the debug build's output" || bad "the installed binary differs from the debug build"
fi
# scripts/build-release.sh links libstdc++ in (about 0.7 ms of every start) when the
# compiler has its static archive, as every machine with the Swift toolchain does.
if [[ $(${CC:-cc} -print-file-name=libstdc++.a 2>/dev/null) == /* ]]; then
  readelf -d "$stage/usr/local/bin/netcfg" | grep -q 'NEEDED.*libstdc++' &&
    bad "the installed binary loads libstdc++.so (scripts/build-release.sh did not link it in)" ||
    ok "the installed binary has libstdc++ linked in"
  # And libgcc (libgcc_s's start-up asks the CPU for its features: 0.94 of the time without).
  readelf -d "$stage/usr/local/bin/netcfg" | grep -q 'NEEDED.*libgcc_s' &&
    bad "the installed binary loads libgcc_s.so (scripts/build-release.sh did not link libgcc in)" ||
    ok "the installed binary has libgcc linked in"
fi
grep -q "ExecStart=/usr/local/bin/netcfg recover" "$stage/usr/local/lib/systemd/system/netcfg-recover.service" &&
  ok "the unit calls the installed binary" || bad "the unit's ExecStart is wrong"
bash -n "$stage/usr/local/share/bash-completion/completions/netcfg" && ok "the bash completion parses" || bad "bash completion"
grep -q "set-ip" "$stage/usr/local/share/bash-completion/completions/netcfg" && ok "completions know set-ip" || bad "completions lack set-ip"

if [[ $(id -u) -eq 0 ]] && command -v dpkg-deb >/dev/null; then
  deb=$(make --no-print-directory deb 2>/dev/null | tail -1)
  [[ -f $deb ]] && ok "make deb: $deb" || bad "make deb built nothing"
  contents=$(dpkg-deb -c "$deb")
  grep -qE 'Fixtures|corpus|\.yaml$|\.tsv$|\.jsonl$' <<< "$contents" && bad "the .deb ships test data" || ok "the .deb ships no test data"
  grep -q './usr/share/doc/netcfg/copyright$' <<< "$contents" && ok "the .deb has its copyright file" || bad "no copyright file in the .deb"
  if dpkg -s netcfg >/dev/null 2>&1; then echo "  (netcfg was installed before: it is left as it was)"; else
    dpkg -i "$deb" >/dev/null 2>&1 && ok "dpkg -i" || bad "dpkg -i failed"
    [[ $(/usr/bin/netcfg --version 2>/dev/null) == "$("$stage/usr/local/bin/netcfg" --version)" ]] && ok "netcfg --version from the package" || bad "the packaged netcfg does not run"
    man -w netcfg >/dev/null 2>&1 || [[ -f /usr/share/man/man8/netcfg.8 ]] && ok "the man page is installed" || bad "no man page"
    dpkg -r netcfg >/dev/null 2>&1 && ok "dpkg -r" || bad "dpkg -r failed"
    [[ ! -e /usr/bin/netcfg && ! -e /usr/share/man/man8/netcfg.8 ]] && ok "removed cleanly" || bad "files left after dpkg -r"
  fi
else
  echo "  NOTE: not root: the Debian package install/remove test is SKIPPED"
fi
echo "packaging: $PASS passed, $FAIL failed"
((FAIL == 0))
