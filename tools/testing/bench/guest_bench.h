/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest entry points of axhvc_bench, in guest_bench.S. Conventions as in
 * the selftests' lib/vmm.h.
 */
#ifndef AXHVC_BENCH_GUEST_BENCH_H
#define AXHVC_BENCH_GUEST_BENCH_H

/* x0 = code, x1..x4 = arguments, x5 = N, x6 = GPA of N { ticks, x0 }. */
extern const char bench_hvc_timed[];

/* x0 = code A, x1 = code B, x2..x5 = B's x1..x4, x6 = N, x7 = GPA of N records. */
extern const char bench_hvc_pair[];

/* x0 = code, x1 = first key, x2, x3 = arguments, x4 = N; the key counts up. */
extern const char bench_hvc_keys[];

/* x0 = key, x1 = base GPA, x2 = size GPA, x3 = N pairs, x4 = GPA of N records. */
extern const char bench_pub_unpub[];

/* x0 = src, x1 = dst, x2 = bytes, x3 = N, x4 = stage-1 table (MMU on) or 0. */
extern const char bench_copy[];

/* x0 = publisher, x1 = key, x2 = target, x3 = count GPA, x4 = N notifies. */
extern const char bench_notify_paced[];

/* x0 = code, x1 = spin iterations, x2 = N, x3 = GPA of N records. */
extern const char bench_loop_pair[];

/* x0, x1 = src, dst A; x2, x3 = src, dst B; x4 = bytes, x5 = N, x6 = GPA of N records. */
extern const char bench_copy_pair[];

#endif /* AXHVC_BENCH_GUEST_BENCH_H */
