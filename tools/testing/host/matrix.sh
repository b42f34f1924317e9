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
#   acpi       the same machine booted twice, by device tree and through UEFI
#              firmware with ACPI; what axhvc found and every test case's
#              result must be the same in both boots
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

# acpi_row - the stock kernel's whole suite on one machine booted by device
# tree (counted as acpi-dt) and through UEFI with ACPI (acpi), then checks
# that the second boot really ran on ACPI and said what the first did.
acpi_row()
{
	local b t
	host_run acpi-dt stock check 1500 $expected
	AXHVC_FIRMWARE=uefi host_run acpi stock check 1500 $expected
	for b in acpi-dt acpi; do
		# The console without its carriage returns.
		tr -d '\r' <"$out/$b.log" >"$out/$b.txt"
		# What axhvc and the test helper found, which programs ended how,
		# and each test case's result: nothing that names the firmware.
		grep -E '^axhvc-host: (fact: |end )|^ *(ok|not ok) [0-9]' "$out/$b.txt" |
			sed -n '/^axhvc-host: end dmesg/q;p' >"$out/$b.facts"
		# How much of the QEMU run passed before the kernel's clock
		# started (firmware, loading): its uptime at power-off subtracted.
		t=$(sed -n 's/^\[ *\([0-9]*\)\.[0-9]*\] reboot: Power down$/\1/p' "$out/$b.txt")
		log "acpi: the $b boot took $(cat "$out/$b.time") s, $(( $(cat "$out/$b.time") - ${t:-0} )) s of it before the kernel's clock started"
	done
	echo "# acpi: the host facts of the device-tree boot (left) and the ACPI boot (right)"
	paste -d'|' <(sed -n 's/^axhvc-host: fact: //p' "$out/acpi-dt.txt") \
		<(sed -n 's/^axhvc-host: fact: //p' "$out/acpi.txt") | sed 's/^/#   /'
	{ grep -x 'axhvc-host: firmware: ACPI (MADT), booted by UEFI' "$out/acpi.txt" &&
	  grep 'ACPI: Using GIC for interrupt routing' "$out/acpi.txt" &&
	  grep 'VHE mode initialized successfully' "$out/acpi.txt" &&
	  grep -x 'axhvc-host: firmware: device tree' "$out/acpi-dt.txt"; } >"$out/acpi-fw.log" 2>&1
	result "acpi: booted by UEFI with ACPI, no device tree, KVM in VHE mode (the other boot: device tree)" \
		$? "$out/acpi-fw.log"
	{ grep -m1 '^\[.*\] axhvc: host GICv3 from the ACPI MADT: ' "$out/acpi.txt" &&
	  grep -m1 '^\[.*\] axhvc: host GICv3 from the device tree: ' "$out/acpi-dt.txt"; } \
		>"$out/acpi-source.log" 2>&1
	result "acpi: axhvc found the GIC in the MADT (the other boot: in the device tree)" $? \
		"$out/acpi-source.log"
	diff -u "$out/acpi-dt.facts" "$out/acpi.facts" >"$out/acpi.diff"
	result "acpi: same facts and results as the device-tree boot ($(wc -l <"$out/acpi.facts") lines)" \
		$? "$out/acpi.diff"
	echo $(( $(cat "$out/acpi-dt.time") + $(cat "$out/acpi.time") )) >"$out/acpi.time"
}

# What the 16 and 64 KiB hosts run (Documentation/testing.rst, "The host matrix").
pages_tests="kunit guest_hvc_test hypercall_test ivc_test"

table=
for row in ${AXHVC_MATRIX:-nvhe protected kvm acpi pages16k pages64k}; do
	p0=$passed f0=$failed s0=$skipped
	case $row in
	nvhe|protected)
		AXHVC_KVM_MODE=$row host_run "$row" stock check 1500 $expected ;;
	# init.sh stops a program after AXHVC_TEST_TIMEOUT (600 s by default):
	# both runs of every KVM selftest take longer. kvm_page_table_test and
	# rseq_test took 194 s to 303 s, so each program gets 600 s.
	kvm)	AXHVC_KVM_ALL=1 AXHVC_APPEND="${AXHVC_APPEND:-} axhvc_tests=kvm_selftests.sh AXHVC_TEST_TIMEOUT=10000 KVM_SELFTEST_TIMEOUT=600" \
			host_run "$row" stock some 10800 kvm_selftests.sh
		# The side-by-side table, from the console.
		sed -n 's/^# kvm-table: //p' "$out/$row.log" ;;
	acpi)	acpi_row ;;
	pages16k|pages64k)
		AXHVC_APPEND="${AXHVC_APPEND:-} axhvc_tests=${pages_tests// /,}" \
			host_run "$row" "debug${row#pages}" some 2700 $pages_tests ;;
	*)	die "unknown row '$row' (nvhe, protected, kvm, acpi, pages16k, pages64k)" ;;
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
