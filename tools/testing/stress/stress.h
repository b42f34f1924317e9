/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared between the axhvc stress tests (C) and their guest code
 * (guest_stress.S): the layout of the parameters the guest loop reads.
 */
#ifndef AXHVC_STRESS_H
#define AXHVC_STRESS_H

/* An argument table entry that stands for a fresh random 64-bit value. */
#define STRESS_RAW		0x52415752414e4430

/*
 * struct stress_params, in guest RAM, written before the guest first runs:
 *   +0   codes: GPA of a table of codes (u64)
 *   +8   code_mask: table size - 1 (a power of two minus one)
 *   +16  args[8][6]: for code & 7, for x1..x6: { table GPA, mask }
 */
#define STRESS_P_CODES		0
#define STRESS_P_CODE_MASK	8
#define STRESS_P_ARGS		16
#define STRESS_P_CODE_ARGS_SIZE	(6 * 16)
#define STRESS_P_SIZE		(STRESS_P_ARGS + 8 * STRESS_P_CODE_ARGS_SIZE)

#ifndef __ASSEMBLER__
#include <assert.h>
#include <linux/types.h>

struct stress_table {
	__u64 gpa;
	__u64 mask;
};

struct stress_params {
	__u64 codes;
	__u64 code_mask;
	struct stress_table args[8][6];
};

static_assert(sizeof(struct stress_params) == STRESS_P_SIZE, "layout");

extern const char guest_stress_loop[];
#endif

#endif /* AXHVC_STRESS_H */
