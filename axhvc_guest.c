// SPDX-License-Identifier: GPL-2.0
/*
 * Guest memory: the RAM regions a VMM registers (AXHVC_VM_ADD_MEM_REGION),
 * reached through the VMM's own mapping in the VMM's context (forwarded
 * ioctl or intercepting vCPU thread), pinned holding no lock so that it can
 * then be read and written under one.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/uaccess.h>
#include <kunit/visibility.h>

#include "axhvc_drv.h"

static bool axhvc_ranges_overlap(u64 a, u64 a_size, u64 b, u64 b_size)
{
	return a < b + b_size && b < a + a_size;
}

/**
 * axhvc_check_mem_region() - validate a guest RAM region against a VM
 * @vm: the VM, with its regions_lock held (or not yet published)
 * @r: the new region
 *
 * Return: 0 or -EINVAL.
 */
VISIBLE_IF_KUNIT int axhvc_check_mem_region(const struct axhvc_vm *vm,
					    const struct axhvc_mem_region *r)
{
	unsigned int i;

	if (r->flags || !r->memory_size)
		return -EINVAL;
	if (!PAGE_ALIGNED(r->gpa) || !PAGE_ALIGNED(r->memory_size) ||
	    !PAGE_ALIGNED(r->uaddr))
		return -EINVAL;
	if (r->gpa + r->memory_size < r->gpa || r->uaddr + r->memory_size < r->uaddr)
		return -EINVAL;
	if (!access_ok(u64_to_user_ptr(r->uaddr), r->memory_size))
		return -EINVAL;
	if (vm->ivc_size &&
	    axhvc_ranges_overlap(r->gpa, r->memory_size, vm->ivc_base, vm->ivc_size))
		return -EINVAL;
	for (i = 0; i < vm->nr_regions; i++)
		if (axhvc_ranges_overlap(r->gpa, r->memory_size, vm->regions[i].gpa,
					 vm->regions[i].memory_size))
			return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(axhvc_check_mem_region);

/**
 * axhvc_guest_init() - a new VM has no guest RAM yet
 * @vm: the VM
 */
void axhvc_guest_init(struct axhvc_vm *vm)
{
	mutex_init(&vm->regions_lock);
}

/**
 * axhvc_guest_destroy() - undo axhvc_guest_init()
 * @vm: the VM, freed next
 */
void axhvc_guest_destroy(struct axhvc_vm *vm)
{
	mutex_destroy(&vm->regions_lock);
}

/**
 * axhvc_guest_add_region() - register a guest RAM region
 * @vm: the VM
 * @r: the region, as AXHVC_VM_ADD_MEM_REGION gave it
 *
 * Return: 0, -EINVAL for a bad or overlapping region, -ENOSPC when the VM
 * has %AXHVC_MAX_MEM_REGIONS already.
 */
int axhvc_guest_add_region(struct axhvc_vm *vm, const struct axhvc_mem_region *r)
{
	int ret;

	mutex_lock(&vm->regions_lock);
	ret = axhvc_check_mem_region(vm, r);
	if (!ret && vm->nr_regions == AXHVC_MAX_MEM_REGIONS)
		ret = -ENOSPC;
	if (!ret) {
		vm->regions[vm->nr_regions] = *r;
		/* Publish the region only once it is written. */
		smp_store_release(&vm->nr_regions, vm->nr_regions + 1);
	}
	mutex_unlock(&vm->regions_lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(axhvc_guest_add_region);

/**
 * axhvc_guest_nr_regions() - how many RAM regions a VM has (host view)
 * @vm: the VM
 * Return: the number of regions registered.
 */
unsigned int axhvc_guest_nr_regions(const struct axhvc_vm *vm)
{
	/* Pairs with the release in axhvc_guest_add_region(). */
	return smp_load_acquire(&vm->nr_regions);
}

/**
 * axhvc_guest_pin_u64() - prepare a u64 of guest memory for writing
 * @vm: the guest's VM
 * @gpa: its guest-physical address, 8-byte aligned
 * @g: out: the pinned u64, for axhvc_guest_u64_get()/_set(), until
 *	axhvc_guest_unpin_u64()
 *
 * Faults the page in writable and pins it, so that later accesses, under a
 * lock other VMs take, cannot sleep: whatever the fault waits for
 * (userfaultfd, FUSE, NFS) it waits for here, holding nothing.
 *
 * Return: 0, or -EFAULT for an unaligned, unbacked or unwritable address.
 */
int axhvc_guest_pin_u64(const struct axhvc_vm *vm, u64 gpa,
			struct axhvc_guest_u64 *g)
{
	u64 __user *p = axhvc_guest_u64_ptr(vm, gpa);
	unsigned long addr = (unsigned long)p;

	/* An aligned u64 never crosses a page: one page to pin. */
	if (!p || pin_user_pages_fast(addr & PAGE_MASK, 1, FOLL_WRITE,
				      &g->page) != 1)
		return -EFAULT;
	g->offset = offset_in_page(addr);
	g->dirty = false;
	return 0;
}

/**
 * axhvc_guest_u64_get() - read a pinned u64 of guest memory
 * @g: from axhvc_guest_pin_u64()
 * Context: any; does not sleep.
 * Return: the value.
 */
u64 axhvc_guest_u64_get(const struct axhvc_guest_u64 *g)
{
	__le64 *p = kmap_local_page(g->page) + g->offset;
	u64 val = le64_to_cpu(READ_ONCE(*p));

	kunmap_local(p);
	return val;
}

/**
 * axhvc_guest_u64_set() - write a pinned u64 of guest memory
 * @g: from axhvc_guest_pin_u64()
 * @val: the value
 * Context: any; does not sleep.
 */
void axhvc_guest_u64_set(struct axhvc_guest_u64 *g, u64 val)
{
	__le64 *p = kmap_local_page(g->page) + g->offset;

	WRITE_ONCE(*p, cpu_to_le64(val));
	kunmap_local(p);
	flush_dcache_page(g->page);
	g->dirty = true;
}

/**
 * axhvc_guest_unpin_u64() - end what axhvc_guest_pin_u64() began
 * @g: the pinned u64
 */
void axhvc_guest_unpin_u64(struct axhvc_guest_u64 *g)
{
	unpin_user_pages_dirty_lock(&g->page, 1, g->dirty);
	g->page = NULL;
}
