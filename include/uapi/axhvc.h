/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * axhvc: AxVisor hypercalls and inter-VM channels on arm64 Linux/KVM hosts.
 *
 * Userspace API of the misc device /dev/axhvc.
 */
#ifndef _UAPI_AXHVC_H
#define _UAPI_AXHVC_H

#include <linux/ioctl.h>
#include <linux/types.h>

/**
 * DOC: axhvc ioctl conventions
 *
 * Every argument structure has fixed-width fields and explicit padding. Input
 * fields named ``flags``, ``pad`` or ``reserved`` must be zero unless a flag
 * is defined for them; anything else is refused with ``EINVAL`` so that a
 * later version can give them a meaning. An unknown command gets ``ENOTTY``
 * and an unreadable or unwritable argument gets ``EFAULT``.
 */

/** AXHVC_IOCTL_MAGIC - ioctl type of /dev/axhvc (unassigned in ioctl-number.rst). */
#define AXHVC_IOCTL_MAGIC	0xB9

/** AXHVC_API_VERSION - version of this API, reported by AXHVC_GET_API_VERSION. */
#define AXHVC_API_VERSION	1

/*
 * Feature bits reported in &struct axhvc_api_version.features.
 *
 * AXHVC_FEATURE_VM: AXHVC_CREATE_VM and the VM fd ioctls, including the
 * forwarded hypercall route (AXHVC_VM_HYPERCALL).
 * AXHVC_FEATURE_INTERCEPT: this kernel lets axhvc serve hypercalls inside KVM
 * (%AXHVC_VM_F_INTERCEPT); absent when the kernel lacks what that needs.
 */
#define AXHVC_FEATURE_VM		(1ULL << 0)
#define AXHVC_FEATURE_INTERCEPT		(1ULL << 1)
#define AXHVC_FEATURES_ALL		(AXHVC_FEATURE_VM | AXHVC_FEATURE_INTERCEPT)

/**
 * struct axhvc_api_version - API version and feature query
 * @api_version: out: %AXHVC_API_VERSION of the running module.
 * @flags: in: must be 0.
 * @features: out: the AXHVC_FEATURE_* bits this module supports.
 * @reserved: in: must be 0.
 */
struct axhvc_api_version {
	__u32 api_version;
	__u32 flags;
	__u64 features;
	__u64 reserved[4];
};

/**
 * define AXHVC_GET_API_VERSION - report the API version and feature bits
 *
 * Takes a &struct axhvc_api_version, fills in its out fields.
 *
 * Return: 0 on success, or -1 with errno set to
 *
 * * ``EFAULT`` - the argument cannot be read or written;
 * * ``EINVAL`` - @flags or @reserved is not zero.
 */
#define AXHVC_GET_API_VERSION	_IOWR(AXHVC_IOCTL_MAGIC, 0x00, struct axhvc_api_version)

/*
 * AxVisor hypercall codes (x0 of ``hvc #0``, truncated to 32 bits). See
 * Documentation/axhvc.rst for their arguments and results.
 */
#define AXHVC_HC_HYPERVISOR_DISABLE		0
#define AXHVC_HC_HYPERVISOR_PREPARE_DISABLE	1
#define AXHVC_HC_HYPERVISOR_DEBUG		2
#define AXHVC_HC_IVC_PUBLISH			3
#define AXHVC_HC_IVC_SUBSCRIBE			4
#define AXHVC_HC_IVC_UNPUBLISH			5
#define AXHVC_HC_IVC_UNSUBSCRIBE		6
#define AXHVC_HC_IVC_NOTIFY			7
#define AXHVC_HC_COUNT				8

/* Flags of &struct axhvc_vm_config. */
/* Every error reaches the guest as -1 (AxVisor's encoding), not as -errno. */
#define AXHVC_VM_F_ERR_AXVISOR		(1U << 0)
/* HypervisorDisable and HyperVisorPrepareDisable are for the VMM to decide. */
#define AXHVC_VM_F_LIFECYCLE_TO_VMM	(1U << 1)
/* Serve codes 0..7 inside KVM for the VM behind @kvm_fd, in the vCPU thread. */
#define AXHVC_VM_F_INTERCEPT		(1U << 2)
#define AXHVC_VM_F_ALL			(AXHVC_VM_F_ERR_AXVISOR | \
					 AXHVC_VM_F_LIFECYCLE_TO_VMM | \
					 AXHVC_VM_F_INTERCEPT)

/**
 * struct axhvc_vm_config - an AxVisor VM, as registered by its VMM
 * @vm_id: in: the VM's AxVisor id, chosen by the VMM; unique on the host.
 * @ivc_base: in: guest-physical base of the VM's IVC window (page aligned).
 * @ivc_size: in: size of the IVC window in bytes (page aligned; 0: none).
 * @flags: in: AXHVC_VM_F_* flags.
 * @kvm_fd: in: with %AXHVC_VM_F_INTERCEPT, an fd of the KVM VM (from
 *	KVM_CREATE_VM) whose hypercalls axhvc serves; otherwise must be 0.
 * @reserved: in: must be 0.
 */
struct axhvc_vm_config {
	__u64 vm_id;
	__u64 ivc_base;
	__u64 ivc_size;
	__u32 flags;
	__s32 kvm_fd;
	__u64 reserved[4];
};

/**
 * define AXHVC_CREATE_VM - register an AxVisor VM
 *
 * Takes a &struct axhvc_vm_config. On success returns a new file descriptor
 * for the VM (close-on-exec); the VM's ioctls are issued on it, and closing
 * it unregisters the VM and releases everything it owns. Only the process
 * that created the VM may issue its ioctls.
 *
 * Return: a VM fd, or -1 with errno set to
 *
 * * ``EFAULT`` - the argument cannot be read;
 * * ``EINVAL`` - unknown flag, non-zero reserved field, @kvm_fd given without
 *   %AXHVC_VM_F_INTERCEPT, or an IVC window that is not page aligned or wraps;
 * * ``EBADF`` - %AXHVC_VM_F_INTERCEPT with a @kvm_fd that is not a KVM VM;
 * * ``EEXIST`` - @vm_id is registered already, or the KVM VM is bound to
 *   another axhvc VM;
 * * ``EOPNOTSUPP`` - %AXHVC_VM_F_INTERCEPT on a kernel where axhvc cannot
 *   intercept (%AXHVC_FEATURE_INTERCEPT not reported); the forwarded route
 *   works all the same;
 * * ``ENOMEM``, ``EMFILE``, ``ENFILE`` - out of memory or descriptors.
 */
#define AXHVC_CREATE_VM		_IOW(AXHVC_IOCTL_MAGIC, 0x01, struct axhvc_vm_config)

/**
 * struct axhvc_mem_region - a range of guest RAM and where the VMM maps it
 * @gpa: in: guest-physical base (page aligned).
 * @size: in: size in bytes (page aligned, not 0).
 * @uaddr: in: the VMM's virtual address of @gpa (page aligned).
 * @flags: in: must be 0.
 * @reserved: in: must be 0.
 */
struct axhvc_mem_region {
	__u64 gpa;
	__u64 size;
	__u64 uaddr;
	__u32 flags;
	__u32 reserved;
};

/** AXHVC_MAX_MEM_REGIONS - how many RAM regions a VM may register. */
#define AXHVC_MAX_MEM_REGIONS	16

/**
 * define AXHVC_VM_ADD_MEM_REGION - tell axhvc where a range of guest RAM is
 *
 * Hypercall pointer arguments are guest-physical; axhvc reaches them through
 * the VMM's mapping given here. Regions cannot be removed (they live as long
 * as the VM fd) and must not overlap each other or the IVC window.
 *
 * Return: 0, or -1 with errno set to
 *
 * * ``EFAULT`` - the argument cannot be read;
 * * ``EINVAL`` - non-zero flags or reserved, size 0, a field not page
 *   aligned, a range that wraps, or an overlap;
 * * ``ENOSPC`` - the VM has %AXHVC_MAX_MEM_REGIONS regions already;
 * * ``EPERM`` - the caller is not the process that created the VM.
 */
#define AXHVC_VM_ADD_MEM_REGION	_IOW(AXHVC_IOCTL_MAGIC, 0x10, struct axhvc_mem_region)

/* Out flags of &struct axhvc_hypercall. */
/* A lifecycle call the VMM asked to decide: it sets x0 itself. */
#define AXHVC_HC_F_TO_VMM	(1U << 0)

/**
 * struct axhvc_hypercall - a guest hypercall forwarded by the VMM
 * @x: in: the guest's x0..x6 at the ``hvc #0``; x0 holds the code.
 * @ret: out: the value to write to the guest's x0.
 * @vcpu_id: in: the calling vCPU (for logs and tracepoints).
 * @flags: in: must be 0; out: AXHVC_HC_F_* flags.
 * @reserved: in: must be 0.
 */
struct axhvc_hypercall {
	__u64 x[7];
	__u64 ret;
	__u32 vcpu_id;
	__u32 flags;
	__u64 reserved[2];
};

/**
 * define AXHVC_VM_HYPERCALL - serve a hypercall forwarded by the VMM
 *
 * The forwarded route: the VMM has installed KVM's SMCCC filter for the
 * function IDs 0..7 with ``KVM_SMCCC_FILTER_FWD_TO_USER``, received a
 * ``KVM_EXIT_HYPERCALL``, and passes the guest's x0..x6 here. axhvc serves the
 * call (guest memory is reached through the VMM's regions) and returns the
 * guest's result in @ret, which the VMM writes to the guest's x0. The guest's
 * errors are results, not ioctl errors. With %AXHVC_VM_F_LIFECYCLE_TO_VMM,
 * codes 0 and 1 come back with %AXHVC_HC_F_TO_VMM and the VMM decides.
 *
 * Return: 0 when the call was served, or -1 with errno set to
 *
 * * ``EFAULT`` - the argument cannot be read or written;
 * * ``EINVAL`` - non-zero flags or reserved, or a code (x0, truncated to 32
 *   bits) that is not an AxVisor code;
 * * ``EPERM`` - the caller is not the process that created the VM.
 */
#define AXHVC_VM_HYPERCALL	_IOWR(AXHVC_IOCTL_MAGIC, 0x11, struct axhvc_hypercall)

/**
 * struct axhvc_doorbell - where a VM's IVC doorbell rings
 * @eventfd: in: an eventfd the VMM has bound to a guest interrupt with
 *	KVM_IRQFD (on arm64, GSI n is SPI INTID n + 32); -1 removes the doorbell.
 * @flags: in: must be 0.
 * @reserved: in: must be 0.
 */
struct axhvc_doorbell {
	__s32 eventfd;
	__u32 flags;
	__u64 reserved;
};

/**
 * define AXHVC_VM_SET_DOORBELL - set or remove the VM's IVC doorbell
 *
 * HIVCNotify (code 7) aimed at this VM signals the eventfd; with KVM_IRQFD
 * the guest gets a virtual SPI without the VMM's help. A new doorbell
 * replaces the old one.
 *
 * Return: 0, or -1 with errno set to
 *
 * * ``EFAULT`` - the argument cannot be read;
 * * ``EINVAL`` - non-zero flags or reserved;
 * * ``EBADF`` - @eventfd is neither -1 nor an eventfd;
 * * ``EPERM`` - the caller is not the process that created the VM.
 */
#define AXHVC_VM_SET_DOORBELL	_IOW(AXHVC_IOCTL_MAGIC, 0x12, struct axhvc_doorbell)

#endif /* _UAPI_AXHVC_H */
