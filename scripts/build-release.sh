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
# libgcc linked in as well (clang's -static-libgcc: libgcc.a and libgcc_eh.a, the unwinder):
# libgcc_s.so's initialiser asks the CPU for its features (cpuid, which traps to the
# hypervisor in a VM) at every start. Alternated runs of `netcfg set-ip` on a one-device
# file: 0.94 of the time without it. Any compiler that links libstdc++ in has libgcc.a.
if [[ -n $archive ]] && [[ $("${CC:-cc}" -print-libgcc-file-name 2>/dev/null) == /* ]]; then
  args+=(-Xswiftc -Xclang-linker -Xswiftc -static-libgcc)
fi
# Type metadata reached through accessor functions, not through mangled names the runtime
# demangles at first use (and checks conformances for by scanning every conformance record):
# that demangling was 14% of a one-device `set-ip`. Alternated pairs against the build before
# both flags, in one run: libgcc linked in 0.94 of the time, with this flag too 0.91 (3.78
# against 4.16 ms), for 0.4% more binary.
if "${SWIFT:-swift}" -frontend -help-hidden 2>/dev/null | grep -q -- '-disable-concrete-type-metadata-mangled-name-accessors'; then
  args+=(-Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors)
fi
# Relative relocations packed (DT_RELR, lld's -z pack-relative-relocs): the binary stays
# position-independent, and the loader no longer reads 28,000 RELA entries (670 KB) at every
# start: `netcfg validate` on a one-device file went from 3.41 to 3.10 ms (interleaved runs;
# a non-PIE link, 2.97 ms, would drop ASLR for the binary: not done). The loader must know
# DT_RELR (glibc 2.36: Debian 12, Ubuntu 24.04); a build on an older glibc links as before.
swift_bin=$(command -v "${SWIFT:-swift}" || true)
lld= with_lld=
for candidate in "${swift_bin%/*}/ld.lld" "$(command -v ld.lld || true)"; do
  [[ -n $candidate && -x $candidate ]] && { lld=$candidate; break; }
done
glibc=$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}')
if [[ -n $lld && -n $glibc ]] && printf '2.36\n%s\n' "$glibc" | sort -V -C; then
  args+=(-Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld -Xlinker -z -Xlinker pack-relative-relocs)
  with_lld=1
else
  echo "build-release: no ld.lld or glibc older than 2.36 ($glibc): relocations not packed" >&2
fi
# Link-time optimisation over all modules (SwiftPM's --experimental-lto-mode=full): code
# of one module inlined into another, what no command uses left out. Interleaved pairs
# against the build without it: one device `validate` 0.84 and `set-ip` 0.91 of the time
# (about 30 fewer page faults of 340), `validate` at 10,000 devices 0.96. A toolchain
# without the option, or a link without lld, builds as before.
if [[ -n $with_lld ]] && "${SWIFT:-swift}" build --help-hidden 2>/dev/null | grep -q -- '--experimental-lto-mode'; then
  args+=(--experimental-lto-mode=full)
else
  echo "build-release: no ld.lld or no --experimental-lto-mode in this toolchain: built without LTO" >&2
fi
exec "${SWIFT:-swift}" build "${args[@]}" "$@"
