// SPDX-License-Identifier: GPL-2.0
/*
 * The AxVisor hypercall dispatcher (Documentation/hypercalls.rst): both
 * routes pass every call here, the one place that decodes x0, and act on
 * the verdict.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/printk.h>
#include <linux/ratelimit.h>
#include <kunit/visibility.h>

#include "axhvc_drv.h"

#define CREATE_TRACE_POINTS
#include "axhvc_trace.h"

/**
 * axhvc_encode_result() - the guest's x0 for a result
 * @vm_flags: the VM's AXHVC_VM_F_* flags
 * @result: a value (>= 0) or a negative errno
 *
 * Return: @result; an error as -1 with %AXHVC_VM_F_ERR_AXVISOR, as AxVisor.
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

/**
 * axhvc_hc_vm_init() - a new VM's hypercall counters and debug log limit
 * @vm: the VM
 */
void axhvc_hc_vm_init(struct axhvc_vm *vm)
{
	/* Per VM, so that a chatty guest cannot silence another one. */
	ratelimit_state_init(&vm->debug_rs, 5 * HZ, 10);
}

/**
 * axhvc_hc_vm_info() - a VM's hypercall counters, for the host view
 * @vm: the VM
 * @info: out: the calls and errors fields of its &struct axhvc_vm_info
 */
void axhvc_hc_vm_info(struct axhvc_vm *vm, struct axhvc_vm_info *info)
{
	unsigned int route, code;

	/* Every per-route count is read once: the sums agree with each other. */
	for (route = 0; route < AXHVC_NR_ROUTES; route++) {
		for (code = 0; code < AXHVC_HC_COUNT; code++) {
			u64 n = atomic64_read(&vm->hc_calls[route][code]);

			info->calls[code] += n;
			if (route == AXHVC_ROUTE_INTERCEPT)
				info->calls_intercept += n;
			else
				info->calls_forwarded += n;
		}
	}
	info->errors = atomic64_read(&vm->hc_errors);
}

/* Codes 0 and 1, unless the VMM decides: no hypervisor to switch off under KVM. */
static long axhvc_hc_lifecycle(const struct axhvc_call *call)
{
	return -EOPNOTSUPP;
}

static long axhvc_hc_debug(const struct axhvc_call *call)
{
	struct axhvc_vm *vm = call->vm;

	trace_axhvc_debug(vm->vm_id, call->vcpu_id, call->x);
	if (__ratelimit(&vm->debug_rs))
		pr_info("vm %llu vcpu %u debug: %#llx %#llx %#llx %#llx %#llx %#llx\n",
			vm->vm_id, call->vcpu_id, call->x[1], call->x[2],
			call->x[3], call->x[4], call->x[5], call->x[6]);
	return 0;
}

static long axhvc_hc_publish(const struct axhvc_call *call)
{
	return axhvc_ivc_hc_map(call->vm, call->vm->vm_id, call->x[1],
				call->x[2], call->x[3], true);
}

static long axhvc_hc_subscribe(const struct axhvc_call *call)
{
	return axhvc_ivc_hc_map(call->vm, call->x[1], call->x[2], call->x[3], call->x[4], false);
}

static long axhvc_hc_unpublish(const struct axhvc_call *call)
{
	return axhvc_ivc_drop(call->vm, call->vm->vm_id, call->x[1], true);
}

static long axhvc_hc_unsubscribe(const struct axhvc_call *call)
{
	return axhvc_ivc_drop(call->vm, call->x[1], call->x[2], false);
}

static long axhvc_hc_notify(const struct axhvc_call *call)
{
	return axhvc_ivc_notify(call->vm, call->x[1], call->x[2], call->x[3]);
}

/* The handlers by code, as hypercalls.rst lists them: the only decoding. */
static long (* const axhvc_hcs[AXHVC_HC_COUNT])(const struct axhvc_call *call) = {
	[AXHVC_HC_HYPERVISOR_DISABLE]	      = axhvc_hc_lifecycle,
	[AXHVC_HC_HYPERVISOR_PREPARE_DISABLE] = axhvc_hc_lifecycle,
	[AXHVC_HC_HYPERVISOR_DEBUG]	      = axhvc_hc_debug,
	[AXHVC_HC_IVC_PUBLISH]		      = axhvc_hc_publish,
	[AXHVC_HC_IVC_SUBSCRIBE]	      = axhvc_hc_subscribe,
	[AXHVC_HC_IVC_UNPUBLISH]	      = axhvc_hc_unpublish,
	[AXHVC_HC_IVC_UNSUBSCRIBE]	      = axhvc_hc_unsubscribe,
	[AXHVC_HC_IVC_NOTIFY]		      = axhvc_hc_notify,
};

/**
 * axhvc_dispatch() - serve one hypercall, whichever route brought it
 * @call: the call
 * @ret: out: the value for the guest's x0 when the call is done
 *
 * Counts the call for the host view (AXHVC_LIST_VMS), lock-free. A lifecycle
 * call the VMM decides is handed over; on the intercept route as a
 * KVM_EXIT_HYPERCALL, which a VMM may pass on to AXHVC_VM_HYPERCALL: that
 * gets %AXHVC_CALL_TO_VMM again and is not counted twice.
 *
 * Context: process context, in the VMM's address space; may sleep.
 *
 * Return: %AXHVC_CALL_DONE with @ret set; %AXHVC_CALL_TO_VMM for a
 * lifecycle call the VMM decides (@ret untouched); %AXHVC_CALL_NOT_OURS
 * for a code that is no AxVisor hypercall (nothing counted).
 */
int axhvc_dispatch(const struct axhvc_call *call, u64 *ret)
{
	struct axhvc_vm *vm = call->vm;
	u32 code = call->x[0];
	bool to_vmm;
	long result;

	if (!axhvc_hc_is_axvisor(call->x[0]))
		return AXHVC_CALL_NOT_OURS;
	to_vmm = axhvc_hcs[code] == axhvc_hc_lifecycle &&
		 (vm->flags & AXHVC_VM_F_LIFECYCLE_TO_VMM);
	if (to_vmm && call->route == AXHVC_ROUTE_FORWARDED &&
	    (vm->flags & AXHVC_VM_F_INTERCEPT))
		return AXHVC_CALL_TO_VMM;	/* counted when intercepted */

	atomic64_inc(&vm->hc_calls[call->route][code]);
	if (to_vmm) {
		trace_axhvc_hypercall(vm->vm_id, call->vcpu_id, call->x, 0, 0,
				      call->route);
		return AXHVC_CALL_TO_VMM;
	}
	result = axhvc_hcs[code](call);
	if (result < 0)
		atomic64_inc(&vm->hc_errors);
	*ret = axhvc_encode_result(vm->flags, result);
	trace_axhvc_hypercall(vm->vm_id, call->vcpu_id, call->x, result, *ret,
			      call->route);
	return AXHVC_CALL_DONE;
}
EXPORT_SYMBOL_IF_KUNIT(axhvc_dispatch);
