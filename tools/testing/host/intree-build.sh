#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# intree-build.sh [m] [y]
# The in-tree build: the module copied into the debug kernel's source as
# drivers/virt/axhvc/ (with drivers/virt/Kconfig and Makefile hooked), its
# Kconfig run through the kernel's olddefconfig, and the kernel built with
# CONFIG_AXHVC=m (make modules: axhvc.ko and axhvc_kunit.ko) and =y (make
# vmlinux: both linked into the kernel). Fails on a build error, on a
# compiler warning in drivers/virt/axhvc/, or when Kconfig does not give the
# values asked for. Logs: build/intree/<m|y>/.
#
# Cost: the debug kernel (build-debug-kernel.sh) is built once and cached;
# this builds only what the new options change, on top of that build. The
# cached source and objects must stay as they are (other builds use them),
# and their absolute paths are in every object's recorded command line, so
# a copy elsewhere would rebuild the whole kernel. Instead each variant runs
# in a mount namespace of its own, where both directories are overlays at
# their own paths: reads come from the cache, every write goes to
# build/intree/<m|y>/, and nothing outside the namespace sees a change.
# Needs root (unshare, mount), as make check does.
set -euo pipefail
. "$(dirname "$0")/common.sh"
host=$top/tools/testing/host
out=$top/build/intree

# inside MODE KOBJ - run in the private mount namespace.
inside()
{
	local mode=$1 kobj=$2 dir=$out/$1 d
	local ksrc=$LINUX_SRC mk=(make -C "$2" ARCH=arm64 -j"$(nproc)")

	mount --make-rprivate /
	for d in src obj; do
		mkdir -p "$dir/$d.upper" "$dir/$d.work"
	done
	mount -t overlay axhvc-src -o "lowerdir=$ksrc,upperdir=$dir/src.upper,workdir=$dir/src.work" "$ksrc"
	mount -t overlay axhvc-obj -o "lowerdir=$kobj,upperdir=$dir/obj.upper,workdir=$dir/obj.work" "$kobj"

	# The module as its directory in the tree holds it.
	mkdir -p "$ksrc/drivers/virt/axhvc/include/uapi"
	cp "$top/Kconfig" "$top/Kbuild" "$top"/*.c "$top"/*.h "$ksrc/drivers/virt/axhvc/"
	cp "$top/include/uapi/axhvc.h" "$ksrc/drivers/virt/axhvc/include/uapi/"
	sed -i 's|^endif$|source "drivers/virt/axhvc/Kconfig"\n\nendif|' "$ksrc/drivers/virt/Kconfig"
	# shellcheck disable=SC2016 # a make variable, for make
	echo 'obj-$(CONFIG_AXHVC)		+= axhvc/' >>"$ksrc/drivers/virt/Makefile"
	grep -q 'drivers/virt/axhvc/Kconfig' "$ksrc/drivers/virt/Kconfig" ||
		die "cannot hook drivers/virt/Kconfig"

	# Kconfig: the dependencies hold (no KVM, no axhvc), checked on a copy of
	# the configuration (olddefconfig leaves the build's auto.conf alone).
	cp "$kobj/.config" "$dir/nokvm.config"
	"$ksrc/scripts/config" --file "$dir/nokvm.config" --disable KVM --enable VIRT_DRIVERS --disable VMGENID \
		--module AXHVC --module AXHVC_KUNIT_TEST
	"${mk[@]}" -s KCONFIG_CONFIG="$dir/nokvm.config" olddefconfig >"$dir/config.log" 2>&1
	if grep -q '^CONFIG_AXHVC' "$dir/nokvm.config"; then
		grep '^CONFIG_AXHVC' "$dir/nokvm.config"
		die "Kconfig: axhvc enabled on a kernel without KVM"
	fi

	# VIRT_DRIVERS turns VMGENID on by default, which include/linux/random.h
	# tests: it would rebuild most of the kernel. Leave it off.
	"$ksrc/scripts/config" --file "$kobj/.config" --enable VIRT_DRIVERS --disable VMGENID
	if [ "$mode" = m ]; then
		"$ksrc/scripts/config" --file "$kobj/.config" --module AXHVC --module AXHVC_KUNIT_TEST
	else
		"$ksrc/scripts/config" --file "$kobj/.config" --enable AXHVC --enable AXHVC_KUNIT_TEST
	fi
	"${mk[@]}" -s olddefconfig >>"$dir/config.log" 2>&1
	! grep -iE 'warning|error' "$dir/config.log" || die "Kconfig warns"
	for d in AXHVC AXHVC_KUNIT_TEST; do
		grep -x "CONFIG_$d=$mode" "$kobj/.config" ||
			die "olddefconfig did not keep CONFIG_$d=$mode"
	done

	if [ "$mode" = m ]; then
		"${mk[@]}" modules >"$dir/build.log" 2>&1 || { tail -n 40 "$dir/build.log"; die "make modules failed"; }
	else
		"${mk[@]}" vmlinux >"$dir/build.log" 2>&1 || { tail -n 40 "$dir/build.log"; die "make vmlinux failed"; }
	fi
	! grep -E 'warning:|error:' "$dir/build.log" || die "the build warns"

	# What the tree made of it.
	if [ "$mode" = m ]; then
		for d in axhvc axhvc_kunit; do
			[ -s "$kobj/drivers/virt/axhvc/$d.ko" ] || die "no drivers/virt/axhvc/$d.ko"
			grep -qx "drivers/virt/axhvc/$d.o" "$kobj/modules.order" ||
				die "$d is not in modules.order"
			echo "$d.ko: $(stat -c %s "$kobj/drivers/virt/axhvc/$d.ko") bytes," \
				"intree=$(modinfo -F intree "$kobj/drivers/virt/axhvc/$d.ko")," \
				"vermagic=$(modinfo -F vermagic "$kobj/drivers/virt/axhvc/$d.ko")"
		done
		[ "$(modinfo -F intree "$kobj/drivers/virt/axhvc/axhvc.ko")" = Y ] ||
			die "axhvc.ko is not marked in-tree"
	else
		for d in axhvc axhvc_kunit; do
			grep -qx "kernel/drivers/virt/axhvc/$d.ko" "$kobj/modules.builtin" ||
				die "$d is not in modules.builtin"
		done
		# Linked in: the module's init and one of its functions are in vmlinux.
		"${CROSS_COMPILE}nm" "$kobj/vmlinux" | grep -E ' (__initcall__kmod_axhvc__[0-9]+_[0-9]+_axhvc_init[0-9]|axhvc_dispatch)$' >"$dir/vmlinux.syms" || true
		[ "$(wc -l <"$dir/vmlinux.syms")" = 2 ] || { cat "$dir/vmlinux.syms"; die "axhvc is not linked into vmlinux"; }
		echo "vmlinux: $(stat -c %s "$kobj/vmlinux") bytes, with:"
		sed 's/^/  /' "$dir/vmlinux.syms"
	fi
}

if [ "${1:-}" = --inside ]; then
	inside "$2" "$3"
	exit
fi

[ "$(id -u)" = 0 ] || die "needs root (a mount namespace with overlays)"
kobj=$("$host/build-debug-kernel.sh")
modes=("$@")
[ $# -gt 0 ] || modes=(m y)
for mode in "${modes[@]}"; do
	case $mode in m|y) ;; *) die "unknown variant '$mode' (m or y)" ;; esac
	rm -rf "${out:?}/$mode"
	mkdir -p "$out/$mode"
	t0=$(date +%s)
	log "in-tree build, CONFIG_AXHVC=$mode (logs: $out/$mode)"
	unshare -m "$0" --inside "$mode" "$kobj"
	log "in-tree build, CONFIG_AXHVC=$mode: ok in $(( $(date +%s) - t0 )) s"
	# The overlays' upper layers hold a relinked kernel: keep the logs only.
	rm -rf "${out:?}/$mode"/{src,obj}.{upper,work}
done
