/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest code of axhvc_bench; conventions as in the selftests' lib/vmm.h
 * (section guest_text, position independent, state in x19..x28).
 */
#include "vmm.h"
#include "guest_asm.inc"

#define BENCH_HC_PUBLISH	3
#define BENCH_HC_UNPUBLISH	5
#define BENCH_HC_NOTIFY		7

/*
 * x0 = code, x1 = first key, x2, x3 = further arguments, x4 = N: N calls of
 * code(key, x2, x3), the key counting up; each must return 0.
 * DONE(ticks), args[2] = CNTFRQ_EL0. FAIL(2): args[1] = x0, args[2] = key.
 */
guest_func bench_hvc_keys
	mov	x19, x0
	mov	x20, x1
	mov	x21, x2
	mov	x22, x3
	mov	x23, x4
	guest_counter x24
1:	cbz	x23, 2f
	mov	x0, x19
	mov	x1, x20
	mov	x2, x21
	mov	x3, x22
	hvc	#0
	cbnz	x0, 3f
	add	x20, x20, #1
	sub	x23, x23, #1
	b	1b
2:	guest_counter x25
	sub	x25, x25, x24
	mrs	x26, cntfrq_el0
	guest_report_arg 2, x26
	guest_done x25
3:	guest_report_arg 1, x0
	guest_report_arg 2, x20
	guest_fail 2
guest_endfunc bench_hvc_keys

/*
 * x0 = code, x1..x4 = arguments, x5 = N, x6 = GPA of N records
 * { u64 ticks, u64 x0 }: N calls, each timed on its own, so that the host
 * can take their median, which a host hiccup during a few calls does not
 * move. DONE, args[2] = CNTFRQ_EL0.
 */
guest_func bench_hvc_timed
	mov	x19, x0
	mov	x20, x1
	mov	x21, x2
	mov	x22, x3
	mov	x23, x4
	mov	x24, x5
	mov	x25, x6
1:	cbz	x24, 2f
	mov	x0, x19
	mov	x1, x20
	mov	x2, x21
	mov	x3, x22
	mov	x4, x23
	guest_counter x26
	hvc	#0
	guest_counter x27
	sub	x27, x27, x26
	stp	x27, x0, [x25], #16
	sub	x24, x24, #1
	b	1b
2:	mrs	x26, cntfrq_el0
	guest_report_arg 2, x26
	guest_done
guest_endfunc bench_hvc_timed

/*
 * x0 = code A (no arguments), x1 = code B, x2..x5 = B's x1..x4, x6 = N,
 * x7 = GPA of N records { A ticks, A's x0, B ticks, B's x0 }: A and B
 * alternate call by call, so that both meet the same host at the same
 * moment. DONE, args[2] = CNTFRQ_EL0.
 */
guest_func bench_hvc_pair
	mov	x19, x0
	mov	x20, x1
	mov	x21, x2
	mov	x22, x3
	mov	x23, x4
	mov	x24, x5
	mov	x25, x6
	mov	x26, x7
1:	cbz	x25, 2f
	mov	x0, x19
	guest_counter x27
	hvc	#0
	guest_counter x28
	sub	x28, x28, x27
	stp	x28, x0, [x26], #16
	mov	x0, x20
	mov	x1, x21
	mov	x2, x22
	mov	x3, x23
	mov	x4, x24
	guest_counter x27
	hvc	#0
	guest_counter x28
	sub	x28, x28, x27
	stp	x28, x0, [x26], #16
	sub	x25, x25, #1
	b	1b
2:	mrs	x27, cntfrq_el0
	guest_report_arg 2, x27
	guest_done
guest_endfunc bench_hvc_pair

/*
 * x0 = key, x1 = base GPA, x2 = size GPA (holds the size asked for),
 * x3 = N, x4 = GPA of N records { SMCCC_VERSION ticks, its x0, ticks of a
 * publish(key) and unpublish(key) pair, 0 }: N pairs, each after a call of
 * KVM's own, as bench_hvc_pair does. DONE, args[2] = CNTFRQ_EL0.
 * FAIL(2 or 3): args[1] = x0.
 */
guest_func bench_pub_unpub
	mov	x19, x0
	mov	x20, x1
	mov	x21, x2
	mov	x22, x3
	mov	x23, x4
1:	cbz	x22, 2f
	guest_mov64 x0, VMM_SMCCC_VERSION
	guest_counter x24
	hvc	#0
	guest_counter x25
	sub	x25, x25, x24
	stp	x25, x0, [x23], #16
	guest_counter x24
	mov	x0, #BENCH_HC_PUBLISH
	mov	x1, x19
	mov	x2, x20
	mov	x3, x21
	hvc	#0
	cbnz	x0, 3f
	mov	x0, #BENCH_HC_UNPUBLISH
	mov	x1, x19
	hvc	#0
	cbnz	x0, 4f
	guest_counter x25
	sub	x25, x25, x24
	stp	x25, xzr, [x23], #16
	sub	x22, x22, #1
	b	1b
2:	mrs	x26, cntfrq_el0
	guest_report_arg 2, x26
	guest_done
3:	guest_report_arg 1, x0
	guest_fail 2
4:	guest_report_arg 1, x0
	guest_fail 3
guest_endfunc bench_pub_unpub

/*
 * Copies x7 bytes (a multiple of 64, > 0) from x5 to x6, 64 bytes per
 * iteration with ldp/stp as a memcpy does; clobbers x5..x15.
 */
.macro copy_block
.Lcopy\@:
	ldp	x9, x10, [x5]
	ldp	x11, x12, [x5, #16]
	ldp	x13, x14, [x5, #32]
	ldp	x15, x8, [x5, #48]
	stp	x9, x10, [x6]
	stp	x11, x12, [x6, #16]
	stp	x13, x14, [x6, #32]
	stp	x15, x8, [x6, #48]
	add	x5, x5, #64
	add	x6, x6, #64
	subs	x7, x7, #64
	b.ne	.Lcopy\@
.endm

/*
 * x0 = source, x1 = destination, x2 = bytes (a multiple of 64, > 0),
 * x3 = N (> 0), x4 = GPA of a stage-1 table (see axhvc_bench.c) or 0.
 * With x4, turns the MMU and the caches on first (identity map, Normal
 * write-back memory for RAM and the IVC window). Copies once untimed (to
 * fault everything in), then N times timed, 64 bytes per iteration with
 * ldp/stp as a memcpy does. DONE(ticks), args[2] = CNTFRQ_EL0.
 */
guest_func bench_copy
	mov	x19, x0
	mov	x20, x1
	mov	x21, x2
	mov	x22, x3
	cbz	x4, 1f
	guest_mov64 x9, 0xff00		/* attr0 Device-nGnRnE, attr1 Normal WB */
	msr	mair_el1, x9
	/* T0SZ 32, inner/outer WB WA, inner shareable, 4K, no TTBR1 walks. */
	guest_mov64 x9, (32 | (1 << 8) | (1 << 10) | (3 << 12) | (1 << 23))
	msr	tcr_el1, x9
	msr	ttbr0_el1, x4
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	mrs	x9, sctlr_el1
	mov	x10, #((1 << 0) | (1 << 2) | (1 << 12))	/* M, C, I */
	orr	x9, x9, x10
	msr	sctlr_el1, x9
	isb
1:	mov	x23, #0			/* the untimed first copy */
	add	x22, x22, #1
2:	mov	x5, x19
	mov	x6, x20
	mov	x7, x21
	copy_block
	cbnz	x23, 4f
	guest_counter x24
	mov	x23, #1
4:	subs	x22, x22, #1
	b.ne	2b
	dsb	sy
	guest_counter x25
	sub	x25, x25, x24
	mrs	x26, cntfrq_el0
	guest_report_arg 2, x26
	guest_done x25
guest_endfunc bench_copy

/*
 * x0 = publisher id, x1 = key, x2 = target VM id, x3 = GPA of the u64 the
 * target's handler count is stored at, x4 = N: N notifies, each one only
 * once the target has counted the one before. DONE(ticks),
 * args[2] = CNTFRQ_EL0. FAIL(2): a notify returned args[1].
 */
guest_func bench_notify_paced
	mov	x19, x0
	mov	x20, x1
	mov	x21, x2
	mov	x22, x3
	mov	x23, x4
	mov	x27, #0
	guest_counter x24
1:	cmp	x27, x23
	b.hs	3f
	mov	x0, #BENCH_HC_NOTIFY
	mov	x1, x19
	mov	x2, x20
	mov	x3, x21
	hvc	#0
	cbnz	x0, 4f
	add	x27, x27, #1
2:	ldr	x9, [x22]
	cmp	x9, x27
	b.lo	2b
	b	1b
3:	guest_counter x25
	sub	x25, x25, x24
	mrs	x26, cntfrq_el0
	guest_report_arg 2, x26
	guest_done x25
4:	guest_report_arg 1, x0
	guest_fail 2
guest_endfunc bench_notify_paced

/*
 * x0 = code (no arguments), x1 = K (> 0), x2 = N, x3 = GPA of N records
 * { loop ticks, 0, call ticks, its x0 }: a spin of K iterations, which
 * never leaves the guest, and one call of code alternate N times, so that
 * the call can be given in units of a reference that meets the same host.
 * DONE, args[2] = CNTFRQ_EL0.
 */
guest_func bench_loop_pair
	mov	x19, x0
	mov	x20, x1
	mov	x21, x2
	mov	x22, x3
1:	cbz	x21, 3f
	mov	x9, x20
	guest_counter x23
2:	subs	x9, x9, #1
	b.ne	2b
	guest_counter x24
	sub	x24, x24, x23
	stp	x24, xzr, [x22], #16
	mov	x0, x19
	guest_counter x23
	hvc	#0
	guest_counter x24
	sub	x24, x24, x23
	stp	x24, x0, [x22], #16
	sub	x21, x21, #1
	b	1b
3:	mrs	x25, cntfrq_el0
	guest_report_arg 2, x25
	guest_done
guest_endfunc bench_loop_pair

/*
 * x0 = source A, x1 = destination A, x2 = source B, x3 = destination B,
 * x4 = bytes (a multiple of 64, > 0), x5 = N, x6 = GPA of N records
 * { A ticks, B ticks }: copy A (the reference, RAM to RAM) and copy B (one
 * side a channel) alternate N times, each timed on its own, after one
 * untimed copy of each; the MMU stays as bench_copy left it.
 * DONE, args[2] = CNTFRQ_EL0.
 */
guest_func bench_copy_pair
	mov	x19, x0
	mov	x20, x1
	mov	x21, x2
	mov	x22, x3
	mov	x23, x4
	mov	x24, x5
	mov	x25, x6
	mov	x5, x19
	mov	x6, x20
	mov	x7, x23
	copy_block
	mov	x5, x21
	mov	x6, x22
	mov	x7, x23
	copy_block
1:	cbz	x24, 2f
	mov	x5, x19
	mov	x6, x20
	mov	x7, x23
	guest_counter x26
	copy_block
	dsb	sy
	guest_counter x27
	sub	x28, x27, x26
	mov	x5, x21
	mov	x6, x22
	mov	x7, x23
	guest_counter x26
	copy_block
	dsb	sy
	guest_counter x27
	sub	x27, x27, x26
	stp	x28, x27, [x25], #16
	sub	x24, x24, #1
	b	1b
2:	mrs	x26, cntfrq_el0
	guest_report_arg 2, x26
	guest_done
guest_endfunc bench_copy_pair
