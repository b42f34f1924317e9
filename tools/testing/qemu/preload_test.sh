#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# preload_test.sh - libaxhvc-qemu.so with Debian's unmodified QEMU, inside
# the emulated host (initramfs built with AXHVC_WITH_QEMU=1, axhvc.ko
# loaded, axvmm and axhvcctl in PATH). make check runs it as
# qemu_preload_test in its stock-qemu row; alone:
#   AXHVC_WITH_QEMU=1 tools/testing/host/run-script.sh stock tools/testing/qemu/preload_test.sh
# The cases:
#   - two QEMU VMs (tools/guest's ping and pong) exchange data over a
#     channel and ring each other's doorbell, on the intercept route, on
#     the forwarded route and with one of each; axhvcctl lists both QEMU
#     processes' VMs meanwhile;
#   - a QEMU VM (ping) and an axvmm VM (pong) share a channel;
#   - SIGKILL of a QEMU whose guest holds a channel leaves no VM, channel,
#     mapping or page behind;
#   - each configuration mistake ends QEMU with status 1 and its message;
#   - a statically linked program does not load the preload.
# Each case is one TAP line (with the reason of a failure); the last line
# is kselftest's "# Totals:".
export PATH="$PATH:/usr/bin:/axhvc/bin"
q=/axhvc/qemu
pre=$q/libaxhvc-qemu.so
stats=/sys/kernel/debug/axhvc/ivc
failed=0
cases=0

# result NAME ok|WHY - one TAP line.
result()
{
	cases=$((cases + 1))
	if [ "$2" = ok ]; then
		echo "ok $cases $1"
	else
		failed=$((failed + 1))
		echo "not ok $cases $1 # $2"
	fi
}

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

# qemu_vm ID ROUTE GUEST [ENV=VALUE...] - one QEMU VM under the preload;
# the guest's serial and QEMU's stderr both on stdout.
qemu_vm()
{
	id=$1 route=$2 guest=$3
	shift 3
	env LD_PRELOAD="$pre" AXHVC_VM_ID="$id" AXHVC_ROUTE="$route" AXHVC_QEMU_VERBOSE=1 "$@" \
		timeout 300 qemu-system-aarch64 -accel kvm -M virt,gic-version=3 -cpu host \
		-m 64 -nodefaults -display none -serial stdio -kernel "$q/$guest.elf" 2>&1
}

# counters_zero - axhvc holds no channel, mapping or page.
counters_zero()
{
	[ "$(grep -c ' 0$' "$stats")" = 3 ]
}

# no_vms - axhvc has no VM registered.
no_vms()
{
	axhvcctl vms | grep -q '^VMs: 0$'
}

# pair NAME ROUTE1 ROUTE2 - ping in QEMU (VM 1) and pong in QEMU (VM 2).
pair()
{
	log=/tmp/$1
	: >"$log.1"
	: >"$log.2"
	{ qemu_vm 1 "$2" ivc_ping >"$log.1"; echo $? >"$log.rc1"; } &
	p1=$!
	{ qemu_vm 2 "$3" ivc_pong >"$log.2"; echo $? >"$log.rc2"; } &
	p2=$!
	listed=no
	if wait_for "$log.2" 'VM 1 says' 120; then
		axhvcctl vms >"$log.vms"
		cat "$log.vms"
		# Both VMs, each owned by a QEMU process.
		awk '$1 == 1 || $1 == 2 { print $2 }' "$log.vms" >"$log.pids"
		n=0
		while read -r pid; do
			grep -q qemu-system "/proc/$pid/cmdline" 2>/dev/null && n=$((n + 1))
		done <"$log.pids"
		[ "$n" = 2 ] && listed=yes
	fi
	wait "$p1" "$p2"
	sed 's/^/VM 1: /' "$log.1"
	sed 's/^/VM 2: /' "$log.2"
	why=ok
	if [ "$(cat "$log.rc1")" != 0 ] || [ "$(cat "$log.rc2")" != 0 ]; then
		why="exit $(cat "$log.rc1") and $(cat "$log.rc2")"
	elif ! grep -q '^VM 2 answered: "' "$log.1"; then
		why="no answer"
	elif ! grep -q '^woken by INTID 280 ' "$log.1"; then
		why="no doorbell for VM 1"
	elif ! grep -q "^rang VM 2's doorbell: ok" "$log.1" ||
		! grep -q '^woken by INTID 280: VM 1 rang back' "$log.2"; then
		why="no doorbell for VM 2"
	elif ! grep -q '^VM 1 says: "hello VM 2' "$log.2"; then
		why="no message"
	elif ! no_vms || ! counters_zero; then
		why="axhvc still holds: $(tr '\n' ' ' <"$stats")"
	fi
	result "$1" "$why"
	[ $listed = yes ] && why=ok || why="axhvcctl vms did not list both QEMU VMs"
	result "$1-axhvcctl" "$why"
}

echo "TAP version 13"
qemu-system-aarch64 --version | head -n 1 | sed 's/^/# /'
pair qemu-intercept intercept intercept
pair qemu-forwarded forwarded forwarded
pair qemu-mixed intercept forwarded

# A QEMU VM and an axvmm VM share a channel.
log=/tmp/qemu-axvmm
{ qemu_vm 1 forwarded ivc_ping >"$log.1"; echo $? >"$log.rc1"; } &
p1=$!
axvmm --id 2 --mem 16M --route intercept --doorbell-spi 64 --timeout 300 \
	--raw /axhvc/guest/ivc_pong.bin >"$log.2" 2>&1
rc2=$?
wait "$p1"
sed 's/^/QEMU VM 1: /' "$log.1"
sed 's/^/axvmm VM 2: /' "$log.2"
why=ok
if [ "$(cat "$log.rc1")" != 0 ] || [ "$rc2" != 0 ]; then
	why="exit $(cat "$log.rc1") and $rc2"
elif ! grep -q '^VM 2 answered: "' "$log.1" || ! grep -q '^woken by INTID 280 ' "$log.1"; then
	why="no answer or no doorbell"
fi
result qemu-axvmm "$why"

# SIGKILL while the guest holds its published channel.
log=/tmp/qemu-kill
qemu_vm 1 intercept ivc_ping >"$log" &
wait_for "$log" 'sleeping until my doorbell' 120
before=$(tr '\n' ' ' <"$stats")
pid=$(axhvcctl vms | awk '$1 == 1 { print $2 }')
why=ok
if [ -z "$pid" ]; then
	why="VM 1 not listed"
else
	kill -9 "$pid"
	wait
	n=0
	while ! { no_vms && counters_zero; }; do
		n=$((n + 1))
		[ $n -le 50 ] || { why="left behind: $(tr '\n' ' ' <"$stats")"; break; }
		sleep 0.1
	done
fi
echo "before the kill: $before; after: $(tr '\n' ' ' <"$stats")"
result qemu-sigkill "$why"

# mistake NAME PATTERN ENV=VALUE... - QEMU exits 1 with PATTERN on stderr
# before the guest prints anything.
mistake()
{
	name=$1 pattern=$2
	shift 2
	vms_before=$(axhvcctl vms | head -n 1)
	env LD_PRELOAD="$pre" AXHVC_VM_ID=7 "$@" timeout 120 qemu-system-aarch64 -accel kvm \
		-M virt,gic-version=3 -cpu host -m 64 -nodefaults -display none \
		-serial stdio -kernel "$q/ivc_ping.elf" >"/tmp/$name" 2>&1
	rc=$?
	cat "/tmp/$name"
	why=ok
	if [ "$rc" != 1 ]; then
		why="exit $rc"
	elif ! grep -q "^libaxhvc-qemu: .*$pattern" "/tmp/$name"; then
		why="no message matching '$pattern'"
	elif grep -q 'published channel' "/tmp/$name"; then
		why="the guest ran"
	elif [ "$(axhvcctl vms | head -n 1)" != "$vms_before" ]; then
		why="a VM left behind"
	fi
	result "mistake-$name" "$why"
}

mistake route 'AXHVC_ROUTE=sideways: intercept or forwarded' AXHVC_ROUTE=sideways
mistake vm-id 'AXHVC_VM_ID=x1: not a number' AXHVC_VM_ID=x1
mistake window-ram 'overlaps the window: move AXHVC_WINDOW_GPA' AXHVC_WINDOW_GPA=0x40000000
mistake window-align 'not page aligned' AXHVC_WINDOW_GPA=0x0f000100
mistake window-mmio "meets virt's platform bus at 0xc000000" AXHVC_WINDOW_GPA=0x0d000000
mistake spi-uart 'SPI=33: virt wires it to the UART: use a free SPI (280)' AXHVC_DOORBELL_SPI=33
mistake spi-virtio 'SPI=60: virt wires it to the virtio-mmio transports' AXHVC_DOORBELL_SPI=60
mistake spi-gic "QEMU's GIC has no INTID 300" AXHVC_DOORBELL_SPI=300
mistake spi-ppi 'not an SPI INTID' AXHVC_DOORBELL_SPI=27
mistake no-module 'is the axhvc module loaded' AXHVC_DEVICE=/dev/axhvc-absent

# The same VM id twice: the second QEMU is refused.
log=/tmp/qemu-dup
qemu_vm 1 intercept ivc_ping >"$log.1" &
wait_for "$log.1" 'sleeping until my doorbell' 120
mistake vm-id-taken 'another VM has this id' AXHVC_VM_ID=1
kill -9 "$(axhvcctl vms | awk '$1 == 1 { print $2 }')" 2>/dev/null
wait

# A statically linked program (axvmm) never loads the preload: its
# constructor's line is missing, while QEMU prints it.
env LD_PRELOAD="$pre" AXHVC_QEMU_VERBOSE=1 axvmm --help >/tmp/static 2>&1
env LD_PRELOAD="$pre" AXHVC_QEMU_VERBOSE=1 qemu-system-aarch64 --version >/tmp/dynamic 2>&1
if grep -q '^libaxhvc-qemu: loaded' /tmp/static; then
	result static "loaded into a static program"
elif ! grep -q '^libaxhvc-qemu: loaded' /tmp/dynamic; then
	result static "not loaded into QEMU either"
else
	result static ok
fi

echo "1..$cases"
echo "# Totals: pass:$((cases - failed)) fail:$failed xfail:0 xpass:0 skip:0 error:0"
[ "$failed" = 0 ]
