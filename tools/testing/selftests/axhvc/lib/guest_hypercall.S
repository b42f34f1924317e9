/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest code for the AxVisor hypercall tests (hypercall_test.c).
 */
#include "vmm.h"
#include "guest_asm.inc"

/*
 * One hvc #0 with whatever x0..x30 the host set, then a store of x0 to the
 * address in x28 (outside RAM): an MMIO exit that leaves every register as
 * the HVC left it, for the host to read back. Resumed, it calls again.
 */
guest_func guest_hvc_probe
	hvc	#0
	str	x0, [x28]
	b	guest_hvc_probe
guest_endfunc guest_hvc_probe

/*
 * x0 = code, x1..x4 = arguments, x5 = N: N identical HVCs, timed.
 * DONE(ticks); args[1] = x0 of the last call, args[2] = CNTFRQ_EL0,
 * args[3] = how many calls returned something else than the first.
 */
guest_func guest_hvc_loop
	mov	x19, x0
	mov	x20, x1
	mov	x21, x2
	mov	x22, x3
	mov	x23, x4
	mov	x24, x5
	cbnz	x24, 1f
	guest_fail 1
1:	mov	x27, #0
	guest_counter x25
2:	mov	x0, x19
	mov	x1, x20
	mov	x2, x21
	mov	x3, x22
	mov	x4, x23
	hvc	#0
	cmp	x24, x5			/* the first call? (x5 is not written) */
	b.ne	3f
	mov	x26, x0
3:	cmp	x0, x26
	cinc	x27, x27, ne
	mov	x28, x0
	subs	x24, x24, #1
	b.ne	2b
	guest_counter x24
	sub	x24, x24, x25
	mrs	x26, cntfrq_el0
	guest_report_arg 1, x28
	guest_report_arg 2, x26
	guest_report_arg 3, x27
	guest_done x24
guest_endfunc guest_hvc_loop
