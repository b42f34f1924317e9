/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry of a bare-metal axhvc demo guest, as axvmm starts a raw image: at
 * the image's first byte (loaded at the start of RAM), EL1h, MMU and caches
 * off, DAIF masked, x0 = GPA of the device tree.
 *
 * Sets a stack of its own, clears .bss, installs a vector table that turns
 * any exception into a console message and a power-off (a demo guest never
 * unmasks interrupts, so every exception is a bug), runs main() and powers
 * the VM off with PSCI SYSTEM_OFF, which axvmm takes as the end of the VM.
 */
#define PSCI_SYSTEM_OFF	0x84000008

	.section .text.start, "ax"
	.global	_start
_start:
	mov	x19, x0
	adrp	x1, stack_top
	add	x1, x1, :lo12:stack_top
	mov	sp, x1
	adrp	x1, __bss_start
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
1:	cmp	x1, x2
	b.hs	2f
	str	xzr, [x1], #8
	b	1b
2:	adrp	x1, rt_vectors
	add	x1, x1, :lo12:rt_vectors
	msr	vbar_el1, x1
	isb
	mov	x0, x19
	bl	main
	bl	rt_power_off

	/* VBAR_EL1 needs 2 KiB alignment; 16 entries of 0x80 bytes. */
	.balign	2048
rt_vectors:
	.irp	idx, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	.balign	0x80
	mov	x0, #\idx
	b	rt_exception_entry
	.endr

rt_exception_entry:
	adrp	x1, stack_top
	add	x1, x1, :lo12:stack_top
	mov	sp, x1
	mrs	x1, esr_el1
	mrs	x2, elr_el1
	mrs	x3, far_el1
	bl	rt_exception
	b	rt_power_off

	.global	rt_power_off
rt_power_off:
	ldr	x0, =PSCI_SYSTEM_OFF
	hvc	#0
	/* SYSTEM_OFF does not return; if it does, park. */
3:	wfi
	b	3b
	.ltorg

	.section .bss.stack, "aw", %nobits
	.balign	16
	.space	0x10000
stack_top:
