#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run as root after the tenant's runs (tools/testing/host/init.sh): the
# tenant cannot see the host-wide counters, so root checks that its tests
# left no VM, channel, channel mapping or channel page behind.
cd "$(dirname "$0")" || exit 1
. ./ktap_helpers.sh

ivc_empty()
{
	ivc=$(tr '\n' ' ' </sys/kernel/debug/axhvc/ivc)
	echo "# /sys/kernel/debug/axhvc/ivc: $ivc"
	[ "$ivc" = "channels 0 mappings 0 pages 0 " ]
}

no_vms()
{
	vms=$(axhvcctl vms 2>&1 | head -n 1)
	echo "# axhvcctl vms: $vms"
	[ "$vms" = "VMs: 0" ]
}

ktap_print_header
ktap_set_plan 2
ktap_test_result "no channel, mapping or page left by the tenant" ivc_empty
ktap_test_result "no VM left by the tenant" no_vms
ktap_finished
