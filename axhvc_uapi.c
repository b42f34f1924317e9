// SPDX-License-Identifier: GPL-2.0
/*
 * Structures that grow (Documentation/ioctls.rst): ioctl arguments read by
 * the size they carry, records written with the size their reader states,
 * once for every handler; and the UAPI's layout, checked at build time.
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
 * As copy_struct_from_user(); @dst's size is then the caller's, for
 * axhvc_copy_struct_out().
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
	/* The size checked is the one that counts, should the caller change it. */
	if (!ret)
		*(u32 *)dst = usize;
	return ret;
}

/**
 * axhvc_copy_struct_out() - write an ioctl argument back to its caller
 * @dst: the caller's structure
 * @src: the kernel's, read with axhvc_copy_struct_in() (its size is the caller's)
 * @ksize: sizeof(*@src)
 *
 * Writes as many bytes as both know; the caller's bytes past the kernel's
 * structure are zero (axhvc_copy_struct_in() checked) and left alone.
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
 * Each record is the kernel's cut at @usize, or zero-extended to it.
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
 * The UAPI's layout: 32-bit and 64-bit userspace must agree on it (sizes are
 * multiples of 8, every u64 is 8-aligned), and what was published stays
 * where it was. An argument starts with its size and flags, and its first
 * published size, a multiple of 8, is no bigger than it is.
 */
#define AXHVC_ASSERT_AT(type, field, off) static_assert(offsetof(struct type, field) == (off))
#define AXHVC_ASSERT_ARG(type, name, bytes, field, off)					\
	static_assert(sizeof(struct type) == (bytes) && !offsetof(struct type, size) &&	\
		      offsetof(struct type, flags) == 4 &&				\
		      offsetof(struct type, field) == (off) &&				\
		      !(AXHVC_##name##_SIZE_VER0 % 8) &&				\
		      sizeof(struct type) >= AXHVC_##name##_SIZE_VER0)
#define AXHVC_ASSERT_REC(type, name, bytes, field, off)					\
	static_assert(sizeof(struct type) == (bytes) &&					\
		      sizeof(struct type) >= AXHVC_##name##_SIZE_VER0 &&		\
		      offsetof(struct type, field) == (off))

AXHVC_ASSERT_ARG(axhvc_api_version, API_VERSION, 88, api_version, 8);
AXHVC_ASSERT_AT(axhvc_api_version, features, 16);
AXHVC_ASSERT_AT(axhvc_api_version, vm_flags, 24);
AXHVC_ASSERT_AT(axhvc_api_version, max_bytes_per_vm, 72);
AXHVC_ASSERT_ARG(axhvc_vm_config, VM_CONFIG, 40, vm_id, 8);
AXHVC_ASSERT_AT(axhvc_vm_config, kvm_fd, 32);
AXHVC_ASSERT_ARG(axhvc_host_gic, HOST_GIC, 40, gicd_base, 16);
AXHVC_ASSERT_AT(axhvc_host_gic, typer, 32);
AXHVC_ASSERT_ARG(axhvc_vm_list, VM_LIST, 24, vms, 8);
AXHVC_ASSERT_ARG(axhvc_host_channel_list, HOST_CHANNEL_LIST, 40, channel_size, 32);
AXHVC_ASSERT_ARG(axhvc_grant, GRANT, 40, first, 24);
AXHVC_ASSERT_ARG(axhvc_mem_region, MEM_REGION, 32, gpa, 8);
AXHVC_ASSERT_ARG(axhvc_hypercall, HYPERCALL, 80, x, 16);
AXHVC_ASSERT_AT(axhvc_hypercall, ret, 72);
AXHVC_ASSERT_ARG(axhvc_doorbell, DOORBELL, 16, eventfd, 8);
AXHVC_ASSERT_ARG(axhvc_vm_limits, VM_LIMITS, 32, max_bytes, 16);
AXHVC_ASSERT_ARG(axhvc_allowlist, ALLOWLIST, 24, ids, 8);
AXHVC_ASSERT_ARG(axhvc_channel_list, CHANNEL_LIST, 24, channels, 8);
AXHVC_ASSERT_ARG(axhvc_channel_state, CHANNEL_STATE, 48, info, 32);
AXHVC_ASSERT_ARG(axhvc_irq_route, IRQ_ROUTE, 16, intid, 8);
AXHVC_ASSERT_ARG(axhvc_irq, IRQ, 16, intid, 8);
AXHVC_ASSERT_ARG(axhvc_irq_forward, IRQ_FORWARD, 24, host_irq, 8);
AXHVC_ASSERT_ARG(axhvc_irq_state, IRQ_STATE, 40, fired, 16);

/* The records, whose size their readers state. */
AXHVC_ASSERT_REC(axhvc_vm_info, VM_INFO, 168, owner_tgid, 12);
AXHVC_ASSERT_AT(axhvc_vm_info, doorbell, 56);
AXHVC_ASSERT_AT(axhvc_vm_info, calls, 80);
AXHVC_ASSERT_AT(axhvc_vm_info, errors, 160);
AXHVC_ASSERT_REC(axhvc_host_channel, HOST_CHANNEL, 40, first_subscriber, 32);
AXHVC_ASSERT_REC(axhvc_channel_info, CHANNEL_INFO, 40, flags, 32);
AXHVC_ASSERT_REC(axhvc_event, EVENT, 32, peer, 24);

/* The commands carry no size and no direction: the structures do. */
static_assert(!_IOC_SIZE(AXHVC_GET_API_VERSION) && !_IOC_DIR(AXHVC_GET_API_VERSION));
static_assert(!_IOC_SIZE(AXHVC_VM_GET_IRQ_STATE) && !_IOC_DIR(AXHVC_VM_GET_IRQ_STATE));
static_assert(_IOC_TYPE(AXHVC_VM_GET_IRQ_STATE) == 0xB9);
