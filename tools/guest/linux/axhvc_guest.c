// SPDX-License-Identifier: GPL-2.0
/*
 * axhvc_guest.c - IVC channels for userspace in a Linux guest of axhvc
 *
 * A Linux guest running on a host with axhvc (or on AxVisor) issues the
 * AxVisor hypercalls from EL1; its userspace cannot. This driver binds to
 * the "axhvc,ivc-window" node the VMM describes (the IVC window's GPA range,
 * the guest's VM id and its doorbell SPI), or, for a VMM that describes
 * none (QEMU with libaxhvc-qemu.so), takes the same from its module
 * parameters, and gives userspace /dev/axhvc_guest:
 *
 * - ioctl()s that issue publish, subscribe, unpublish, unsubscribe and
 *   notify, with the hypercalls' out-parameters in kernel memory;
 * - mmap() of the IVC window, at the offsets the ioctls return, so that
 *   userspace reads and writes the channels directly;
 * - read()/poll() that wait for the doorbell: each read returns the number
 *   of doorbell interrupts taken so far (u64) once it differs from what
 *   this open file last read.
 */
#include <linux/atomic.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/of.h>
#include <linux/of_irq.h>
#include <linux/platform_device.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#define AXHVC_GUEST_VIRT_TO_PHYS(p)	virt_to_phys(p)
#include "axhvc_guest.h"
#include "axhvc_guest_uapi.h"

/**
 * struct axhvc_guest - the IVC window of this VM
 * @misc: /dev/axhvc_guest.
 * @window: the window's guest-physical range.
 * @vm_id: this VM's id, from the device tree or the vm_id parameter.
 * @hc_lock: serialises the hypercalls that write @out.
 * @out: the out-parameters of publish and subscribe (base, size): kmalloc()
 *	memory is in the linear map, so its GPA is virt_to_phys() of it.
 * @doorbells: doorbell interrupts taken since probe.
 * @wq: readers waiting for @doorbells to move.
 */
struct axhvc_guest {
	struct miscdevice misc;
	struct resource window;
	u64 vm_id;
	struct mutex hc_lock;		/* protects @out */
	u64 *out;
	atomic64_t doorbells;
	wait_queue_head_t wq;
};

/*
 * Without a device-tree node: the window, the VM id and the doorbell from
 * the module's parameters (libaxhvc-qemu.so's AXHVC_WINDOW_GPA,
 * AXHVC_WINDOW_SIZE, AXHVC_VM_ID and AXHVC_DOORBELL_SPI).
 */
static ulong window_base;
module_param(window_base, ulong, 0444);
MODULE_PARM_DESC(window_base, "IVC window GPA, when no device-tree node describes it");
static ulong window_size;
module_param(window_size, ulong, 0444);
MODULE_PARM_DESC(window_size, "IVC window size (0: bind to the device-tree node only)");
static ulong vm_id;
module_param(vm_id, ulong, 0444);
MODULE_PARM_DESC(vm_id, "this VM's AxVisor id, with window_size");
static uint doorbell_intid;
module_param(doorbell_intid, uint, 0444);
MODULE_PARM_DESC(doorbell_intid, "doorbell SPI INTID (32..1019, 0: none), with window_size");

static struct platform_device *axhvc_guest_pdev;

/* One open file: the doorbell count it has seen. */
struct axhvc_guest_file {
	struct axhvc_guest *g;
	u64 seen;
};

/*
 * A hypercall's result as a Linux error: its -errno (under AxVisor's encoding
 * every error is -1, which reads as -EPERM), or -EIO for anything else.
 */
static long axhvc_guest_err(u64 ret)
{
	int err = axhvc_errno(ret);

	return err ? -err : -EIO;
}

/* Publish or subscribe: the two calls that return a channel's GPA. */
static long axhvc_guest_map(struct axhvc_guest *g, unsigned int cmd,
			    struct axhvc_guest_channel *ch)
{
	u64 ret;

	mutex_lock(&g->hc_lock);
	g->out[0] = 0;
	g->out[1] = ch->size;
	if (cmd == AXHVC_GUEST_PUBLISH)
		ret = axhvc_publish_at(ch->key, &g->out[0], &g->out[1]);
	else
		ret = axhvc_subscribe_at(ch->publisher, ch->key, &g->out[0], &g->out[1]);
	ch->gpa = g->out[0];
	ch->size = g->out[1];
	mutex_unlock(&g->hc_lock);
	if (ret)
		return axhvc_guest_err(ret);
	if (cmd == AXHVC_GUEST_PUBLISH)
		ch->publisher = g->vm_id;
	/* The host places channels in our window; anything else is a bug. */
	if (ch->gpa < g->window.start || ch->size > resource_size(&g->window) ||
	    ch->gpa - g->window.start > resource_size(&g->window) - ch->size)
		return -EIO;
	ch->offset = ch->gpa - g->window.start;
	return 0;
}

static long axhvc_guest_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct axhvc_guest *g = ((struct axhvc_guest_file *)file->private_data)->g;
	struct axhvc_guest_channel ch;
	void __user *argp = (void __user *)arg;
	u64 ret;
	long err;

	if (_IOC_TYPE(cmd) != AXHVC_GUEST_MAGIC)
		return -ENOTTY;
	if (copy_from_user(&ch, argp, sizeof(ch)))
		return -EFAULT;

	switch (cmd) {
	case AXHVC_GUEST_PUBLISH:
	case AXHVC_GUEST_SUBSCRIBE:
		err = axhvc_guest_map(g, cmd, &ch);
		if (err)
			return err;
		return copy_to_user(argp, &ch, sizeof(ch)) ? -EFAULT : 0;
	case AXHVC_GUEST_UNPUBLISH:
		ret = axhvc_unpublish(ch.key);
		break;
	case AXHVC_GUEST_UNSUBSCRIBE:
		ret = axhvc_unsubscribe(ch.publisher, ch.key);
		break;
	case AXHVC_GUEST_NOTIFY:
		ret = axhvc_notify(ch.publisher, ch.key, ch.target);
		break;
	default:
		return -ENOTTY;
	}
	return ret ? axhvc_guest_err(ret) : 0;
}

/*
 * The window is guest-physical memory the VMM backs with the host's channel
 * pages (a KVM memslot), outside the RAM the kernel manages: map its page
 * frames directly. Shared mappings only, as a private copy of a channel
 * would not be a channel. A page the host has revoked (after unpublish or
 * unsubscribe) faults at stage 2 and the VMM sees the access.
 */
static int axhvc_guest_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct axhvc_guest *g = ((struct axhvc_guest_file *)file->private_data)->g;
	unsigned long len = vma->vm_end - vma->vm_start;
	u64 off = (u64)vma->vm_pgoff << PAGE_SHIFT;

	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	if (off >= resource_size(&g->window) || len > resource_size(&g->window) - off)
		return -EINVAL;
	vm_flags_set(vma, VM_IO | VM_DONTEXPAND | VM_DONTDUMP);
	return remap_pfn_range(vma, vma->vm_start, PHYS_PFN(g->window.start + off),
			       len, vma->vm_page_prot);
}

static ssize_t axhvc_guest_read(struct file *file, char __user *buf, size_t len,
				loff_t *pos)
{
	struct axhvc_guest_file *f = file->private_data;
	struct axhvc_guest *g = f->g;
	u64 n;

	if (len < sizeof(n))
		return -EINVAL;
	if (atomic64_read(&g->doorbells) == f->seen) {
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		if (wait_event_interruptible(g->wq, atomic64_read(&g->doorbells) != f->seen))
			return -ERESTARTSYS;
	}
	n = atomic64_read(&g->doorbells);
	if (copy_to_user(buf, &n, sizeof(n)))
		return -EFAULT;
	f->seen = n;
	return sizeof(n);
}

static __poll_t axhvc_guest_poll(struct file *file, poll_table *wait)
{
	struct axhvc_guest_file *f = file->private_data;

	poll_wait(file, &f->g->wq, wait);
	return atomic64_read(&f->g->doorbells) != f->seen ? EPOLLIN | EPOLLRDNORM : 0;
}

static int axhvc_guest_open(struct inode *inode, struct file *file)
{
	struct axhvc_guest *g = container_of(file->private_data, struct axhvc_guest, misc);
	struct axhvc_guest_file *f;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	f->g = g;
	f->seen = atomic64_read(&g->doorbells);
	file->private_data = f;
	return 0;
}

static int axhvc_guest_release(struct inode *inode, struct file *file)
{
	kfree(file->private_data);
	return 0;
}

static const struct file_operations axhvc_guest_fops = {
	.owner		= THIS_MODULE,
	.open		= axhvc_guest_open,
	.release	= axhvc_guest_release,
	.unlocked_ioctl	= axhvc_guest_ioctl,
	.mmap		= axhvc_guest_mmap,
	.read		= axhvc_guest_read,
	.poll		= axhvc_guest_poll,
};

static irqreturn_t axhvc_guest_doorbell(int irq, void *data)
{
	struct axhvc_guest *g = data;

	atomic64_inc(&g->doorbells);
	wake_up_interruptible(&g->wq);
	return IRQ_HANDLED;
}

static int axhvc_guest_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct axhvc_guest *g;
	struct resource *res;
	u32 id32;
	int irq, err;

	g = devm_kzalloc(dev, sizeof(*g), GFP_KERNEL);
	if (!g)
		return -ENOMEM;
	g->out = devm_kcalloc(dev, 2, sizeof(u64), GFP_KERNEL);
	if (!g->out)
		return -ENOMEM;
	res = platform_get_resource(pdev, IORESOURCE_MEM, 0);
	if (!res || !resource_size(res) || !PAGE_ALIGNED(res->start) ||
	    !PAGE_ALIGNED(resource_size(res)))
		return dev_err_probe(dev, -EINVAL, "no page-aligned IVC window in reg\n");
	g->window = *res;
	if (!dev->of_node)
		g->vm_id = vm_id;
	else if (!of_property_read_u32(dev->of_node, "axhvc,vm-id", &id32))
		g->vm_id = id32;
	else if (of_property_read_u64(dev->of_node, "axhvc,vm-id", &g->vm_id))
		return dev_err_probe(dev, -EINVAL, "no axhvc,vm-id\n");
	mutex_init(&g->hc_lock);
	init_waitqueue_head(&g->wq);

	/* The doorbell is optional: a VMM may give a VM none. */
	irq = platform_get_irq_optional(pdev, 0);
	if (irq > 0) {
		err = devm_request_irq(dev, irq, axhvc_guest_doorbell, 0, "axhvc-doorbell", g);
		if (err)
			return dev_err_probe(dev, err, "cannot take the doorbell IRQ\n");
	} else if (irq != -ENXIO) {
		return irq;
	}

	g->misc.minor = MISC_DYNAMIC_MINOR;
	g->misc.name = "axhvc_guest";
	g->misc.fops = &axhvc_guest_fops;
	g->misc.mode = 0600;
	err = misc_register(&g->misc);
	if (err)
		return err;
	platform_set_drvdata(pdev, g);
	dev_info(dev, "VM %llu, IVC window %pR, doorbell %s\n", g->vm_id, &g->window,
		 irq > 0 ? "yes" : "none");
	return 0;
}

static void axhvc_guest_remove(struct platform_device *pdev)
{
	struct axhvc_guest *g = platform_get_drvdata(pdev);

	misc_deregister(&g->misc);
}

static const struct of_device_id axhvc_guest_of_match[] = {
	{ .compatible = "axhvc,ivc-window" },
	{ }
};
MODULE_DEVICE_TABLE(of, axhvc_guest_of_match);

static struct platform_driver axhvc_guest_driver = {
	.probe = axhvc_guest_probe,
	.remove = axhvc_guest_remove,
	.driver = {
		.name = "axhvc_guest",
		.of_match_table = axhvc_guest_of_match,
	},
};

/*
 * The doorbell INTID as a Linux IRQ: an edge-triggered SPI of the GIC that
 * is the root's interrupt parent (the irqfd that rings it is edge-like).
 */
static int axhvc_guest_param_irq(void)
{
	struct of_phandle_args spec = {
		.args_count = 3,
		.args = { 0 /* GIC_SPI */, doorbell_intid - 32, IRQ_TYPE_EDGE_RISING },
	};
	int irq;

	spec.np = of_root ? of_irq_find_parent(of_root) : NULL;
	if (!spec.np) {
		pr_err("axhvc_guest: doorbell_intid needs a device-tree GIC\n");
		return -ENODEV;
	}
	irq = irq_create_of_mapping(&spec);
	of_node_put(spec.np);
	if (!irq) {
		pr_err("axhvc_guest: cannot map doorbell INTID %u\n", doorbell_intid);
		return -EINVAL;
	}
	return irq;
}

/* A device for the parameters' window: probe() then sees no of_node. */
static int axhvc_guest_param_device(void)
{
	struct resource res[2] = {
		DEFINE_RES_MEM(window_base, window_size),
	};
	unsigned int nr = 1;
	int irq;

	if (!window_size) {
		if (window_base || vm_id || doorbell_intid)
			pr_warn("axhvc_guest: window_size=0: module parameters ignored\n");
		return 0;
	}
	if (!vm_id || (doorbell_intid && (doorbell_intid < 32 || doorbell_intid > 1019))) {
		pr_err("axhvc_guest: window_size needs vm_id, and doorbell_intid 32..1019 or 0\n");
		return -EINVAL;
	}
	if (doorbell_intid) {
		irq = axhvc_guest_param_irq();
		if (irq < 0)
			return irq;
		res[nr++] = DEFINE_RES_IRQ(irq);
	}
	axhvc_guest_pdev = platform_device_register_simple("axhvc_guest", PLATFORM_DEVID_NONE,
							   res, nr);
	return PTR_ERR_OR_ZERO(axhvc_guest_pdev);
}

static int __init axhvc_guest_init(void)
{
	int err;

	err = platform_driver_register(&axhvc_guest_driver);
	if (err)
		return err;
	err = axhvc_guest_param_device();
	if (err)
		platform_driver_unregister(&axhvc_guest_driver);
	return err;
}
module_init(axhvc_guest_init);

static void __exit axhvc_guest_exit(void)
{
	if (!IS_ERR_OR_NULL(axhvc_guest_pdev))
		platform_device_unregister(axhvc_guest_pdev);
	platform_driver_unregister(&axhvc_guest_driver);
}
module_exit(axhvc_guest_exit);

MODULE_DESCRIPTION("IVC channels of an axhvc/AxVisor host for guest userspace");
MODULE_AUTHOR("The axhvc developers");
MODULE_LICENSE("GPL");
