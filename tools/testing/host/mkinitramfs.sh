#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs.sh OUT.cpio MODULE_DIR [KUNIT]
# Pack the test host's initramfs: busybox, /init, axhvc.ko (and axhvc_kunit.ko
# when MODULE_DIR has one), the kselftests, the demo and the programs of
# tools/*/ (every one whose Makefile has an "install" target goes to
# /axhvc/bin) and axhvc_bench (tools/testing/bench). AXHVC_SCRIPT=FILE adds
# FILE as /axhvc/script.sh, which the host runs in mode "script" (see run-script.sh).
# AXHVC_WITH_QEMU=1 adds Debian's arm64 qemu-system-aarch64 as /usr/bin, with
# its loader and libraries at their Debian paths (fetch-qemu-arm64.sh), and
# the QEMU test files of tools/testing/qemu in /axhvc/qemu.
set -euo pipefail
. "$(dirname "$0")/common.sh"

out=$1
moddir=$2
deb=$("$(dirname "$0")/fetch-debian.sh")
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
# mktemp's 0700 would become the host's /, and shut the non-root tenant out.
chmod 0755 "$stage"

mkdir -p "$stage"/{bin,sbin,proc,sys,dev,tmp,axhvc/tests}
cp "$deb/busybox" "$stage/bin/busybox"
cp "$top/tools/testing/host/init.sh" "$stage/init"
cp "$top/tools/testing/host/demo-guest.sh" "$stage/axhvc/demo.sh"
chmod +x "$stage/init"
cp "$moddir/axhvc.ko" "$stage/axhvc/"
[ ! -e "$moddir/axhvc_kunit.ko" ] || cp "$moddir/axhvc_kunit.ko" "$stage/axhvc/"
cp "$moddir/testhw/axhvc_testhw.ko" "$stage/axhvc/"
uapi=$("$(dirname "$0")/uapi-headers.sh")
make -s -C "$top/tools/testing/selftests/axhvc" install DESTDIR="$stage/axhvc/tests" >/dev/null
for mk in "$top"/tools/*/Makefile; do
	[ -e "$mk" ] && grep -q "^install:" "$mk" || continue
	make -s -C "$(dirname "$mk")" install DESTDIR="$stage/axhvc/bin" \
		UAPI_INCLUDE="$uapi" MODULE_DIR="$moddir" DEBIAN_DIR="$deb" >/dev/null
done
make -s -C "$top/tools/testing/bench" install DESTDIR="$stage/axhvc/bin" \
	UAPI_INCLUDE="$uapi" >/dev/null
if [ "${AXHVC_WITH_QEMU:-0}" = 1 ]; then
	qemu=$("$(dirname "$0")/fetch-qemu-arm64.sh")
	mkdir -p "$stage/usr/bin" "$stage/axhvc/qemu"
	cp "$qemu/root/usr/bin/qemu-system-aarch64" "$stage/usr/bin/"
	while read -r l; do
		mkdir -p "$stage/$(dirname "$l")"
		cp -L "$qemu/root/$l" "$stage/$l"
	done <"$qemu/libs.list"
	make -s -C "$top/tools/testing/qemu" install DESTDIR="$stage/axhvc/qemu" >/dev/null
	# As a test program too, for init.sh's axhvc_tests (check.sh's stock-qemu).
	cp "$top/tools/testing/qemu/preload_test.sh" "$stage/axhvc/tests/qemu_preload_test"
fi
[ -z "${AXHVC_SCRIPT:-}" ] || cp "$AXHVC_SCRIPT" "$stage/axhvc/script.sh"
(cd "$stage" && find . | cpio -o -H newc --quiet) >"$out"
