#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs.sh OUT.cpio MODULE_DIR [KUNIT]
# Pack the test host's initramfs: busybox, /init, axhvc.ko (and axhvc_kunit.ko
# when MODULE_DIR has one), the kselftests and the demo.
set -euo pipefail
. "$(dirname "$0")/common.sh"

out=$1
moddir=$2
deb=$("$(dirname "$0")/fetch-debian.sh")
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

mkdir -p "$stage"/{bin,sbin,proc,sys,dev,tmp,axhvc/tests}
cp "$deb/busybox" "$stage/bin/busybox"
cp "$top/tools/testing/host/init.sh" "$stage/init"
cp "$top/tools/testing/host/demo-guest.sh" "$stage/axhvc/demo.sh"
chmod +x "$stage/init"
cp "$moddir/axhvc.ko" "$stage/axhvc/"
[ ! -e "$moddir/axhvc_kunit.ko" ] || cp "$moddir/axhvc_kunit.ko" "$stage/axhvc/"
cp "$moddir/testhw/axhvc_testhw.ko" "$stage/axhvc/"
make -s -C "$top/tools/testing/selftests/axhvc" install DESTDIR="$stage/axhvc/tests" >/dev/null
(cd "$stage" && find . | cpio -o -H newc --quiet) >"$out"
