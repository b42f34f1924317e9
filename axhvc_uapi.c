// SPDX-License-Identifier: GPL-2.0
/*
 * Structures that grow: every ioctl argument of include/uapi/axhvc.h starts
 * with its size, and records the module writes (lists, events) take the
 * size their reader states. The rules are Documentation/ioctls.rst's
 * "Structures that grow"; they are applied here, once, for every handler.
 * The end of the file checks the UAPI's layout at build time.
 */
#include <linux/build_bug.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/stddef.h>
#include <linux/uaccess.h>

#include "axhvc_uapi.h"

/**
 * axhvc_copy_struct_in() - read an ioctl argument that carries its size
 * @dst: the kernel's structure, @ksize bytes; its first field is a u32 size
 * @ksize: sizeof(*@dst)
 * @minsize: the structure's first published size (AXHVC_*_SIZE_VER0)
 * @src: the caller's structure, as many bytes as its first u32 says
 *
 * As copy_struct_from_user(), which does the copy: a smaller structure is
 * zero-extended, a bigger one accepted only when the bytes this module does
 * not know are zero. @dst's size is the caller's, for axhvc_copy_struct_out().
 *
 * Return: 0, -EFAULT, -EINVAL for a size below @minsize, or -E2BIG for a
 * size above %AXHVC_MAX_ARG_SIZE or a non-zero unknown tail.
 */
int axhvc_copy_struct_in(void *dst, size_t ksize, size_t minsize,
			 const void __user *src)
{
	u32 usize;
	int ret;

	if (get_user(usize, (const u32 __user *)src))
		return -EFAULT;
	if (usize < minsize)
		return -EINVAL;
	/* As openat2(): a page is the most a structure may claim. */
	if (usize > AXHVC_MAX_ARG_SIZE)
		return -E2BIG;
	ret = copy_struct_from_user(dst, ksize, src, usize);
	if (ret)
		return ret;
	/* The size checked is the one that counts, should the caller change it. */
	*(u32 *)dst = usize;
	return 0;
}

/**
 * axhvc_copy_struct_out() - write an ioctl argument back to its caller
 * @dst: the caller's structure
 * @src: the kernel's, read with axhvc_copy_struct_in() (its size is the
 *	caller's)
 * @ksize: sizeof(*@src)
 *
 * Writes as many bytes as both know; bytes past the kernel's structure are
 * zero already (axhvc_copy_struct_in() saw to it) and are left alone.
 *
 * Return: 0 or -EFAULT.
 */
int axhvc_copy_struct_out(void __user *dst, const void *src, size_t ksize)
{
	size_t n = min_t(size_t, *(const u32 *)src, ksize);

	return copy_to_user(dst, src, n) ? -EFAULT : 0;
}

/**
 * axhvc_check_record_size() - check the record size a caller states
 * @usize: the caller's record size (info_size, channel_size, event_size)
 * @minsize: the record's first published size (AXHVC_*_SIZE_VER0)
 *
 * Return: 0, or -EINVAL below @minsize or above %AXHVC_MAX_ARG_SIZE.
 */
int axhvc_check_record_size(u32 usize, size_t minsize)
{
	return usize < minsize || usize > AXHVC_MAX_ARG_SIZE ? -EINVAL : 0;
}

/**
 * axhvc_copy_records_out() - write records with the caller's record size
 * @dst: the caller's array, @nr records of @usize bytes
 * @usize: the caller's record size, checked by axhvc_check_record_size()
 * @src: the kernel's array, @nr records of @ksize bytes
 * @ksize: the kernel's record size
 * @nr: how many records
 *
 * Each record takes @usize bytes: the kernel's fields cut at @usize, and
 * zeros past the kernel's record.
 *
 * Return: 0 or -EFAULT.
 */
int axhvc_copy_records_out(void __user *dst, u32 usize, const void *src,
			   size_t ksize, size_t nr)
{
	size_t n = min_t(size_t, usize, ksize), i;

	if (usize == ksize)
		return copy_to_user(dst, src, array_size(nr, ksize)) ? -EFAULT : 0;
	for (i = 0; i < nr; i++) {
		void __user *rec = dst + i * usize;

		if (copy_to_user(rec, src + i * ksize, n))
			return -EFAULT;
		if (usize > ksize && clear_user(rec + ksize, usize - ksize))
			return -EFAULT;
	}
	return 0;
}

/*
 * The UAPI's layout, checked at build time: 32-bit and 64-bit userspace
 * must agree on it (sizes are multiples of 8, every u64 is 8-aligned), and
 * what was published stays where it was. Every argument starts with its
 * size and flags; its first published size is no bigger than it is.
 */
#define AXHVC_ASSERT_ARG(type, bytes)					\
	static_assert(sizeof(struct type) == (bytes) &&			\
		      !offsetof(struct type, size) &&			\
		      offsetof(struct type, flags) == 4)

AXHVC_ASSERT_ARG(axhvc_api_version, 88);
static_assert(!(AXHVC_API_VERSION_SIZE_VER0 % 8) && AXHVC_API_VERSION_SIZE_VER0 <= 88);
static_assert(offsetof(struct axhvc_api_version, api_version) == 8);
static_assert(offsetof(struct axhvc_api_version, features) == 16);
static_assert(offsetof(struct axhvc_api_version, vm_flags) == 24);
static_assert(offsetof(struct axhvc_api_version, max_bytes_per_vm) == 72);
AXHVC_ASSERT_ARG(axhvc_vm_config, 40);
static_assert(!(AXHVC_VM_CONFIG_SIZE_VER0 % 8) && AXHVC_VM_CONFIG_SIZE_VER0 <= 40);
static_assert(offsetof(struct axhvc_vm_config, vm_id) == 8);
static_assert(offsetof(struct axhvc_vm_config, kvm_fd) == 32);
AXHVC_ASSERT_ARG(axhvc_host_gic, 40);
static_assert(!(AXHVC_HOST_GIC_SIZE_VER0 % 8) && AXHVC_HOST_GIC_SIZE_VER0 <= 40);
static_assert(offsetof(struct axhvc_host_gic, gicd_base) == 16);
static_assert(offsetof(struct axhvc_host_gic, typer) == 32);
AXHVC_ASSERT_ARG(axhvc_vm_list, 24);
static_assert(!(AXHVC_VM_LIST_SIZE_VER0 % 8) && AXHVC_VM_LIST_SIZE_VER0 <= 24);
static_assert(offsetof(struct axhvc_vm_list, vms) == 8);
AXHVC_ASSERT_ARG(axhvc_host_channel_list, 40);
static_assert(!(AXHVC_HOST_CHANNEL_LIST_SIZE_VER0 % 8) && AXHVC_HOST_CHANNEL_LIST_SIZE_VER0 <= 40);
static_assert(offsetof(struct axhvc_host_channel_list, channel_size) == 32);
AXHVC_ASSERT_ARG(axhvc_grant, 40);
static_assert(!(AXHVC_GRANT_SIZE_VER0 % 8) && AXHVC_GRANT_SIZE_VER0 <= 40);
static_assert(offsetof(struct axhvc_grant, first) == 24);
AXHVC_ASSERT_ARG(axhvc_mem_region, 32);
static_assert(!(AXHVC_MEM_REGION_SIZE_VER0 % 8) && AXHVC_MEM_REGION_SIZE_VER0 <= 32);
static_assert(offsetof(struct axhvc_mem_region, gpa) == 8);
AXHVC_ASSERT_ARG(axhvc_hypercall, 80);
static_assert(!(AXHVC_HYPERCALL_SIZE_VER0 % 8) && AXHVC_HYPERCALL_SIZE_VER0 <= 80);
static_assert(offsetof(struct axhvc_hypercall, x) == 16);
static_assert(offsetof(struct axhvc_hypercall, ret) == 72);
AXHVC_ASSERT_ARG(axhvc_doorbell, 16);
static_assert(!(AXHVC_DOORBELL_SIZE_VER0 % 8) && AXHVC_DOORBELL_SIZE_VER0 <= 16);
AXHVC_ASSERT_ARG(axhvc_vm_limits, 32);
static_assert(!(AXHVC_VM_LIMITS_SIZE_VER0 % 8) && AXHVC_VM_LIMITS_SIZE_VER0 <= 32);
static_assert(offsetof(struct axhvc_vm_limits, max_bytes) == 16);
AXHVC_ASSERT_ARG(axhvc_allowlist, 24);
static_assert(!(AXHVC_ALLOWLIST_SIZE_VER0 % 8) && AXHVC_ALLOWLIST_SIZE_VER0 <= 24);
static_assert(offsetof(struct axhvc_allowlist, ids) == 8);
AXHVC_ASSERT_ARG(axhvc_channel_list, 24);
static_assert(!(AXHVC_CHANNEL_LIST_SIZE_VER0 % 8) && AXHVC_CHANNEL_LIST_SIZE_VER0 <= 24);
static_assert(offsetof(struct axhvc_channel_list, channels) == 8);
AXHVC_ASSERT_ARG(axhvc_channel_state, 48);
static_assert(!(AXHVC_CHANNEL_STATE_SIZE_VER0 % 8) && AXHVC_CHANNEL_STATE_SIZE_VER0 <= 48);
static_assert(offsetof(struct axhvc_channel_state, info) == 32);
AXHVC_ASSERT_ARG(axhvc_irq_route, 16);
static_assert(!(AXHVC_IRQ_ROUTE_SIZE_VER0 % 8) && AXHVC_IRQ_ROUTE_SIZE_VER0 <= 16);
AXHVC_ASSERT_ARG(axhvc_irq, 16);
static_assert(!(AXHVC_IRQ_SIZE_VER0 % 8) && AXHVC_IRQ_SIZE_VER0 <= 16);
AXHVC_ASSERT_ARG(axhvc_irq_forward, 24);
static_assert(!(AXHVC_IRQ_FORWARD_SIZE_VER0 % 8) && AXHVC_IRQ_FORWARD_SIZE_VER0 <= 24);
AXHVC_ASSERT_ARG(axhvc_irq_state, 40);
static_assert(!(AXHVC_IRQ_STATE_SIZE_VER0 % 8) && AXHVC_IRQ_STATE_SIZE_VER0 <= 40);
static_assert(offsetof(struct axhvc_irq_state, fired) == 16);

/* The records, whose size their readers state. */
static_assert(sizeof(struct axhvc_vm_info) == 168);
static_assert(sizeof(struct axhvc_vm_info) >= AXHVC_VM_INFO_SIZE_VER0);
static_assert(offsetof(struct axhvc_vm_info, owner_tgid) == 12);
static_assert(offsetof(struct axhvc_vm_info, doorbell) == 56);
static_assert(offsetof(struct axhvc_vm_info, calls) == 80);
static_assert(offsetof(struct axhvc_vm_info, errors) == 160);
static_assert(sizeof(struct axhvc_host_channel) == 40);
static_assert(sizeof(struct axhvc_host_channel) >= AXHVC_HOST_CHANNEL_SIZE_VER0);
static_assert(offsetof(struct axhvc_host_channel, first_subscriber) == 32);
static_assert(sizeof(struct axhvc_channel_info) == 40);
static_assert(sizeof(struct axhvc_channel_info) >= AXHVC_CHANNEL_INFO_SIZE_VER0);
static_assert(offsetof(struct axhvc_channel_info, flags) == 32);
static_assert(sizeof(struct axhvc_event) == 32);
static_assert(sizeof(struct axhvc_event) >= AXHVC_EVENT_SIZE_VER0);
static_assert(offsetof(struct axhvc_event, peer) == 24);

/* The commands carry no size and no direction: the structures do. */
static_assert(!_IOC_SIZE(AXHVC_GET_API_VERSION) && !_IOC_DIR(AXHVC_GET_API_VERSION));
static_assert(!_IOC_SIZE(AXHVC_VM_GET_IRQ_STATE) && !_IOC_DIR(AXHVC_VM_GET_IRQ_STATE));
static_assert(_IOC_TYPE(AXHVC_VM_GET_IRQ_STATE) == 0xB9);
