// SPDX-License-Identifier: GPL-2.0
/*
 * The AxVisor hypercall dispatcher: codes 0..7, whichever route brought them
 * (the VMM's forwarded ioctl or the in-kernel intercept), with AxVisor's
 * semantics and axhvc's stable error encoding. See Documentation/axhvc.rst.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/printk.h>
#include <kunit/visibility.h>

#include "axhvc_drv.h"

#define CREATE_TRACE_POINTS
#include "axhvc_trace.h"

/**
 * axhvc_encode_result() - the guest's x0 for a result
 * @vm_flags: the VM's AXHVC_VM_F_* flags
 * @result: a value (>= 0) or a negative errno
 *
 * Errors are -errno by default; AxVisor itself answers -1 for every error,
 * which %AXHVC_VM_F_ERR_AXVISOR selects. Guests test x0 != 0 either way.
 *
 * Return: the 64-bit value for the guest's x0.
 */
u64 axhvc_encode_result(u32 vm_flags, long result)
{
	if (result >= 0)
		return result;
	if (vm_flags & AXHVC_VM_F_ERR_AXVISOR)
		return (u64)-1;
	return (u64)(s64)result;
}
EXPORT_SYMBOL_IF_KUNIT(axhvc_encode_result);

static long axhvc_hc_debug(const struct axhvc_call *call)
{
	struct axhvc_vm *vm = call->vm;

	trace_axhvc_debug(vm->vm_id, call->vcpu_id, call->x);
	/* Per VM, so that a chatty guest cannot silence another one. */
	if (__ratelimit(&vm->debug_rs))
		pr_info("vm %llu vcpu %u debug: %#llx %#llx %#llx %#llx %#llx %#llx\n",
			vm->vm_id, call->vcpu_id, call->x[1], call->x[2],
			call->x[3], call->x[4], call->x[5], call->x[6]);
	return 0;
}

/**
 * axhvc_dispatch() - serve one AxVisor hypercall
 * @call: the call; its code (x0 truncated to 32 bits) must be below
 *	%AXHVC_HC_COUNT
 * @ret: out: the value for the guest's x0 when the call is done
 *
 * Counts the call in the VM's counters for the host view (AXHVC_LIST_VMS):
 * one lock-free atomic increment per call, and one more when it fails.
 *
 * Context: process context, in the VMM's address space (the forwarded ioctl
 * or the intercepting vCPU thread); may sleep.
 *
 * Return: %AXHVC_CALL_DONE with @ret set, or %AXHVC_CALL_TO_VMM for a
 * lifecycle call the VMM asked to decide (@ret is then untouched).
 */
int axhvc_dispatch(const struct axhvc_call *call, u64 *ret)
{
	struct axhvc_vm *vm = call->vm;
	u32 code = (u32)call->x[0];
	long result;

	if (likely(code < AXHVC_HC_COUNT && call->route < AXHVC_NR_ROUTES))
		atomic64_inc(&vm->hc_calls[call->route][code]);

	switch (code) {
	case AXHVC_HC_HYPERVISOR_DISABLE:
	case AXHVC_HC_HYPERVISOR_PREPARE_DISABLE:
		/* There is no hypervisor to switch off under KVM: the VMM may decide. */
		if (vm->flags & AXHVC_VM_F_LIFECYCLE_TO_VMM) {
			trace_axhvc_hypercall(vm->vm_id, call->vcpu_id, call->x,
					      0, 0, call->route);
			return AXHVC_CALL_TO_VMM;
		}
		result = -EOPNOTSUPP;
		break;
	case AXHVC_HC_HYPERVISOR_DEBUG:
		result = axhvc_hc_debug(call);
		break;
	case AXHVC_HC_IVC_PUBLISH:
	case AXHVC_HC_IVC_SUBSCRIBE:
	case AXHVC_HC_IVC_UNPUBLISH:
	case AXHVC_HC_IVC_UNSUBSCRIBE:
	case AXHVC_HC_IVC_NOTIFY:
		result = axhvc_ivc_call(call);
		break;
	default:
		/* Callers claim only codes 0..7; anything else is a bug. */
		WARN_ON_ONCE(1);
		result = -EINVAL;
		break;
	}

	if (result < 0)
		atomic64_inc(&vm->hc_errors);
	*ret = axhvc_encode_result(vm->flags, result);
	trace_axhvc_hypercall(vm->vm_id, call->vcpu_id, call->x, result, *ret,
			      call->route);
	return AXHVC_CALL_DONE;
}
EXPORT_SYMBOL_IF_KUNIT(axhvc_dispatch);
