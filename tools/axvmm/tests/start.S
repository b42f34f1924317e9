/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry of axvmm's raw test guest: loaded and entered at 0x40000000 at
 * EL1h with the MMU off and x0 = the device tree. Sets a vector table and
 * a stack, then runs hello_main(dtb) in C.
 */
	.section .text.start, "ax"
	.global _start
_start:
	adr	x1, vectors
	msr	vbar_el1, x1
	isb
	ldr	x1, =stack_top
	mov	sp, x1
	bl	hello_main		/* x0: still the DTB */
1:	wfi
	b	1b

/* Every exception is unexpected: report it from C, which powers off. */
	.balign	2048
vectors:
	.rept	16
	b	exception
	.balign	0x80
	.endr

exception:
	ldr	x1, =stack_top
	mov	sp, x1
	mrs	x0, esr_el1
	mrs	x1, elr_el1
	mrs	x2, far_el1
	bl	hello_exception
	b	.
