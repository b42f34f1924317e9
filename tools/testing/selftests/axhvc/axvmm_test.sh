#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# tools/axvmm, the reference VMM, end to end: its command line checks, its
# raw test guest (hello.bin) on both hypercall routes, two VMs at once, two
# VMs sharing a channel and a doorbell, UART input, the lifecycle calls, a timeout, an unexpected exit, and Debian's own Linux
# kernel booting to the init of a busybox initramfs. Runs as root inside the
# test host, axhvc.ko loaded. AXVMM names the binary (default: axvmm on
# PATH, /axhvc/bin in the test host); AXVMM_GUEST_DIR holds hello.bin, Image
# and initramfs.cpio (default: ../guest next to the binary).

DIR=$(cd "$(dirname "$0")" && pwd)
. "$DIR/ktap_helpers.sh"

AXVMM=${AXVMM:-$(command -v axvmm)}
GUEST=${AXVMM_GUEST_DIR:-$(dirname "${AXVMM:-/}")/../guest}
HELLO=$GUEST/hello.bin
# Seconds: a raw guest is done in well under one; Linux takes a while, more
# so under the debug kernel.
RAW_TIMEOUT=60
LINUX_TIMEOUT=${AXVMM_LINUX_TIMEOUT:-420}
LINUX_CMDLINE="console=ttyS0 earlycon=uart8250,mmio,0x9000000 panic=-1"

TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT

# check DESC CMD ARGS... - one KTAP result: CMD's success. (Unlike
# ktap_test_result, keeps arguments with spaces or brackets intact.)
check()
{
	desc=$1
	shift
	if "$@"; then
		ktap_test_pass "$desc"
	else
		ktap_test_fail "$desc"
	fi
}

msg() { echo "# $*"; }

# Lines of FILE as KTAP diagnostics (a guest's "# Totals:" must not count).
relay() { sed -e 's/Totals:/totals:/' -e 's/^/#   /' "$1"; }

# run NAME ARGS... - run axvmm, output (both streams) in $TMP/NAME.out,
# exit status in $TMP/NAME.rc.
run()
{
	name=$1
	shift
	"$AXVMM" "$@" >"$TMP/$name.out" 2>&1
	echo $? >"$TMP/$name.rc"
}

# expect NAME RC PATTERN... - NAME exited with RC and its output has a line
# matching each (grep basic) PATTERN; else the output goes to the log.
expect()
{
	name=$1 want=$2
	shift 2
	got=$(cat "$TMP/$name.rc")
	ok=1
	[ "$got" = "$want" ] || { msg "$name: exit status $got, expected $want"; ok=0; }
	for pat in "$@"; do
		grep -q -e "$pat" "$TMP/$name.out" ||
			{ msg "$name: no line matching '$pat'"; ok=0; }
	done
	[ $ok = 1 ] || relay "$TMP/$name.out"
	[ $ok = 1 ]
}

# refuse NAME MESSAGE ARGS... - a bad command line: status 2, and exactly
# one line, "axvmm: MESSAGE...", on stderr and nothing on stdout.
refuse()
{
	name=$1 msg=$2
	shift 2
	"$AXVMM" "$@" >"$TMP/$name.stdout" 2>"$TMP/$name.out"
	echo $? >"$TMP/$name.rc"
	expect "$name" 2 "^axvmm: $msg" || return 1
	[ ! -s "$TMP/$name.stdout" ] && [ "$(wc -l <"$TMP/$name.out")" -eq 1 ] ||
		{ msg "$name: more than one line of output"; return 1; }
}

no_fail() { ! grep -q 'FAIL' "$TMP/$1.out" || { relay "$TMP/$1.out"; return 1; }; }

# hello_ok NAME ID - the raw guest's run went all the way, with [vmID] lines.
hello_ok()
{
	p="^\[vm$2\] "
	expect "$1" 0 "${p}hello from vm $2\$" "${p}debug hypercall: x0=0\$" \
		"${p}ivc channel at 0x2[0-9a-f]*, 4096 bytes: header ok\$" \
		"${p}unpublish: x0=0\$" "${p}bye from vm $2\$" \
		"guest powered off (PSCI SYSTEM_OFF)" && no_fail "$1"
}

# The guest kernel's boot, timed from axvmm's start to the init line.
linux_boot()
{
	read -r t0 _ </proc/uptime
	{
		"$AXVMM" --id 30 --cpus 2 --mem 256M --doorbell-spi 40 --route intercept \
			--kernel "$GUEST/Image" --initrd "$GUEST/initramfs.cpio" \
			--cmdline "$LINUX_CMDLINE" --timeout "$LINUX_TIMEOUT" 2>&1
		echo $? >"$TMP/linux.rc"
	} | while IFS= read -r line; do
		case $line in
		*"guest linux up in"*)
			read -r t _ </proc/uptime
			echo "$t" >"$TMP/linux.t"
			;;
		esac
		echo "$line"
	done >"$TMP/linux.out"
	expect linux 0 '^\[vm30\] guest linux up in [0-9.]* s' \
		'^\[vm30\] .*Booting Linux on physical CPU' \
		'guest powered off (PSCI SYSTEM_OFF)' || return 1
	up=$(sed -n 's/^\[vm30\] guest linux up in \([0-9.]*\) s.*/\1/p' "$TMP/linux.out")
	msg "linux guest: init line $(awk "BEGIN { printf \"%.1f\", $(cat "$TMP/linux.t") - $t0 }") s after axvmm started (guest uptime $up s)"
}

ktap_print_header
if [ "$(id -u)" != 0 ] || [ ! -c /dev/kvm ] || [ ! -c /dev/axhvc ]; then
	ktap_skip_all "needs root, /dev/kvm and /dev/axhvc (axhvc.ko)"
	exit "$KSFT_SKIP"
fi
if [ ! -x "$AXVMM" ] || [ ! -f "$HELLO" ]; then
	ktap_skip_all "axvmm or its guests are not installed (make -C tools/axvmm install)"
	exit "$KSFT_SKIP"
fi

ktap_set_plan 26

# The command line: each mistake is one clear line and status 2.
check "refuses a non-numeric --id" \
	refuse bad_id "--id seven: not a VM id" --id seven --raw "$HELLO"
check "refuses a negative --id" \
	refuse neg_id "--id -1: not a VM id" --id -1 --raw "$HELLO"
check "refuses a window overlapping RAM" \
	refuse win_ram "--window 0x3f000000:0x2000000 overlaps RAM" \
	--id 1 --window 0x3f000000:32M --raw "$HELLO"
check "refuses a window overlapping a device" \
	refuse win_dev "--window 0x9000000:0x1000 overlaps the UART" \
	--id 1 --window 0x9000000:4K --raw "$HELLO"
check "refuses a window overlapping the redistributors" \
	refuse win_gicr "--window 0x80c0000:0x1000 overlaps the GIC redistributors" \
	--id 1 --cpus 2 --window 0x80c0000:4K --raw "$HELLO"
check "refuses a window that is not page aligned" \
	refuse win_align "--window 0x20000800:0x1000000: base and size must be page aligned" \
	--id 1 --window 0x20000800:16M --raw "$HELLO"
check "refuses a doorbell INTID that is not an SPI" \
	refuse bell "--doorbell-spi 27: not an SPI INTID" --id 1 --doorbell-spi 27 --raw "$HELLO"
check "refuses a command line without a guest image" \
	refuse no_image "no guest image" --id 1
check "refuses a guest image that does not exist" \
	refuse bad_image "--raw $TMP/none: No such file" --id 1 --raw "$TMP/none"
check "refuses --mem that is not a page multiple" \
	refuse mem_page "--mem 0x400800: not a multiple of the page size" \
	--id 1 --mem 4098K --raw "$HELLO"
check "refuses --mem below the minimum" \
	refuse mem_small "--mem 0x100000: too small" --id 1 --mem 1M --raw "$HELLO"

# The raw guest, on each route. Before Linux 6.4 KVM has no SMCCC filter:
# no forwarded route (axvmm says so), and what needs it skips.
run fwd --id 11 --route forwarded --raw "$HELLO" --timeout $RAW_TIMEOUT
NO_FWD=
if grep -q "KVM has no SMCCC filter" "$TMP/fwd.out"; then
	NO_FWD="no forwarded route: KVM has no SMCCC filter (Linux < 6.4)"
	msg "$NO_FWD; the intercept route stands in where a test needs a VM"
fi
FWD=forwarded
[ -z "$NO_FWD" ] || FWD=intercept
# check_fwd DESC CMD... - check, or skip without the forwarded route.
check_fwd()
{
	if [ -n "$NO_FWD" ]; then
		ktap_test_skip "$1: $NO_FWD"
	else
		check "$@"
	fi
}
check_fwd "raw guest, forwarded route: hello, hypercalls, IVC channel, power off" \
	hello_ok fwd 11
run icpt --id 12 --route intercept --raw "$HELLO" --timeout $RAW_TIMEOUT
check "raw guest, intercept route: hello, hypercalls, IVC channel, power off" \
	hello_ok icpt 12
if [ -z "$NO_FWD" ]; then
	check "guest errors are -errno by default (unpublish again: -ENOENT)" \
		expect fwd 0 '^\[vm11\] unpublish again: x0=-2$'
else
	check "guest errors are -errno by default (unpublish again: -ENOENT)" \
		expect icpt 0 '^\[vm12\] unpublish again: x0=-2$'
fi
run axerr --id 13 --route intercept --err-axvisor --raw "$HELLO" --timeout $RAW_TIMEOUT
check "--err-axvisor: guest errors are -1" \
	expect axerr 0 '^\[vm13\] unpublish again: x0=-1$'

# Lifecycle calls reach axvmm on both routes; Disable stops the VM, status 0.
run lc_fwd --id 14 --route $FWD --raw "$HELLO" --cmdline "prepare disable" \
	--timeout $RAW_TIMEOUT
run lc_icpt --id 15 --route intercept --raw "$HELLO" --cmdline "prepare disable" \
	--timeout $RAW_TIMEOUT
lifecycle_ok()
{
	expect "$1" 0 "^\[vm$2\] prepare-disable: x0=0\$" \
		"^\[vm$2\] calling HypervisorDisable\$" \
		"HypervisorDisable: stopping the VM" && ! grep -q "bye from" "$TMP/$1.out"
}
check "PrepareDisable answered, Disable stops the VM (both routes)" \
	eval 'lifecycle_ok lc_fwd 14 && lifecycle_ok lc_icpt 15'

# --input: stdin reaches the guest through the UART's receiver (more than
# its 16-byte FIFO holds, so the feeding thread must wait for the guest).
input_ok()
{
	printf 'ping from stdin, longer than a FIFO\n' |
		"$AXVMM" --id 19 --route $FWD --input --raw "$HELLO" --cmdline echo \
		--timeout $RAW_TIMEOUT >"$TMP/input.out" 2>&1
	echo $? >"$TMP/input.rc"
	expect input 0 '^\[vm19\] got: ping from stdin, longer than a FIFO$' &&
		hello_ok input 19
}
check "--input: a line on stdin reaches the guest's UART" input_ok

# Two VMs at once, one per route, two vCPUs and a doorbell each.
two_vms()
{
	"$AXVMM" --id 21 --cpus 2 --doorbell-spi 40 --route $FWD --raw "$HELLO" \
		--timeout $RAW_TIMEOUT >"$TMP/vm21.out" 2>&1 &
	p1=$!
	"$AXVMM" --id 22 --cpus 2 --doorbell-spi 41 --route intercept --raw "$HELLO" \
		--timeout $RAW_TIMEOUT >"$TMP/vm22.out" 2>&1 &
	p2=$!
	wait $p1
	echo $? >"$TMP/vm21.rc"
	wait $p2
	echo $? >"$TMP/vm22.rc"
	hello_ok vm21 21 && hello_ok vm22 22
}
check "two raw VMs at once (2 vCPUs and a doorbell each)" two_vms

# Two VMs share a channel: 52 subscribes to 51's, writes a word into it and
# rings 51's doorbell (HIVCNotify); 51 takes SPI 40 and reads the word. One
# VM per route, so both the irqfd doorbell and the forwarded notify count.
ivc_pair()
{
	"$AXVMM" --id 51 --doorbell-spi 40 --route intercept --raw "$HELLO" \
		--cmdline ivc-wait --timeout $RAW_TIMEOUT >"$TMP/vm51.out" 2>&1 &
	p1=$!
	run vm52 --id 52 --doorbell-spi 41 --route $FWD --raw "$HELLO" \
		--cmdline ivc-ring=51 --timeout $RAW_TIMEOUT
	wait $p1
	echo $? >"$TMP/vm51.rc"
	expect vm51 0 '^\[vm51\] waiting for a doorbell on INTID 40$' \
		'^\[vm51\] doorbell: INTID 40, message 0x6d73670000000034$' &&
		no_fail vm51 &&
		expect vm52 0 '^\[vm52\] subscribed to vm 51: channel at 0x2[0-9a-f]*$' \
		'^\[vm52\] rang vm 51: x0=0$' && no_fail vm52
}
check "two VMs share a channel; a notify reaches the publisher's doorbell SPI" ivc_pair

# A guest that spins: --timeout stops it with status 1.
printf '\000\000\000\024' >"$TMP/spin.bin"	# b .
run spin --id 16 --route $FWD --raw "$TMP/spin.bin" --timeout 2
check "--timeout stops a spinning guest with status 1" \
	expect spin 1 "timeout: still running after 2 s"

# A guest that reads where there is no device: registers and status 1.
# movz x1, #0xa00, lsl #16; ldr w0, [x1]; b .
printf '\001\100\241\322\040\000\100\271\000\000\000\024' >"$TMP/mmio.bin"
run mmio --id 17 --route $FWD --raw "$TMP/mmio.bin" --timeout $RAW_TIMEOUT
check "an MMIO access to no device: registers printed, status 1" \
	expect mmio 1 "unexpected exit 6 (KVM_EXIT_MMIO)" "MMIO read at 0xa000000" \
	"pc=0x40000004"

# A guest touching a hole of its IVC window (no channel there): KVM_RUN
# fails with EFAULT, axvmm prints the registers, status 1.
# movz x1, #0x2000, lsl #16; ldr w0, [x1]; b .
printf '\001\000\244\322\040\000\100\271\000\000\000\024' >"$TMP/hole.bin"
run hole --id 18 --route $FWD --raw "$TMP/hole.bin" --timeout $RAW_TIMEOUT
check "a guest touching a hole of its IVC window: EFAULT, registers, status 1" \
	expect hole 1 "KVM_RUN: Bad address" "pc=0x40000004"

# An id is the host's once: a second VM with it is refused, until the first
# stops (here by SIGTERM, which axvmm takes as "stop the VM").
dup_id()
{
	"$AXVMM" --id 40 --route $FWD --raw "$TMP/spin.bin" --timeout $RAW_TIMEOUT \
		>"$TMP/spin40.out" 2>&1 &
	p1=$!
	i=0
	while ! grep -q "route" "$TMP/spin40.out" && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	run dup --id 40 --route $FWD --raw "$HELLO" --timeout $RAW_TIMEOUT
	kill -TERM $p1
	wait $p1
	echo $? >"$TMP/spin40.rc"
	expect dup 1 "AXHVC_CREATE_VM (VM 40, [a-z]*): File exists (another VM has this id"
}
check "a second VM with a VM id in use is refused (EEXIST)" dup_id
check "SIGTERM stops a VM cleanly (status 1)" \
	expect spin40 1 "SIGTERM: stopping the VM" "stopped after"
run reuse --id 40 --route $FWD --raw "$HELLO" --timeout $RAW_TIMEOUT
check "the id is free again once its VM stopped" hello_ok reuse 40

check "Debian's Linux kernel boots to its init under axvmm" linux_boot

ktap_finished
