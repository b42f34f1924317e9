/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest code for the axhvc selftests. Everything here lives in section
 * guest_text, which the library copies to the start of guest RAM: it must
 * be position independent (adr, b/bl, no literal pools, no absolute
 * addresses). The guest runs at EL1h, DAIF masked, MMU off; see vmm.h for
 * the register and report conventions.
 */
#include "vmm.h"
#include "guest_asm.inc"

/*
 * The vector table opens the image: the host loads the image page aligned,
 * so the 4 KiB alignment here makes every alignment in the section hold in
 * guest memory as well (2 KiB for VBAR_EL1, 4 KiB pages for adrp).
 */
	.pushsection guest_text, "ax", %progbits
	.balign	4096
	.global	guest_vectors
guest_vectors:
	/*
	 * 16 entries of 0x80 bytes: {sync, irq, fiq, serror} from the current
	 * EL with SP_EL0, current EL with SP_ELx, lower EL AArch64, lower EL
	 * AArch32. None of them is expected: report and park. Only x16/x17
	 * are touched, so the dump still shows the guest's x0..x15.
	 */
	.irp	idx, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	.balign	0x80
	mov	x17, #\idx
	b	guest_unexpected_exception
	.endr
	.balign	0x80
	.size	guest_vectors, . - guest_vectors

guest_unexpected_exception:
	mov	x16, #VMM_REPORT_GPA
	str	x17, [x16, #VMM_REPORT_ARG_OFF(VMM_EXC_ARG_VECTOR)]
	mrs	x17, esr_el1
	str	x17, [x16, #VMM_REPORT_ARG_OFF(VMM_EXC_ARG_ESR)]
	mrs	x17, elr_el1
	str	x17, [x16, #VMM_REPORT_ARG_OFF(VMM_EXC_ARG_ELR)]
	mrs	x17, far_el1
	str	x17, [x16, #VMM_REPORT_ARG_OFF(VMM_EXC_ARG_FAR)]
	mrs	x17, spsr_el1
	str	x17, [x16, #VMM_REPORT_ARG_OFF(VMM_EXC_ARG_SPSR)]
	guest_report VMM_REPORT_UNEXPECTED_EXCEPTION
	guest_park
	.size	guest_unexpected_exception, . - guest_unexpected_exception
	.popsection

/*
 * One SMCCC_VERSION call answered by KVM itself. DONE(x0 as returned).
 * The host checks x19..x28, which it set before the start, afterwards.
 */
guest_func guest_hvc_roundtrip
	mov	x0, #VMM_SMCCC_VERSION
	hvc	#0
	guest_done x0
guest_endfunc guest_hvc_roundtrip

/*
 * Cost of an HVC answered by KVM: x0 = N (> 0) calls of SMCCC_VERSION and
 * an empty loop of N iterations, both timed with CNTVCT_EL0.
 * DONE(hvc ticks), args[1] = empty loop ticks, args[2] = CNTFRQ_EL0,
 * args[3] = calls completed. FAIL(1) for N == 0; FAIL(2, x0, call index)
 * if a call returns anything but SMCCC 1.1.
 *
 * x19 loop counter, x20 N, x21 CNTFRQ, x22/x23 empty loop start/end,
 * x24/x27 HVC loop start/end, x25 calls completed, x26 expected answer:
 * all callee-saved, as the HVC may clobber x0..x17.
 */
guest_func guest_hvc_cost
	mov	x20, x0
	cbnz	x20, 1f
	guest_fail 1
1:	mrs	x21, cntfrq_el0
	guest_mov64 x26, VMM_SMCCC_VERSION_1_1

	mov	x19, x20
	guest_counter x22
2:	subs	x19, x19, #1
	b.ne	2b
	guest_counter x23

	mov	x19, x20
	mov	x25, #0
	guest_counter x24
3:	mov	x0, #VMM_SMCCC_VERSION
	hvc	#0
	cmp	x0, x26
	b.ne	4f
	add	x25, x25, #1
	subs	x19, x19, #1
	b.ne	3b
	guest_counter x27

	sub	x27, x27, x24
	sub	x23, x23, x22
	guest_report_arg 1, x23
	guest_report_arg 2, x21
	guest_report_arg 3, x25
	guest_done x27

4:	guest_report_arg 1, x0
	guest_report_arg 2, x25
	guest_fail 2
guest_endfunc guest_hvc_cost

/*
 * x0 = function ID, x1 = argument: one HVC meant to be forwarded to the
 * VMM by an SMCCC filter, then one SMCCC_VERSION that KVM must still
 * answer itself. DONE(x0 of the first call), args[1] = x0 of the second.
 */
guest_func guest_forward_roundtrip
	hvc	#0
	mov	x19, x0
	mov	x0, #VMM_SMCCC_VERSION
	hvc	#0
	guest_report_arg 1, x0
	guest_done x19
guest_endfunc guest_forward_roundtrip

/* Undefined instruction: must end as UNEXPECTED_EXCEPTION, EC 0x00. */
guest_func guest_udf
	nop
	.global	guest_udf_insn
guest_udf_insn:
	udf	#0
	guest_done
guest_endfunc guest_udf

/* Breakpoint: must end as UNEXPECTED_EXCEPTION, EC 0x3c, ISS 0x2a. */
guest_func guest_brk
	nop
	.global	guest_brk_insn
guest_brk_insn:
	brk	#0x2a
	guest_done
guest_endfunc guest_brk

/*
 * Spins forever without a report, counting in x19 so the host can see it
 * really ran. The PC stays in [guest_spin, guest_spin_end).
 */
guest_func guest_spin
	mov	x19, #0
1:	add	x19, x19, #1
	b	1b
	.global	guest_spin_end
guest_spin_end:
guest_endfunc guest_spin
