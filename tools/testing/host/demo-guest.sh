#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The demo, run by /init inside the emulated arm64 KVM host (axhvc.ko is
# already loaded). Grows with the project.

step() { printf '\n=== %s\n' "$*"; }

step "the host: $(uname -r), KVM: $(ls /dev/kvm)"
dmesg | grep -E 'kvm \[1\]: (VHE|Hyp|GICv3)|CPU: All CPU' | sed 's/^\[[^]]*\] //'

step "axhvc.ko is loaded"
# The module's .modinfo strings (busybox modinfo wants modules.dep).
tr '\0' '\n' < /axhvc/axhvc.ko | grep -E '^(version|description|license|vermagic)='
dmesg | grep 'axhvc:' | sed 's/^\[[^]]*\] //'
ls -l /dev/axhvc

step "a VMM asks /dev/axhvc for its API version"
/axhvc/tests/axhvc_dev_test -t version 2>&1 | grep -E 'axhvc API|ok '

step "a guest's hvc #0 round trip through KVM (SMCCC_VERSION)"
/axhvc/tests/guest_hvc_test 2>&1 | grep -E 'us/call|ok |SMCCC'

trace=/sys/kernel/tracing
tracing() { echo "$1" > $trace/events/axhvc/enable; echo > $trace/trace; }
show_trace() { grep -o 'axhvc_[a-z]*: .*' $trace/trace | head -n "$1"; }

step "AxVisor hypercalls from a real guest, served inside KVM (intercept route)"
tracing 1
/axhvc/tests/hypercall_test -r hc.intercept.publish_subscribe_rules 2>&1 | grep -E '^(ok|not ok) '
show_trace 6

step "the same, through the VMM (forwarded route: KVM_EXIT_HYPERCALL + AXHVC_VM_HYPERCALL)"
echo > $trace/trace
/axhvc/tests/hypercall_test -r hc.forwarded.debug_returns_zero 2>&1 | grep -E '^(ok|not ok) '
show_trace 2
dmesg | grep 'debug: 0x1 0x2' | tail -n 1 | sed 's/^\[[^]]*\] //'
tracing 0

step "what a hypercall costs (guest-measured, side by side)"
/axhvc/tests/hypercall_test -r global.cost_per_hypercall 2>&1 | grep -E 'cost|^(ok|not ok) '

step "two VMs share an IVC channel: A publishes, B subscribes, each guest reads the other's writes"
/axhvc/tests/ivc_test -r ivc.intercept.guests_share_a_channel \
	-r ivc.intercept.unsubscribe_revokes_the_pages 2>&1 | grep -E '^(ok|not ok) '
echo "channels left on the host: $(tr '\n' ' ' < /sys/kernel/debug/axhvc/ivc)"

step "HIVCNotify: VM A rings VM B's doorbell, B's guest takes the SPI"
/axhvc/tests/guest_irq_test -r ivc_irq.intercept.notify_raises_target_irq 2>&1 |
	grep -E 'INTID|^(ok|not ok) '

step "unloading axhvc.ko"
rmmod axhvc && echo "unloaded; /dev/axhvc: $(ls /dev/axhvc 2>&1 | sed 's/.*: //')"
