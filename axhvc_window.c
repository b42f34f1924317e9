// SPDX-License-Identifier: GPL-2.0
/*
 * The IVC window of a VM: the guest-physical range where its channels
 * appear, a range allocator over it, and its mapping into the VMM.
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
 * The pages are reference counted, so a page somebody still holds (a short
 * GUP pin) is freed only when they let go of it.
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
EXPORT_SYMBOL_IF_KUNIT(axhvc_window_init);

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
EXPORT_SYMBOL_IF_KUNIT(axhvc_window_destroy);

/**
 * axhvc_window_alloc() - place @nr_pages pages in a VM's window
 * @vm: the VM
 * @nr_pages: size of the range, not 0
 * @owner: what the range holds; axhvc_ivc_window_page() gets it back
 * @first: out: first page of the range
 *
 * The range is visible to faults as soon as this returns: @owner must be
 * ready to answer axhvc_ivc_window_page() for it, and @first must be where
 * it looks for the range's start (the window lock covers both the store
 * and the write of @first, so a fault never sees one without the other).
 *
 * Return: 0, -ENOSPC when no free range is big enough, or -ENOMEM.
 */
int axhvc_window_alloc(struct axhvc_vm *vm, unsigned long nr_pages,
		       void *owner, unsigned long *first)
{
	unsigned long win_pages = vm->ivc_size >> PAGE_SHIFT;
	int ret;

	if (!nr_pages || nr_pages > win_pages)
		return -ENOSPC;
	mutex_lock(&vm->window_lock);
	ret = mtree_alloc_range(&vm->ivc_window, first, owner, nr_pages, 0,
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
 * map them again: the owner may free them.
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

static vm_fault_t axhvc_window_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct axhvc_vm *vm = vma->vm_file->private_data;
	vm_fault_t ret = VM_FAULT_SIGBUS;
	struct page *page;
	void *owner;
	int err;

	/*
	 * The lock keeps axhvc_window_free() out until the page is in the
	 * page table, where its zap will find it.
	 */
	mutex_lock(&vm->window_lock);
	owner = mtree_load(&vm->ivc_window, vmf->pgoff);
	page = owner ? axhvc_ivc_window_page(owner, vmf->pgoff) : NULL;
	if (page) {
		err = vm_insert_page(vma, vmf->address, page);
		/* -EBUSY: a racing fault mapped it first. */
		if (!err || err == -EBUSY)
			ret = VM_FAULT_NOPAGE;
		else
			ret = vmf_error(err);
	}
	mutex_unlock(&vm->window_lock);
	return ret;
}

static const struct vm_operations_struct axhvc_window_vm_ops = {
	.fault = axhvc_window_fault,
};

/**
 * axhvc_window_mmap() - map a VM's IVC window into its VMM (mmap of the VM fd)
 * @vm: the VM
 * @vma: the new mapping; its file offset is the offset in the window
 *
 * Return: 0, -EPERM for another process or an executable mapping, -EINVAL
 * for a private mapping or one that does not fit in the window.
 */
int axhvc_window_mmap(struct axhvc_vm *vm, struct vm_area_struct *vma)
{
	unsigned long win_pages = vm->ivc_size >> PAGE_SHIFT;

	/* The window belongs to the VMM that registered the VM. */
	if (vma->vm_mm != vm->mm)
		return -EPERM;
	/*
	 * Shared only: a private copy-on-write copy of a channel page would
	 * escape revocation.
	 */
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	/* Channels hold data; nothing runs from them on the host. */
	if (vma->vm_flags & VM_EXEC)
		return -EPERM;
	if (vma->vm_pgoff >= win_pages || vma_pages(vma) > win_pages - vma->vm_pgoff)
		return -EINVAL;
	/*
	 * VM_MIXEDMAP: pages are inserted by the fault handler. The mapping
	 * stays the VMM's: not copied on fork, not grown by mremap, and guest
	 * data stays out of core dumps.
	 */
	vm_flags_mod(vma, VM_MIXEDMAP | VM_DONTCOPY | VM_DONTEXPAND | VM_DONTDUMP,
		     VM_MAYEXEC);
	vma->vm_ops = &axhvc_window_vm_ops;
	return 0;
}
