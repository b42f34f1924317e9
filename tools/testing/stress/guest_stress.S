/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest code of the axhvc stress tests: a loop of AxVisor hypercalls with
 * pseudo-random codes and arguments. Conventions as in lib/vmm.h (section
 * guest_text, MMU off, state in x19..x28, x0..x17 clobbered by hvc).
 *
 * x0 = GPA of a struct stress_params (see stress.h), x1 = PRNG seed (not
 * 0), x2 = number of calls (0: forever). Each call draws a code from the
 * code table, then each argument x1..x6 from the argument table of that
 * code (code & 7); an entry equal to STRESS_RAW is replaced by a fresh
 * random 64-bit value. At the end DONE(calls), args[1] = calls that
 * returned non-zero, args[2] = calls whose x0 was neither 0 nor an errno
 * (-4095..-1), args[3] = calls that changed one of x19..x28's checks.
 */
#include "vmm.h"
#include "guest_asm.inc"
#include "stress.h"

/* xorshift64 on x20. */
.macro next_rand
	eor	x20, x20, x20, lsl #13
	eor	x20, x20, x20, lsr #7
	eor	x20, x20, x20, lsl #17
.endm

/* \reg = entry of argument table \i of the code's tables at x12. */
.macro pick_arg reg, i
	next_rand
	ldr	x9, [x12, #(16 * \i)]
	ldr	x10, [x12, #(16 * \i + 8)]
	and	x10, x20, x10
	ldr	\reg, [x9, x10, lsl #3]
	cmp	\reg, x13
	b.ne	.Lkeep\@
	next_rand
	mov	\reg, x20
.Lkeep\@:
.endm

guest_func guest_stress_loop
	mov	x19, x0			/* params */
	mov	x20, x1			/* PRNG state */
	mov	x21, x2			/* calls left (0: forever) */
	mov	x22, #0			/* calls made */
	mov	x23, #0			/* non-zero results */
	mov	x24, #0			/* results that are not 0 or -errno */
	mov	x25, #0			/* check of x26..x28 */
	guest_mov64 x26, 0x5a5a1234a5a54321
	mov	x27, x19
	mov	x28, #0
1:	guest_mov64 x13, STRESS_RAW
	/* The code and its argument tables. */
	next_rand
	ldr	x9, [x19, #STRESS_P_CODES]
	ldr	x10, [x19, #STRESS_P_CODE_MASK]
	and	x10, x20, x10
	ldr	x14, [x9, x10, lsl #3]
	and	x12, x14, #7
	mov	x11, #STRESS_P_CODE_ARGS_SIZE
	mul	x12, x12, x11
	add	x12, x12, x19
	add	x12, x12, #STRESS_P_ARGS
	pick_arg x1, 0
	pick_arg x2, 1
	pick_arg x3, 2
	pick_arg x4, 3
	pick_arg x5, 4
	pick_arg x6, 5
	mov	x0, x14
	hvc	#0
	add	x22, x22, #1
	cbz	x0, 2f
	add	x23, x23, #1
	cmn	x0, #4095
	b.hs	2f
	add	x24, x24, #1
2:	guest_mov64 x9, 0x5a5a1234a5a54321
	cmp	x26, x9
	cinc	x25, x25, ne
	cmp	x27, x19
	cinc	x25, x25, ne
	cbz	x21, 1b
	subs	x21, x21, #1
	b.ne	1b
	guest_report_arg 1, x23
	guest_report_arg 2, x24
	guest_report_arg 3, x25
	guest_done x22
guest_endfunc guest_stress_loop
