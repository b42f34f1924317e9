// SPDX-License-Identifier: GPL-2.0
/*
 * How IVC channels reach a VMM through the VM fd: the channel ioctls, events
 * (read(), poll()), and mmap() of the IVC window (file offset 0 is its first
 * page) with the mapping's fault and access. The rules are axhvc_ivc.c's,
 * the window's ranges and revocation axhvc_window.c's.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/eventfd.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/pfn_t.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <kunit/visibility.h>

#include "axhvc_drv.h"
#include "axhvc_gic.h"

static long axhvc_chardev_set_doorbell(struct axhvc_vm *vm, void __user *argp)
{
	struct axhvc_doorbell db;
	struct eventfd_ctx *ctx = NULL;
	int ret;

	ret = axhvc_get_arg(db, argp, AXHVC_DOORBELL_SIZE_VER0);
	if (ret)
		return ret;
	if (db.flags & ~AXHVC_DOORBELL_F_MASK)
		return -EINVAL;
	if (db.flags & AXHVC_DOORBELL_F_INTID) {
		if (db.eventfd != -1 || !axhvc_gic_intid_is_spi(db.intid))
			return -EINVAL;
	} else if (db.intid) {
		return -EINVAL;
	} else if (db.eventfd != -1) {
		ctx = eventfd_ctx_fdget(db.eventfd);
		if (IS_ERR(ctx))
			return -EBADF;
	}
	ret = axhvc_ivc_set_doorbell(vm, ctx, db.intid);
	if (ret && ctx)
		eventfd_ctx_put(ctx);
	return ret;
}

static long axhvc_chardev_set_allowlist(struct axhvc_vm *vm, void __user *argp)
{
	struct axhvc_allowlist al;
	u64 *ids;
	int ret;

	ret = axhvc_get_arg(al, argp, AXHVC_ALLOWLIST_SIZE_VER0);
	if (ret)
		return ret;
	if (al.flags & ~AXHVC_ALLOW_F_MASK || al.__reserved)
		return -EINVAL;
	if (!(al.flags & AXHVC_ALLOW_F_ENABLE))
		return al.nr_ids || al.ids ? -EINVAL :
					     axhvc_ivc_set_allowlist(vm, NULL, 0);
	if (al.nr_ids > AXHVC_MAX_ALLOWLIST)
		return -E2BIG;
	ids = memdup_array_user(u64_to_user_ptr(al.ids), al.nr_ids, sizeof(u64));
	if (IS_ERR(ids))
		return PTR_ERR(ids);
	/* A non-NULL list, even an empty one, is what enables the check. */
	ret = axhvc_ivc_set_allowlist(vm, ids, al.nr_ids);
	kfree(ids);
	return ret;
}

static long axhvc_chardev_list_channels(struct axhvc_vm *vm, void __user *argp)
{
	struct axhvc_channel_list cl;
	struct axhvc_channel_info *info;
	u32 nr;
	int ret;

	ret = axhvc_get_arg(cl, argp, AXHVC_CHANNEL_LIST_SIZE_VER0);
	if (ret)
		return ret;
	if (cl.flags ||
	    axhvc_check_record_size(cl.info_size, AXHVC_CHANNEL_INFO_SIZE_VER0))
		return -EINVAL;
	/* Room for what the VM holds now; should it get more, E2BIG says so. */
	cl.nr_channels = min(cl.nr_channels, axhvc_ivc_nr_channels(vm));
	info = kvcalloc(cl.nr_channels, sizeof(*info), GFP_KERNEL_ACCOUNT);
	if (!info && cl.nr_channels)
		return -ENOMEM;
	ret = axhvc_ivc_list(vm, info, cl.nr_channels, &nr);
	if (!ret)
		ret = axhvc_copy_records_out(u64_to_user_ptr(cl.channels),
					     cl.info_size, info, sizeof(*info), nr);
	kvfree(info);
	if (ret && ret != -E2BIG)
		return ret;
	cl.nr_channels = nr;
	return axhvc_put_arg(argp, cl) ?: ret;
}

/**
 * axhvc_subscribers_room() - room to allocate for AXHVC_VM_GET_CHANNEL
 * @asked: the room the caller offers
 * @nr_subscribers: how many subscribers the channel has now
 *
 * Return: as many subscriber ids as the channel has, if the caller offers
 * that much (however many that is), else what it offers.
 */
VISIBLE_IF_KUNIT u32 axhvc_subscribers_room(u32 asked, u32 nr_subscribers)
{
	return min(asked, nr_subscribers);
}
EXPORT_SYMBOL_IF_KUNIT(axhvc_subscribers_room);

static long axhvc_chardev_get_channel(struct axhvc_vm *vm, void __user *argp)
{
	struct axhvc_channel_state st;
	struct axhvc_channel_info info;
	u64 *subs;
	int ret;

	ret = axhvc_get_arg(st, argp, AXHVC_CHANNEL_STATE_SIZE_VER0);
	if (ret)
		return ret;
	if (st.flags ||
	    axhvc_check_record_size(st.info_size, AXHVC_CHANNEL_INFO_SIZE_VER0))
		return -EINVAL;
	/* Room for the subscribers it has now; should it get more, E2BIG. */
	ret = axhvc_ivc_get(vm, st.publisher, st.key, &info, NULL, 0);
	if (ret && ret != -E2BIG)
		return ret;
	st.nr_subscribers = axhvc_subscribers_room(st.nr_subscribers,
						   info.nr_subscribers);
	subs = kvcalloc(st.nr_subscribers, sizeof(*subs), GFP_KERNEL_ACCOUNT);
	if (!subs && st.nr_subscribers)
		return -ENOMEM;
	ret = axhvc_ivc_get(vm, st.publisher, st.key, &info, subs,
			    st.nr_subscribers);
	if (!ret) {
		st.nr_subscribers = info.nr_subscribers;
		if (copy_to_user(u64_to_user_ptr(st.subscribers), subs,
				 array_size(st.nr_subscribers, sizeof(*subs))))
			ret = -EFAULT;
	}
	kvfree(subs);
	if (ret && ret != -E2BIG)
		return ret;
	if (axhvc_copy_records_out(u64_to_user_ptr(st.info), st.info_size,
				   &info, sizeof(info), 1))
		return -EFAULT;
	return axhvc_put_arg(argp, st) ?: ret;
}

/**
 * axhvc_ivc_chardev_ioctl() - the VM fd's channel ioctls
 * @vm: the VM, its fd used by its creator
 * @cmd: one of the VM fd's channel ioctls (AXHVC_VM_SET_DOORBELL and on)
 * @argp: the command's argument
 *
 * Return: 0 or a negative errno as documented per command; -ENOTTY for others.
 */
long axhvc_ivc_chardev_ioctl(struct axhvc_vm *vm, unsigned int cmd,
			     void __user *argp)
{
	struct axhvc_vm_limits lim;
	int ret;

	switch (cmd) {
	case AXHVC_VM_SET_DOORBELL:
		return axhvc_chardev_set_doorbell(vm, argp);
	case AXHVC_VM_SET_LIMITS:
		ret = axhvc_get_arg(lim, argp, AXHVC_VM_LIMITS_SIZE_VER0);
		if (!ret && lim.flags)
			ret = -EINVAL;
		ret = ret ?: axhvc_ivc_set_limits(vm, &lim);
		return ret ?: axhvc_put_arg(argp, lim);
	case AXHVC_VM_SET_ALLOWLIST:
		return axhvc_chardev_set_allowlist(vm, argp);
	case AXHVC_VM_LIST_CHANNELS:
		return axhvc_chardev_list_channels(vm, argp);
	case AXHVC_VM_GET_CHANNEL:
		return axhvc_chardev_get_channel(vm, argp);
	default:
		return -ENOTTY;
	}
}

/**
 * axhvc_ivc_chardev_read() - read() of the VM fd: channel events
 * @file: the VM fd
 * @buf: where the events go, whole records of the VM's event size
 * @len: room at @buf
 * @ppos: unused
 *
 * Return: bytes read, or -EPERM for another process, -EINVAL for room for
 * no event, -EAGAIN (non-blocking, none queued), -ERESTARTSYS or -EFAULT.
 */
ssize_t axhvc_ivc_chardev_read(struct file *file, char __user *buf, size_t len,
			       loff_t *ppos)
{
	struct axhvc_vm *vm = file->private_data;
	size_t rec = vm->event_size;
	struct axhvc_event ev;
	ssize_t done = 0;
	int ret;

	/* The events are the creator's: another process must not take them. */
	if (current->mm != vm->mm)
		return -EPERM;
	if (len < rec)
		return -EINVAL;
	while (!axhvc_ivc_has_events(vm)) {
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		ret = wait_event_interruptible(vm->events_wq,
					       axhvc_ivc_has_events(vm));
		if (ret)
			return ret;
	}
	while (len - done >= rec && axhvc_ivc_pop_event(vm, &ev)) {
		/* An event popped but not copied is lost: say so next time. */
		if (axhvc_copy_records_out(buf + done, rec, &ev, sizeof(ev), 1)) {
			axhvc_ivc_events_lost(vm);
			return done ?: -EFAULT;
		}
		done += rec;
	}
	return done;
}

/**
 * axhvc_ivc_chardev_poll() - poll() of the VM fd: readable with an event
 * @file: the VM fd
 * @wait: the poll table
 *
 * Return: EPOLLIN | EPOLLRDNORM when an event is queued, else 0.
 */
__poll_t axhvc_ivc_chardev_poll(struct file *file, poll_table *wait)
{
	struct axhvc_vm *vm = file->private_data;

	poll_wait(file, &vm->events_wq, wait);
	return axhvc_ivc_has_events(vm) ? EPOLLIN | EPOLLRDNORM : 0;
}

static vm_fault_t axhvc_window_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct axhvc_vm *vm = vma->vm_file->private_data;
	vm_fault_t ret = VM_FAULT_SIGBUS;
	struct page *page;

	/* axhvc_window_free() waits until the page is where its zap finds it. */
	axhvc_window_lock(vm);
	page = axhvc_window_page(vm, vmf->pgoff);
	/* A special entry, no page to GUP; a racing fault's makes this a no-op. */
	if (page)
		ret = vmf_insert_mixed(vma, vmf->address,
				       pfn_to_pfn_t(page_to_pfn(page)));
	axhvc_window_unlock(vm);
	return ret;
}

/*
 * For /proc/PID/mem and ptrace, which GUP cannot serve on VM_IO: a copy under
 * the window lock, of what a fault would map now, keeping nothing.
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
	axhvc_window_lock(vm);
	page = axhvc_window_page(vm, pgoff);
	if (page) {
		kaddr = kmap_local_page(page);
		if (write)
			memcpy(kaddr + off, buf, len);
		else
			memcpy(buf, kaddr + off, len);
		kunmap_local(kaddr);
	}
	axhvc_window_unlock(vm);
	return page ? len : -EFAULT;
}

static const struct vm_operations_struct axhvc_window_vm_ops = {
	.fault = axhvc_window_fault,
	.access = axhvc_window_access,
};

/**
 * axhvc_ivc_chardev_mmap() - mmap() of the VM fd: the VM's IVC window
 * @file: the VM fd
 * @vma: the new mapping; its file offset is the offset in the window
 *
 * Return: 0, -EPERM for another process or an executable mapping, -EINVAL
 * for a private mapping or one that does not fit in the window.
 */
int axhvc_ivc_chardev_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct axhvc_vm *vm = file->private_data;
	unsigned long win_pages = vm->ivc_size >> PAGE_SHIFT;

	/* The window belongs to the VMM that registered the VM. */
	if (vma->vm_mm != vm->mm)
		return -EPERM;
	/* A private copy-on-write copy of a channel page would escape revocation. */
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	/* Channels hold data; nothing runs from them on the host. */
	if (vma->vm_flags & VM_EXEC)
		return -EPERM;
	if (vma->vm_pgoff >= win_pages || vma_pages(vma) > win_pages - vma->vm_pgoff)
		return -EINVAL;
	/*
	 * Special entries nothing can pin, MIXEDMAP because KVM takes a PFNMAP's
	 * pgoff for a physical address (Documentation/ivc.rst); the VMM's alone:
	 * not copied on fork (VM_IO stops MADV_DOFORK), not grown by mremap, and
	 * out of core dumps.
	 */
	vm_flags_mod(vma, VM_IO | VM_MIXEDMAP | VM_DONTCOPY | VM_DONTEXPAND |
		     VM_DONTDUMP, VM_MAYEXEC);
	vma->vm_ops = &axhvc_window_vm_ops;
	return 0;
}
