#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make matrix: the host kinds make check does not cover, each a boot of the
# emulated arm64 KVM host running the stock kernel's whole suite (as make
# check's "stock" row does) there. Ends with a table of each row's counts and
# wall time, then "N passed, N failed"; exits non-zero on any failure.
#
# Rows (AXHVC_MATRIX picks them, default all):
#   nvhe       kvm-arm.mode=nvhe: KVM's hypervisor at EL2, the kernel at EL1
#   protected  kvm-arm.mode=protected: pKVM, the host deprivileged
#   kvm        every arm64 KVM selftest of linux-source-6.12, without axhvc and
#              with its intercept bound for another VM (kvm_selftests.sh
#              prints both runs' results side by side)
#   pages16k   the debug kernel built with 16 KiB pages (build-debug-kernel.sh
#              16k): KUnit, and the programs that size channels and lay out
#              guest memory and windows ($pages_tests)
#   pages64k   the same with 64 KiB pages
set -uo pipefail
. "$(dirname "$0")/common.sh"

counting_start matrix

make -s -C "$top/tools/testing/selftests/axhvc" \
	UAPI_INCLUDE="$("$top/tools/testing/host/uapi-headers.sh")" >"$out/selftests-build.log" 2>&1 ||
	{ cat "$out/selftests-build.log"; die "the test programs do not build"; }
expected="$(make -s -C "$top/tools/testing/selftests/axhvc" print-tests)"

# What the 16 and 64 KiB hosts run (Documentation/testing.rst, "The host matrix").
pages_tests="kunit guest_hvc_test hypercall_test ivc_test"

table=
for row in ${AXHVC_MATRIX:-nvhe protected kvm pages16k pages64k}; do
	p0=$passed f0=$failed s0=$skipped
	case $row in
	nvhe|protected)
		AXHVC_KVM_MODE=$row host_run "$row" stock check 1500 $expected ;;
	kvm)	AXHVC_KVM_ALL=1 AXHVC_APPEND="${AXHVC_APPEND:-} axhvc_tests=kvm_selftests.sh" \
			host_run "$row" stock some 5400 kvm_selftests.sh
		# The side-by-side table, from the console.
		sed -n 's/^# kvm-table: //p' "$out/$row.log" ;;
	pages16k|pages64k)
		AXHVC_APPEND="${AXHVC_APPEND:-} axhvc_tests=${pages_tests// /,}" \
			host_run "$row" "debug${row#pages}" some 2700 $pages_tests ;;
	*)	die "unknown row '$row' (nvhe, protected, kvm, pages16k, pages64k)" ;;
	esac
	kvm=$(grep -o -m1 '[A-Za-z ]*mode initialized successfully' "$out/$row.log" ||
	      echo "KVM did not start")
	table+=$(printf '%-10s %6d %6d %7d %6ss   %s' "$row" $((passed - p0)) \
		 $((failed - f0)) $((skipped - s0)) "$(cat "$out/$row.time" 2>/dev/null || echo -)" \
		 "${kvm# }")$'\n'
done

echo
printf '%-10s %6s %6s %7s %7s   %s\n' row passed failed skipped time "KVM says"
printf '%s' "$table"
log "make matrix took $(( $(date +%s) - start )) s"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
