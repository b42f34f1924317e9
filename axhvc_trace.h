/* SPDX-License-Identifier: GPL-2.0 */
/*
 * axhvc tracepoints: every hypercall served, and the guests' debug calls.
 * Enable with: echo 1 > /sys/kernel/tracing/events/axhvc/enable
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM axhvc

#if !defined(_AXHVC_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _AXHVC_TRACE_H

#include <linux/tracepoint.h>

#define axhvc_show_code(code)						\
	__print_symbolic(code,						\
		{ AXHVC_HC_HYPERVISOR_DISABLE, "HypervisorDisable" },	\
		{ AXHVC_HC_HYPERVISOR_PREPARE_DISABLE, "HyperVisorPrepareDisable" }, \
		{ AXHVC_HC_HYPERVISOR_DEBUG, "HyperVisorDebug" },	\
		{ AXHVC_HC_IVC_PUBLISH, "HIVCPublishChannel" },		\
		{ AXHVC_HC_IVC_SUBSCRIBE, "HIVCSubscribChannel" },	\
		{ AXHVC_HC_IVC_UNPUBLISH, "HIVCUnPublishChannel" },	\
		{ AXHVC_HC_IVC_UNSUBSCRIBE, "HIVCUnSubscribChannel" },	\
		{ AXHVC_HC_IVC_NOTIFY, "HIVCNotify" })

TRACE_EVENT(axhvc_hypercall,
	    TP_PROTO(u64 vm_id, u32 vcpu_id, const u64 *x, long result,
		     u64 ret, int route),
	    TP_ARGS(vm_id, vcpu_id, x, result, ret, route),
	    TP_STRUCT__entry(__field(u64, vm_id)
			     __field(u32, vcpu_id)
			     __field(u32, code)
			     __array(u64, args, 6)
			     __field(long, result)
			     __field(u64, ret)
			     __field(int, route)),
	    TP_fast_assign(__entry->vm_id = vm_id;
			   __entry->vcpu_id = vcpu_id;
			   __entry->code = (u32)x[0];
			   memcpy(__entry->args, &x[1], sizeof(__entry->args));
			   __entry->result = result;
			   __entry->ret = ret;
			   __entry->route = route;),
	    TP_printk("vm=%llu vcpu=%u %s(%#llx, %#llx, %#llx, %#llx, %#llx, %#llx) result=%ld x0=%#llx route=%s",
		      __entry->vm_id, __entry->vcpu_id,
		      axhvc_show_code(__entry->code),
		      __entry->args[0], __entry->args[1], __entry->args[2],
		      __entry->args[3], __entry->args[4], __entry->args[5],
		      __entry->result, __entry->ret,
		      __entry->route == AXHVC_ROUTE_INTERCEPT ?
		      "intercept" : "forwarded")
);

TRACE_EVENT(axhvc_debug,
	    TP_PROTO(u64 vm_id, u32 vcpu_id, const u64 *x),
	    TP_ARGS(vm_id, vcpu_id, x),
	    TP_STRUCT__entry(__field(u64, vm_id)
			     __field(u32, vcpu_id)
			     __array(u64, args, 6)),
	    TP_fast_assign(__entry->vm_id = vm_id;
			   __entry->vcpu_id = vcpu_id;
			   memcpy(__entry->args, &x[1], sizeof(__entry->args));),
	    TP_printk("vm=%llu vcpu=%u args=%#llx %#llx %#llx %#llx %#llx %#llx",
		      __entry->vm_id, __entry->vcpu_id,
		      __entry->args[0], __entry->args[1], __entry->args[2],
		      __entry->args[3], __entry->args[4], __entry->args[5])
);

#endif /* _AXHVC_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE axhvc_trace
#include <trace/define_trace.h>
