/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest code in lib/guest_gic.S: a guest that sets up the vgic (v3, or v2) for
 * vCPU 0, installs its own vector table and waits until it really takes
 * an SPI. Conventions as in vmm.h; included by that .S file as well.
 */
#ifndef AXHVC_SELFTEST_GUEST_GIC_H
#define AXHVC_SELFTEST_GUEST_GIC_H

/* VALUE tags of guest_gic_wait_irq. */
#define GUEST_GIC_READY		1	/* args[1]: the SPI's INTID */
#define GUEST_GIC_UNMASKED	2	/* args[1]: IRQs taken, [2]: pending bit */

/* FAIL codes of guest_gic_wait_irq. */
#define GUEST_GIC_FAIL_INTID	1	/* args[1]: the INTID asked for */
#define GUEST_GIC_FAIL_WAKEUPS	2	/* args[1]: wakeups without an IRQ */

#ifndef __ASSEMBLER__

/*
 * guest_gic_wait_irq - take SPI x0 once, with a GIC set up by the guest
 *
 * x0 = INTID of an SPI (32..1019) that the host will raise; x1 = how many
 * WFI wakeups without an interrupt the guest tolerates (0 means none);
 * x2 = 1 to leave the SPI level-triggered (for an irqfd with
 * KVM_IRQFD_FLAG_RESAMPLE), 0 for edge-triggered.
 * Must run on vCPU 0 (the SPI is routed to affinity 0).
 *
 * Sets up the GIC (CPU interface, distributor, vCPU 0's redistributor,
 * the SPI as a group 1 interrupt routed to vCPU 0) and
 * points VBAR_EL1 at guest_gic_vectors. Then:
 *
 * - VALUE(GUEST_GIC_READY, INTID): the GIC is set up; the host may raise
 *   the SPI from now on and resumes the guest when it likes;
 * - opens an IRQ window once, then VALUE(GUEST_GIC_UNMASKED, IRQs taken so
 *   far) with args[2] = the SPI's GICD_ISPENDR bit: both 0 unless
 *   something raised the SPI before this point;
 * - waits with WFI until the handler has taken an interrupt; DONE(INTID
 *   taken), args[1] = IRQs taken, args[2] = WFI wakeups. More than x1
 *   wakeups without an interrupt end in FAIL(GUEST_GIC_FAIL_WAKEUPS).
 *
 * A bad INTID ends in FAIL(GUEST_GIC_FAIL_INTID) before any GIC access.
 */
extern const char guest_gic_wait_irq[];

/*
 * guest_gic_count_irqs - take N interrupts of an edge SPI, timed
 *
 * x0 = INTID of an SPI (32..1019), x1 = N (> 0), x2 = GPA of a u64 in RAM
 * where the guest stores how many IRQs it has taken, after each wakeup (the
 * host's pace-maker for one interrupt at a time). Sets up the GIC as
 * guest_gic_wait_irq does, reports VALUE(GUEST_GIC_READY, INTID), then
 * waits for N interrupts: DONE(CNTVCT ticks from the resume after READY to
 * the Nth), args[1] = IRQs taken, args[2] = CNTFRQ_EL0. Must run on vCPU 0.
 */
extern const char guest_gic_count_irqs[];

/*
 * guest_gic_vectors - the vector table guest_gic_wait_irq installs
 *
 * IRQ from EL1h acknowledges through ICC_IAR1_EL1, EOIs and counts the
 * interrupt; every other entry reports VMM_REPORT_UNEXPECTED_EXCEPTION as
 * guest_vectors does. Exported for diagnostics (VBAR_EL1 in dumps).
 */
extern const char guest_gic_vectors[];

#endif /* !__ASSEMBLER__ */
#endif /* AXHVC_SELFTEST_GUEST_GIC_H */
