// SPDX-License-Identifier: GPL-2.0
/*
 * AxVisor's interrupt operations on a Linux/KVM host (the IRQ half of the
 * ArchIf bridge): guest INTIDs raised through the VMM's KVM_IRQFD eventfds,
 * and host SPIs forwarded to them (Documentation/vgic-bridge.rst). Host SPIs
 * are named only through vgic_bridge.c; this file never reads firmware.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include <kunit/visibility.h>

#include "axhvc_drv.h"
#include "axhvc_gic.h"

/**
 * struct axhvc_intid_binding - a guest INTID's route (AXHVC_VM_SET_IRQ_ROUTE)
 * @trigger: the eventfd bound with KVM_IRQFD to the INTID.
 * @fwd: the host IRQ forwarded to the INTID, or NULL.
 */
struct axhvc_intid_binding {
	struct eventfd_ctx *trigger;
	struct axhvc_host_irq *fwd;
};

/**
 * struct axhvc_host_irq - a host IRQ forwarded to a guest INTID (AXHVC_VM_FORWARD_IRQ)
 * @irq: the Linux IRQ number.
 * @spi: the GIC SPI the VMM named, or -1 if it named a Linux IRQ.
 * @level: level-triggered: masked from the interrupt to the guest's EOI.
 * @binding: the guest INTID's binding, which outlives the forward.
 * @resample: with @level, the resample eventfd KVM signals at the EOI.
 * @wait: on @resample's wait queue.
 * @pt: puts @wait there.
 * @masked: the line is masked, waiting for the guest's EOI.
 * @fired: interrupts taken from the host.
 * @unmasked: EOIs that unmasked the line.
 */
struct axhvc_host_irq {
	unsigned int irq;
	int spi;
	bool level;
	struct axhvc_intid_binding *binding;
	struct eventfd_ctx *resample;
	wait_queue_entry_t wait;
	poll_table pt;
	atomic_t masked;
	atomic64_t fired;
	atomic64_t unmasked;
};

/**
 * axhvc_irq_inject() - raise guest INTID @intid of @vm
 * @vm: the VM
 * @intid: a guest INTID the VMM routed with AXHVC_VM_SET_IRQ_ROUTE
 *
 * Return: 0, or -ENOENT when @intid has no route.
 */
int axhvc_irq_inject(struct axhvc_vm *vm, u32 intid)
{
	struct axhvc_intid_binding *r;

	mutex_lock(&vm->irq_lock);
	r = xa_load(&vm->irq_routes, intid);
	if (r)
		axhvc_eventfd_signal(r->trigger);
	mutex_unlock(&vm->irq_lock);
	return r ? 0 : -ENOENT;
}

static void axhvc_binding_free(struct axhvc_intid_binding *r)
{
	eventfd_ctx_put(r->trigger);
	kfree(r);
}

/**
 * axhvc_irq_set_route() - route guest INTID @intid to an eventfd
 * @vm: the VM
 * @intid: the guest INTID, an SPI (32..1019)
 * @efd: an eventfd bound to @intid with KVM_IRQFD, or -1 to remove
 *
 * Return: 0, -EINVAL for a non-SPI INTID, -EBADF for a bad eventfd,
 * -ENOENT when removing what is not there, -EBUSY when removing a route a
 * host IRQ is forwarded to, or -ENOMEM.
 */
int axhvc_irq_set_route(struct axhvc_vm *vm, u32 intid, int efd)
{
	struct axhvc_intid_binding *r = NULL, *old;
	int ret;

	if (!axhvc_gic_intid_is_spi(intid))
		return -EINVAL;
	if (efd != -1) {
		r = kzalloc(sizeof(*r), GFP_KERNEL_ACCOUNT);
		if (!r)
			return -ENOMEM;
		r->trigger = eventfd_ctx_fdget(efd);
		if (IS_ERR(r->trigger)) {
			kfree(r);
			return -EBADF;
		}
	}
	mutex_lock(&vm->irq_lock);
	old = xa_load(&vm->irq_routes, intid);
	if (old && old->fwd) {
		ret = -EBUSY;
	} else if (!r) {
		ret = old ? 0 : -ENOENT;
		if (old)
			xa_erase(&vm->irq_routes, intid);
	} else {
		ret = xa_err(xa_store(&vm->irq_routes, intid, r, GFP_KERNEL_ACCOUNT));
		if (!ret)
			r = NULL;	/* the table has it */
	}
	mutex_unlock(&vm->irq_lock);
	if (!ret && old)
		axhvc_binding_free(old);
	if (r)
		axhvc_binding_free(r);
	return ret;
}

/* Hard interrupt context; the irqchip acknowledged the interrupt. */
static irqreturn_t axhvc_fwd_handler(int irq, void *data)
{
	struct axhvc_host_irq *fwd = data;

	atomic64_inc(&fwd->fired);
	if (fwd->level) {
		/* The device still holds the line: quiet until the guest's EOI. */
		disable_irq_nosync(irq);
		atomic_set(&fwd->masked, 1);
	}
	axhvc_eventfd_signal(fwd->binding->trigger);
	return IRQ_HANDLED;
}

/*
 * The guest EOIed (KVM signalled the resample eventfd): unmask the line.
 * Context: under the eventfd's wait queue lock with interrupts off; nothing
 * here may sleep, and enable_irq() and eventfd_ctx_do_read() do not.
 */
static int axhvc_fwd_resample_wakeup(wait_queue_entry_t *wait, unsigned int mode,
				     int sync, void *key)
{
	struct axhvc_host_irq *fwd = container_of(wait, struct axhvc_host_irq, wait);
	u64 cnt;

	if (!(key_to_poll(key) & EPOLLIN))
		return 0;
	eventfd_ctx_do_read(fwd->resample, &cnt);
	if (atomic_xchg(&fwd->masked, 0)) {
		enable_irq(fwd->irq);
		atomic64_inc(&fwd->unmasked);
	}
	return 0;
}

static void axhvc_fwd_resample_queue(struct file *file, wait_queue_head_t *wqh,
				     poll_table *pt)
{
	struct axhvc_host_irq *fwd = container_of(pt, struct axhvc_host_irq, pt);

	add_wait_queue(wqh, &fwd->wait);
}

/* Leave the resample eventfd's wait queue, waiting for a wakeup in flight. */
static void axhvc_fwd_unqueue(struct axhvc_host_irq *fwd)
{
	u64 cnt;

	if (!fwd->resample)
		return;
	eventfd_ctx_remove_wait_queue(fwd->resample, &fwd->wait, &cnt);
	eventfd_ctx_put(fwd->resample);
}

/* Stop forwarding; the route @fwd signals must still exist. */
static void axhvc_fwd_free(struct axhvc_host_irq *fwd)
{
	/* First: no EOI may unmask the line once free_irq() has shut it down. */
	axhvc_fwd_unqueue(fwd);
	/* Waits for the handler; the line is shut down, masked or not. */
	free_irq(fwd->irq, fwd);
	kfree(fwd);
}

/*
 * Which Linux IRQ @f asks for, if the caller may have it: a GIC SPI the
 * administrator granted to the caller (or any SPI, for the administrator),
 * whose trigger matches the request.
 */
static int axhvc_fwd_resolve(const struct axhvc_irq_forward *f)
{
	bool level = f->flags & AXHVC_FWD_F_LEVEL, granted_level;
	struct irq_data *d;
	int spi, irq, ret;

	if (f->flags & AXHVC_FWD_F_GIC_SPI) {
		/* Touching a line the distributor lacks is undefined (QEMU hangs). */
		if (!axhvc_vgic_nr_spis())
			return -ENODEV;
		if (f->host_irq >= axhvc_vgic_nr_spis())
			return -EINVAL;
		spi = f->host_irq;
	} else {
		/* Per-CPU lines (SGIs, PPIs) are the whole host's: refused first. */
		d = irq_get_irq_data(f->host_irq);
		if (!d)
			return -ENOENT;
		if (irqd_is_per_cpu(d))
			return -EINVAL;
		spi = axhvc_vgic_irq_to_spi(f->host_irq);
		if (spi < 0)
			return spi;
	}
	/* Before a mapping is made: an ungranted line is not touched at all. */
	ret = axhvc_grant_spi(spi, &granted_level);
	if (ret < 0)
		return ret;
	/* A level line taken as edge would storm: its handler cannot quiet it. */
	if (ret && granted_level != level)
		return -EINVAL;
	irq = f->flags & AXHVC_FWD_F_GIC_SPI ? axhvc_vgic_spi_to_irq(spi, level) :
					       f->host_irq;
	if (irq < 0)
		return irq;
	d = irq_get_irq_data(irq);
	if (!d || irqd_is_per_cpu(d))
		return -EINVAL;
	if (irqd_get_trigger_type(d) != IRQ_TYPE_NONE &&
	    !!(irqd_get_trigger_type(d) & IRQ_TYPE_LEVEL_MASK) != level)
		return -EINVAL;
	return irq;
}

/**
 * axhvc_irq_fwd_add() - forward a host IRQ to a guest INTID
 * @vm: the VM
 * @f: the request (AXHVC_VM_FORWARD_IRQ)
 *
 * Return: 0 or a negative errno; a failed call leaves nothing behind.
 */
int axhvc_irq_fwd_add(struct axhvc_vm *vm, const struct axhvc_irq_forward *f)
{
	struct axhvc_intid_binding *r, *other;
	struct axhvc_host_irq *fwd;
	unsigned long intid;
	int ret;

	if (f->flags & ~AXHVC_FWD_F_MASK || f->__reserved)
		return -EINVAL;
	if (!(f->flags & AXHVC_FWD_F_LEVEL) != (f->resamplefd == -1))
		return -EINVAL;
	fwd = kzalloc(sizeof(*fwd), GFP_KERNEL_ACCOUNT);
	if (!fwd)
		return -ENOMEM;
	fwd->level = f->flags & AXHVC_FWD_F_LEVEL;
	fwd->spi = f->flags & AXHVC_FWD_F_GIC_SPI ? f->host_irq : -1;

	mutex_lock(&vm->irq_lock);
	r = xa_load(&vm->irq_routes, f->intid);
	ret = !r ? -ENOENT : r->fwd ? -EBUSY : axhvc_fwd_resolve(f);
	if (ret < 0)
		goto unlock;
	fwd->irq = ret;
	fwd->binding = r;
	ret = -EBUSY;
	xa_for_each(&vm->irq_routes, intid, other)
		if (other->fwd && other->fwd->irq == fwd->irq)
			goto unlock;
	if (fwd->level) {
		CLASS(fd, rf)(f->resamplefd);

		ret = -EBADF;
		if (fd_empty(rf))
			goto unlock;
		fwd->resample = eventfd_ctx_fileget(fd_file(rf));
		if (IS_ERR(fwd->resample)) {
			fwd->resample = NULL;
			goto unlock;
		}
		init_waitqueue_func_entry(&fwd->wait, axhvc_fwd_resample_wakeup);
		init_poll_funcptr(&fwd->pt, axhvc_fwd_resample_queue);
		vfs_poll(fd_file(rf), &fwd->pt);
	}
	/* Not shared: an IRQ a driver owns is refused with -EBUSY. */
	ret = request_irq(fwd->irq, axhvc_fwd_handler, 0, "axhvc-forward", fwd);
	if (!ret) {
		r->fwd = fwd;
		mutex_unlock(&vm->irq_lock);
		return 0;
	}
unlock:
	axhvc_fwd_unqueue(fwd);
	mutex_unlock(&vm->irq_lock);
	kfree(fwd);
	return ret;
}

/**
 * axhvc_irq_fwd_del() - stop forwarding a host IRQ (AXHVC_VM_UNFORWARD_IRQ)
 * @vm: the VM
 * @f: names the host IRQ as AXHVC_VM_FORWARD_IRQ did
 *
 * Return: 0, -EINVAL for a bad request, or -ENOENT when it is not forwarded.
 */
int axhvc_irq_fwd_del(struct axhvc_vm *vm, const struct axhvc_irq_forward *f)
{
	struct axhvc_intid_binding *r = NULL;
	struct axhvc_host_irq *fwd = NULL;
	unsigned long intid;

	if (f->flags & ~AXHVC_FWD_F_GIC_SPI || f->__reserved)
		return -EINVAL;
	mutex_lock(&vm->irq_lock);
	xa_for_each(&vm->irq_routes, intid, r) {
		fwd = r->fwd;
		/* A forward named by Linux IRQ has no SPI: match like with like. */
		if (fwd && (f->flags & AXHVC_FWD_F_GIC_SPI ?
			    fwd->spi >= 0 && (u32)fwd->spi == f->host_irq :
			    fwd->spi < 0 && fwd->irq == f->host_irq))
			break;
		fwd = NULL;
	}
	if (fwd) {
		/* Under the lock: the route outlives the handler using it. */
		r->fwd = NULL;
		axhvc_fwd_free(fwd);
	}
	mutex_unlock(&vm->irq_lock);
	return fwd ? 0 : -ENOENT;
}

/**
 * axhvc_irq_get_state() - what happened to the host IRQ forwarded to an INTID
 * @vm: the VM
 * @st: in: @st->intid; out: the rest (AXHVC_VM_GET_IRQ_STATE)
 *
 * Return: 0, or -ENOENT when no host IRQ is forwarded to @st->intid.
 */
int axhvc_irq_get_state(struct axhvc_vm *vm, struct axhvc_irq_state *st)
{
	struct axhvc_intid_binding *r;
	int ret = -ENOENT;

	mutex_lock(&vm->irq_lock);
	r = xa_load(&vm->irq_routes, st->intid);
	if (r && r->fwd) {
		st->host_irq = r->fwd->irq;
		st->masked = atomic_read(&r->fwd->masked);
		st->fired = atomic64_read(&r->fwd->fired);
		st->unmasked = atomic64_read(&r->fwd->unmasked);
		ret = 0;
	}
	mutex_unlock(&vm->irq_lock);
	return ret;
}

/**
 * axhvc_irq_count() - how many INTID routes and forwarded host IRQs a VM has
 * @vm: the VM
 * @nr_routes: out: guest INTIDs with a route
 * @nr_forwards: out: host IRQs forwarded to them
 *
 * Context: takes @vm's irq_lock (nests inside the channel registry's lock).
 */
void axhvc_irq_count(struct axhvc_vm *vm, u32 *nr_routes, u32 *nr_forwards)
{
	struct axhvc_intid_binding *r;
	unsigned long intid;

	*nr_routes = 0;
	*nr_forwards = 0;
	mutex_lock(&vm->irq_lock);
	xa_for_each(&vm->irq_routes, intid, r) {
		(*nr_routes)++;
		if (r->fwd)
			(*nr_forwards)++;
	}
	mutex_unlock(&vm->irq_lock);
}
EXPORT_SYMBOL_IF_KUNIT(axhvc_irq_count);

/**
 * axhvc_irq_vm_init() - prepare a new VM's interrupt state
 * @vm: the VM
 */
void axhvc_irq_vm_init(struct axhvc_vm *vm)
{
	mutex_init(&vm->irq_lock);
	xa_init(&vm->irq_routes);
}
EXPORT_SYMBOL_IF_KUNIT(axhvc_irq_vm_init);

/**
 * axhvc_irq_vm_release() - release every host IRQ and route of a VM
 * @vm: the VM, going away
 */
void axhvc_irq_vm_release(struct axhvc_vm *vm)
{
	struct axhvc_intid_binding *r;
	unsigned long intid;

	xa_for_each(&vm->irq_routes, intid, r) {
		if (r->fwd)
			axhvc_fwd_free(r->fwd);
		axhvc_binding_free(r);
	}
	xa_destroy(&vm->irq_routes);
}
EXPORT_SYMBOL_IF_KUNIT(axhvc_irq_vm_release);
