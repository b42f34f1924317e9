// SPDX-License-Identifier: GPL-2.0
/*
 * hvc_cost - the cost of an intercepted HyperVisorDebug, in units of KVM's
 * own SMCCC_VERSION, as any VMM's guest sees it: the same image runs under
 * axvmm (hvc_cost.bin) and under QEMU with libaxhvc-qemu.so (the QEMU
 * build, hvc_cost.elf), so that axhvc_bench can put the two side by side.
 *
 * ROUNDS rounds of CALLS pairs, the two calls alternating call by call as
 * in axhvc_bench's section 1; a round's ratio is the median Debug over the
 * median SMCCC_VERSION, and the last line gives the median round:
 *   hvc_cost: ratio_x1000 R floor_ticks F debug_ticks D cntfrq C
 */
#include "rt.h"
#include "axhvc_guest.h"

#define ROUNDS		9
#define CALLS		201
#define SMCCC_VERSION	0x80000000UL

static __u64 floor_t[CALLS], debug_t[CALLS];
static __u64 ratio[ROUNDS], floor_med[ROUNDS], debug_med[ROUNDS];

static inline __u64 counter(void)
{
	__u64 v;

	asm volatile("isb\n\tmrs %0, cntvct_el0" : "=r" (v) : : "memory");
	return v;
}

/* One hvc #0 with x0 = @code and no arguments: its ticks, its x0 in @ret. */
static __u64 timed_hvc(__u64 code, __u64 *ret)
{
	register __u64 x0 asm("x0") = code;
	register __u64 x1 asm("x1") = 0, x2 asm("x2") = 0, x3 asm("x3") = 0;
	__u64 t0 = counter();

	asm volatile("hvc #0" : "+r" (x0), "+r" (x1), "+r" (x2), "+r" (x3) : :
		     "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
		     "x14", "x15", "x16", "x17", "memory");
	*ret = x0;
	return counter() - t0;
}

static __u64 median(__u64 *v, unsigned int n)
{
	unsigned int i, j;

	for (i = 1; i < n; i++)
		for (j = i; j && v[j - 1] > v[j]; j--) {
			__u64 t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return v[n / 2];
}

int main(void)
{
	__u64 ret, frq;
	unsigned int r, i, mid;

	for (r = 0; r <= ROUNDS; r++) {
		for (i = 0; i < CALLS; i++) {
			floor_t[i] = timed_hvc(SMCCC_VERSION, &ret);
			if (ret != 0x10001) {
				rt_printf("hvc_cost: SMCCC_VERSION returned 0x%llx\n", ret);
				return 1;
			}
			debug_t[i] = timed_hvc(AXHVC_HC_HYPERVISOR_DEBUG, &ret);
			if (ret) {
				rt_printf("hvc_cost: Debug returned 0x%llx (not intercepted?)\n",
					  ret);
				return 1;
			}
		}
		if (!r)		/* a warm-up round */
			continue;
		floor_med[r - 1] = median(floor_t, CALLS);
		debug_med[r - 1] = median(debug_t, CALLS);
		ratio[r - 1] = debug_med[r - 1] * 1000 / floor_med[r - 1];
		rt_printf("hvc_cost: round %u: SMCCC_VERSION %llu ticks, Debug %llu ticks\n",
			  r, floor_med[r - 1], debug_med[r - 1]);
	}
	/* The median round, by its ratio. */
	for (mid = 0; mid < ROUNDS; mid++) {
		unsigned int below = 0, same = 0;

		for (i = 0; i < ROUNDS; i++) {
			below += ratio[i] < ratio[mid];
			same += ratio[i] == ratio[mid];
		}
		if (below <= ROUNDS / 2 && below + same > ROUNDS / 2)
			break;
	}
	frq = ({ __u64 v; asm volatile("mrs %0, cntfrq_el0" : "=r" (v)); v; });
	rt_printf("hvc_cost: ratio_x1000 %llu floor_ticks %llu debug_ticks %llu cntfrq %llu\n",
		  ratio[mid], floor_med[mid], debug_med[mid], frq);
	return 0;
}
