/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host side of axhvc that several test programs (kselftests, the
 * benchmark, the stress tests) need: the forwarded route's VMM loop, module
 * parameters and the module's debugfs object counters.
 */
#ifndef AXHVC_SELFTEST_AXHVC_HOST_H
#define AXHVC_SELFTEST_AXHVC_HOST_H

#include "vmm.h"

/* channels, mappings and pages in existence (debugfs). */
#define AXHVC_IVC_STATS	"/sys/kernel/debug/axhvc/ivc"

/*
 * The forwarded route's VMM loop, for vmm_vcpu_run_to_done(): @opaque points
 * at the axhvc VM fd; libaxhvc_serve_hypercall() serves the exit. A
 * lifecycle call handed to the VMM is an error here: this VMM decides none.
 */
int axhvc_forward_exit(struct vmm_vcpu *vcpu, void *opaque);

/* The plain userspace alternative: the VMM answers 0 itself, no module. */
int axhvc_answer_exit(struct vmm_vcpu *vcpu, void *opaque);

/* Set a parameter of axhvc.ko; returns its old value, or -1. */
long axhvc_set_param(const char *name, long val);

/* Read AXHVC_IVC_STATS; 0, or -1 when unreadable. */
int axhvc_ivc_stats(long *chans, long *maps, long *pages);

#endif /* AXHVC_SELFTEST_AXHVC_HOST_H */
