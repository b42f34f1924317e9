/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest entry points in lib/guest_axhvc.S: guest code that issues AxVisor
 * hypercalls. Conventions as in vmm.h.
 */
#ifndef AXHVC_SELFTEST_GUEST_AXHVC_H
#define AXHVC_SELFTEST_GUEST_AXHVC_H

/*
 * x1..x6: HyperVisorDebug arguments. Calls HyperVisorDebug, SMCCC_VERSION
 * and function ID 8; DONE(x0 of the first), args[1] and args[2]: x0 of
 * the second and of the third.
 */
extern const char guest_axhvc_debug[];

/* x0 = GPA: DONE(the u64 at x0). */
extern const char guest_axhvc_peek[];

/* x0 = GPA, x1 = value: stores x1 at x0; DONE(0). */
extern const char guest_axhvc_poke[];

#endif /* AXHVC_SELFTEST_GUEST_AXHVC_H */
