/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The smallest guest for QEMU's virt machine: print one line on the PL011
 * at 0x09000000, then PSCI SYSTEM_OFF through hvc (KVM handles PSCI itself
 * and reports a system event, on which QEMU exits 0). QEMU loads it as an
 * ELF (-kernel) and enters it at EL1 with the MMU off, so it needs no stack.
 */
	.text
	.globl	_start
_start:
	ldr	x1, =0x09000000		/* PL011 UARTDR */
	adr	x2, msg
1:	ldrb	w3, [x2], #1
	cbz	w3, 2f
	str	w3, [x1]
	b	1b
2:	ldr	x0, =0x84000008		/* PSCI_0_2_FN_SYSTEM_OFF */
	hvc	#0
3:	wfi				/* not reached unless PSCI failed */
	b	3b

msg:	.asciz	"axhvc-qemu-guest: hello from the PL011\n"
	.balign	8
	.ltorg
