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
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/pfn_t.h>
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

/* The page behind window page @pgoff, or NULL for a hole. */
static struct page *axhvc_window_page(struct axhvc_vm *vm, unsigned long pgoff)
{
	void *owner;

	lockdep_assert_held(&vm->window_lock);
	owner = mtree_load(&vm->ivc_window, pgoff);
	return owner ? axhvc_ivc_window_page(owner, pgoff) : NULL;
}

static vm_fault_t axhvc_window_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct axhvc_vm *vm = vma->vm_file->private_data;
	vm_fault_t ret = VM_FAULT_SIGBUS;
	struct page *page;

	/*
	 * The lock keeps axhvc_window_free() out until the page is in the
	 * page table, where its zap will find it.
	 */
	mutex_lock(&vm->window_lock);
	page = axhvc_window_page(vm, vmf->pgoff);
	/*
	 * A special entry: no struct page behind it as far as GUP and the
	 * rest of mm are concerned. A racing fault that mapped it first
	 * makes this a no-op that still returns VM_FAULT_NOPAGE.
	 */
	if (page)
		ret = vmf_insert_mixed(vma, vmf->address,
				       pfn_to_pfn_t(page_to_pfn(page)));
	mutex_unlock(&vm->window_lock);
	return ret;
}

/*
 * access_process_vm() on the window, for /proc/PID/mem and ptrace, which
 * GUP cannot serve on a VM_IO mapping: a copy under the window lock, so it
 * sees what a fault would map at this moment and keeps nothing.
 */
static int axhvc_window_access(struct vm_area_struct *vma, unsigned long addr,
			       void *buf, int len, int write)
{
	struct axhvc_vm *vm = vma->vm_file->private_data;
	unsigned long pgoff = vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
	unsigned int off = offset_in_page(addr);
	struct page *page;
	void *kaddr;

	/* As GUP would: a shared mapping is written only where it is writable. */
	if (write && !(vma->vm_flags & VM_WRITE))
		return -EFAULT;
	len = min_t(int, len, PAGE_SIZE - off);
	mutex_lock(&vm->window_lock);
	page = axhvc_window_page(vm, pgoff);
	if (page) {
		kaddr = kmap_local_page(page);
		if (write)
			memcpy(kaddr + off, buf, len);
		else
			memcpy(buf, kaddr + off, len);
		kunmap_local(kaddr);
	}
	mutex_unlock(&vm->window_lock);
	return page ? len : -EFAULT;
}

static const struct vm_operations_struct axhvc_window_vm_ops = {
	.fault = axhvc_window_fault,
	.access = axhvc_window_access,
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
	 * VM_IO | VM_MIXEDMAP: special entries inserted by the fault handler,
	 * which nothing can pin (see the top of this file). The mapping stays
	 * the VMM's: not copied on fork (and VM_IO keeps MADV_DOFORK from
	 * undoing that), not grown by mremap, and guest data stays out of
	 * core dumps.
	 */
	vm_flags_mod(vma, VM_IO | VM_MIXEDMAP | VM_DONTCOPY | VM_DONTEXPAND |
		     VM_DONTDUMP, VM_MAYEXEC);
	vma->vm_ops = &axhvc_window_vm_ops;
	return 0;
}
