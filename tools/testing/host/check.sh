#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: the kernel's own static checks on the module, then every test
# inside the emulated arm64 KVM host, under Debian's stock kernel and under
# the debug kernel (KUnit, KASAN, lockdep, kmemleak), and under Debian
# bookworm's own 6.1 kernel. Ends with one line "N passed, N failed" and
# exits non-zero on any failure.
#
# AXHVC_KERNELS="stock debug stock61" picks the kernels; AXHVC_STATIC=0 skips
# the static checks (for a quick re-run while developing); AXHVC_GICV2=0 skips
# the short run of the stock kernel on a GICv2 host, AXHVC_PAGES64K=0 the
# short run of the 64 KiB-page debug kernel, AXHVC_QEMU=0 the run of
# Debian's QEMU with the preload.
set -uo pipefail
. "$(dirname "$0")/common.sh"
host=$top/tools/testing/host

counting_start check

# silent LOGFILE CMD... - run CMD; succeed only if it succeeds and prints nothing.
silent()
{
	local log=$1
	shift
	"$@" >"$log" 2>&1 || { echo "(exit $?)" >>"$log"; return 1; }
	[ ! -s "$log" ]
}

# no_findings LOGFILE CMD... - run a build; succeed if it builds and no line
# of its output is a compiler or sparse finding.
no_findings()
{
	local log=$1
	shift
	"$@" >"$log" 2>&1 || { echo "(exit $?)" >>"$log"; return 1; }
	! grep -E 'warning:|error:' "$log"
}

"$host/fetch-source.sh" || die "cannot unpack linux-source"
src_files=$(cd "$top" && git ls-files '*.c' '*.h' 2>/dev/null || find . -name '*.[ch]' -not -path './build/*')
mod_files=$(cd "$top" && ls ./*.c ./*.h include/uapi/*.h)

if [ "${AXHVC_STATIC:-1}" = 1 ]; then
	log "static checks"
	(cd "$top" && silent "$out/checkpatch.log" perl "$LINUX_SRC/scripts/checkpatch.pl" \
		--strict --no-tree --quiet --terse --show-types --no-summary -f $src_files)
	result "checkpatch.pl --strict on every C file" $? "$out/checkpatch.log"

	(cd "$top" && silent "$out/kernel-doc.log" perl "$LINUX_SRC/scripts/kernel-doc" -none -Wall $mod_files)
	result "kernel-doc -none on the module and its UAPI" $? "$out/kernel-doc.log"

	no_findings "$out/w1.log" "$host/build-module.sh" stock W=1
	result "make W=1 (Debian stock 6.12 headers)" $? "$out/w1.log"

	no_findings "$out/sparse.log" "$host/build-module.sh" stock C=2
	result "sparse C=2 (Debian stock 6.12 headers)" $? "$out/sparse.log"

	# The objects of the stock build above, against overview.rst's "Layers".
	"$host/layering.py" -v >"$out/layering.log" 2>&1
	result "layering: no call goes up a layer (Documentation/overview.rst, Layers)" $? \
		"$out/layering.log"

	"$host/layering-probe.sh" >"$out/layering-probe.log" 2>&1
	result "layering check catches an upward call added to a scratch copy" $? \
		"$out/layering-probe.log"

	no_findings "$out/w1-61.log" "$host/build-module.sh" stock61 W=1
	result "make W=1 (Debian bookworm 6.1 headers)" $? "$out/w1-61.log"

	# The same sources in the kernel's tree, as drivers/virt/axhvc/ of the
	# debug kernel's source (on overlays: the cached tree stays as it is).
	for m in m y; do
		"$host/intree-build.sh" "$m" >"$out/intree-$m.log" 2>&1
		result "in-tree build as drivers/virt/axhvc, CONFIG_AXHVC=$m (debug kernel's 6.12)" $? \
			"$out/intree-$m.log"
	done

	# Every module parameter is described for modinfo.
	(cd "$top" && np=$(cat ./*.c | grep -c '^module_param') &&
	 nd=$(modinfo -p build/stock/axhvc.ko | grep -c ':[^ ].* (') &&
	 echo "module_param: $np, described in modinfo: $nd" >"$out/modinfo.log" &&
	 [ "$np" = "$nd" ])
	result "modinfo describes every module parameter" $? "$out/modinfo.log"

	for k in stock stock61; do
		"$host/dkms-build.sh" "$k" >"$out/dkms-$k.log" 2>&1
		result "dkms add + build (Debian $k headers, a private DKMS tree)" $? \
			"$out/dkms-$k.log"
	done

	silent "$out/htmldocs.log" make -s -C "$top" htmldocs
	result "make htmldocs without a warning" $? "$out/htmldocs.log"
fi

log "building the test programs"
uapi=$("$host/uapi-headers.sh")
no_findings "$out/selftests-build.log" make -C "$top/tools/testing/selftests/axhvc" \
	UAPI_INCLUDE="$uapi" KSFT_DIR="$LINUX_SRC/tools/testing/selftests"
result "test programs build without warnings" $? "$out/selftests-build.log"

# The 64 KiB-page kernel (about 19 CPU-minutes to build cold) is built in the
# background while the rows below run: an emulated host leaves much of the
# two cores idle, so a cold run takes minutes less than building it first.
if [ "${AXHVC_PAGES64K:-1}" = 1 ]; then
	nice -n 10 "$host/build-debug-kernel.sh" 64k >"$out/pages64k-kernel.log" 2>&1 &
	pages_kernel=$!
fi

for kernel in ${AXHVC_KERNELS:-stock debug stock61}; do
	expected="$(make -s -C "$top/tools/testing/selftests/axhvc" print-tests)"
	[ "$kernel" = debug ] && expected="kunit $expected"
	case $kernel in
	debug)	limit=2700 ;;
	*)	limit=1500 ;;
	esac
	host_run "$kernel" "$kernel" check "$limit" $expected
done

# A GICv2 host: the stock kernel booted with gic-version=2 (KVM offers only a
# vgic-v2 there), running what identifies the host GIC and forwards host SPIs
# to guests. Counted as "stock-gicv2".
if [ "${AXHVC_GICV2:-1}" = 1 ]; then
	gicv2_tests="axhvc_dev_test guest_irq_test"
	AXHVC_GIC=2 AXHVC_APPEND="${AXHVC_APPEND:-} axhvc_tests=${gicv2_tests// /,}" \
		host_run stock-gicv2 stock some 900 $gicv2_tests
fi

# Debian's own arm64 QEMU inside the stock host, with libaxhvc-qemu.so
# preloaded (tools/testing/qemu/preload_test.sh). Counted as "stock-qemu";
# AXHVC_QEMU=0 skips it.
if [ "${AXHVC_QEMU:-1}" = 1 ]; then
	AXHVC_WITH_QEMU=1 AXHVC_APPEND="${AXHVC_APPEND:-} axhvc_tests=qemu_preload_test" \
		host_run stock-qemu stock some 1200 qemu_preload_test
fi

# A 64 KiB-page host: the debug kernel built with 64 KiB pages, running
# KUnit and ivc_test (4 KiB channels between two guests, Documentation/ivc.rst).
# Counted as "pages64k"; AXHVC_PAGES64K=0 skips it. make matrix has more.
if [ "${AXHVC_PAGES64K:-1}" = 1 ]; then
	wait "$pages_kernel" || log "pages64k: the background kernel build failed; host_run tries again"
	pages_tests="kunit ivc_test"
	AXHVC_APPEND="${AXHVC_APPEND:-} axhvc_tests=${pages_tests// /,}" \
		host_run pages64k debug64k some 1500 $pages_tests
fi

log "make check took $(( $(date +%s) - start )) s"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
