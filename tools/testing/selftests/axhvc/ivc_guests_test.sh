#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guests that use IVC channels through include/axhvc_guest.h, run by axvmm
# (tools/axvmm) as real VMs: the demo's bare-metal pair (VM 1 publishes and
# sleeps until its doorbell, VM 2 subscribes, answers and notifies) on both
# hypercall routes, and a Linux guest whose userspace publishes, subscribes
# and shares bytes through axhvc_guest.ko. Runs as root in the test host,
# with axhvc.ko loaded and axvmm on PATH.

DIR=$(dirname "$0")
. "$DIR/ktap_helpers.sh"

GUESTS=${AXHVC_GUESTS:-/axhvc/guest}
TMP=$(mktemp -d)
IVC_STATE=/sys/kernel/debug/axhvc/ivc
PING_SAYS='hello VM 2, this is VM 1 over an axhvc channel'
PONG_SAYS='hello VM 1, VM 2 read you loud and clear'

# uncr FILE... - drop the carriage returns of guest consoles (\r\n).
uncr()
{
	for f in "$@"; do
		tr -d '\r' <"$f" >"$f.t" && mv "$f.t" "$f"
	done
}

# expect LOG LINE... - every LINE is a whole line of LOG.
expect()
{
	_file=$1
	shift
	for _line in "$@"; do
		grep -qxF -- "$_line" "$_file" || { echo "# missing in $_file: $_line"; return 1; }
	done
}

# pair NAME ROUTE1 ROUTE2 - the bare-metal demo pair, VM 1 on ROUTE1 and VM 2
# on ROUTE2; both must exit 0 and print the whole conversation.
pair()
{
	log=$TMP/$1.log
	axvmm --id 1 --mem 16M --route "$2" --doorbell-spi 64 --timeout 120 \
		--raw "$GUESTS/ivc_ping.bin" >"$log.1" 2>&1 &
	p1=$!
	axvmm --id 2 --mem 16M --route "$3" --timeout 120 \
		--raw "$GUESTS/ivc_pong.bin" >"$log.2" 2>&1 &
	p2=$!
	wait $p1
	rc1=$?
	wait $p2
	rc2=$?
	uncr "$log.1" "$log.2"
	sed 's/^/# /' "$log.1" "$log.2"
	[ $rc1 = 0 ] && [ $rc2 = 0 ] &&
	expect "$log.1" "[vm1] VM 2 answered: \"$PONG_SAYS\"" \
		"[vm1] unpublished the channel: ok" &&
	expect "$log.2" "[vm2] VM 1 says: \"$PING_SAYS\"" \
		"[vm2] wrote my answer and rang VM 1's doorbell (HIVCNotify)" \
		"[vm2] unsubscribed: ok" &&
	grep -q '^\[vm1\] woken by INTID 64 ' "$log.1" &&
	grep -q '^\[vm1\] channel header written by the host: publisher 1, key 0x64656d6f (ok)' "$log.1"
}

# Nothing of the guests is left on the host once their VMMs have exited.
nothing_left()
{
	[ ! -r "$IVC_STATE" ] && return 0
	cat "$IVC_STATE" | sed 's/^/# /'
	! grep -E '[1-9]' "$IVC_STATE" >/dev/null
}

# A Linux guest: Debian's kernel, busybox, axhvc_guest.ko and ivc_demo.
linux_guest()
{
	log=$TMP/linux.log
	t0=$(date +%s)
	axvmm --id 7 --mem 256M --route intercept --doorbell-spi 64 --timeout 900 \
		--kernel "$GUESTS/Image" --initrd "$GUESTS/linux-guest.cpio" \
		--cmdline "console=ttyS0 quiet axhvc.demo=selftest" >"$log" 2>&1
	rc=$?
	uncr "$log"
	grep -E 'guest linux|axhvc_guest|ivc|publish|subscri|header|read through' "$log" |
		sed 's/^/# /'
	echo "# Linux guest: axvmm exit $rc after $(($(date +%s) - t0)) s"
	[ $rc = 0 ] && grep -q '^\[vm7\] guest linux up in ' "$log" &&
	expect "$log" "[vm7] ivc self-test: passed" "[vm7] ivc_demo selftest: exit 0"
}

ktap_print_header
if [ "$(id -u)" != 0 ] || ! command -v axvmm >/dev/null || [ ! -c /dev/kvm ]; then
	ktap_skip_all "needs root, /dev/kvm and axvmm"
	exit "$KSFT_SKIP"
fi
ktap_set_plan 5
# Before Linux 6.4 KVM has no SMCCC filter, so no forwarded route: axvmm
# says so at once (a spinning guest, stopped after 1 s, where it has one).
printf '\000\000\000\024' >"$TMP/spin.bin"	# b .
if axvmm --id 98 --route forwarded --raw "$TMP/spin.bin" --timeout 1 2>&1 |
	grep -q "KVM has no SMCCC filter"; then
	no_fwd="no forwarded route: KVM has no SMCCC filter (Linux < 6.4)"
	ktap_test_result "bare-metal pair, both intercept ($no_fwd)" pair a intercept intercept
	ktap_test_skip "bare-metal pair, VM 1 forwarded, VM 2 intercept: $no_fwd"
else
	ktap_test_result "bare-metal pair, VM 1 intercept, VM 2 forwarded" pair a intercept forwarded
	ktap_test_result "bare-metal pair, VM 1 forwarded, VM 2 intercept" pair b forwarded intercept
fi
ktap_test_result "no channel, mapping or page left after the pairs" nothing_left
ktap_test_result "Linux guest userspace publishes, subscribes, shares bytes" linux_guest
ktap_test_result "no channel, mapping or page left after the Linux guest" nothing_left
rm -rf "$TMP"
ktap_finished
