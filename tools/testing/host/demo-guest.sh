#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The demo, run by /init inside the emulated arm64 KVM host (axhvc.ko is
# already loaded): two VMs, each run by its own axvmm process, talk over an
# IVC channel; axhvcctl shows it while they do; then the same with two
# Linux guests; then axhvc.ko unloads.

step() { printf '\n=== %s\n' "$*"; }
guests=/axhvc/guest

step "the host: $(uname -r), KVM: $(ls /dev/kvm)"
dmesg | grep -E 'kvm \[1\]: (VHE|Hyp|GICv3)|CPU: All CPU' | sed 's/^\[[^]]*\] //'

step "axhvc.ko is loaded"
# The module's .modinfo strings (busybox modinfo wants modules.dep).
tr '\0' '\n' < /axhvc/axhvc.ko | grep -E '^(version|description|license|vermagic)='
dmesg | grep 'axhvc:' | sed 's/^\[[^]]*\] //'
ls -l /dev/axhvc
axhvcctl version
axhvcctl gic

# wait_for FILE PATTERN SECONDS - until a line of FILE matches PATTERN.
wait_for()
{
	n=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		n=$((n + 1))
		[ "$n" -le $(($3 * 10)) ] || return 1
		sleep 0.1
	done
}

# run_pair NAME - run functions NAME_vm1 and NAME_vm2 (each starts one
# axvmm) at once; their consoles (each line prefixed by its VM) are shown
# as they come, and axhvcctl looks once VM 2 has read VM 1's message.
run_pair()
{
	log=/tmp/$1.log
	: >"$log"
	start=$(date +%s)
	{ "$1_vm1"; echo $? >"$log.rc1"; } 2>&1 | tee -a "$log" &
	vm1=$!
	{ "$1_vm2"; echo $? >"$log.rc2"; } 2>&1 | tee -a "$log" &
	vm2=$!
	if wait_for "$log" 'VM 1 says' 600; then
		echo
		echo "--- meanwhile, the operator looks: axhvcctl vms; axhvcctl channels ---"
		axhvcctl vms
		axhvcctl channels
		echo "---"
		echo
	fi
	wait "$vm1" "$vm2"
	echo "VM 1 exited $(cat "$log.rc1"), VM 2 exited $(cat "$log.rc2"), after $(($(date +%s) - start)) s"
}

step "two VMs talk over a channel: bare-metal guests on include/axhvc_guest.h"
echo "VM 1: axvmm, intercept route (hypercalls served inside KVM), doorbell: SPI INTID 64"
echo "VM 2: axvmm, forwarded route (KVM_EXIT_HYPERCALL -> axvmm -> /dev/axhvc)"
raw_vm1()
{
	axvmm --id 1 --mem 16M --route intercept --doorbell-spi 64 --timeout 300 \
		--raw $guests/ivc_ping.bin
}
raw_vm2()
{
	axvmm --id 2 --mem 16M --route forwarded --timeout 300 --raw $guests/ivc_pong.bin
}
run_pair raw

step "after they stopped, the host holds nothing for them"
axhvcctl
echo "axhvc's object counters: $(tr '\n' ' ' < /sys/kernel/debug/axhvc/ivc)"

step "the same with two Linux guests (Debian's arm64 kernel, busybox, axhvc_guest.ko, ivc_demo)"
echo "(each boots Debian's kernel under axvmm; guest userspace uses /dev/axhvc_guest)"
linux_vm()
{
	axvmm --mem 256M --route intercept --timeout 900 --kernel $guests/Image \
		--initrd $guests/linux-guest.cpio "$@"
}
linux_vm1()
{
	linux_vm --id 1 --doorbell-spi 64 --cmdline "console=ttyS0 quiet axhvc.demo=ping"
}
linux_vm2()
{
	linux_vm --id 2 --cmdline "console=ttyS0 quiet axhvc.demo=pong"
}
run_pair linux

step "unloading axhvc.ko"
rmmod axhvc_testhw
rmmod axhvc && echo "unloaded; /dev/axhvc: $(ls /dev/axhvc 2>&1 | sed 's/.*: //')"
dmesg | grep -E 'WARNING|BUG|axhvc.*(leak|error)' || echo "no kernel warnings"
