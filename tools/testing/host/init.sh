#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the emulated arm64 KVM host. The kernel command line picks the job:
#   axhvc_mode=check   run every test, print TAP, power off
#   axhvc_mode=demo    run /axhvc/demo.sh, power off
#   axhvc_mode=script  run /axhvc/script.sh (see run-script.sh), power off
#   axhvc_mode=bench   run axhvc_bench (see bench.sh), power off
#   axhvc_mode=stress  the long stress tests (make stress), then the same
#                      unload, kmemleak scan and log as "check"
#   axhvc_mode=some    only the programs of axhvc_tests=A,B,... (root; "kunit"
#                      for the KUnit suites), then the same unload and log as
#                      "check" (check.sh's GICv2 run, matrix.sh's rows)
# Lines starting with "axhvc-host:" are read by check.sh on the outer side.

/bin/busybox --install -s /bin
export PATH=/axhvc/bin:/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null

say() { echo "axhvc-host: $*"; }

# run_prog NAME CMD... - one test program, bracketed by markers, with a timeout
# so that a program stuck in KVM_RUN cannot hang the whole run.
run_prog()
{
	name=$1
	shift
	say "begin $name"
	timeout -s KILL "${AXHVC_TEST_TIMEOUT:-600}" "$@"
	say "end $name rc=$?"
}

# host_facts - the firmware the host booted with, and what axhvc and the test
# helper module say of the host GIC, as "axhvc-host: fact:" lines: matrix.sh's
# acpi row compares a device-tree boot's with an ACPI boot's.
host_facts()
{
	if [ -d /sys/firmware/devicetree/base ]; then
		fw="device tree"
	elif [ -e /sys/firmware/acpi/tables/APIC ]; then
		fw="ACPI (MADT)"
	else
		fw="neither a device tree nor an ACPI MADT"
	fi
	[ ! -d /sys/firmware/efi ] || fw="$fw, booted by UEFI"
	say "firmware: $fw"
	{ axhvcctl version; axhvcctl gic; cat /sys/kernel/debug/axhvc_testhw/gic; } 2>&1 |
		sed 's/^/axhvc-host: fact: /'
}

# run_kunit - the KUnit suites, where the module was built with them.
run_kunit()
{
	[ -e /axhvc/axhvc_kunit.ko ] || return 0
	# KUnit runs the suites while the module loads; results stay in debugfs.
	say "begin kunit"
	if insmod /axhvc/axhvc_kunit.ko; then
		rc=0
		for r in /sys/kernel/debug/kunit/axhvc*/results; do
			cat "$r"
		done
		rmmod axhvc_kunit || rc=1
	else
		rc=1
	fi
	say "end kunit rc=$rc"
}

run_checks()
{
	host_facts
	cd /axhvc/tests || return
	run_kunit
	while read -r t; do
		run_prog "$t" "./$t"
	done <tests.list
	run_tenant_checks
	finish_checks
}

# setup_tenants - the shared host of udev/60-axhvc.rules: /dev/axhvc and
# /dev/kvm (and /dev/userfaultfd) at root:kvm 0660, and two non-root users in
# group kvm (uid 1000, the tenant the programs run as; uid 2000, another one
# the tests start).
setup_tenants()
{
	mkdir -p /etc
	printf '%s\n' "root:x:0:0:root:/root:/bin/sh" \
		"tenant:x:1000:36:tenant:/tmp:/bin/sh" \
		"other:x:2000:36:other:/tmp:/bin/sh" >/etc/passwd
	printf '%s\n' "root:x:0:" "kvm:x:36:tenant,other" >/etc/group
	chown 0:36 /dev/axhvc /dev/kvm && chmod 0660 /dev/axhvc /dev/kvm ||
		say "error: cannot share /dev/axhvc and /dev/kvm with group kvm"
	# A host whose VMMs may do post-copy migration (QEMU's userfaultfd):
	# the tenant then has a userfaultfd that stalls kernel accesses.
	[ ! -e /dev/userfaultfd ] || { chown 0:36 /dev/userfaultfd && chmod 0660 /dev/userfaultfd; }
}

# run_tenant_checks - the programs of tenant.list again, as the tenant.
run_tenant_checks()
{
	[ -e tenant.list ] || return
	# axhvc_load.sh reloads the module: its new node is root's alone again.
	setup_tenants
	while read -r t; do
		run_prog "tenant:$t" ./tenant_run "./$t"
	done <tenant.list
	run_prog tenant:leftovers ./tenant_leftovers.sh
}

# run_some - the programs named by axhvc_tests (comma-separated), as root;
# "kunit" names the KUnit suites.
run_some()
{
	host_facts
	cd /axhvc/tests || return
	for t in $(echo "${axhvc_tests:-}" | tr , ' '); do
		if [ "$t" = kunit ]; then
			run_kunit
		else
			run_prog "$t" "./$t"
		fi
	done
	finish_checks
}

# finish_checks - unload axhvc, scan for leaks, print the kernel log.
finish_checks()
{
	# Module memory leaks show up only after the module is gone.
	if rmmod axhvc 2>/dev/null; then
		say "axhvc unloaded"
	else
		say "error: rmmod axhvc failed"
	fi
	if [ -e /sys/kernel/debug/kmemleak ]; then
		# kmemleak ignores objects younger than 5 s; scan twice as its doc advises.
		sleep 6
		echo scan >/sys/kernel/debug/kmemleak
		sleep 1
		echo scan >/sys/kernel/debug/kmemleak
		say "begin kmemleak"
		cat /sys/kernel/debug/kmemleak
		say "end kmemleak"
	fi
	say "begin dmesg"
	dmesg
	say "end dmesg"
}

# run_stress - the long version of tools/testing/stress (make stress). The
# amounts can be changed on the kernel command line (AXHVC_STRESS_*=N).
run_stress()
{
	cd /axhvc/tests || return
	export AXHVC_STRESS_FUZZ_CALLS=${AXHVC_STRESS_FUZZ_CALLS:-1000000}
	export AXHVC_STRESS_CONC_CALLS=${AXHVC_STRESS_CONC_CALLS:-100000}
	export AXHVC_STRESS_KILLS=${AXHVC_STRESS_KILLS:-250}
	export AXHVC_STRESS_CLOSE_ROUNDS=${AXHVC_STRESS_CLOSE_ROUNDS:-20}
	export AXHVC_STRESS_IOCTLS=${AXHVC_STRESS_IOCTLS:-150000}
	AXHVC_TEST_TIMEOUT=${AXHVC_TEST_TIMEOUT:-5400} run_prog axhvc_stress ./axhvc_stress
	finish_checks
}

say "kernel $(uname -r) on $(grep -c ^processor /proc/cpuinfo) CPUs, mode ${axhvc_mode:-none}"
[ -c /dev/kvm ] || say "warning: no /dev/kvm"
insmod /axhvc/axhvc.ko || say "error: insmod axhvc.ko failed"
# The tests' own helper (raises host interrupts); never part of a real host.
insmod /axhvc/axhvc_testhw.ko || say "error: insmod axhvc_testhw.ko failed"
setup_tenants
case "${axhvc_mode:-}" in
check)	run_checks ;;
demo)	sh /axhvc/demo.sh ;;
script)	sh /axhvc/script.sh ;;
bench)	dmesg | grep -m1 'mode initialized successfully'	# the KVM mode, for bench.sh
	AXHVC_TEST_TIMEOUT=2400 run_prog bench axhvc_bench \
		-r "${axhvc_bench_rounds:-9}" -s "${axhvc_bench_sections:-1234567}" ;;
stress)	run_stress ;;
some)	run_some ;;
*)	say "unknown mode '${axhvc_mode:-}'" ;;
esac
say "done"
sync
poweroff -f
