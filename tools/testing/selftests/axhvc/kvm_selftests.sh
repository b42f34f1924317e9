#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# KVM's own arm64 selftests (built from linux-source, installed in kvm/:
# smccc_filter and hypercalls for make check, all of them for make matrix)
# must give the same results with axhvc as without it: first with axhvc.ko
# unloaded, then with it loaded and its in-kernel intercept active for
# another VM (axhvc_bystander, in the background). A table of both runs'
# results ends the output, and a last result fails on any difference.
# Runs as root inside the test host. AXHVC_KO names the module file; the
# module is loaded again at the end if it was loaded at the start.

DIR=$(cd "$(dirname "$0")" && pwd)
. "$DIR/ktap_helpers.sh"

KO=${AXHVC_KO:-/axhvc/axhvc.ko}
BYSTANDER=$DIR/axhvc_bystander
# Any id no other test uses at the same time.
VM_ID=4242
# Seconds for one KVM selftest, for the bystander to bind and to stop.
KVM_TIMEOUT=${KVM_SELFTEST_TIMEOUT:-300}
BIND_TIMEOUT=120
STOP_TIMEOUT=30
# Seconds for the ops to go after the last unbind: its 5 s and some slack.
OFF_TIMEOUT=15
# While a VM is bound, and for 5 s after the last unbind (axhvc_kvm.c,
# AXHVC_INTERCEPT_LINGER), axhvc's ftrace ops sits on this function.
# KVM's SMCCC handler; kvm_hvc_call_handler before Linux 6.4 (axhvc_compat.h).
TARGET=kvm_smccc_call_handler
grep -q " kvm_hvc_call_handler\$" /proc/kallsyms 2>/dev/null && TARGET=kvm_hvc_call_handler
ENABLED=/sys/kernel/tracing/enabled_functions

TMP=$(mktemp -d) || exit 1
bpid=

loaded() { [ -d /sys/module/axhvc ]; }

cleanup()
{
	[ -z "$bpid" ] || kill -KILL "$bpid" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

# Lines of FILE as KTAP diagnostics. A program's own "# Totals:" line must
# not be counted as ours by the result parser, which looks for it anywhere.
relay() { sed -e 's/Totals:/totals:/' -e 's/^/#   /' "$1"; }

# KVM_SELFTESTS=A,B (from the kernel command line, say) runs only those.
KVM_TESTS=$(ls "$DIR/kvm" 2>/dev/null | sort)
[ -z "${KVM_SELFTESTS:-}" ] ||
	KVM_TESTS=$(echo "$KVM_SELFTESTS" | tr , '\n' | while read -r t; do
		[ -x "$DIR/kvm/$t" ] && echo "$t"; done)
NR_KVM=$(echo $KVM_TESTS | wc -w)

# kvm_args NAME - the arguments NAME runs with. KVM's selftests are sized
# for real hardware (1 GiB of guest memory per vCPU, a thousand iterations);
# under the emulated host a few would take an hour. These keep each test's
# code paths and shrink its memory, iterations or duration; the rest run as
# they are.
kvm_args()
{
	case $1 in
	# Its 100 us margin for a timer interrupt's arrival is for hardware;
	# the emulated host's vCPU threads are descheduled for longer.
	arch_timer)		echo "-e 100000" ;;
	demand_paging_test|kvm_page_table_test|memslot_modification_stress_test)
		echo "-b 64M" ;;
	dirty_log_perf_test)	echo "-b 64M -i 2" ;;
	# Every guest mode (4K, 16K, 64K pages at three PA sizes) times
	# three log modes took over 300 s: one mode (3, PA 48 bits, 4K), and
	# the fewest iterations it takes (3).
	dirty_log_test)		echo "-i 3 -m 3" ;;
	# Its default of one memslot per KVM_CAP_NR_MEMSLOTS (32764) took
	# over 300 s to set up.
	memslot_perf_test)	echo "-l 1 -s 512" ;;
	# All of its cases in every guest mode took over 300 s: mode 3 only.
	page_fault_test)	echo "-m 3" ;;
	vgic_lpi_stress)	echo "-i 10" ;;
	esac
}

# kvm_runs NAME - how many times NAME runs in each phase. A program whose
# result on the emulated host is random, with or without axhvc, runs often
# enough that its mixed result shows in both phases.
kvm_runs()
{
	case $1 in
	# Fails at arch_timer_edge_cases.c:480 (the IRQ taken before the
	# reprogrammed deadline) in about two runs of three here, with or
	# without axhvc: 7 of 30 passed unloaded, 14 of 30 loaded. Upstream
	# calls 6.12's version of it "always broken" and fixed it in 6.16.
	arch_timer_edge_cases)	echo 10 ;;
	*)			echo 1 ;;
	esac
}

# kvm_tests PHASE HOW - run every KVM selftest as one KTAP result each,
# named "kvm/NAME HOW", keeping pass/skip/fail (or "mixed P/N" for a
# program run N times that passed P of them) in $TMP/PHASE.NAME.
kvm_tests()
{
	for t in $KVM_TESTS; do
		args=$(kvm_args "$t")
		runs=$(kvm_runs "$t")
		pass=0 skip=0 i=0
		while [ $i -lt "$runs" ]; do
			i=$((i + 1))
			s=$(date +%s)
			# shellcheck disable=SC2086 # the arguments are words
			timeout -s KILL "$KVM_TIMEOUT" "$DIR/kvm/$t" $args >"$TMP/out" 2>&1
			krc=$?
			relay "$TMP/out"
			ktap_print_msg "kvm/$t${args:+ $args}: exit $krc after $(( $(date +%s) - s )) s"
			case $krc in
			0)	pass=$((pass + 1)) ;;
			4)	skip=$((skip + 1)) ;;
			esac
		done
		if [ $pass = "$runs" ]; then
			echo pass >"$TMP/$1.$t"
			ktap_test_pass "kvm/$t $2"
		elif [ $skip = "$runs" ]; then
			echo skip >"$TMP/$1.$t"
			ktap_test_skip "kvm/$t $2: skipped itself"
		elif [ $pass = 0 ]; then
			echo fail >"$TMP/$1.$t"
			ktap_test_fail "kvm/$t $2"
		else
			echo "mixed $pass/$runs" >"$TMP/$1.$t"
			ktap_test_fail "kvm/$t $2: passed $pass of $runs runs"
		fi
	done
}

# kvm_tests_none PHASE WHY - every KVM selftest as a failure that did not run.
kvm_tests_none()
{
	for t in $KVM_TESTS; do
		echo "not run" >"$TMP/$1.$t"
		ktap_test_fail "kvm/$t: $2"
	done
}

# same_results - the table of both runs; true if every test gave the same.
same_results()
{
	rc=0
	echo "# kvm-table: $(printf '%-36s %-11s %-11s' test without with)"
	for t in $KVM_TESTS; do
		a=$(cat "$TMP/without.$t" 2>/dev/null || echo "not run")
		b=$(cat "$TMP/with.$t" 2>/dev/null || echo "not run")
		# Mixed results are the same result, whatever the counts.
		[ "${a%% *}" = "${b%% *}" ] && d= || { d="  DIFFERS"; rc=1; }
		echo "# kvm-table: $(printf '%-36s %-11s %-11s%s' "$t" "$a" "$b" "$d")"
	done
	return $rc
}

# intercept_on - is axhvc's ftrace ops on TARGET? (true if unknowable)
intercept_on() { [ ! -r "$ENABLED" ] || grep -q "^$TARGET " "$ENABLED"; }
intercept_off() { [ ! -r "$ENABLED" ] || ! grep -q "^$TARGET " "$ENABLED"; }

# bystander_start - start it; 0 once bound, else its exit status (1 on timeout).
bystander_start()
{
	# Appending, so that its log can be emptied while it runs.
	: >"$TMP/bystander"
	"$BYSTANDER" "$VM_ID" >>"$TMP/bystander" 2>&1 &
	bpid=$!
	i=0
	while [ $i -lt $BIND_TIMEOUT ]; do
		if grep -q "bound (intercept)" "$TMP/bystander"; then
			relay "$TMP/bystander"
			return 0
		fi
		if ! kill -0 "$bpid" 2>/dev/null; then
			wait "$bpid"
			brc=$?
			bpid=
			relay "$TMP/bystander"
			ktap_print_msg "axhvc_bystander: exit $brc"
			return $brc
		fi
		sleep 1
		i=$((i + 1))
	done
	relay "$TMP/bystander"
	ktap_print_msg "axhvc_bystander: not bound after $BIND_TIMEOUT s"
	return 1
}

bound_ok()
{
	if ! intercept_on; then
		ktap_print_msg "bound, but no ftrace ops on $TARGET in $ENABLED"
		return 1
	fi
	grep "^$TARGET " "$ENABLED" 2>/dev/null | sed 's/^/#   ftrace: /'
	# What the guest's HyperVisorDebug left in the log (pr_info, rate limited).
	dmesg | grep "vm $VM_ID vcpu" | tail -n 1 | sed 's/^/#   dmesg: /'
	return 0
}

# bystander_stop - SIGTERM; it must unbind, exit 0, and its ftrace ops must
# be gone a few seconds later.
bystander_stop()
{
	if ! kill -0 "$bpid" 2>/dev/null; then
		ktap_print_msg "axhvc_bystander died while the KVM selftests ran"
		relay "$TMP/bystander"
		return 1
	fi
	: >"$TMP/bystander"
	kill -TERM "$bpid"
	i=0
	while kill -0 "$bpid" 2>/dev/null && [ $i -lt $STOP_TIMEOUT ]; do
		sleep 1
		i=$((i + 1))
	done
	if kill -0 "$bpid" 2>/dev/null; then
		ktap_print_msg "axhvc_bystander still running $STOP_TIMEOUT s after SIGTERM"
		return 1
	fi
	wait "$bpid"
	brc=$?
	bpid=
	relay "$TMP/bystander"
	if [ $brc != 0 ]; then
		ktap_print_msg "axhvc_bystander: exit $brc after SIGTERM"
		return 1
	fi
	i=0
	while ! intercept_off && [ $i -lt $OFF_TIMEOUT ]; do
		sleep 1
		i=$((i + 1))
	done
	if ! intercept_off; then
		ktap_print_msg "no VM bound for $OFF_TIMEOUT s, but an ftrace ops is still on $TARGET"
		return 1
	fi
	ktap_print_msg "the ftrace ops left $TARGET about $i s after the last unbind"
}

reload_ok() { rmmod axhvc && insmod "$KO" && [ -c /dev/axhvc ]; }
stop_and_reload() { bystander_stop && reload_ok; }

ktap_print_header
if [ "$(id -u)" != 0 ]; then
	ktap_skip_all "needs root"
	exit "$KSFT_SKIP"
fi
if [ ! -c /dev/kvm ]; then
	ktap_skip_all "no /dev/kvm: needs a host with KVM"
	exit "$KSFT_SKIP"
fi
was_loaded=0
loaded && was_loaded=1

if [ "$NR_KVM" = 0 ]; then
	ktap_skip_all "no KVM selftest in $DIR/kvm"
	exit "$KSFT_SKIP"
fi
ktap_set_plan $((2 * NR_KVM + 3))

# (a) KVM alone.
if loaded && ! rmmod axhvc; then
	kvm_tests_none without "cannot unload axhvc"
else
	kvm_tests without "without axhvc"
fi

# (b) axhvc loaded, intercepting another VM's hypercalls.
if [ ! -f "$KO" ]; then
	ktap_test_skip "axhvc_bystander binds a VM with intercept: no $KO"
	for t in $KVM_TESTS; do
		ktap_test_skip "kvm/$t with axhvc: no $KO"
	done
	ktap_test_skip "axhvc_bystander stops cleanly; axhvc unloads and reloads: no $KO"
elif ! insmod "$KO"; then
	ktap_test_fail "insmod $KO"
	kvm_tests_none with "with axhvc loaded: no axhvc"
	ktap_test_fail "axhvc unloads and reloads: no axhvc"
else
	how="with axhvc intercepting another VM"
	bystander_start
	case $? in
	0)	ktap_test_result "axhvc_bystander binds a VM with intercept" bound_ok ;;
	4)	ktap_test_skip "axhvc_bystander binds a VM with intercept: no intercept here"
		how="with axhvc loaded, no VM bound" ;;
	*)	ktap_test_fail "axhvc_bystander binds a VM with intercept"
		how="with axhvc loaded, binding failed" ;;
	esac
	kvm_tests with "$how"
	if [ -n "$bpid" ]; then
		ktap_test_result "axhvc_bystander stops cleanly; axhvc unloads and reloads" \
			stop_and_reload
	else
		ktap_test_result "axhvc unloads and reloads" reload_ok
	fi
fi

if [ -f "$KO" ]; then
	ktap_test_result "every KVM selftest gives the same result with axhvc as without" \
		same_results
else
	ktap_test_skip "same results with axhvc as without: no $KO"
fi

# Leave the module as we found it.
if [ $was_loaded = 1 ]; then
	loaded || insmod "$KO"
else
	! loaded || rmmod axhvc
fi
ktap_finished
