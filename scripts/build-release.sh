#!/usr/bin/env bash
# The release build, as netcfg ships it (make release, deb, install, bench): the Swift runtime
# and libstdc++ linked into the binary. Arguments go on to `swift build` (--package-path, ...).
#
# --static-swift-stdlib links the Swift runtime in but leaves libstdc++, which the runtime uses
# a little of, a shared library: loading it and running its initialisers cost every netcfg
# command about 0.7 ms of a 2.8 ms start (`netcfg --version`, measured with hyperfine). Its
# static archive is linked instead, found through a directory that holds only libstdc++.a and
# is searched before the compiler's own directory (whose libstdc++.so would win otherwise).
# Without the archive (no libstdc++-dev) the build still works, with libstdc++ shared.
set -euo pipefail
cd "$(dirname "$0")/.."
args=(-c release --static-swift-stdlib)
archive=
for cc in "${CC:-cc}" clang gcc; do
  command -v "$cc" >/dev/null 2>&1 || continue
  archive=$("$cc" -print-file-name=libstdc++.a 2>/dev/null) || archive=
  [[ $archive == /* && -e $archive ]] && break
  archive=
done
if [[ -n $archive ]]; then
  dir=$PWD/.build/static-libstdc++
  mkdir -p "$dir"
  ln -sfn "$archive" "$dir/libstdc++.a"
  args+=(-Xswiftc "-L$dir")
else
  echo "build-release: no libstdc++.a (libstdc++-dev): libstdc++ stays a shared library" >&2
fi
exec "${SWIFT:-swift}" build "${args[@]}" "$@"
