#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Load and unload axhvc.ko; check what loading creates and unloading removes.
# Runs as root inside the test host. AXHVC_KO names the module file; the
# module is loaded again at the end if it was loaded at the start.

DIR=$(dirname "$0")
. "$DIR/ktap_helpers.sh"

KO=${AXHVC_KO:-/axhvc/axhvc.ko}
DEV=/dev/axhvc
CYCLES=20

loaded() { [ -d /sys/module/axhvc ]; }

dev_ok()
{
	# A char device, root-owned, mode 0600, on the misc major (10).
	[ -c "$DEV" ] || return 1
	[ "$(stat -c '%a %u %g %t' "$DEV")" = "600 0 0 a" ]
}

dev_gone() { [ ! -e "$DEV" ] && ! loaded; }

# modinfo FIELD - a field of the module file's .modinfo section (busybox's
# modinfo needs modules.dep, which a test host does not have).
modinfo_field() { tr '\000' '\n' <"$KO" | sed -n "s/^$1=//p" | head -n 1; }

modinfo_ok()
{
	[ "$(modinfo_field license)" = "GPL" ] &&
	[ -n "$(modinfo_field description)" ] &&
	[ -n "$(modinfo_field author)" ] &&
	[ "$(modinfo_field version)" = "$(cat /sys/module/axhvc/version)" ]
}

# A second insmod of the same module must fail and leave the first one alone.
double_load_refused() { ! insmod "$KO" 2>/dev/null && dev_ok; }

# rmmod must refuse while /dev/axhvc is open (the fd pins the module).
busy_unload_refused()
{
	exec 3<"$DEV" || return 1
	rmmod axhvc 2>/dev/null
	rc=$?
	exec 3<&-
	[ $rc -ne 0 ] && dev_ok
}

unload_ok() { rmmod axhvc && dev_gone; }

cycles_ok()
{
	i=0
	while [ $i -lt $CYCLES ]; do
		rmmod axhvc && insmod "$KO" && dev_ok || return 1
		i=$((i + 1))
	done
}

ktap_print_header
if [ "$(id -u)" != 0 ] || [ ! -f "$KO" ]; then
	ktap_skip_all "needs root and $KO"
	exit "$KSFT_SKIP"
fi
was_loaded=0
loaded && was_loaded=1

ktap_set_plan 8
loaded || insmod "$KO"
ktap_test_result "modinfo has license, description, author, version" modinfo_ok
rmmod axhvc
ktap_test_result "unloaded: no /dev/axhvc, no /sys/module/axhvc" dev_gone
ktap_test_result "insmod succeeds" insmod "$KO"
ktap_test_result "/dev/axhvc is a root-only (0600) misc char device" dev_ok
ktap_test_result "second insmod refused, first instance intact" double_load_refused
ktap_test_result "rmmod refused while /dev/axhvc is open" busy_unload_refused
ktap_test_result "$CYCLES unload/load cycles" cycles_ok
ktap_test_result "rmmod succeeds and removes the device" unload_ok

[ $was_loaded = 1 ] && insmod "$KO"
ktap_finished
