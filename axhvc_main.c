// SPDX-License-Identifier: GPL-2.0
/*
 * axhvc: AxVisor hypercalls and inter-VM channels on arm64 Linux/KVM hosts.
 * This file: the module's life cycle and /dev/axhvc's device-wide ioctls.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <kunit/visibility.h>

#include "axhvc_drv.h"

#define AXHVC_VERSION	"0.1.0"

/**
 * axhvc_api_version_fill() - answer an API version query
 * @ver: the caller's request, already copied into the kernel
 *
 * Return: 0 with @ver's out fields filled in, or -EINVAL for input bits
 * this version does not define (a later one may).
 */
VISIBLE_IF_KUNIT int axhvc_api_version_fill(struct axhvc_api_version *ver)
{
	if (ver->flags || ver->__reserved)
		return -EINVAL;
	ver->api_version = AXHVC_API_VERSION;
	ver->features = AXHVC_FEATURE_VM | AXHVC_FEATURE_IVC_WINDOW |
			AXHVC_FEATURE_HOST_VIEW | AXHVC_FEATURE_GRANTS;
	if (axhvc_kvm_intercept_supported())
		ver->features |= AXHVC_FEATURE_INTERCEPT;
	if (axhvc_vgic_host_gic_found())
		ver->features |= AXHVC_FEATURE_HOST_GIC;
	ver->vm_flags = AXHVC_VM_F_MASK;
	ver->doorbell_flags = AXHVC_DOORBELL_F_MASK;
	ver->allow_flags = AXHVC_ALLOW_F_MASK;
	ver->fwd_flags = AXHVC_FWD_F_MASK;
	ver->grant_flags = AXHVC_GRANT_F_MASK;
	ver->grant_kinds = AXHVC_GRANT_KINDS;
	ver->event_types = AXHVC_EVENT_TYPES;
	ver->max_mem_regions = AXHVC_MAX_MEM_REGIONS;
	ver->max_allowlist = AXHVC_MAX_ALLOWLIST;
	ver->max_grants = AXHVC_MAX_GRANTS;
	ver->event_queue_len = AXHVC_EVENT_QUEUE_LEN;
	axhvc_ivc_limits(&ver->max_channels_per_vm, &ver->max_bytes_per_vm,
			 &ver->max_channel_size);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(axhvc_api_version_fill);

/**
 * axhvc_dev_ioctl() - ioctls of /dev/axhvc
 * @file: the open device
 * @cmd: the command, one of the AXHVC_* ioctls of include/uapi/axhvc.h
 * @arg: the command's argument, a user pointer
 *
 * Return: 0 or a negative errno as documented per command; -ENOTTY for others.
 */
VISIBLE_IF_KUNIT long axhvc_dev_ioctl(struct file *file, unsigned int cmd,
				      unsigned long arg)
{
	void __user *argp = (void __user *)arg;
	struct axhvc_api_version ver;
	int ret;

	switch (cmd) {
	case AXHVC_GET_API_VERSION:
		ret = axhvc_get_arg(ver, argp, AXHVC_API_VERSION_SIZE_VER0);
		ret = ret ?: axhvc_api_version_fill(&ver);
		return ret ?: axhvc_put_arg(argp, ver);
	case AXHVC_CREATE_VM:
		return axhvc_vm_create(argp);
	case AXHVC_GET_HOST_GIC:
		return axhvc_vgic_get_host_gic(argp);
	case AXHVC_SET_GRANT:
		return axhvc_grant_set(argp);
	case AXHVC_LIST_VMS:
	case AXHVC_LIST_ALL_CHANNELS:
		/* Every VMM's VMs: the administrator's, whatever the mode. */
		if (!capable(CAP_SYS_ADMIN))
			return -EPERM;
		return cmd == AXHVC_LIST_VMS ? axhvc_list_vms(argp) :
					       axhvc_list_all_channels(argp);
	default:
		return -ENOTTY;
	}
}
EXPORT_SYMBOL_IF_KUNIT(axhvc_dev_ioctl);

static const struct file_operations axhvc_dev_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= axhvc_dev_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

/* Root only by default: it hands out guest memory and host interrupts. */
static struct miscdevice axhvc_miscdev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= AXHVC_DEV_NAME,
	.fops	= &axhvc_dev_fops,
	.mode	= 0600,
};

static int __init axhvc_init(void)
{
	int ret;

	/* Never fails: without a host GIC, AXHVC_GET_HOST_GIC says ENODEV. */
	axhvc_vgic_init();
	ret = axhvc_ivc_init();
	if (ret)
		return ret;
	ret = axhvc_kvm_init();
	if (ret)
		goto ivc_exit;
	ret = misc_register(&axhvc_miscdev);
	if (ret) {
		pr_err("cannot register /dev/%s: %d\n", AXHVC_DEV_NAME, ret);
		goto kvm_exit;
	}
	pr_info("version %s, API %u, /dev/%s ready, intercept %s, forwarded %s\n",
		AXHVC_VERSION, AXHVC_API_VERSION, AXHVC_DEV_NAME,
		axhvc_kvm_intercept_supported() ? "available" : "unavailable",
		AXHVC_HAVE_SMCCC_FILTER ? "available" :
		"unavailable (KVM has no SMCCC filter before Linux 6.4)");
	return 0;

kvm_exit:
	axhvc_kvm_exit();
ivc_exit:
	axhvc_ivc_exit();
	return ret;
}

static void __exit axhvc_exit(void)
{
	misc_deregister(&axhvc_miscdev);
	axhvc_vm_exit();
	axhvc_kvm_exit();
	axhvc_ivc_exit();
	axhvc_grant_exit();
}

module_init(axhvc_init);
module_exit(axhvc_exit);

MODULE_DESCRIPTION("AxVisor hypercalls and inter-VM channels for arm64 KVM guests");
MODULE_AUTHOR("The axhvc developers");
MODULE_VERSION(AXHVC_VERSION);
MODULE_LICENSE("GPL");
