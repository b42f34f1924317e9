/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * axhvc_guest.h - the AxVisor hypercall ABI for guest code
 *
 * A freestanding, header-only C API for code that runs inside a VM on a
 * host with axhvc (or on AxVisor itself): bare-metal guests, boot loaders
 * and guest kernel drivers. It needs nothing but a C compiler for AArch64:
 * no libc, no allocation, no global state.
 *
 * The calling convention (see Documentation/axhvc.rst): "hvc #0" at EL1 with
 * the code in x0 and the arguments in x1..x6; the result comes back in x0.
 * The host may clobber x0..x17 (SMCCC), so the wrappers tell the compiler
 * so. Pointer arguments are guest-physical addresses (GPAs) of naturally
 * aligned little-endian u64s in guest RAM.
 *
 * Results: 0 on success. An error is a negative Linux errno in x0 (-ENOENT,
 * -EEXIST, ...), or -1 for every error when the VMM registered the VM with
 * AxVisor's own encoding (AXHVC_VM_F_ERR_AXVISOR). Code that must run on
 * both tests for "not 0", which axhvc_failed() does; axhvc_errno() gives
 * the errno where there is one.
 *
 * Guest kernels with the MMU on must pass GPAs: the *_at() wrappers take a
 * pointer to a u64 out-parameter and translate it with
 * AXHVC_GUEST_VIRT_TO_PHYS(), which is the identity unless the includer
 * defines it first (a Linux guest driver defines it as virt_to_phys).
 */
#ifndef AXHVC_GUEST_H
#define AXHVC_GUEST_H

/*
 * __u64 and friends come from the Linux UAPI types header, which is itself
 * freestanding (no libc) and ships with every Linux cross toolchain. A guest
 * built without it defines AXHVC_GUEST_OWN_TYPES and provides __u64 and
 * __s64 itself.
 */
#ifndef AXHVC_GUEST_OWN_TYPES
#include <linux/types.h>
#endif

#ifndef AXHVC_GUEST_VIRT_TO_PHYS
#define AXHVC_GUEST_VIRT_TO_PHYS(p)	((__u64)(unsigned long)(p))
#endif

/*
 * Hypercall codes (x0), named as in the UAPI (<uapi/axhvc.h>, which a
 * guest does not include; both may be included together). AxVisor's names
 * in the comments.
 */
#define AXHVC_HC_HYPERVISOR_DISABLE		0	/* HypervisorDisable */
#define AXHVC_HC_HYPERVISOR_PREPARE_DISABLE	1	/* HyperVisorPrepareDisable */
#define AXHVC_HC_HYPERVISOR_DEBUG		2	/* HyperVisorDebug */
#define AXHVC_HC_IVC_PUBLISH			3	/* HIVCPublishChannel */
#define AXHVC_HC_IVC_SUBSCRIBE			4	/* HIVCSubscribChannel */
#define AXHVC_HC_IVC_UNPUBLISH			5	/* HIVCUnPublishChannel */
#define AXHVC_HC_IVC_UNSUBSCRIBE		6	/* HIVCUnSubscribChannel */
#define AXHVC_HC_IVC_NOTIFY			7	/* HIVCNotify */

/* Channel sizes are granted in whole pages of this size. */
#define AXHVC_CHANNEL_PAGE_SIZE		4096ULL

/* The largest errno a result can carry, as in Linux's IS_ERR_VALUE(). */
#define AXHVC_MAX_ERRNO			4095

/**
 * struct axhvc_channel_header - the first 16 bytes of every channel
 * @publisher_vm_id: the VM id of the channel's publisher.
 * @key: the channel's key.
 *
 * Written by the host when the channel is published; the rest of a new
 * channel is zero. Guests check it after subscribing: the bytes that follow
 * are the channel's payload, laid out as the two guests agree.
 */
struct axhvc_channel_header {
	__u64 publisher_vm_id;
	__u64 key;
};

/**
 * axhvc_hvc() - issue one AxVisor hypercall
 * @code: the hypercall code (AXHVC_HC_*).
 * @a1: x1.
 * @a2: x2.
 * @a3: x3.
 * @a4: x4.
 *
 * Every AxVisor call takes at most four arguments; x5 and x6 are passed as
 * zero. The host may write x0..x17, so they are outputs or clobbers here.
 *
 * Return: x0 as the host left it.
 */
static inline __u64 axhvc_hvc(__u64 code, __u64 a1, __u64 a2,
			      __u64 a3, __u64 a4)
{
	register __u64 x0 asm("x0") = code;
	register __u64 x1 asm("x1") = a1;
	register __u64 x2 asm("x2") = a2;
	register __u64 x3 asm("x3") = a3;
	register __u64 x4 asm("x4") = a4;
	register __u64 x5 asm("x5") = 0;
	register __u64 x6 asm("x6") = 0;

	asm volatile("hvc #0"
		     : "+r" (x0), "+r" (x1), "+r" (x2), "+r" (x3), "+r" (x4),
		       "+r" (x5), "+r" (x6)
		     :
		     : "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14",
		       "x15", "x16", "x17", "memory");
	return x0;
}

/**
 * axhvc_failed() - whether a result is an error, under either encoding
 * @ret: x0 returned by a call.
 *
 * Return: non-zero if @ret is not 0 (every call returns 0 on success).
 */
static inline int axhvc_failed(__u64 ret)
{
	return ret != 0;
}

/**
 * axhvc_errno() - the errno of a failed call
 * @ret: x0 returned by a call.
 *
 * Return: the positive errno (ENOENT, ...) for a -errno result, 0 for
 * success. Under AxVisor's encoding every error is -1 and this returns 1
 * (EPERM's number): such a VM can only tell that a call failed.
 */
static inline int axhvc_errno(__u64 ret)
{
	if (ret == 0 || ret < (__u64)-AXHVC_MAX_ERRNO)
		return 0;
	return (int)-(__s64)ret;
}

/**
 * axhvc_debug() - HyperVisorDebug: log four values on the host
 * @a1: first value.
 * @a2: second value.
 * @a3: third value.
 * @a4: fourth value.
 *
 * The host logs the caller and the values (rate-limited) and emits the
 * axhvc_debug tracepoint.
 *
 * Return: 0.
 */
static inline __u64 axhvc_debug(__u64 a1, __u64 a2, __u64 a3,
				__u64 a4)
{
	return axhvc_hvc(AXHVC_HC_HYPERVISOR_DEBUG, a1, a2, a3, a4);
}

/**
 * axhvc_disable() - HypervisorDisable
 *
 * Return: -EOPNOTSUPP, or what the VMM decides when it asked to receive
 * lifecycle calls.
 */
static inline __u64 axhvc_disable(void)
{
	return axhvc_hvc(AXHVC_HC_HYPERVISOR_DISABLE, 0, 0, 0, 0);
}

/**
 * axhvc_prepare_disable() - HyperVisorPrepareDisable
 *
 * Return: as axhvc_disable().
 */
static inline __u64 axhvc_prepare_disable(void)
{
	return axhvc_hvc(AXHVC_HC_HYPERVISOR_PREPARE_DISABLE, 0, 0, 0, 0);
}

/**
 * axhvc_publish() - HIVCPublishChannel, with GPAs
 * @key: the channel's key.
 * @base_gpa: GPA of a u64 that receives the channel's GPA.
 * @size_gpa: GPA of a u64 holding the wanted size; receives the granted one.
 *
 * Return: 0, -EINVAL (size 0), -EEXIST (key published), -ENOSPC (limit),
 * -EFAULT (bad pointer), -ENOMEM; nothing is written on failure.
 */
static inline __u64 axhvc_publish(__u64 key, __u64 base_gpa,
				  __u64 size_gpa)
{
	return axhvc_hvc(AXHVC_HC_IVC_PUBLISH, key, base_gpa, size_gpa, 0);
}

/**
 * axhvc_subscribe() - HIVCSubscribChannel, with GPAs
 * @publisher: the publisher's VM id.
 * @key: the channel's key.
 * @base_gpa: GPA of a u64 that receives the channel's GPA in this VM.
 * @size_gpa: GPA of a u64 that receives the channel's size.
 *
 * Return: 0, -ENOENT (no such channel), -EEXIST (already subscribed),
 * -EACCES (the publisher's allowlist), -ENOSPC, -EFAULT, -ENOMEM.
 */
static inline __u64 axhvc_subscribe(__u64 publisher, __u64 key,
				    __u64 base_gpa, __u64 size_gpa)
{
	return axhvc_hvc(AXHVC_HC_IVC_SUBSCRIBE, publisher, key, base_gpa, size_gpa);
}

/**
 * axhvc_publish_at() - HIVCPublishChannel with pointers to the out-values
 * @key: the channel's key.
 * @base: receives the channel's GPA.
 * @size: in: the wanted size; out: the granted size.
 *
 * @base and @size must be 8-byte aligned and in guest RAM.
 *
 * Return: as axhvc_publish().
 */
static inline __u64 axhvc_publish_at(__u64 key, __u64 *base,
				     __u64 *size)
{
	return axhvc_publish(key, AXHVC_GUEST_VIRT_TO_PHYS(base),
			     AXHVC_GUEST_VIRT_TO_PHYS(size));
}

/**
 * axhvc_subscribe_at() - HIVCSubscribChannel with pointers to the out-values
 * @publisher: the publisher's VM id.
 * @key: the channel's key.
 * @base: receives the channel's GPA in this VM.
 * @size: receives the channel's size.
 *
 * Return: as axhvc_subscribe().
 */
static inline __u64 axhvc_subscribe_at(__u64 publisher, __u64 key,
				       __u64 *base, __u64 *size)
{
	return axhvc_subscribe(publisher, key, AXHVC_GUEST_VIRT_TO_PHYS(base),
			       AXHVC_GUEST_VIRT_TO_PHYS(size));
}

/**
 * axhvc_unpublish() - HIVCUnPublishChannel
 * @key: the channel's key.
 *
 * The channel leaves this VM at once and lives on for its subscribers.
 *
 * Return: 0 or -ENOENT.
 */
static inline __u64 axhvc_unpublish(__u64 key)
{
	return axhvc_hvc(AXHVC_HC_IVC_UNPUBLISH, key, 0, 0, 0);
}

/**
 * axhvc_unsubscribe() - HIVCUnSubscribChannel
 * @publisher: the publisher's VM id.
 * @key: the channel's key.
 *
 * Return: 0 or -ENOENT.
 */
static inline __u64 axhvc_unsubscribe(__u64 publisher, __u64 key)
{
	return axhvc_hvc(AXHVC_HC_IVC_UNSUBSCRIBE, publisher, key, 0, 0);
}

/**
 * axhvc_notify() - HIVCNotify: ring a member's doorbell
 * @publisher: the channel's publisher.
 * @key: the channel's key.
 * @target: the VM to wake: the publisher or a subscriber of the channel.
 *
 * Return: 0, -ENOENT (no such channel, or the caller or @target is not a
 * member), -EOPNOTSUPP (@target's VMM registered no doorbell).
 */
static inline __u64 axhvc_notify(__u64 publisher, __u64 key,
				 __u64 target)
{
	return axhvc_hvc(AXHVC_HC_IVC_NOTIFY, publisher, key, target, 0);
}

/**
 * axhvc_channel_header_ok() - check a channel's header
 * @hdr: the channel's first bytes, as mapped by the guest.
 * @publisher: the publisher's VM id the guest expects.
 * @key: the key the guest expects.
 *
 * Loads with __atomic_load_n(): the host and other VMs write the channel
 * behind the compiler's back, so each field is read from memory once.
 *
 * Return: non-zero if the header names @publisher and @key.
 */
static inline int axhvc_channel_header_ok(const void *hdr, __u64 publisher,
					  __u64 key)
{
	const struct axhvc_channel_header *h = hdr;

	return __atomic_load_n(&h->publisher_vm_id, __ATOMIC_RELAXED) == publisher &&
	       __atomic_load_n(&h->key, __ATOMIC_RELAXED) == key;
}

#endif /* AXHVC_GUEST_H */
