/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * axhvc: AxVisor hypercalls and inter-VM channels on arm64 Linux/KVM hosts.
 * Userspace API of /dev/axhvc; Documentation/ioctls.rst explains it.
 */
#ifndef _UAPI_AXHVC_H
#define _UAPI_AXHVC_H

#include <linux/ioctl.h>
#include <linux/types.h>

/**
 * DOC: axhvc ioctl conventions
 *
 * Every ioctl argument begins with ``__u32 size``, sizeof the structure the
 * caller knows, and ``__u32 flags``. A bad size is one below the structure's
 * ``AXHVC_*_SIZE_VER0`` (for a record size, also one above 4096). Unknown
 * bytes of a bigger structure must be zero, and so must ``flags`` and
 * ``__reserved`` unless a flag is defined. Documentation/ioctls.rst,
 * "Structures that grow", has the rules.
 */

/** AXHVC_IOCTL_MAGIC - ioctl type of /dev/axhvc (unassigned in ioctl-number.rst). */
#define AXHVC_IOCTL_MAGIC	0xB9

/** AXHVC_API_VERSION - version of this API, reported by AXHVC_GET_API_VERSION. */
#define AXHVC_API_VERSION	2

/* Bits of &struct axhvc_api_version.features (Documentation/ioctls.rst). */
#define AXHVC_FEATURE_VM		(1ULL << 0)	/* VM fds, forwarded route */
#define AXHVC_FEATURE_INTERCEPT		(1ULL << 1)	/* %AXHVC_VM_F_INTERCEPT works */
#define AXHVC_FEATURE_IVC_WINDOW	(1ULL << 2)	/* window mmap(), channels, events */
#define AXHVC_FEATURE_HOST_GIC		(1ULL << 3)	/* a host GIC for AXHVC_GET_HOST_GIC */
#define AXHVC_FEATURE_HOST_VIEW		(1ULL << 4)	/* the host-wide AXHVC_LIST_* */
#define AXHVC_FEATURE_GRANTS		(1ULL << 5)	/* AXHVC_SET_GRANT */

/**
 * struct axhvc_api_version - API version, features, flags and limits
 * @size: in: sizeof(struct axhvc_api_version), at least
 *	%AXHVC_API_VERSION_SIZE_VER0, which gets @api_version and @features only.
 * @flags: in: must be 0.
 * @api_version: out: %AXHVC_API_VERSION of the running module.
 * @__reserved: in: must be 0; out: 0.
 * @features: out: the AXHVC_FEATURE_* bits this module supports.
 * @vm_flags: out: the AXHVC_VM_F_* flags AXHVC_CREATE_VM accepts.
 * @doorbell_flags: out: the AXHVC_DOORBELL_F_* flags AXHVC_VM_SET_DOORBELL accepts.
 * @allow_flags: out: the AXHVC_ALLOW_F_* flags AXHVC_VM_SET_ALLOWLIST accepts.
 * @fwd_flags: out: the AXHVC_FWD_F_* flags AXHVC_VM_FORWARD_IRQ accepts.
 * @grant_flags: out: the AXHVC_GRANT_F_* flags AXHVC_SET_GRANT accepts.
 * @grant_kinds: out: bit ``1 << kind`` per AXHVC_GRANT_* kind AXHVC_SET_GRANT accepts.
 * @event_types: out: bit ``1 << type`` per AXHVC_EVENT_* type read() may return.
 * @max_mem_regions: out: RAM regions a VM may register (AXHVC_VM_ADD_MEM_REGION).
 * @max_allowlist: out: most VM ids in an allowlist (AXHVC_VM_SET_ALLOWLIST).
 * @max_grants: out: how many grants the module keeps at once.
 * @event_queue_len: out: events a VM fd queues before it overflows.
 * @max_channels_per_vm: out: parameter ``max_channels_per_vm`` now: the
 *	channels a new VM may hold, and the most AXHVC_VM_SET_LIMITS may set.
 * @max_bytes_per_vm: out: parameter ``max_bytes_per_vm``, the same in bytes.
 * @max_channel_size: out: parameter ``max_channel_size``, the largest channel.
 */
struct axhvc_api_version {
	__u32 size;
	__u32 flags;
	__u32 api_version;
	__u32 __reserved;
	__u64 features;
	__u32 vm_flags;
	__u32 doorbell_flags;
	__u32 allow_flags;
	__u32 fwd_flags;
	__u32 grant_flags;
	__u32 grant_kinds;
	__u32 event_types;
	__u32 max_mem_regions;
	__u32 max_allowlist;
	__u32 max_grants;
	__u32 event_queue_len;
	__u32 max_channels_per_vm;
	__u64 max_bytes_per_vm;
	__u64 max_channel_size;
};

#define AXHVC_API_VERSION_SIZE_VER0	24

/**
 * define AXHVC_GET_API_VERSION - report the API version, features and limits
 *
 * Fills in the out fields of a &struct axhvc_api_version that its @size
 * holds. Its first 24 bytes are the same in every version of this API.
 *
 * Return: 0 on success, or -1 with errno set to
 *
 * * ``EFAULT`` - the argument cannot be read or written;
 * * ``EINVAL`` - a bad @size, or @flags or @__reserved is not zero;
 * * ``E2BIG`` - unknown bytes of a bigger structure are not zero.
 */
#define AXHVC_GET_API_VERSION	_IO(AXHVC_IOCTL_MAGIC, 0x00)

/* AxVisor's hypercall codes: the low 32 bits of x0 (Documentation/hypercalls.rst). */
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
#define AXHVC_VM_F_ERR_AXVISOR		(1U << 0)	/* guest errors are -1, not -errno */
#define AXHVC_VM_F_LIFECYCLE_TO_VMM	(1U << 1)	/* the VMM decides codes 0 and 1 */
#define AXHVC_VM_F_INTERCEPT		(1U << 2)	/* served inside KVM (@kvm_fd) */

/**
 * struct axhvc_vm_config - an AxVisor VM, as registered by its VMM
 * @size: in: sizeof(struct axhvc_vm_config).
 * @flags: in: AXHVC_VM_F_* flags (&struct axhvc_api_version.vm_flags).
 * @vm_id: in: the VM's AxVisor id, chosen by the VMM; unique on the host.
 * @ivc_base: in: guest-physical base of the VM's IVC window (page aligned).
 * @ivc_size: in: size of the IVC window in bytes (page aligned; 0: none).
 * @kvm_fd: in: with %AXHVC_VM_F_INTERCEPT, an fd of a KVM VM the caller
 *	created (KVM_CREATE_VM), whose hypercalls axhvc serves; otherwise 0.
 * @event_size: in: sizeof(struct axhvc_event), the size of each event read()
 *	of the VM fd returns (at least %AXHVC_EVENT_SIZE_VER0).
 */
struct axhvc_vm_config {
	__u32 size;
	__u32 flags;
	__u64 vm_id;
	__u64 ivc_base;
	__u64 ivc_size;
	__s32 kvm_fd;
	__u32 event_size;
};

#define AXHVC_VM_CONFIG_SIZE_VER0	40

/**
 * define AXHVC_CREATE_VM - register an AxVisor VM
 *
 * Takes a &struct axhvc_vm_config and returns a new VM fd (close-on-exec) for
 * the VM's ioctls, which only the creating process may issue. Closing it
 * unregisters the VM and releases everything it owns.
 *
 * Return: a VM fd, or -1 with errno set to
 *
 * * ``EFAULT`` - the argument cannot be read;
 * * ``E2BIG`` - unknown bytes of a bigger structure are not zero;
 * * ``EACCES`` - @vm_id is granted (AXHVC_SET_GRANT) to another user or group;
 * * ``EINVAL`` - a bad @size or @event_size, an unknown flag, @kvm_fd without
 *   %AXHVC_VM_F_INTERCEPT, or an IVC window not page aligned or that wraps;
 * * ``EBADF`` - %AXHVC_VM_F_INTERCEPT with a @kvm_fd that is not a KVM VM;
 * * ``EPERM`` - %AXHVC_VM_F_INTERCEPT with a KVM VM another process created;
 * * ``EEXIST`` - @vm_id is in use, or the KVM VM is bound to another axhvc VM;
 * * ``EOPNOTSUPP`` - %AXHVC_VM_F_INTERCEPT without %AXHVC_FEATURE_INTERCEPT;
 * * ``ENOMEM``, ``EMFILE``, ``ENFILE`` - out of memory or descriptors.
 */
#define AXHVC_CREATE_VM		_IO(AXHVC_IOCTL_MAGIC, 0x01)

/**
 * struct axhvc_host_gic - the host's GIC, as the firmware describes it
 * @size: in: sizeof(struct axhvc_host_gic).
 * @flags: in: must be 0.
 * @version: out: the GIC architecture version, 2 or 3 (a GICv4 is 3).
 * @__reserved: in: must be 0; out: 0.
 * @gicd_base: out: physical base of the distributor (GICD).
 * @gicr_base: out: physical base of the first redistributor (GICR) region,
 *	0 for a GICv2.
 * @typer: out: the distributor's GICD_TYPER (offset 0x4).
 * @iidr: out: the distributor's GICD_IIDR (offset 0x8).
 */
struct axhvc_host_gic {
	__u32 size;
	__u32 flags;
	__u32 version;
	__u32 __reserved;
	__u64 gicd_base;
	__u64 gicr_base;
	__u32 typer;
	__u32 iidr;
};

#define AXHVC_HOST_GIC_SIZE_VER0	40

/**
 * define AXHVC_GET_HOST_GIC - report the host GIC's version, bases and IDs
 *
 * Fills in the out fields of a &struct axhvc_host_gic: AxVisor's ArchIf
 * get_host_gicd_base(), get_host_gicr_base(), read_vgicd_typer() and
 * read_vgicd_iidr(), from the GIC the module found at load.
 *
 * Return: 0 on success, or -1 with errno set to
 *
 * * ``EFAULT`` - the argument cannot be read or written;
 * * ``EINVAL`` - a bad @size, or @flags or @__reserved is not zero;
 * * ``E2BIG`` - unknown bytes of a bigger structure are not zero;
 * * ``ENODEV`` - no usable GIC was found (no %AXHVC_FEATURE_HOST_GIC); the
 *   module's log says why.
 */
#define AXHVC_GET_HOST_GIC	_IO(AXHVC_IOCTL_MAGIC, 0x02)

/* Values of &struct axhvc_vm_info.doorbell. */
#define AXHVC_VMI_DOORBELL_NONE		0	/* none: a notify aimed at it fails */
#define AXHVC_VMI_DOORBELL_EVENTFD	1	/* an eventfd (AXHVC_VM_SET_DOORBELL) */
#define AXHVC_VMI_DOORBELL_INTID	2	/* a guest INTID (%AXHVC_DOORBELL_F_INTID) */

/**
 * struct axhvc_vm_info - one VM of the host, as AXHVC_LIST_VMS reports it
 * @vm_id: the VM's AxVisor id.
 * @flags: its AXHVC_VM_F_* flags (%AXHVC_VM_F_INTERCEPT: the intercept route).
 * @owner_tgid: its creator's thread group id in the caller's PID namespace, or 0.
 * @ivc_base: guest-physical base of the VM's IVC window.
 * @ivc_size: size of the IVC window in bytes (0: none).
 * @nr_channels: channel mappings the VM holds (publications, subscriptions).
 * @max_channels: the VM's limit of @nr_channels.
 * @bytes: bytes of channels the VM holds, in whole host pages.
 * @max_bytes: the VM's limit of @bytes.
 * @doorbell: AXHVC_VMI_DOORBELL_* kind of the VM's IVC doorbell.
 * @doorbell_intid: with %AXHVC_VMI_DOORBELL_INTID, the guest INTID; else 0.
 * @nr_irq_routes: guest INTIDs with a route (AXHVC_VM_SET_IRQ_ROUTE).
 * @nr_irq_forwards: host IRQs forwarded to the VM (AXHVC_VM_FORWARD_IRQ).
 * @nr_mem_regions: guest RAM regions registered (AXHVC_VM_ADD_MEM_REGION).
 * @__reserved: 0.
 * @calls: hypercalls the VM made, by code (AXHVC_HC_*), both routes.
 * @calls_forwarded: how many of them came through AXHVC_VM_HYPERCALL.
 * @calls_intercept: how many of them were served inside KVM.
 * @errors: how many of them failed (a lifecycle call handed to the VMM did not).
 *
 * A record of &struct axhvc_vm_list.vms, &struct axhvc_vm_list.info_size
 * bytes long. In one answer the sum of @calls is @calls_forwarded +
 * @calls_intercept.
 */
struct axhvc_vm_info {
	__u64 vm_id;
	__u32 flags;
	__s32 owner_tgid;
	__u64 ivc_base;
	__u64 ivc_size;
	__u32 nr_channels;
	__u32 max_channels;
	__u64 bytes;
	__u64 max_bytes;
	__u32 doorbell;
	__u32 doorbell_intid;
	__u32 nr_irq_routes;
	__u32 nr_irq_forwards;
	__u32 nr_mem_regions;
	__u32 __reserved;
	__u64 calls[AXHVC_HC_COUNT];
	__u64 calls_forwarded;
	__u64 calls_intercept;
	__u64 errors;
};

#define AXHVC_VM_INFO_SIZE_VER0		168

/**
 * struct axhvc_vm_list - room for the host's VMs
 * @size: in: sizeof(struct axhvc_vm_list).
 * @flags: in: must be 0.
 * @vms: in: user address of an array of @nr_vms records of @info_size bytes.
 * @nr_vms: in: room in the array; out: how many VMs there are.
 * @info_size: in: the size of each record, sizeof(struct axhvc_vm_info).
 */
struct axhvc_vm_list {
	__u32 size;
	__u32 flags;
	__u64 vms;
	__u32 nr_vms;
	__u32 info_size;
};

#define AXHVC_VM_LIST_SIZE_VER0		24

/**
 * define AXHVC_LIST_VMS - list every VM on the host (the host view)
 *
 * One &struct axhvc_vm_info per VM, by ascending VM id, in one snapshot.
 *
 * Return: 0, or -1 with errno set to
 *
 * * ``EFAULT`` - the argument or the array cannot be read or written;
 * * ``EINVAL`` - a bad @size or @info_size, or non-zero flags;
 * * ``E2BIG`` - the array is too small (@nr_vms is set to the size needed,
 *   nothing else is written), or unknown bytes of a bigger structure are not zero;
 * * ``ENOMEM`` - out of memory;
 * * ``EPERM`` - the caller lacks ``CAP_SYS_ADMIN``.
 */
#define AXHVC_LIST_VMS		_IO(AXHVC_IOCTL_MAGIC, 0x03)

/**
 * struct axhvc_host_channel - one channel of the host
 * @publisher: the publisher's VM id.
 * @key: the channel's key.
 * @size: the channel's size in bytes as granted, a multiple of 4 KiB.
 * @flags: %AXHVC_CHAN_F_PUBLISHED while the publisher has not left.
 * @nr_subscribers: how many subscriptions the channel has.
 * @first_subscriber: index in &struct axhvc_host_channel_list.subscribers of
 *	the first of the channel's @nr_subscribers VM ids, which follow in the
 *	order they subscribed (the publisher's own subscription included).
 * @__reserved: 0.
 *
 * A record of &struct axhvc_host_channel_list.channels, each
 * &struct axhvc_host_channel_list.channel_size bytes long.
 */
struct axhvc_host_channel {
	__u64 publisher;
	__u64 key;
	__u64 size;
	__u32 flags;
	__u32 nr_subscribers;
	__u32 first_subscriber;
	__u32 __reserved;
};

#define AXHVC_HOST_CHANNEL_SIZE_VER0	40

/**
 * struct axhvc_host_channel_list - room for the host's channels
 * @size: in: sizeof(struct axhvc_host_channel_list).
 * @flags: in: must be 0.
 * @channels: in: user address of @nr_channels records of @channel_size bytes.
 * @subscribers: in: user address of __u64 VM ids, shared by all channels.
 * @nr_channels: in: room at @channels; out: how many channels there are.
 * @nr_subscribers: in: room at @subscribers; out: how many all channels have.
 * @channel_size: in: the size of each record, sizeof(struct axhvc_host_channel).
 * @__reserved: in: must be 0.
 */
struct axhvc_host_channel_list {
	__u32 size;
	__u32 flags;
	__u64 channels;
	__u64 subscribers;
	__u32 nr_channels;
	__u32 nr_subscribers;
	__u32 channel_size;
	__u32 __reserved;
};

#define AXHVC_HOST_CHANNEL_LIST_SIZE_VER0	40

/**
 * define AXHVC_LIST_ALL_CHANNELS - list every channel on the host (the host view)
 *
 * Every channel, published or still held by subscribers, oldest first, with
 * all its subscribers, in one snapshot.
 *
 * Return: 0, or -1 with errno set to
 *
 * * ``EFAULT`` - the argument or an array cannot be read or written;
 * * ``EINVAL`` - a bad @size or @channel_size, non-zero flags or @__reserved;
 * * ``E2BIG`` - an array is too small (@nr_channels and @nr_subscribers are set
 *   to the sizes needed, nothing else is written), or unknown bytes are not zero;
 * * ``ENOMEM`` - out of memory;
 * * ``EPERM`` - the caller lacks ``CAP_SYS_ADMIN``.
 */
#define AXHVC_LIST_ALL_CHANNELS	_IO(AXHVC_IOCTL_MAGIC, 0x04)

/* Kinds of &struct axhvc_grant, for the VM ids or SPIs @first..@last. */
#define AXHVC_GRANT_VM_IDS	1	/* only the grantee registers VMs with them */
#define AXHVC_GRANT_GIC_SPIS	2	/* the grantee may forward them to its guests */

/* Flags of &struct axhvc_grant. */
#define AXHVC_GRANT_F_REVOKE	(1U << 0)	/* revoke kind and range (@uid, @gid ignored) */
#define AXHVC_GRANT_F_LEVEL	(1U << 1)	/* the SPIs are level-triggered (else edge) */

/* &struct axhvc_grant.uid or .gid: nobody by this credential. */
#define AXHVC_GRANT_NOBODY	((__u32)-1)

/**
 * struct axhvc_grant - what the administrator hands to a tenant
 * @size: in: sizeof(struct axhvc_grant).
 * @flags: in: AXHVC_GRANT_F_* flags (&struct axhvc_api_version.grant_flags).
 * @kind: in: AXHVC_GRANT_* kind (&struct axhvc_api_version.grant_kinds).
 * @uid: in: the user the grant is for (a VMM whose effective uid, in the
 *	initial user namespace, is @uid), or %AXHVC_GRANT_NOBODY.
 * @gid: in: the group the grant is for (a VMM with @gid as its effective
 *	or a supplementary group), or %AXHVC_GRANT_NOBODY.
 * @__reserved: in: must be 0.
 * @first: in: first VM id or GIC SPI number (INTID - 32) of the range.
 * @last: in: last of the range, inclusive (at least @first).
 */
struct axhvc_grant {
	__u32 size;
	__u32 flags;
	__u32 kind;
	__u32 uid;
	__u32 gid;
	__u32 __reserved;
	__u64 first;
	__u64 last;
};

#define AXHVC_GRANT_SIZE_VER0	40

/**
 * define AXHVC_SET_GRANT - grant VM ids or host interrupt lines (administrator)
 *
 * A granted VM id may be registered only by the grant's user or group; a
 * host GIC SPI may be forwarded only by those it is granted to, with its
 * trigger. ``CAP_SYS_ADMIN`` needs no grant. Documentation/ioctls.rst,
 * "Grants", has the rules.
 *
 * Return: 0, or -1 with errno set to
 *
 * * ``EPERM`` - the caller lacks ``CAP_SYS_ADMIN``;
 * * ``EFAULT`` - the argument cannot be read;
 * * ``EINVAL`` - a bad @size, an unknown kind or flag, non-zero @__reserved,
 *   @last below @first, an SPI range beyond 0..987, %AXHVC_GRANT_F_LEVEL on
 *   VM ids, or neither @uid nor @gid given;
 * * ``E2BIG`` - unknown bytes of a bigger structure are not zero;
 * * ``EEXIST`` - the range overlaps a grant of the same kind;
 * * ``ENOENT`` - %AXHVC_GRANT_F_REVOKE of a grant that does not exist;
 * * ``ENOSPC`` - &struct axhvc_api_version.max_grants grants exist already;
 * * ``ENOMEM`` - out of memory.
 */
#define AXHVC_SET_GRANT		_IO(AXHVC_IOCTL_MAGIC, 0x05)

/**
 * struct axhvc_mem_region - a range of guest RAM and where the VMM maps it
 * @size: in: sizeof(struct axhvc_mem_region).
 * @flags: in: must be 0.
 * @gpa: in: guest-physical base (page aligned).
 * @memory_size: in: size of the range in bytes (page aligned, not 0).
 * @uaddr: in: the VMM's virtual address of @gpa (page aligned).
 */
struct axhvc_mem_region {
	__u32 size;
	__u32 flags;
	__u64 gpa;
	__u64 memory_size;
	__u64 uaddr;
};

#define AXHVC_MEM_REGION_SIZE_VER0	32

/**
 * define AXHVC_VM_ADD_MEM_REGION - tell axhvc where a range of guest RAM is
 *
 * axhvc reaches guest-physical hypercall pointers through the VMM's mapping
 * given here. Regions live as long as the VM fd and must not overlap each
 * other or the IVC window.
 *
 * Return: 0, or -1 with errno set to
 *
 * * ``EFAULT`` - the argument cannot be read;
 * * ``EINVAL`` - a bad @size, non-zero flags, @memory_size 0, a field not
 *   page aligned, a range that wraps, or an overlap;
 * * ``E2BIG`` - unknown bytes of a bigger structure are not zero;
 * * ``ENOSPC`` - the VM has &struct axhvc_api_version.max_mem_regions already;
 * * ``EPERM`` - the caller is not the process that created the VM.
 */
#define AXHVC_VM_ADD_MEM_REGION	_IO(AXHVC_IOCTL_MAGIC, 0x10)

/* Out flags of &struct axhvc_hypercall. */
#define AXHVC_HC_F_TO_VMM	(1U << 0)	/* a lifecycle call: the VMM sets x0 */

/**
 * struct axhvc_hypercall - a guest hypercall forwarded by the VMM
 * @size: in: sizeof(struct axhvc_hypercall).
 * @flags: in: must be 0; out: AXHVC_HC_F_* flags.
 * @vcpu_id: in: the calling vCPU (for logs and tracepoints).
 * @__reserved: in: must be 0.
 * @x: in: the guest's x0..x6 at the ``hvc #0``; x0 holds the code.
 * @ret: out: the value to write to the guest's x0.
 */
struct axhvc_hypercall {
	__u32 size;
	__u32 flags;
	__u32 vcpu_id;
	__u32 __reserved;
	__u64 x[7];
	__u64 ret;
};

#define AXHVC_HYPERCALL_SIZE_VER0	80

/**
 * define AXHVC_VM_HYPERCALL - serve a hypercall forwarded by the VMM
 *
 * The forwarded route (Documentation/overview.rst): the VMM passes the
 * guest's x0..x6 of a ``KVM_EXIT_HYPERCALL`` here and writes @ret to its x0;
 * the guest's errors are results, not ioctl errors. A lifecycle call the VMM
 * decides (%AXHVC_VM_F_LIFECYCLE_TO_VMM) comes back with %AXHVC_HC_F_TO_VMM.
 *
 * Return: 0 when the call was served, or -1 with errno set to
 *
 * * ``EFAULT`` - the argument cannot be read or written;
 * * ``EINVAL`` - a bad @size, non-zero flags or @__reserved, or a code (x0,
 *   truncated to 32 bits) that is not an AxVisor code;
 * * ``E2BIG`` - unknown bytes of a bigger structure are not zero;
 * * ``EPERM`` - the caller is not the process that created the VM.
 */
#define AXHVC_VM_HYPERCALL	_IO(AXHVC_IOCTL_MAGIC, 0x11)

/* Flags of &struct axhvc_doorbell. */
#define AXHVC_DOORBELL_F_INTID	(1U << 0)	/* raise @intid through its route */

/**
 * struct axhvc_doorbell - where a VM's IVC doorbell rings
 * @size: in: sizeof(struct axhvc_doorbell).
 * @flags: in: 0 or %AXHVC_DOORBELL_F_INTID (&struct axhvc_api_version.doorbell_flags).
 * @eventfd: in: an eventfd the VMM has bound to a guest interrupt with
 *	KVM_IRQFD (on arm64, GSI n is SPI INTID n + 32); -1 removes the
 *	doorbell, or goes with %AXHVC_DOORBELL_F_INTID.
 * @intid: in: with %AXHVC_DOORBELL_F_INTID, the guest INTID (an SPI); else 0.
 */
struct axhvc_doorbell {
	__u32 size;
	__u32 flags;
	__s32 eventfd;
	__u32 intid;
};

#define AXHVC_DOORBELL_SIZE_VER0	16

/**
 * define AXHVC_VM_SET_DOORBELL - set or remove the VM's IVC doorbell
 *
 * HIVCNotify (code 7) aimed at this VM signals the eventfd or, with
 * %AXHVC_DOORBELL_F_INTID, raises the guest INTID through its route (once the
 * route is gone, the notify fails as without a doorbell). A new doorbell
 * replaces the old one.
 *
 * Return: 0, or -1 with errno set to
 *
 * * ``EFAULT`` - the argument cannot be read;
 * * ``EINVAL`` - a bad @size, unknown flags, an @intid that is not an SPI
 *   or is given without the flag, or an eventfd given with it;
 * * ``E2BIG`` - unknown bytes of a bigger structure are not zero;
 * * ``EBADF`` - @eventfd is neither -1 nor an eventfd;
 * * ``EPERM`` - the caller is not the process that created the VM.
 */
#define AXHVC_VM_SET_DOORBELL	_IO(AXHVC_IOCTL_MAGIC, 0x12)

/**
 * struct axhvc_vm_limits - a VM's channel limits and usage
 * @size: in: sizeof(struct axhvc_vm_limits).
 * @flags: in: must be 0.
 * @max_channels: in: most channels (publications and subscriptions) the VM
 *	may hold, 0 to keep the limit; out: the limit in force.
 * @nr_channels: out: channels the VM holds.
 * @max_bytes: in: most bytes of channels the VM may hold, 0 to keep the
 *	limit; out: the limit in force.
 * @bytes: out: bytes of channels the VM holds, in whole host pages.
 */
struct axhvc_vm_limits {
	__u32 size;
	__u32 flags;
	__u32 max_channels;
	__u32 nr_channels;
	__u64 max_bytes;
	__u64 bytes;
};

#define AXHVC_VM_LIMITS_SIZE_VER0	32

/**
 * define AXHVC_VM_SET_LIMITS - set and read the VM's channel limits
 *
 * A VM starts with the module's limits (&struct axhvc_api_version); its VMM
 * may set lower ones, or go back up to the module's. What the VM holds
 * stays. @nr_channels is ignored on input.
 *
 * Return: 0, or -1 with errno set to
 *
 * * ``EFAULT`` - the argument cannot be read or written;
 * * ``EINVAL`` - a bad @size, non-zero flags, or a limit above the module's;
 * * ``E2BIG`` - unknown bytes of a bigger structure are not zero;
 * * ``EPERM`` - the caller is not the process that created the VM.
 */
#define AXHVC_VM_SET_LIMITS	_IO(AXHVC_IOCTL_MAGIC, 0x13)

/* Flags of &struct axhvc_allowlist. */
#define AXHVC_ALLOW_F_ENABLE	(1U << 0)	/* only listed VMs (and the publisher) */

/**
 * struct axhvc_allowlist - who may subscribe to a VM's channels
 * @size: in: sizeof(struct axhvc_allowlist).
 * @flags: in: %AXHVC_ALLOW_F_ENABLE, or 0 to let every VM subscribe
 *	(&struct axhvc_api_version.allow_flags).
 * @ids: in: user address of @nr_ids __u64 VM ids.
 * @nr_ids: in: how many ids, at most &struct axhvc_api_version.max_allowlist;
 *	0 without %AXHVC_ALLOW_F_ENABLE.
 * @__reserved: in: must be 0.
 */
struct axhvc_allowlist {
	__u32 size;
	__u32 flags;
	__u64 ids;
	__u32 nr_ids;
	__u32 __reserved;
};

#define AXHVC_ALLOWLIST_SIZE_VER0	24

/**
 * define AXHVC_VM_SET_ALLOWLIST - restrict who may subscribe to the VM's channels
 *
 * With %AXHVC_ALLOW_F_ENABLE only the listed VM ids (and the VM itself) may
 * subscribe to the channels this VM publishes; an empty list admits nobody
 * else. A new list replaces the old one; existing subscriptions stay.
 *
 * Return: 0, or -1 with errno set to
 *
 * * ``EFAULT`` - the argument or the ids cannot be read;
 * * ``EINVAL`` - a bad @size, an unknown flag, non-zero @__reserved, or ids
 *   without %AXHVC_ALLOW_F_ENABLE;
 * * ``E2BIG`` - more than &struct axhvc_api_version.max_allowlist ids, or
 *   unknown bytes of a bigger structure are not zero;
 * * ``ENOMEM`` - out of memory;
 * * ``EPERM`` - the caller is not the process that created the VM.
 */
#define AXHVC_VM_SET_ALLOWLIST	_IO(AXHVC_IOCTL_MAGIC, 0x14)

/* Flags of &struct axhvc_channel_info. */
#define AXHVC_CHAN_F_PUBLISHER	(1U << 0)	/* the VM's own publication */
#define AXHVC_CHAN_F_PUBLISHED	(1U << 1)	/* its publisher has not left */

/**
 * struct axhvc_channel_info - a channel as one VM holds it
 * @publisher: the publisher's VM id.
 * @key: the channel's key.
 * @size: the channel's size in bytes as granted, a multiple of 4 KiB.
 * @offset: the mapping's offset in the VM's IVC window: the mmap() offset of
 *	the VM fd, and the guest sees it at the window base plus @offset.
 * @flags: AXHVC_CHAN_F_* flags.
 * @nr_subscribers: how many subscriptions the channel has.
 *
 * A record of AXHVC_VM_LIST_CHANNELS and AXHVC_VM_GET_CHANNEL, of the
 * @info_size their caller gives.
 */
struct axhvc_channel_info {
	__u64 publisher;
	__u64 key;
	__u64 size;
	__u64 offset;
	__u32 flags;
	__u32 nr_subscribers;
};

#define AXHVC_CHANNEL_INFO_SIZE_VER0	40

/**
 * struct axhvc_channel_list - room for a VM's channels
 * @size: in: sizeof(struct axhvc_channel_list).
 * @flags: in: must be 0.
 * @channels: in: user address of @nr_channels records of @info_size bytes.
 * @nr_channels: in: room in the array; out: how many the VM holds.
 * @info_size: in: the size of each record, sizeof(struct axhvc_channel_info).
 */
struct axhvc_channel_list {
	__u32 size;
	__u32 flags;
	__u64 channels;
	__u32 nr_channels;
	__u32 info_size;
};

#define AXHVC_CHANNEL_LIST_SIZE_VER0	24

/**
 * define AXHVC_VM_LIST_CHANNELS - list the VM's channels
 *
 * One record per mapping the VM holds, oldest first: its publications and
 * subscriptions (a VM subscribed to its own channel has both).
 *
 * Return: 0, or -1 with errno set to
 *
 * * ``EFAULT`` - the argument or the array cannot be read or written;
 * * ``EINVAL`` - a bad @size or @info_size, or non-zero flags;
 * * ``E2BIG`` - the array is too small (@nr_channels is set to the size needed,
 *   nothing else is written), or unknown bytes of a bigger structure are not zero;
 * * ``ENOMEM`` - out of memory;
 * * ``EPERM`` - the caller is not the process that created the VM.
 */
#define AXHVC_VM_LIST_CHANNELS	_IO(AXHVC_IOCTL_MAGIC, 0x15)

/**
 * struct axhvc_channel_state - one channel of the VM, with its subscribers
 * @size: in: sizeof(struct axhvc_channel_state).
 * @flags: in: must be 0.
 * @publisher: in: the channel's publisher.
 * @key: in: the channel's key.
 * @subscribers: in: user address of room for @nr_subscribers __u64 VM ids, or 0.
 * @info: in: user address of a &struct axhvc_channel_info of @info_size bytes;
 *	out there: the channel as the VM holds it (its publication if both).
 * @nr_subscribers: in: room at @subscribers; out: how many ids it got.
 * @info_size: in: the size of the record at @info, sizeof(struct axhvc_channel_info).
 */
struct axhvc_channel_state {
	__u32 size;
	__u32 flags;
	__u64 publisher;
	__u64 key;
	__u64 subscribers;
	__u64 info;
	__u32 nr_subscribers;
	__u32 info_size;
};

#define AXHVC_CHANNEL_STATE_SIZE_VER0	48

/**
 * define AXHVC_VM_GET_CHANNEL - get the state of one of the VM's channels
 *
 * Return: 0, or -1 with errno set to
 *
 * * ``EFAULT`` - the argument, the record or the array cannot be read or written;
 * * ``EINVAL`` - a bad @size or @info_size, or non-zero flags;
 * * ``ENOENT`` - the VM neither publishes nor subscribes to the channel;
 * * ``E2BIG`` - more subscribers than room (the record at @info is written, its
 *   nr_subscribers is the room needed), or unknown bytes are not zero;
 * * ``ENOMEM`` - out of memory;
 * * ``EPERM`` - the caller is not the process that created the VM.
 */
#define AXHVC_VM_GET_CHANNEL	_IO(AXHVC_IOCTL_MAGIC, 0x16)

/* Types of &struct axhvc_event, about @peer and a channel the VM holds. */
#define AXHVC_EVENT_SUBSCRIBED		1	/* @peer subscribed to it */
#define AXHVC_EVENT_UNSUBSCRIBED	2	/* @peer unsubscribed (or went away) */
#define AXHVC_EVENT_PUBLISHER_LEFT	3	/* @peer, its publisher, left it */
#define AXHVC_EVENT_OVERFLOW		4	/* events were lost: list channels again */

/**
 * struct axhvc_event - a channel event, read() from the VM fd
 * @type: AXHVC_EVENT_* type (&struct axhvc_api_version.event_types); a
 *	reader skips a type it does not know.
 * @__reserved: 0.
 * @publisher: the channel's publisher (0 for an overflow).
 * @key: the channel's key (0 for an overflow).
 * @peer: the VM the event is about (0 for an overflow).
 *
 * Each takes &struct axhvc_vm_config.event_size bytes; Documentation/ivc.rst,
 * "Limits, rules and events", tells how read() and poll() deliver them.
 */
struct axhvc_event {
	__u32 type;
	__u32 __reserved;
	__u64 publisher;
	__u64 key;
	__u64 peer;
};

#define AXHVC_EVENT_SIZE_VER0	32

/**
 * struct axhvc_irq_route - a guest interrupt the VMM wired to an eventfd
 * @size: in: sizeof(struct axhvc_irq_route).
 * @flags: in: must be 0.
 * @intid: in: the guest INTID, an SPI (32..1019).
 * @eventfd: in: an eventfd the VMM bound to @intid with KVM_IRQFD (GSI
 *	@intid - 32), or -1 to remove the route.
 */
struct axhvc_irq_route {
	__u32 size;
	__u32 flags;
	__u32 intid;
	__s32 eventfd;
};

#define AXHVC_IRQ_ROUTE_SIZE_VER0	16

/**
 * define AXHVC_VM_SET_IRQ_ROUTE - tell axhvc how to raise a guest INTID
 *
 * axhvc raises the INTID (AXHVC_VM_INJECT_IRQ, doorbells, forwarded host
 * interrupts) by signalling the eventfd. A new route replaces the old one.
 *
 * Return: 0, or -1 with errno set to
 *
 * * ``EFAULT`` - the argument cannot be read;
 * * ``EINVAL`` - a bad @size, non-zero flags, or @intid is not an SPI;
 * * ``E2BIG`` - unknown bytes of a bigger structure are not zero;
 * * ``EBADF`` - @eventfd is neither -1 nor an eventfd;
 * * ``ENOENT`` - removing a route that does not exist;
 * * ``EBUSY`` - removing or replacing a route a host IRQ is forwarded to;
 * * ``ENOMEM`` - out of memory;
 * * ``EPERM`` - the caller is not the process that created the VM.
 */
#define AXHVC_VM_SET_IRQ_ROUTE	_IO(AXHVC_IOCTL_MAGIC, 0x17)

/**
 * struct axhvc_irq - a guest interrupt
 * @size: in: sizeof(struct axhvc_irq).
 * @flags: in: must be 0.
 * @intid: in: the guest INTID.
 * @__reserved: in: must be 0.
 */
struct axhvc_irq {
	__u32 size;
	__u32 flags;
	__u32 intid;
	__u32 __reserved;
};

#define AXHVC_IRQ_SIZE_VER0	16

/**
 * define AXHVC_VM_INJECT_IRQ - raise a guest interrupt
 *
 * Return: 0, or -1 with errno set to
 *
 * * ``EFAULT`` - the argument cannot be read;
 * * ``EINVAL`` - a bad @size, non-zero flags or @__reserved;
 * * ``E2BIG`` - unknown bytes of a bigger structure are not zero;
 * * ``ENOENT`` - @intid has no route (AXHVC_VM_SET_IRQ_ROUTE);
 * * ``EPERM`` - the caller is not the process that created the VM.
 */
#define AXHVC_VM_INJECT_IRQ	_IO(AXHVC_IOCTL_MAGIC, 0x18)

/* Flags of &struct axhvc_irq_forward. */
#define AXHVC_FWD_F_GIC_SPI	(1U << 0)	/* @host_irq is an SPI number (INTID - 32) */
#define AXHVC_FWD_F_LEVEL	(1U << 1)	/* level: masked until the guest's EOI */

/**
 * struct axhvc_irq_forward - a host interrupt to forward to a guest
 * @size: in: sizeof(struct axhvc_irq_forward).
 * @flags: in: AXHVC_FWD_F_* flags (&struct axhvc_api_version.fwd_flags).
 * @host_irq: in: a Linux IRQ number or, with %AXHVC_FWD_F_GIC_SPI, an SPI
 *	number below what the host distributor implements (AXHVC_GET_HOST_GIC).
 * @intid: in: the guest INTID to raise; it must have a route.
 * @resamplefd: in: with %AXHVC_FWD_F_LEVEL, the resample eventfd of the
 *	route's irqfd (KVM_IRQFD_FLAG_RESAMPLE), signalled at the guest's EOI;
 *	otherwise -1.
 * @__reserved: in: must be 0.
 */
struct axhvc_irq_forward {
	__u32 size;
	__u32 flags;
	__u32 host_irq;
	__u32 intid;
	__s32 resamplefd;
	__u32 __reserved;
};

#define AXHVC_IRQ_FORWARD_SIZE_VER0	24

/**
 * define AXHVC_VM_FORWARD_IRQ - forward a host interrupt to a guest
 *
 * AxVisor's fetch_irq() / handle_irq() on KVM: axhvc takes the host IRQ
 * (request_irq(), not shared) and raises @intid on each interrupt, until
 * AXHVC_VM_UNFORWARD_IRQ or the VM's end. Only GIC SPIs granted to the caller
 * (AXHVC_SET_GRANT) can be forwarded, any SPI with ``CAP_SYS_ADMIN``; see
 * Documentation/vgic-bridge.rst, "Guest interrupts".
 *
 * Return: 0, or -1 with errno set to
 *
 * * ``EFAULT`` - the argument cannot be read;
 * * ``EINVAL`` - a bad @size, unknown flags, non-zero @__reserved, an SPI the
 *   host GIC does not implement, a per-CPU interrupt (SGI, PPI), a trigger
 *   unlike the line's, or @resamplefd not as %AXHVC_FWD_F_LEVEL requires;
 * * ``E2BIG`` - unknown bytes of a bigger structure are not zero;
 * * ``EACCES`` - the line is not granted to the caller (nor is it a GIC SPI that could be);
 * * ``ENOENT`` - @intid has no route, or @host_irq is no Linux IRQ;
 * * ``EBUSY`` - the host IRQ is in use (by a driver, or forwarded already),
 *   or @intid has a host IRQ forwarded already;
 * * ``EBADF`` - @resamplefd is not an eventfd;
 * * ``ENODEV`` - %AXHVC_FWD_F_GIC_SPI without a host GIC or its IRQ domain;
 * * ``ENOMEM`` - out of memory;
 * * ``EPERM`` - the caller is not the process that created the VM.
 */
#define AXHVC_VM_FORWARD_IRQ	_IO(AXHVC_IOCTL_MAGIC, 0x19)

/**
 * define AXHVC_VM_UNFORWARD_IRQ - stop forwarding a host interrupt
 *
 * Takes a &struct axhvc_irq_forward naming the host IRQ as AXHVC_VM_FORWARD_IRQ
 * did (@host_irq, %AXHVC_FWD_F_GIC_SPI); @intid and @resamplefd are ignored.
 *
 * Return: 0, or -1 with errno set to ``EFAULT``, ``EINVAL`` (a bad @size,
 * other flags or non-zero @__reserved), ``E2BIG`` (unknown bytes of a bigger
 * structure are not zero), ``ENOENT`` (not forwarded by this VM) or ``EPERM``.
 */
#define AXHVC_VM_UNFORWARD_IRQ	_IO(AXHVC_IOCTL_MAGIC, 0x1a)

/**
 * struct axhvc_irq_state - a forwarded host interrupt's history
 * @size: in: sizeof(struct axhvc_irq_state).
 * @flags: in: must be 0.
 * @intid: in: the guest INTID the host IRQ is forwarded to.
 * @host_irq: out: the Linux IRQ number.
 * @fired: out: interrupts taken from the host (fetched and handled).
 * @unmasked: out: guest EOIs that unmasked a level-triggered line.
 * @masked: out: 1 while the line waits for the guest's EOI.
 * @__reserved: in: must be 0; out: 0.
 */
struct axhvc_irq_state {
	__u32 size;
	__u32 flags;
	__u32 intid;
	__u32 host_irq;
	__u64 fired;
	__u64 unmasked;
	__u32 masked;
	__u32 __reserved;
};

#define AXHVC_IRQ_STATE_SIZE_VER0	40

/**
 * define AXHVC_VM_GET_IRQ_STATE - what a forwarded host interrupt did
 *
 * Return: 0, or -1 with errno set to ``EFAULT``, ``EINVAL`` (a bad @size,
 * non-zero flags or @__reserved), ``E2BIG`` (unknown bytes of a bigger
 * structure are not zero), ``ENOENT`` (no host IRQ is forwarded to @intid)
 * or ``EPERM``.
 */
#define AXHVC_VM_GET_IRQ_STATE	_IO(AXHVC_IOCTL_MAGIC, 0x1b)

#endif /* _UAPI_AXHVC_H */
