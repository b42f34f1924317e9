// SPDX-License-Identifier: GPL-2.0
/*
 * axhvc VM objects: registration (AXHVC_CREATE_VM), the registry by id,
 * references and teardown, and the VM fd's VM-level ioctls; the fd's channel
 * side is ivc_chardev.c's.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/pid.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>
#include <kunit/visibility.h>

#include "axhvc_drv.h"

/*
 * Registered VMs by id. Its lock makes "id taken" and insertion atomic; a
 * VM leaves it before its fd's reference is dropped.
 */
static DEFINE_XARRAY(axhvc_vms);

/**
 * axhvc_check_vm_config() - validate a VM registration request
 * @conf: the request, copied into the kernel
 *
 * Return: 0 or -EINVAL.
 */
VISIBLE_IF_KUNIT int axhvc_check_vm_config(const struct axhvc_vm_config *conf)
{
	if (conf->flags & ~AXHVC_VM_F_MASK ||
	    axhvc_check_record_size(conf->event_size, AXHVC_EVENT_SIZE_VER0) ||
	    (!(conf->flags & AXHVC_VM_F_INTERCEPT) && conf->kvm_fd) ||
	    !PAGE_ALIGNED(conf->ivc_base) || !PAGE_ALIGNED(conf->ivc_size) ||
	    conf->ivc_base + conf->ivc_size < conf->ivc_base)
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(axhvc_check_vm_config);

static long axhvc_vm_hypercall(struct axhvc_vm *vm, void __user *argp)
{
	struct axhvc_hypercall hc;
	struct axhvc_call call;
	int ret;

	ret = axhvc_get_arg(hc, argp, AXHVC_HYPERCALL_SIZE_VER0);
	if (!ret && (hc.flags || hc.__reserved))
		ret = -EINVAL;
	if (ret)
		return ret;
	call.vm = vm;
	memcpy(call.x, hc.x, sizeof(call.x));
	call.vcpu_id = hc.vcpu_id;
	call.route = AXHVC_ROUTE_FORWARDED;
	switch (axhvc_dispatch(&call, &hc.ret)) {
	case AXHVC_CALL_NOT_OURS:
		return -EINVAL;
	case AXHVC_CALL_TO_VMM:
		hc.flags = AXHVC_HC_F_TO_VMM;
		break;
	}
	return axhvc_put_arg(argp, hc);
}

static long axhvc_vm_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	struct axhvc_vm *vm = file->private_data;
	void __user *argp = (void __user *)arg;
	struct axhvc_irq_forward fwd;
	struct axhvc_irq_route route;
	struct axhvc_mem_region mr;
	struct axhvc_irq_state st;
	struct axhvc_irq irq;
	int ret;

	if (_IOC_TYPE(cmd) != AXHVC_IOCTL_MAGIC)
		return -ENOTTY;
	/* Guest memory is the creator's: a VM fd passed on is of no use. */
	if (current->mm != vm->mm)
		return -EPERM;

	switch (cmd) {
	case AXHVC_VM_ADD_MEM_REGION:
		ret = axhvc_get_arg(mr, argp, AXHVC_MEM_REGION_SIZE_VER0);
		return ret ?: axhvc_guest_add_region(vm, &mr);
	case AXHVC_VM_HYPERCALL:
		return axhvc_vm_hypercall(vm, argp);
	case AXHVC_VM_SET_IRQ_ROUTE:
		ret = axhvc_get_arg(route, argp, AXHVC_IRQ_ROUTE_SIZE_VER0);
		if (!ret && route.flags)
			ret = -EINVAL;
		return ret ?: axhvc_irq_set_route(vm, route.intid, route.eventfd);
	case AXHVC_VM_INJECT_IRQ:
		ret = axhvc_get_arg(irq, argp, AXHVC_IRQ_SIZE_VER0);
		if (!ret && (irq.flags || irq.__reserved))
			ret = -EINVAL;
		return ret ?: axhvc_irq_inject(vm, irq.intid);
	case AXHVC_VM_FORWARD_IRQ:
		ret = axhvc_get_arg(fwd, argp, AXHVC_IRQ_FORWARD_SIZE_VER0);
		return ret ?: axhvc_irq_fwd_add(vm, &fwd);
	case AXHVC_VM_UNFORWARD_IRQ:
		ret = axhvc_get_arg(fwd, argp, AXHVC_IRQ_FORWARD_SIZE_VER0);
		return ret ?: axhvc_irq_fwd_del(vm, &fwd);
	case AXHVC_VM_GET_IRQ_STATE:
		ret = axhvc_get_arg(st, argp, AXHVC_IRQ_STATE_SIZE_VER0);
		if (!ret && (st.flags || st.__reserved))
			ret = -EINVAL;
		ret = ret ?: axhvc_irq_get_state(vm, &st);
		return ret ?: axhvc_put_arg(argp, st);
	default:
		return axhvc_ivc_chardev_ioctl(vm, cmd, argp);
	}
}

static void axhvc_vm_release_refs(struct kref *kref)
{
	struct axhvc_vm *vm = container_of(kref, struct axhvc_vm, refs);

	if (vm->kvm)
		axhvc_kvm_put(vm->kvm);
	if (vm->mm)
		mmdrop(vm->mm);
	put_pid(vm->owner);
	axhvc_guest_destroy(vm);
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
EXPORT_SYMBOL_IF_KUNIT(axhvc_vm_put);

/**
 * axhvc_vm_new() - construct a VM of the calling process, not yet registered
 * @conf: the VMM's configuration, checked by axhvc_check_vm_config()
 * @id_bound: @conf->vm_id is the caller's by grant (axhvc_grant_vm_id())
 *
 * The VM has the caller's mm (a KUnit thread has none), thread group and
 * effective uid; no KVM VM, no fd, no place in the registry.
 *
 * Return: the VM, holding one reference, or NULL.
 */
VISIBLE_IF_KUNIT struct axhvc_vm *axhvc_vm_new(const struct axhvc_vm_config *conf,
					       bool id_bound)
{
	struct axhvc_vm *vm = kzalloc(sizeof(*vm), GFP_KERNEL_ACCOUNT);

	if (!vm)
		return NULL;
	vm->vm_id = conf->vm_id;
	vm->flags = conf->flags;
	vm->ivc_base = conf->ivc_base;
	vm->ivc_size = conf->ivc_size;
	vm->event_size = conf->event_size;
	vm->mm = current->mm;
	if (vm->mm)
		mmgrab(vm->mm);
	vm->owner = get_task_pid(current, PIDTYPE_TGID);
	vm->owner_uid = current_euid();
	vm->id_bound = id_bound;
	kref_init(&vm->refs);
	axhvc_hc_vm_init(vm);
	axhvc_guest_init(vm);
	axhvc_window_init(vm);
	axhvc_ivc_vm_init(vm);
	axhvc_irq_vm_init(vm);
	return vm;
}
EXPORT_SYMBOL_IF_KUNIT(axhvc_vm_new);

/**
 * axhvc_vm_destroy() - undo a VM that serves no more hypercalls
 * @vm: the VM, registered or not, unbound from KVM
 *
 * Ends its channels and interrupt routes, only then frees its id (a new VM
 * with it must find nothing of this one), and drops axhvc_vm_new()'s
 * reference. The host view may hold others a while; it finds an empty VM.
 */
VISIBLE_IF_KUNIT void axhvc_vm_destroy(struct axhvc_vm *vm)
{
	axhvc_ivc_vm_release(vm);
	axhvc_irq_vm_release(vm);
	/* Its id, if this VM holds it: another may, when registering failed. */
	xa_cmpxchg(&axhvc_vms, vm->vm_id, vm, NULL, 0);
	axhvc_window_destroy(vm);
	axhvc_vm_put(vm);
}
EXPORT_SYMBOL_IF_KUNIT(axhvc_vm_destroy);

static int axhvc_vm_release(struct inode *inode, struct file *file)
{
	struct axhvc_vm *vm = file->private_data;

	if (vm->kvm)
		axhvc_kvm_unbind(vm);
	axhvc_vm_destroy(vm);
	axhvc_anon_inode_release();
	return 0;
}

static const struct file_operations axhvc_vm_fops = {
	.owner		= THIS_MODULE,
	.release	= axhvc_vm_release,
	.read		= axhvc_ivc_chardev_read,
	.poll		= axhvc_ivc_chardev_poll,
	.mmap		= axhvc_ivc_chardev_mmap,
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

	ret = axhvc_get_arg(conf, uconf, AXHVC_VM_CONFIG_SIZE_VER0);
	ret = ret ?: axhvc_check_vm_config(&conf);
	if (ret)
		return ret;
	if ((conf.flags & AXHVC_VM_F_INTERCEPT) && !axhvc_kvm_intercept_supported())
		return -EOPNOTSUPP;
	ret = axhvc_grant_vm_id(conf.vm_id, &id_bound);
	if (ret)
		return ret;

	vm = axhvc_vm_new(&conf, id_bound);
	if (!vm)
		return -ENOMEM;
	if (conf.flags & AXHVC_VM_F_INTERCEPT) {
		vm->kvm = axhvc_kvm_get_from_fd(conf.kvm_fd);
		if (IS_ERR(vm->kvm)) {
			ret = PTR_ERR(vm->kvm);
			vm->kvm = NULL;
			goto destroy;
		}
	}

	ret = xa_insert(&axhvc_vms, vm->vm_id, vm, GFP_KERNEL_ACCOUNT);
	if (ret) {
		ret = ret == -EBUSY ? -EEXIST : ret;
		goto destroy;
	}
	ret = vm->kvm ? axhvc_kvm_bind(vm) : 0;
	if (ret)
		goto destroy;

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		ret = fd;
		goto unbind;
	}
	/*
	 * An inode of its own, so that revoking window pages zaps this VM's
	 * mappings only. From here on the file owns the VM: its release undoes
	 * all of the above.
	 */
	file = anon_inode_create_getfile("axhvc-vm", &axhvc_vm_fops, vm,
					 O_RDWR, NULL);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		ret = PTR_ERR(file);
		goto unbind;
	}
	axhvc_window_set_mapping(vm, file->f_mapping);
	fd_install(fd, file);
	return fd;

unbind:
	if (vm->kvm)
		axhvc_kvm_unbind(vm);
destroy:
	axhvc_vm_destroy(vm);
	return ret;
}

/**
 * axhvc_vm_get_all() - take a reference to every registered VM
 * @vms: out: up to @room VMs, each with a reference for axhvc_vm_put()
 * @room: room in @vms
 *
 * Return: how many VMs are registered, which may be more than @room (then
 * only @room are in @vms); with @room 0, just the count (@vms may be NULL).
 */
u32 axhvc_vm_get_all(struct axhvc_vm **vms, u32 room)
{
	struct axhvc_vm *vm;
	unsigned long id;
	u32 n = 0;

	/* Under the xarray's lock every VM it holds has its fd's reference. */
	xa_lock(&axhvc_vms);
	xa_for_each(&axhvc_vms, id, vm) {
		if (n < room) {
			kref_get(&vm->refs);
			vms[n] = vm;
		}
		n++;
	}
	xa_unlock(&axhvc_vms);
	return n;
}

/**
 * axhvc_vm_exit() - at module unload: no VM is left (VM fds pin the module)
 */
void axhvc_vm_exit(void)
{
	WARN_ON(!xa_empty(&axhvc_vms));
}
