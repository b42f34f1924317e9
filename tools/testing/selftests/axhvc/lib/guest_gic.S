/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest code that sets up the vgic itself and takes an SPI: the proof
 * that an interrupt raised for a VM (KVM_IRQFD, an axhvc doorbell) reaches
 * its guest. Conventions as in lib/guest.S: section guest_text, position
 * independent, EL1h, MMU off (every GIC access is a Device access, so all
 * of them are aligned and of the width the register has), state in
 * x19..x28. See lib/guest_gic.h for the entry points' contracts.
 *
 * The same code serves a vgic-v3 and, on a GICv2 host, a vgic-v2 (see
 * vmm_vgic_create()): it tells them apart by GICD_CTLR.ARE, which KVM's
 * vgic-v3 always reads as one and a GICv2 distributor has not (RAZ).
 */
#include "vmm.h"
#include "guest_asm.inc"
#include "guest_gic.h"

/* Distributor registers (offsets from VMM_GICD_GPA). */
#define GICD_CTLR		0x0000
#define GICD_IGROUPR		0x0080
#define GICD_ISENABLER		0x0100
#define GICD_ISPENDR		0x0200
#define GICD_IPRIORITYR		0x0400
#define GICD_ITARGETSR		0x0800		/* GICv2 only */
#define GICD_ICFGR		0x0c00
#define GICD_IROUTER		0x6000

/*
 * KVM's vgic-v3 has a single security state (GICD_CTLR.DS = 1): bit 1 is
 * EnableGrp1 (EnableGrp1A in the non-secure view), bit 4 ARE, which KVM
 * keeps set anyway.
 */
#define GICD_CTLR_ENABLE_G1	(1 << 1)
#define GICD_CTLR_ARE		(1 << 4)
#define GICD_CTLR_ARE_BIT	4
/* GICv2: one enable; KVM's vgic-v2 puts every SPI in group 0. */
#define GICD_CTLR_V2_ENABLE	(1 << 0)
#define GICD_CTLR_RWP_BIT	31

/* Redistributor RD_base registers (offsets from vCPU 0's VMM_GICR_GPA). */
#define GICR_WAKER		0x0014
#define GICR_WAKER_PSLEEP	(1 << 1)
#define GICR_WAKER_CASLEEP_BIT	2

/*
 * GICv2 CPU interface registers (offsets from VMM_GICC_GPA). GICC_CTLR bit
 * 0 enables group 0, which with FIQEn (bit 3) clear is signalled as an IRQ;
 * EOImode (bit 9) clear: the EOIR write also deactivates.
 */
#define GICC_CTLR		0x0000
#define GICC_PMR		0x0004
#define GICC_IAR		0x000c
#define GICC_EOIR		0x0010
#define GICC_CTLR_ENABLE_G0	(1 << 0)
#define GICC_IAR_INTID_MASK	0x3ff

#define ICC_SRE_SRE		(1 << 0)
#define ICC_CTLR_EOIMODE	(1 << 1)

/* A priority below the PMR's 0xff, so that the interrupt is signalled. */
#define GUEST_GIC_PRIORITY	0xa0
/* ICC_IAR1_EL1 INTIDs from here on are special (1023: spurious). */
#define GUEST_GIC_SPECIAL	1020

/*
 * Our own vector table: the IRQ entry for the current EL with SP_ELx (the
 * only one an EL1h guest with IRQs unmasked can take on purpose) goes to
 * the handler, every other one reports and parks exactly as guest_vectors
 * does. VBAR_EL1 needs 2 KiB alignment; the image is loaded page aligned,
 * so alignment within guest_text holds in guest memory.
 */
	.macro	gic_vectors name, handler
	.balign	2048
	.global	\name
\name:
	.irp	idx, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	.balign	0x80
	.if	\idx == VMM_VECTOR_IRQ_EL1H
	b	\handler
	.else
	mov	x17, #\idx
	b	guest_gic_unexpected
	.endif
	.endr
	.balign	0x80
	.size	\name, . - \name
	.endm

	.pushsection guest_text, "ax", %progbits
	gic_vectors guest_gic_vectors, guest_gic_irq
	/* The same for a vgic-v2, whose CPU interface is MMIO. */
	gic_vectors guest_gic_v2_vectors, guest_gic_v2_irq

/*
 * The same report as guest_unexpected_exception in lib/guest.S (which is
 * local to that object): x17 holds the vector index, only x16/x17 are
 * touched so that the dump still shows the guest's registers.
 */
guest_gic_unexpected:
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
	.size	guest_gic_unexpected, . - guest_gic_unexpected

/*
 * IRQ handler: acknowledge, EOI and count. The interrupted code's x0/x1
 * go to the stack (SP_EL1, set up by the host) so that the handler can
 * interrupt anything. ICC_CTLR_EL1.EOImode is 0 (guest_gic_wait_irq makes
 * sure), so the EOIR write both drops the priority and deactivates: no
 * ICC_DIR_EL1. Special INTIDs (a spurious acknowledge) are neither EOIed
 * nor counted. Results for guest_gic_wait_irq: x26 = last INTID taken,
 * x27 = how many were taken.
 */
guest_gic_irq:
	stp	x0, x1, [sp, #-16]!
	mrs	x0, icc_iar1_el1
	and	x0, x0, #0xffffff
	cmp	x0, #GUEST_GIC_SPECIAL
	b.hs	1f
	msr	icc_eoir1_el1, x0
	mov	x26, x0
	add	x27, x27, #1
1:	ldp	x0, x1, [sp], #16
	eret
	.size	guest_gic_irq, . - guest_gic_irq

/* guest_gic_irq for a vgic-v2: acknowledge and EOI through GICC. */
guest_gic_v2_irq:
	stp	x0, x1, [sp, #-16]!
	mov	x1, #VMM_GICC_GPA
	ldr	w0, [x1, #GICC_IAR]
	and	w0, w0, #GICC_IAR_INTID_MASK
	cmp	x0, #GUEST_GIC_SPECIAL
	b.hs	1f
	/* An SPI's IAR value is its INTID alone (no source CPU field). */
	str	w0, [x1, #GICC_EOIR]
	mov	x26, x0
	add	x27, x27, #1
1:	ldp	x0, x1, [sp], #16
	eret
	.size	guest_gic_v2_irq, . - guest_gic_v2_irq
	.popsection

/*
 * Set up the GIC for SPI x19 on vCPU 0 (level-triggered if x24) and point
 * VBAR_EL1 at guest_gic_vectors (guest_gic_v2_vectors for a vgic-v2); IRQs
 * stay masked. Leaves x21 = GICD base, x22/x25 = the SPI's word offset and
 * bit; clobbers x9..x14 (x14: 1 for a vgic-v2).
 */
guest_func guest_gic_setup
	mov	x21, #VMM_GICD_GPA
	mov	x14, #0
	ldr	w9, [x21, #GICD_CTLR]
	tbnz	w9, #GICD_CTLR_ARE_BIT, 3f

	/*
	 * vgic-v2: the CPU interface lets every priority through and signals
	 * group 0 as IRQs; the distributor has one enable.
	 */
	mov	x14, #1
	mov	x10, #VMM_GICC_GPA
	mov	w9, #0xff
	str	w9, [x10, #GICC_PMR]
	mov	w9, #GICC_CTLR_ENABLE_G0
	str	w9, [x10, #GICC_CTLR]
	mov	w9, #GICD_CTLR_V2_ENABLE
	str	w9, [x21, #GICD_CTLR]
	b	4f

3:	/*
	 * CPU interface: system register access (KVM's vgic-v3 has it
	 * RAO/WI, but a guest must not rely on that), every priority let
	 * through, EOImode 0 for the handler, group 1 on.
	 */
	mrs	x9, icc_sre_el1
	orr	x9, x9, #ICC_SRE_SRE
	msr	icc_sre_el1, x9
	isb
	mov	x9, #0xff
	msr	icc_pmr_el1, x9
	mrs	x9, icc_ctlr_el1
	bic	x9, x9, #ICC_CTLR_EOIMODE
	msr	icc_ctlr_el1, x9
	mov	x9, #1
	msr	icc_igrpen1_el1, x9
	isb

	/* Distributor: affinity routing and group 1; RWP says when it is done. */
	mov	x21, #VMM_GICD_GPA
	mov	w9, #(GICD_CTLR_ARE | GICD_CTLR_ENABLE_G1)
	str	w9, [x21, #GICD_CTLR]
1:	ldr	w9, [x21, #GICD_CTLR]
	tbnz	w9, #GICD_CTLR_RWP_BIT, 1b

	/* vCPU 0's redistributor: awake, or it signals nothing. */
	mov	x10, #VMM_GICR_GPA
	ldr	w9, [x10, #GICR_WAKER]
	bic	w9, w9, #GICR_WAKER_PSLEEP
	str	w9, [x10, #GICR_WAKER]
2:	ldr	w9, [x10, #GICR_WAKER]
	tbnz	w9, #GICR_WAKER_CASLEEP_BIT, 2b

	/* The SPI, configured while still disabled. */
4:	lsr	x22, x19, #5
	lsl	x22, x22, #2
	and	x9, x19, #31
	mov	w25, #1
	lsl	w25, w25, w9

	cbnz	x14, 5f				/* vgic-v2: group 0 is an IRQ */
	add	x10, x21, #GICD_IGROUPR		/* group 1: an IRQ, not a FIQ */
	ldr	w9, [x10, x22]
	orr	w9, w9, w25
	str	w9, [x10, x22]

5:
	add	x10, x21, #GICD_IPRIORITYR	/* byte accessible */
	mov	w9, #GUEST_GIC_PRIORITY
	strb	w9, [x10, x19]

	/*
	 * Edge-triggered, which is what a plain irqfd is: KVM asserts the
	 * line and may never lower it, which as a level interrupt would fire
	 * again after every EOI. Level (x24) for a resampling irqfd, which
	 * KVM lowers at the EOI.
	 */
	add	x10, x21, #GICD_ICFGR
	lsr	x11, x19, #4
	lsl	x11, x11, #2
	and	x12, x19, #15
	lsl	x12, x12, #1
	add	x12, x12, #1
	mov	w13, #1
	lsl	w13, w13, w12
	ldr	w9, [x10, x11]
	bic	w9, w9, w13
	cbnz	x24, 6f
	orr	w9, w9, w13
6:	str	w9, [x10, x11]

	cbnz	x14, 7f
	add	x10, x21, #GICD_IROUTER		/* Aff3..0 = 0: vCPU 0 */
	str	xzr, [x10, x19, lsl #3]
	b	8f
7:	add	x10, x21, #GICD_ITARGETSR	/* byte accessible; bit 0: CPU 0 */
	mov	w9, #1
	strb	w9, [x10, x19]

8:	add	x10, x21, #GICD_ISENABLER	/* write 1 to set */
	str	w25, [x10, x22]

	adr	x9, guest_gic_vectors
	cbz	x14, 9f
	adr	x9, guest_gic_v2_vectors
9:	msr	vbar_el1, x9
	isb

	ret
guest_endfunc guest_gic_setup

/*
 * x0 = INTID of an SPI, x1 = WFI wakeups without an interrupt tolerated,
 * x2 = 1 for a level-triggered SPI. See guest_gic.h for the reports.
 *
 * x19 INTID, x20 wakeup budget, x21 GICD base, x22 byte offset of the
 * SPI's word in the 1-bit-per-INTID registers, x23 wakeups without an
 * interrupt, x24 level-triggered, x25 the SPI's bit in that word;
 * x26/x27 belong to the handler. x9..x15 are scratch (no HVC here to
 * clobber them).
 */
guest_func guest_gic_wait_irq
	mov	x19, x0
	mov	x20, x1
	mov	x24, x2
	cmp	x19, #32
	b.lo	9f
	cmp	x19, #GUEST_GIC_SPECIAL
	b.hs	9f

	bl	guest_gic_setup

	mov	x23, #0
	mov	x26, #1023
	mov	x27, #0
	guest_value GUEST_GIC_READY, x19

	/*
	 * One IRQ window: an SPI raised before this point (it must not have
	 * been) is taken here and shows in the count; the pending bit tells
	 * the same from the distributor's side.
	 */
	msr	daifclr, #2
	isb
	msr	daifset, #2
	add	x10, x21, #GICD_ISPENDR
	ldr	w9, [x10, x22]
	and	w9, w9, w25
	guest_report_arg 2, x9
	guest_value GUEST_GIC_UNMASKED, x27

	/*
	 * Wait with IRQs masked, and take them in a window after each wakeup:
	 * WFI wakes for a pending interrupt whatever PSTATE.I says, and an
	 * interrupt taken between the check and a WFI with IRQs unmasked
	 * would leave that WFI waiting forever.
	 */
3:	cbnz	x27, 5f
	wfi
	msr	daifclr, #2
	isb
	msr	daifset, #2
	cbnz	x27, 5f
	add	x23, x23, #1
	cmp	x23, x20
	b.ls	3b
	guest_report_arg 1, x23
	guest_fail GUEST_GIC_FAIL_WAKEUPS

5:	guest_report_arg 1, x27
	guest_report_arg 2, x23
	guest_done x26

9:	guest_report_arg 1, x19
	guest_fail GUEST_GIC_FAIL_INTID
guest_endfunc guest_gic_wait_irq

/*
 * x0 = INTID of an edge-triggered SPI, x1 = N > 0, x2 = GPA of a u64 that
 * gets the count of IRQs taken after each wakeup. See guest_gic.h.
 */
guest_func guest_gic_count_irqs
	mov	x19, x0
	mov	x20, x1
	mov	x28, x2
	mov	x24, #0
	cmp	x19, #32
	b.lo	9f
	cmp	x19, #GUEST_GIC_SPECIAL
	b.hs	9f
	cbz	x20, 9f

	bl	guest_gic_setup

	mov	x26, #1023
	mov	x27, #0
	str	x27, [x28]
	guest_value GUEST_GIC_READY, x19
	guest_counter x23
	/* As in guest_gic_wait_irq: WFI masked, a window after each wakeup. */
1:	wfi
	msr	daifclr, #2
	isb
	msr	daifset, #2
	str	x27, [x28]
	cmp	x27, x20
	b.lo	1b
	guest_counter x9
	sub	x9, x9, x23
	mrs	x10, cntfrq_el0
	guest_report_arg 1, x27
	guest_report_arg 2, x10
	guest_done x9

9:	guest_report_arg 1, x19
	guest_fail GUEST_GIC_FAIL_INTID
guest_endfunc guest_gic_count_irqs
