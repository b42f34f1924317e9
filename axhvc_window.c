// SPDX-License-Identifier: GPL-2.0
/*
 * The IVC window of a VM: the guest-physical range where its channels
 * appear, the range allocator over it, and the revocation of a range from
 * the VMM's mappings. The mappings themselves (mmap(), faults) are
 * ivc_chardev.c's; this file knows no VMA, only the VM fd's address space.
 *
 * mmap() of the VM fd maps the window (file offset 0 is the window's first
 * page). The VMM registers that mapping as a KVM memslot at the window's
 * GPA, so its guest sees channel pages where the hypercalls said, and it can
 * read and write the channels itself through the same mapping. Pages are
 * inserted on fault; a page of the window that holds no channel is a hole,
 * and touching it is a SIGBUS for the VMM (and an EFAULT from KVM_RUN for
 * its guest), never another page.
 *
 * Revoking a range zaps it from every mapping of the VM's own inode (each
 * VM fd has one), which KVM's MMU notifier turns into a stage-2 unmap,
 * before the range is free for reuse and before the channel can be freed.
 *
 * For that to cut every path to the pages, the mapping is not ordinary
 * memory. It is VM_IO, so get_user_pages() refuses it: no io_uring fixed
 * buffer, O_DIRECT, vmsplice() or other pin can hold a channel page past
 * its revocation, and madvise(MADV_DOFORK) fails, so VM_DONTCOPY holds and
 * no child of the VMM inherits the window. Its page table entries are
 * special (inserted by PFN), which GUP-fast refuses too, and which hold no
 * reference to the page: the zap must come before the free. KVM maps such
 * a memslot through its remapped-PFN path (hva_to_pfn_remapped(): it takes
 * a reference of its own for the fault, and hears the zap through its MMU
 * notifier), as Normal memory because the pages are RAM, and page by page.
 * VM_MIXEDMAP rather than VM_PFNMAP: KVM since v5.14 takes a VM_PFNMAP
 * VMA's vm_pgoff for a physical address when it picks a stage-2 block
 * size (get_vma_page_shift(); still so in 6.6 trees, gone in 6.12, not
 * seen on Debian's 6.1), and would map 2 MiB of host memory from one
 * channel page of a window laid out block aligned. window_test checks it.
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
 * The VM may be serving hypercalls already (intercept), so ranges may be
 * taken and freed concurrently: the window lock orders this against them.
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
 * The range is visible to faults as soon as this returns (the window lock
 * covers both the store and the write of @first, so a fault never sees one
 * without the other).
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
 * When this returns, neither the VMM's mappings nor (through KVM's MMU
 * notifier) the guest's stage 2 reach the range's pages, and no fault can
 * map them again: the owner may free them. It must not free them before:
 * the window's page table entries hold no reference to the pages, so a
 * page freed under one would be reachable by the VMM after its reuse.
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
 * While held, no range is freed, so a page axhvc_window_page() returns
 * stays the channel's; a fault holds it until the page is in the page
 * table, where the revocation's zap will find it.
 */
void axhvc_window_lock(struct axhvc_vm *vm)
{
	mutex_lock(&vm->window_lock);
}

/**
 * axhvc_window_unlock() - release what axhvc_window_lock() took
 * @vm: the VM
 */
void axhvc_window_unlock(struct axhvc_vm *vm)
{
	mutex_unlock(&vm->window_lock);
}

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
