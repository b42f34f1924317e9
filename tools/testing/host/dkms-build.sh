#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dkms-build.sh stock|stock61
# The documented DKMS flow (make dkms-source, dkms add, dkms build), run
# against Debian's arm64 headers with the cross compiler, in a DKMS tree and
# source tree of its own under build/ (outside it, DKMS may create its
# module signing key in /var/lib/dkms, as on any host that uses it).
# Fails unless DKMS reports the module built.
set -euo pipefail
. "$(dirname "$0")/common.sh"

kernel=${1:-stock}
command -v dkms >/dev/null || die "dkms is not installed (run install-deps.sh)"
deb=$("$(dirname "$0")/fetch-debian.sh" "$kernel")
kdir=$deb/headers
krel=$(cat "$kdir/include/config/kernel.release")
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$top/dkms.conf")
out=$top/build/dkms-$kernel
rm -rf "$out"
mkdir -p "$out/src" "$out/tree"
make -s -C "$top" dkms-source DKMS_SRC="$out/src/axhvc-$ver" >/dev/null
dkms=(dkms --sourcetree "$out/src" --dkmstree "$out/tree")
"${dkms[@]}" add "axhvc/$ver"
ARCH=arm64 "${dkms[@]}" build "axhvc/$ver" -k "$krel" -a aarch64 --kernelsourcedir "$kdir"
"${dkms[@]}" status axhvc | tee "$out/status"
grep -q "axhvc/$ver, $krel, aarch64: built" "$out/status"
