// SPDX-License-Identifier: GPL-2.0
/*
 * axhvc VM objects: registration by a VMM, the VM fd and its ioctls, and the
 * guest-memory access that hypercall pointer arguments need.
 *
 * A VM lives as long as its fd. Guest memory is reached through the VMM's
 * own mapping of guest RAM, in the VMM's context (the forwarded ioctl or the
 * intercepting vCPU thread): its pages are pinned first, holding no lock, so
 * that they can then be read and written under one.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/anon_inodes.h>
#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/poll.h>
#include <linux/ratelimit.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>
#include <kunit/visibility.h>

#include "axhvc_drv.h"
#include "axhvc_gic.h"

/*
 * All registered VMs, indexed by AxVisor VM id. The xarray's own lock makes
 * "id taken" checks and insertions atomic. The host view walks it under the
 * channel registry's lock, which keeps every VM it finds alive (see
 * axhvc_vm_release()).
 */
static DEFINE_XARRAY(axhvc_vms);

static bool axhvc_ranges_overlap(u64 a, u64 a_size, u64 b, u64 b_size)
{
	return a < b + b_size && b < a + a_size;
}

/**
 * axhvc_check_vm_config() - validate a VM registration request
 * @conf: the request, copied into the kernel
 *
 * Return: 0 or -EINVAL.
 */
VISIBLE_IF_KUNIT int axhvc_check_vm_config(const struct axhvc_vm_config *conf)
{
	if (conf->flags & ~AXHVC_VM_F_ALL ||
	    memchr_inv(conf->reserved, 0, sizeof(conf->reserved)))
		return -EINVAL;
	if (!(conf->flags & AXHVC_VM_F_INTERCEPT) && conf->kvm_fd)
		return -EINVAL;
	if (!PAGE_ALIGNED(conf->ivc_base) || !PAGE_ALIGNED(conf->ivc_size))
		return -EINVAL;
	if (conf->ivc_base + conf->ivc_size < conf->ivc_base)
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(axhvc_check_vm_config);

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

	if (r->flags || r->reserved || !r->size)
		return -EINVAL;
	if (!PAGE_ALIGNED(r->gpa) || !PAGE_ALIGNED(r->size) ||
	    !PAGE_ALIGNED(r->uaddr))
		return -EINVAL;
	if (r->gpa + r->size < r->gpa || r->uaddr + r->size < r->uaddr)
		return -EINVAL;
	if (!access_ok(u64_to_user_ptr(r->uaddr), r->size))
		return -EINVAL;
	if (vm->ivc_size &&
	    axhvc_ranges_overlap(r->gpa, r->size, vm->ivc_base, vm->ivc_size))
		return -EINVAL;
	for (i = 0; i < vm->nr_regions; i++)
		if (axhvc_ranges_overlap(r->gpa, r->size, vm->regions[i].gpa,
					 vm->regions[i].size))
			return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(axhvc_check_mem_region);

/*
 * axhvc_guest_u64_ptr() - the VMM's address of the u64 at @gpa, or NULL when
 * @gpa is unaligned or not inside a registered RAM region, or when the caller
 * is not in the VMM's address space.
 */
static u64 __user *axhvc_guest_u64_ptr(struct axhvc_vm *vm, u64 gpa)
{
	unsigned int i, n;

	if (!IS_ALIGNED(gpa, sizeof(u64)) || current->mm != vm->mm)
		return NULL;
	/* Pairs with the release in axhvc_vm_add_mem_region(). */
	n = smp_load_acquire(&vm->nr_regions);
	for (i = 0; i < n; i++) {
		const struct axhvc_mem_region *r = &vm->regions[i];

		if (gpa >= r->gpa && gpa - r->gpa <= r->size - sizeof(u64))
			return u64_to_user_ptr(r->uaddr + (gpa - r->gpa));
	}
	return NULL;
}

/**
 * axhvc_guest_pin_u64() - prepare a u64 of guest memory for writing
 * @vm: the guest's VM
 * @gpa: its guest-physical address, 8-byte aligned
 * @g: out: the pinned u64, for axhvc_guest_u64_get()/_set(), until
 *	axhvc_guest_unpin_u64()
 *
 * Faults the page in, writable, and pins it (short-term), so that later
 * accesses cannot fault or sleep: they may then be made under a lock that
 * other VMs take. Whatever the fault waits for (userfaultfd, FUSE, NFS), it
 * waits here, holding nothing, and a fatal signal ends the wait.
 *
 * Return: 0, or -EFAULT for an unaligned, unbacked or unwritable address.
 */
int axhvc_guest_pin_u64(struct axhvc_vm *vm, u64 gpa, struct axhvc_guest_u64 *g)
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
 *
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
 *
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

static long axhvc_vm_add_mem_region(struct axhvc_vm *vm, void __user *argp)
{
	struct axhvc_mem_region r;
	int ret;

	if (copy_from_user(&r, argp, sizeof(r)))
		return -EFAULT;
	mutex_lock(&vm->regions_lock);
	ret = axhvc_check_mem_region(vm, &r);
	if (!ret && vm->nr_regions == AXHVC_MAX_MEM_REGIONS)
		ret = -ENOSPC;
	if (!ret) {
		vm->regions[vm->nr_regions] = r;
		/* Publish the region only once it is written. */
		smp_store_release(&vm->nr_regions, vm->nr_regions + 1);
	}
	mutex_unlock(&vm->regions_lock);
	return ret;
}

static long axhvc_vm_set_doorbell(struct axhvc_vm *vm, void __user *argp)
{
	struct axhvc_doorbell db;
	struct eventfd_ctx *ctx = NULL;
	int ret;

	if (copy_from_user(&db, argp, sizeof(db)))
		return -EFAULT;
	if (db.flags & ~AXHVC_DOORBELL_F_INTID || db.reserved)
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

static long axhvc_vm_set_limits(struct axhvc_vm *vm, void __user *argp)
{
	struct axhvc_vm_limits lim;
	int ret;

	if (copy_from_user(&lim, argp, sizeof(lim)))
		return -EFAULT;
	if (lim.flags || lim.reserved)
		return -EINVAL;
	ret = axhvc_ivc_set_limits(vm, &lim);
	if (ret)
		return ret;
	return copy_to_user(argp, &lim, sizeof(lim)) ? -EFAULT : 0;
}

static long axhvc_vm_set_allowlist(struct axhvc_vm *vm, void __user *argp)
{
	struct axhvc_allowlist al;
	u64 *ids;
	int ret;

	if (copy_from_user(&al, argp, sizeof(al)))
		return -EFAULT;
	if (al.flags & ~AXHVC_ALLOW_F_ENABLE || al.reserved)
		return -EINVAL;
	if (!(al.flags & AXHVC_ALLOW_F_ENABLE)) {
		if (al.nr_ids || al.ids)
			return -EINVAL;
		return axhvc_ivc_set_allowlist(vm, NULL, 0);
	}
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

static long axhvc_vm_list_channels(struct axhvc_vm *vm, void __user *argp)
{
	struct axhvc_channel_list cl;
	struct axhvc_channel_info *info;
	u32 nr;
	int ret;

	if (copy_from_user(&cl, argp, sizeof(cl)))
		return -EFAULT;
	if (cl.flags || cl.reserved)
		return -EINVAL;
	/*
	 * Room for what the VM holds now is enough; should it get more before
	 * the list is taken, the caller learns the new count from E2BIG.
	 */
	cl.nr_channels = min(cl.nr_channels, READ_ONCE(vm->ivc_nr_channels));
	info = kvcalloc(cl.nr_channels, sizeof(*info), GFP_KERNEL_ACCOUNT);
	if (!info && cl.nr_channels)
		return -ENOMEM;
	ret = axhvc_ivc_list(vm, info, cl.nr_channels, &nr);
	if (!ret && copy_to_user(u64_to_user_ptr(cl.channels), info,
				 array_size(nr, sizeof(*info))))
		ret = -EFAULT;
	kvfree(info);
	if (ret && ret != -E2BIG)
		return ret;
	cl.nr_channels = nr;
	if (copy_to_user(argp, &cl, sizeof(cl)))
		return -EFAULT;
	return ret;
}

/**
 * axhvc_subscribers_room() - room to allocate for AXHVC_VM_GET_CHANNEL
 * @asked: the room the caller offers
 * @nr_subscribers: how many subscribers the channel has now
 *
 * Never more than the channel needs, whatever the caller offers; never
 * less, when the caller offers enough, however many that is.
 *
 * Return: the number of subscriber ids to make room for.
 */
VISIBLE_IF_KUNIT u32 axhvc_subscribers_room(u32 asked, u32 nr_subscribers)
{
	return min(asked, nr_subscribers);
}
EXPORT_SYMBOL_IF_KUNIT(axhvc_subscribers_room);

static long axhvc_vm_get_channel(struct axhvc_vm *vm, void __user *argp)
{
	struct axhvc_channel_state st;
	u64 *subs;
	int ret;

	if (copy_from_user(&st, argp, sizeof(st)))
		return -EFAULT;
	if (st.flags)
		return -EINVAL;
	/*
	 * Room for the subscribers the channel has now, and no more than that:
	 * should it get more before the list is taken, the caller learns the
	 * new count from E2BIG.
	 */
	ret = axhvc_ivc_get(vm, st.publisher, st.key, &st.info, NULL, 0);
	if (ret && ret != -E2BIG)
		return ret;
	st.nr_subscribers = axhvc_subscribers_room(st.nr_subscribers,
						   st.info.nr_subscribers);
	subs = kvcalloc(st.nr_subscribers, sizeof(*subs), GFP_KERNEL_ACCOUNT);
	if (!subs && st.nr_subscribers)
		return -ENOMEM;
	ret = axhvc_ivc_get(vm, st.publisher, st.key, &st.info, subs,
			    st.nr_subscribers);
	if (!ret) {
		st.nr_subscribers = st.info.nr_subscribers;
		if (copy_to_user(u64_to_user_ptr(st.subscribers), subs,
				 array_size(st.nr_subscribers, sizeof(*subs))))
			ret = -EFAULT;
	}
	kvfree(subs);
	if (ret && ret != -E2BIG)
		return ret;
	if (copy_to_user(argp, &st, sizeof(st)))
		return -EFAULT;
	return ret;
}

static long axhvc_vm_irq_ioctl(struct axhvc_vm *vm, unsigned int cmd,
			       void __user *argp)
{
	struct axhvc_irq_forward fwd;
	struct axhvc_irq_route route;
	struct axhvc_irq_state st;
	struct axhvc_irq irq;
	int ret;

	switch (cmd) {
	case AXHVC_VM_SET_IRQ_ROUTE:
		if (copy_from_user(&route, argp, sizeof(route)))
			return -EFAULT;
		if (route.flags || route.reserved)
			return -EINVAL;
		return axhvc_irq_set_route(vm, route.intid, route.eventfd);
	case AXHVC_VM_INJECT_IRQ:
		if (copy_from_user(&irq, argp, sizeof(irq)))
			return -EFAULT;
		if (irq.flags)
			return -EINVAL;
		return axhvc_irq_inject(vm, irq.intid);
	case AXHVC_VM_FORWARD_IRQ:
	case AXHVC_VM_UNFORWARD_IRQ:
		if (copy_from_user(&fwd, argp, sizeof(fwd)))
			return -EFAULT;
		return cmd == AXHVC_VM_FORWARD_IRQ ? axhvc_irq_fwd_add(vm, &fwd) :
						     axhvc_irq_fwd_del(vm, &fwd);
	default:
		if (copy_from_user(&st, argp, sizeof(st)))
			return -EFAULT;
		ret = axhvc_irq_get_state(vm, &st);
		if (!ret && copy_to_user(argp, &st, sizeof(st)))
			ret = -EFAULT;
		return ret;
	}
}

static long axhvc_vm_hypercall(struct axhvc_vm *vm, void __user *argp)
{
	struct axhvc_hypercall hc;
	struct axhvc_call call;
	int verdict;

	if (copy_from_user(&hc, argp, sizeof(hc)))
		return -EFAULT;
	if (hc.flags || memchr_inv(hc.reserved, 0, sizeof(hc.reserved)))
		return -EINVAL;
	if ((u32)hc.x[0] >= AXHVC_HC_COUNT)
		return -EINVAL;

	/*
	 * On the intercept route the only calls that reach the VMM are the
	 * lifecycle calls it asked to decide, counted and traced when the
	 * intercept handed them over. A VMM loop that passes every
	 * KVM_EXIT_HYPERCALL here on both routes gets its answer, and the
	 * host view does not count the guest's one call twice.
	 */
	if ((vm->flags & AXHVC_VM_F_INTERCEPT) &&
	    (vm->flags & AXHVC_VM_F_LIFECYCLE_TO_VMM) &&
	    ((u32)hc.x[0] == AXHVC_HC_HYPERVISOR_DISABLE ||
	     (u32)hc.x[0] == AXHVC_HC_HYPERVISOR_PREPARE_DISABLE)) {
		hc.flags = AXHVC_HC_F_TO_VMM;
		goto out;
	}

	call.vm = vm;
	memcpy(call.x, hc.x, sizeof(call.x));
	call.vcpu_id = hc.vcpu_id;
	call.route = AXHVC_ROUTE_FORWARDED;
	verdict = axhvc_dispatch(&call, &hc.ret);
	hc.flags = verdict == AXHVC_CALL_TO_VMM ? AXHVC_HC_F_TO_VMM : 0;
out:
	if (copy_to_user(argp, &hc, sizeof(hc)))
		return -EFAULT;
	return 0;
}

static long axhvc_vm_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	struct axhvc_vm *vm = file->private_data;
	void __user *argp = (void __user *)arg;

	switch (cmd) {
	case AXHVC_VM_ADD_MEM_REGION:
	case AXHVC_VM_HYPERCALL:
	case AXHVC_VM_SET_DOORBELL:
	case AXHVC_VM_SET_LIMITS:
	case AXHVC_VM_SET_ALLOWLIST:
	case AXHVC_VM_LIST_CHANNELS:
	case AXHVC_VM_GET_CHANNEL:
	case AXHVC_VM_SET_IRQ_ROUTE:
	case AXHVC_VM_INJECT_IRQ:
	case AXHVC_VM_FORWARD_IRQ:
	case AXHVC_VM_UNFORWARD_IRQ:
	case AXHVC_VM_GET_IRQ_STATE:
		break;
	default:
		return -ENOTTY;
	}
	/* Guest memory is the creator's: a VM fd passed on is of no use. */
	if (current->mm != vm->mm)
		return -EPERM;

	switch (cmd) {
	case AXHVC_VM_ADD_MEM_REGION:
		return axhvc_vm_add_mem_region(vm, argp);
	case AXHVC_VM_HYPERCALL:
		return axhvc_vm_hypercall(vm, argp);
	case AXHVC_VM_SET_DOORBELL:
		return axhvc_vm_set_doorbell(vm, argp);
	case AXHVC_VM_SET_LIMITS:
		return axhvc_vm_set_limits(vm, argp);
	case AXHVC_VM_SET_ALLOWLIST:
		return axhvc_vm_set_allowlist(vm, argp);
	case AXHVC_VM_LIST_CHANNELS:
		return axhvc_vm_list_channels(vm, argp);
	case AXHVC_VM_GET_CHANNEL:
		return axhvc_vm_get_channel(vm, argp);
	default:
		return axhvc_vm_irq_ioctl(vm, cmd, argp);
	}
}

/**
 * axhvc_vm_post_event() - queue a channel event for a VM's VMM
 * @vm: the VM
 * @type: AXHVC_EVENT_* type
 * @pub_id: the channel's publisher
 * @key: the channel's key
 * @peer: the VM the event is about
 *
 * Context: any; takes @vm's events_lock. A full queue drops the event and
 * makes the next read report %AXHVC_EVENT_OVERFLOW.
 */
void axhvc_vm_post_event(struct axhvc_vm *vm, u32 type, u64 pub_id, u64 key,
			 u64 peer)
{
	struct axhvc_event *ev;
	unsigned long irqflags;

	spin_lock_irqsave(&vm->events_lock, irqflags);
	if (vm->ev_count == AXHVC_EVENT_QUEUE_LEN) {
		vm->ev_lost = true;
	} else {
		ev = &vm->events[(vm->ev_head + vm->ev_count++) % AXHVC_EVENT_QUEUE_LEN];
		*ev = (struct axhvc_event) {
			.type = type, .publisher = pub_id, .key = key, .peer = peer,
		};
	}
	spin_unlock_irqrestore(&vm->events_lock, irqflags);
	wake_up_interruptible_poll(&vm->events_wq, EPOLLIN | EPOLLRDNORM);
}

static bool axhvc_vm_has_events(struct axhvc_vm *vm)
{
	return READ_ONCE(vm->ev_count) || READ_ONCE(vm->ev_lost);
}

/* Take the next event off the queue: an overflow first, once drained. */
static bool axhvc_vm_pop_event(struct axhvc_vm *vm, struct axhvc_event *ev)
{
	bool got = true;

	spin_lock_irq(&vm->events_lock);
	if (vm->ev_count) {
		*ev = vm->events[vm->ev_head];
		vm->ev_head = (vm->ev_head + 1) % AXHVC_EVENT_QUEUE_LEN;
		vm->ev_count--;
	} else if (vm->ev_lost) {
		*ev = (struct axhvc_event) { .type = AXHVC_EVENT_OVERFLOW };
		vm->ev_lost = false;
	} else {
		got = false;
	}
	spin_unlock_irq(&vm->events_lock);
	return got;
}

static ssize_t axhvc_vm_read(struct file *file, char __user *buf, size_t len,
			     loff_t *ppos)
{
	struct axhvc_vm *vm = file->private_data;
	struct axhvc_event ev;
	ssize_t done = 0;
	int ret;

	/* The events are the creator's: another process must not take them. */
	if (current->mm != vm->mm)
		return -EPERM;
	if (len < sizeof(ev))
		return -EINVAL;
	while (!axhvc_vm_has_events(vm)) {
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		ret = wait_event_interruptible(vm->events_wq,
					       axhvc_vm_has_events(vm));
		if (ret)
			return ret;
	}
	while (len - done >= sizeof(ev) && axhvc_vm_pop_event(vm, &ev)) {
		/* An event popped but not copied is lost: say so next time. */
		if (copy_to_user(buf + done, &ev, sizeof(ev))) {
			spin_lock_irq(&vm->events_lock);
			vm->ev_lost = true;
			spin_unlock_irq(&vm->events_lock);
			return done ?: -EFAULT;
		}
		done += sizeof(ev);
	}
	return done;
}

static __poll_t axhvc_vm_poll(struct file *file, poll_table *wait)
{
	struct axhvc_vm *vm = file->private_data;

	poll_wait(file, &vm->events_wq, wait);
	return axhvc_vm_has_events(vm) ? EPOLLIN | EPOLLRDNORM : 0;
}

static int axhvc_vm_mmap(struct file *file, struct vm_area_struct *vma)
{
	return axhvc_window_mmap(file->private_data, vma);
}

static void axhvc_vm_release_refs(struct kref *kref)
{
	struct axhvc_vm *vm = container_of(kref, struct axhvc_vm, refs);

	if (vm->kvm)
		axhvc_kvm_put(vm->kvm);
	mmdrop(vm->mm);
	put_pid(vm->owner);
	mutex_destroy(&vm->regions_lock);
	mutex_destroy(&vm->irq_lock);
	kfree(vm);
}

/**
 * axhvc_vm_put() - drop a reference to a VM
 * @vm: the VM
 */
void axhvc_vm_put(struct axhvc_vm *vm)
{
	kref_put(&vm->refs, axhvc_vm_release_refs);
}

/*
 * Undo everything of a VM that serves no more hypercalls, and only then free
 * its id (@registered: it holds one): a new VM with the same id must find
 * nothing of this one. The host view may still be looking at the VM after
 * the id is gone: taking the registry lock once more waits for it.
 */
static void axhvc_vm_teardown(struct axhvc_vm *vm, bool registered)
{
	axhvc_ivc_vm_release(vm);
	axhvc_irq_vm_release(vm);
	if (registered) {
		xa_erase(&axhvc_vms, vm->vm_id);
		axhvc_ivc_registry_sync();
	}
	axhvc_vm_put(vm);
}

static int axhvc_vm_release(struct inode *inode, struct file *file)
{
	struct axhvc_vm *vm = file->private_data;

	if (vm->flags & AXHVC_VM_F_INTERCEPT)
		axhvc_kvm_unbind(vm);
	axhvc_vm_teardown(vm, true);
	axhvc_anon_inode_release();
	return 0;
}

static const struct file_operations axhvc_vm_fops = {
	.owner		= THIS_MODULE,
	.release	= axhvc_vm_release,
	.read		= axhvc_vm_read,
	.poll		= axhvc_vm_poll,
	.mmap		= axhvc_vm_mmap,
	.unlocked_ioctl	= axhvc_vm_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

/**
 * axhvc_vm_create() - register a VM and return its fd (AXHVC_CREATE_VM)
 * @uconf: the VMM's &struct axhvc_vm_config
 *
 * Return: the new fd or a negative errno; on failure nothing is left behind.
 */
long axhvc_vm_create(const struct axhvc_vm_config __user *uconf)
{
	struct axhvc_vm_config conf;
	struct axhvc_vm *vm;
	struct file *file;
	bool id_bound;
	int fd, ret;

	if (copy_from_user(&conf, uconf, sizeof(conf)))
		return -EFAULT;
	ret = axhvc_check_vm_config(&conf);
	if (ret)
		return ret;
	if ((conf.flags & AXHVC_VM_F_INTERCEPT) && !axhvc_kvm_intercept_supported())
		return -EOPNOTSUPP;
	ret = axhvc_grant_vm_id(conf.vm_id, &id_bound);
	if (ret)
		return ret;

	vm = kzalloc(sizeof(*vm), GFP_KERNEL_ACCOUNT);
	if (!vm)
		return -ENOMEM;
	vm->vm_id = conf.vm_id;
	vm->flags = conf.flags;
	vm->ivc_base = conf.ivc_base;
	vm->ivc_size = conf.ivc_size;
	vm->mm = current->mm;
	mmgrab(vm->mm);
	vm->owner = get_task_pid(current, PIDTYPE_TGID);
	vm->owner_uid = current_euid();
	vm->id_bound = id_bound;
	kref_init(&vm->refs);
	mutex_init(&vm->regions_lock);
	ratelimit_state_init(&vm->debug_rs, 5 * HZ, 10);
	spin_lock_init(&vm->events_lock);
	init_waitqueue_head(&vm->events_wq);
	axhvc_ivc_vm_init(vm);
	axhvc_irq_vm_init(vm);

	if (conf.flags & AXHVC_VM_F_INTERCEPT) {
		vm->kvm = axhvc_kvm_get_from_fd(conf.kvm_fd);
		if (IS_ERR(vm->kvm)) {
			ret = PTR_ERR(vm->kvm);
			vm->kvm = NULL;
			goto put_vm;
		}
	}

	ret = xa_insert(&axhvc_vms, vm->vm_id, vm, GFP_KERNEL_ACCOUNT);
	if (ret) {
		ret = ret == -EBUSY ? -EEXIST : ret;
		goto put_vm;
	}
	if (vm->kvm) {
		ret = axhvc_kvm_bind(vm);
		if (ret)
			goto erase_id;
	}

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		ret = fd;
		goto unbind;
	}
	/*
	 * An inode of its own, so that revoking window pages zaps this VM's
	 * mappings only. From here on, the file owns the VM: its release
	 * undoes all of the above.
	 */
	file = anon_inode_create_getfile("axhvc-vm", &axhvc_vm_fops, vm,
					 O_RDWR, NULL);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		ret = PTR_ERR(file);
		goto unbind;
	}
	/* The VM may be serving hypercalls already (intercept). */
	mutex_lock(&vm->window_lock);
	vm->window_mapping = file->f_mapping;
	mutex_unlock(&vm->window_lock);
	fd_install(fd, file);
	return fd;

unbind:
	if (vm->kvm)
		axhvc_kvm_unbind(vm);
erase_id:
	axhvc_vm_teardown(vm, true);
	return ret;
put_vm:
	axhvc_vm_teardown(vm, false);
	return ret;
}

/**
 * axhvc_check_vm_list() - validate an AXHVC_LIST_VMS request
 * @vl: the request, copied into the kernel
 *
 * Return: 0 or -EINVAL.
 */
VISIBLE_IF_KUNIT int axhvc_check_vm_list(const struct axhvc_vm_list *vl)
{
	return vl->flags || vl->reserved ? -EINVAL : 0;
}
EXPORT_SYMBOL_IF_KUNIT(axhvc_check_vm_list);

/**
 * axhvc_check_host_channel_list() - validate an AXHVC_LIST_ALL_CHANNELS request
 * @cl: the request, copied into the kernel
 *
 * Return: 0 or -EINVAL.
 */
VISIBLE_IF_KUNIT int
axhvc_check_host_channel_list(const struct axhvc_host_channel_list *cl)
{
	return cl->flags || cl->reserved ? -EINVAL : 0;
}
EXPORT_SYMBOL_IF_KUNIT(axhvc_check_host_channel_list);

/**
 * axhvc_vm_info_fill() - a VM's entry of the host view
 * @vm: the VM
 * @info: out: everything AXHVC_LIST_VMS reports of @vm
 *
 * Context: axhvc_ivc_registry_lock() held; takes the VM's irq_lock, which
 * nests inside it.
 */
VISIBLE_IF_KUNIT void axhvc_vm_info_fill(struct axhvc_vm *vm,
					 struct axhvc_vm_info *info)
{
	unsigned int route, code;

	memset(info, 0, sizeof(*info));
	info->vm_id = vm->vm_id;
	info->flags = vm->flags;
	info->owner_tgid = vm->owner ? pid_vnr(vm->owner) : 0;
	info->ivc_base = vm->ivc_base;
	info->ivc_size = vm->ivc_size;
	axhvc_ivc_vm_info(vm, info);
	axhvc_irq_count(vm, &info->nr_irq_routes, &info->nr_irq_forwards);
	/* Pairs with the release in axhvc_vm_add_mem_region(). */
	info->nr_mem_regions = smp_load_acquire(&vm->nr_regions);
	/* Every per-route count is read once: the sums agree with each other. */
	for (route = 0; route < AXHVC_NR_ROUTES; route++) {
		for (code = 0; code < AXHVC_HC_COUNT; code++) {
			u64 n = atomic64_read(&vm->hc_calls[route][code]);

			info->calls[code] += n;
			if (route == AXHVC_ROUTE_INTERCEPT)
				info->calls_intercept += n;
			else
				info->calls_forwarded += n;
		}
	}
	info->errors = atomic64_read(&vm->hc_errors);
}
EXPORT_SYMBOL_IF_KUNIT(axhvc_vm_info_fill);

/**
 * axhvc_list_vms() - list every VM of the host (AXHVC_LIST_VMS)
 * @ulist: the caller's &struct axhvc_vm_list
 *
 * Return: 0 or a negative errno, as documented for AXHVC_LIST_VMS.
 */
long axhvc_list_vms(struct axhvc_vm_list __user *ulist)
{
	struct axhvc_vm_info *info;
	struct axhvc_vm_list vl;
	struct axhvc_vm *vm;
	unsigned long id;
	u32 room = 0, n = 0;
	int ret = 0;

	if (copy_from_user(&vl, ulist, sizeof(vl)))
		return -EFAULT;
	ret = axhvc_check_vm_list(&vl);
	if (ret)
		return ret;
	/*
	 * Room for the VMs there are now is enough; should more come before
	 * the snapshot, the caller learns the new count from E2BIG.
	 */
	xa_for_each(&axhvc_vms, id, vm)
		if (room++ == vl.nr_vms)
			break;
	room = min(room, vl.nr_vms);
	info = kvcalloc(room, sizeof(*info), GFP_KERNEL_ACCOUNT);
	if (!info && room)
		return -ENOMEM;

	if (axhvc_ivc_registry_lock()) {
		kvfree(info);
		return -EINTR;
	}
	xa_for_each(&axhvc_vms, id, vm) {
		if (n < room)
			axhvc_vm_info_fill(vm, &info[n]);
		n++;
	}
	axhvc_ivc_registry_unlock();

	if (n > room)
		ret = -E2BIG;
	else if (copy_to_user(u64_to_user_ptr(vl.vms), info,
			      array_size(n, sizeof(*info))))
		ret = -EFAULT;
	kvfree(info);
	if (ret && ret != -E2BIG)
		return ret;
	vl.nr_vms = n;
	if (copy_to_user(ulist, &vl, sizeof(vl)))
		return -EFAULT;
	return ret;
}

/**
 * axhvc_list_all_channels() - list every channel (AXHVC_LIST_ALL_CHANNELS)
 * @ulist: the caller's &struct axhvc_host_channel_list
 *
 * Return: 0 or a negative errno, as documented for AXHVC_LIST_ALL_CHANNELS.
 */
long axhvc_list_all_channels(struct axhvc_host_channel_list __user *ulist)
{
	struct axhvc_host_channel_list cl;
	struct axhvc_host_channel *chans;
	u32 nr_chans, nr_subs, room_chans, room_subs;
	u64 *subs;
	int ret;

	if (copy_from_user(&cl, ulist, sizeof(cl)))
		return -EFAULT;
	ret = axhvc_check_host_channel_list(&cl);
	if (ret)
		return ret;
	/* As for AXHVC_LIST_VMS: room for what exists now. */
	ret = axhvc_ivc_host_counts(&room_chans, &room_subs);
	if (ret)
		return ret;
	room_chans = min(room_chans, cl.nr_channels);
	room_subs = min(room_subs, cl.nr_subscribers);
	chans = kvcalloc(room_chans, sizeof(*chans), GFP_KERNEL_ACCOUNT);
	subs = kvcalloc(room_subs, sizeof(*subs), GFP_KERNEL_ACCOUNT);
	if ((!chans && room_chans) || (!subs && room_subs)) {
		ret = -ENOMEM;
		goto out;
	}
	ret = axhvc_ivc_list_all(chans, room_chans, subs, room_subs,
				 &nr_chans, &nr_subs);
	if (!ret &&
	    (copy_to_user(u64_to_user_ptr(cl.channels), chans,
			  array_size(nr_chans, sizeof(*chans))) ||
	     copy_to_user(u64_to_user_ptr(cl.subscribers), subs,
			  array_size(nr_subs, sizeof(*subs)))))
		ret = -EFAULT;
	if (ret && ret != -E2BIG)
		goto out;
	cl.nr_channels = nr_chans;
	cl.nr_subscribers = nr_subs;
	if (copy_to_user(ulist, &cl, sizeof(cl)))
		ret = -EFAULT;
out:
	kvfree(subs);
	kvfree(chans);
	return ret;
}

void axhvc_vm_exit(void)
{
	WARN_ON(!xa_empty(&axhvc_vms));
}
