// SPDX-License-Identifier: GPL-2.0
/*
 * The host view (AXHVC_LIST_VMS, AXHVC_LIST_ALL_CHANNELS): each list one
 * snapshot under the channel registry's lock, its VMs held by reference.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <kunit/visibility.h>

#include "axhvc_drv.h"

/**
 * axhvc_check_vm_list() - validate an AXHVC_LIST_VMS request
 * @vl: the request, copied into the kernel
 *
 * Return: 0, or -EINVAL for flags or a bad record size.
 */
VISIBLE_IF_KUNIT int axhvc_check_vm_list(const struct axhvc_vm_list *vl)
{
	return vl->flags ? -EINVAL :
	       axhvc_check_record_size(vl->info_size, AXHVC_VM_INFO_SIZE_VER0);
}
EXPORT_SYMBOL_IF_KUNIT(axhvc_check_vm_list);

/**
 * axhvc_check_host_channel_list() - validate an AXHVC_LIST_ALL_CHANNELS request
 * @cl: the request, copied into the kernel
 *
 * Return: 0, or -EINVAL for flags, reserved bits or a bad record size.
 */
VISIBLE_IF_KUNIT int
axhvc_check_host_channel_list(const struct axhvc_host_channel_list *cl)
{
	return cl->flags || cl->__reserved ? -EINVAL :
	       axhvc_check_record_size(cl->channel_size, AXHVC_HOST_CHANNEL_SIZE_VER0);
}
EXPORT_SYMBOL_IF_KUNIT(axhvc_check_host_channel_list);

/**
 * axhvc_vm_info_fill() - a VM's entry of the host view
 * @vm: the VM, a reference held
 * @info: out: everything AXHVC_LIST_VMS reports of @vm
 *
 * Context: axhvc_ivc_registry_lock() held; takes the VM's irq_lock, which
 * nests inside it.
 */
VISIBLE_IF_KUNIT void axhvc_vm_info_fill(struct axhvc_vm *vm,
					 struct axhvc_vm_info *info)
{
	memset(info, 0, sizeof(*info));
	info->vm_id = vm->vm_id;
	info->flags = vm->flags;
	info->owner_tgid = vm->owner ? pid_vnr(vm->owner) : 0;
	info->ivc_base = vm->ivc_base;
	info->ivc_size = vm->ivc_size;
	info->nr_mem_regions = axhvc_guest_nr_regions(vm);
	axhvc_ivc_vm_info(vm, info);
	axhvc_irq_count(vm, &info->nr_irq_routes, &info->nr_irq_forwards);
	axhvc_hc_vm_info(vm, info);
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
	struct axhvc_vm **vms;
	struct axhvc_vm_list vl;
	u32 room, i, n;
	int ret;

	ret = axhvc_get_arg(vl, ulist, AXHVC_VM_LIST_SIZE_VER0);
	ret = ret ?: axhvc_check_vm_list(&vl);
	if (ret)
		return ret;
	/* Room for the VMs there are now; should more come, E2BIG says so. */
	room = min(axhvc_vm_get_all(NULL, 0), vl.nr_vms);
	info = kvcalloc(room, sizeof(*info), GFP_KERNEL_ACCOUNT);
	vms = kvcalloc(room, sizeof(*vms), GFP_KERNEL_ACCOUNT);
	if (room && (!info || !vms)) {
		ret = -ENOMEM;
		goto free;
	}
	n = axhvc_vm_get_all(vms, room);
	ret = axhvc_ivc_registry_lock();
	if (ret)
		goto put;
	for (i = 0; i < min(n, room); i++)
		axhvc_vm_info_fill(vms[i], &info[i]);
	axhvc_ivc_registry_unlock();

	ret = n > room ? -E2BIG :
	      axhvc_copy_records_out(u64_to_user_ptr(vl.vms), vl.info_size,
				     info, sizeof(*info), n);
	vl.nr_vms = n;
	if (!ret || ret == -E2BIG)
		ret = axhvc_put_arg(ulist, vl) ?: ret;
put:
	for (i = 0; i < min(n, room); i++)
		axhvc_vm_put(vms[i]);
free:
	kvfree(vms);
	kvfree(info);
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

	ret = axhvc_get_arg(cl, ulist, AXHVC_HOST_CHANNEL_LIST_SIZE_VER0);
	ret = ret ?: axhvc_check_host_channel_list(&cl);
	/* As for AXHVC_LIST_VMS: room for what exists now. */
	ret = ret ?: axhvc_ivc_host_counts(&room_chans, &room_subs);
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
	    (axhvc_copy_records_out(u64_to_user_ptr(cl.channels), cl.channel_size,
				    chans, sizeof(*chans), nr_chans) ||
	     copy_to_user(u64_to_user_ptr(cl.subscribers), subs,
			  array_size(nr_subs, sizeof(*subs)))))
		ret = -EFAULT;
	if (ret && ret != -E2BIG)
		goto out;
	cl.nr_channels = nr_chans;
	cl.nr_subscribers = nr_subs;
	ret = axhvc_put_arg(ulist, cl) ?: ret;
out:
	kvfree(subs);
	kvfree(chans);
	return ret;
}
