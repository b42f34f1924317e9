// SPDX-License-Identifier: GPL-2.0
/*
 * The IVC window of a VM: the guest-physical range where its channels
 * appear, the range allocator over it, and the revocation of a range from
 * the VMM's mappings (mmap() and faults are ivc_chardev.c's; this file knows
 * only the VM fd's address space). Revoking a range zaps it from every
 * mapping of the VM fd's own inode, which KVM's MMU notifier turns into a
 * stage-2 unmap, before the range is reused or its pages freed: the
 * window's page table entries hold no page reference. Why the mapping cannot
 * be pinned or inherited: Documentation/ivc.rst.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/maple_tree.h>
#include <linux/mm.h>
#include <kunit/visibility.h>

#include "axhvc_drv.h"

/**
 * axhvc_window_init() - prepare a new VM's empty window
 * @vm: the VM
 */
void axhvc_window_init(struct axhvc_vm *vm)
{
	mutex_init(&vm->window_lock);
	mt_init_flags(&vm->ivc_window, MT_FLAGS_ALLOC_RANGE);
}

/**
 * axhvc_window_destroy() - forget an empty window
 * @vm: the VM, whose ranges have all been freed
 */
void axhvc_window_destroy(struct axhvc_vm *vm)
{
	WARN_ON_ONCE(!mtree_empty(&vm->ivc_window));
	mtree_destroy(&vm->ivc_window);
	mutex_destroy(&vm->window_lock);
}

/**
 * axhvc_window_set_mapping() - name the address space that maps the window
 * @vm: the VM
 * @mapping: the VM fd's own address space, whose mappings revocation zaps
 *
 * Under the window lock: an intercepted VM may be taking ranges already.
 */
void axhvc_window_set_mapping(struct axhvc_vm *vm, struct address_space *mapping)
{
	mutex_lock(&vm->window_lock);
	vm->window_mapping = mapping;
	mutex_unlock(&vm->window_lock);
}

/**
 * axhvc_window_alloc() - place @nr_pages pages in a VM's window
 * @vm: the VM
 * @nr_pages: size of the range, not 0
 * @pages: the @nr_pages pages the range shows, kept by the caller until
 *	axhvc_window_free() returns
 * @first: out: first page of the range
 *
 * The range is visible to faults once this returns.
 *
 * Return: 0, -ENOSPC when no free range is big enough, or -ENOMEM.
 */
int axhvc_window_alloc(struct axhvc_vm *vm, unsigned long nr_pages,
		       struct page **pages, unsigned long *first)
{
	unsigned long win_pages = vm->ivc_size >> PAGE_SHIFT;
	int ret;

	if (!nr_pages || nr_pages > win_pages)
		return -ENOSPC;
	mutex_lock(&vm->window_lock);
	ret = mtree_alloc_range(&vm->ivc_window, first, pages, nr_pages, 0,
				win_pages - 1, GFP_KERNEL_ACCOUNT);
	mutex_unlock(&vm->window_lock);
	/* The window is full, or too fragmented for this size. */
	return ret == -EBUSY ? -ENOSPC : ret;
}
EXPORT_SYMBOL_IF_KUNIT(axhvc_window_alloc);

/**
 * axhvc_window_free() - revoke a range of a VM's window and free it
 * @vm: the VM
 * @first: first page of the range, as axhvc_window_alloc() gave it
 * @nr_pages: size of the range
 *
 * When this returns, neither the VMM's mappings nor the guest's stage 2
 * reach the range's pages and no fault can map them again: only now may the
 * owner free them.
 */
void axhvc_window_free(struct axhvc_vm *vm, unsigned long first,
		       unsigned long nr_pages)
{
	mutex_lock(&vm->window_lock);
	mtree_erase(&vm->ivc_window, first);
	if (vm->window_mapping)
		unmap_mapping_range(vm->window_mapping,
				    (loff_t)first << PAGE_SHIFT,
				    (loff_t)nr_pages << PAGE_SHIFT, 1);
	mutex_unlock(&vm->window_lock);
}
EXPORT_SYMBOL_IF_KUNIT(axhvc_window_free);

/**
 * axhvc_window_lock() - keep the window's ranges as they are
 * @vm: the VM
 *
 * While held no range is freed: a fault holds it until the page it got
 * from axhvc_window_page() is in the page table, where a zap will find it.
 */
void axhvc_window_lock(struct axhvc_vm *vm)
{
	mutex_lock(&vm->window_lock);
}
EXPORT_SYMBOL_IF_KUNIT(axhvc_window_lock);

/**
 * axhvc_window_unlock() - release what axhvc_window_lock() took
 * @vm: the VM
 */
void axhvc_window_unlock(struct axhvc_vm *vm)
{
	mutex_unlock(&vm->window_lock);
}
EXPORT_SYMBOL_IF_KUNIT(axhvc_window_unlock);

/**
 * axhvc_window_page() - the page behind a window page
 * @vm: the VM, its window locked
 * @pgoff: the page's index in the window
 *
 * Return: the page, or NULL for a hole.
 */
struct page *axhvc_window_page(struct axhvc_vm *vm, unsigned long pgoff)
{
	MA_STATE(mas, &vm->ivc_window, pgoff, pgoff);
	struct page **pages;

	lockdep_assert_held(&vm->window_lock);
	rcu_read_lock();
	pages = mas_walk(&mas);
	rcu_read_unlock();
	/* mas.index is the first page of the range that holds @pgoff. */
	return pages ? pages[pgoff - mas.index] : NULL;
}
EXPORT_SYMBOL_IF_KUNIT(axhvc_window_page);
