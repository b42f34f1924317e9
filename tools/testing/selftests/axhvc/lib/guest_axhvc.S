/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest code that calls AxVisor hypercalls; conventions as in lib/guest.S
 * (section guest_text, position independent, state in x19..x28).
 */
#include "vmm.h"
#include "guest_asm.inc"

/* AXHVC_HC_HYPERVISOR_DEBUG; include/uapi/axhvc.h is C only. */
#define GUEST_AXHVC_HC_DEBUG	2
/* The first function ID above AxVisor's 0..7: never axhvc's. */
#define GUEST_AXHVC_HC_BEYOND	8

/*
 * x1..x6 = HyperVisorDebug arguments, set by the host. Three calls:
 * HyperVisorDebug (x0 = 2), which a VM bound to axhvc gets answered
 * without a KVM exit; SMCCC_VERSION, which KVM must still answer itself;
 * and function ID 8, outside AxVisor's codes, which KVM answers as it
 * does unfiltered (SMCCC NOT_SUPPORTED). DONE(x0 of the first call),
 * args[1] = x0 of the second, args[2] = x0 of the third.
 */
guest_func guest_axhvc_debug
	mov	x0, #GUEST_AXHVC_HC_DEBUG
	hvc	#0
	mov	x19, x0
	mov	x0, #VMM_SMCCC_VERSION
	hvc	#0
	mov	x20, x0
	mov	x0, #GUEST_AXHVC_HC_BEYOND
	hvc	#0
	guest_report_arg 1, x20
	guest_report_arg 2, x0
	guest_done x19
guest_endfunc guest_axhvc_debug

/* x0 = GPA (8-byte aligned): DONE(the u64 there). */
guest_func guest_axhvc_peek
	ldr	x19, [x0]
	guest_done x19
guest_endfunc guest_axhvc_peek

/* x0 = GPA (8-byte aligned), x1 = value: store it there; DONE(0). */
guest_func guest_axhvc_poke
	str	x1, [x0]
	dsb	sy
	guest_done
guest_endfunc guest_axhvc_poke
