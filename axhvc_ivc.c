// SPDX-License-Identifier: GPL-2.0
/*
 * IVC channels: memory shared between VMs, named by (publisher VM id, key),
 * with AxVisor's publish / subscribe / unpublish / unsubscribe semantics
 * (Documentation/axhvc.rst).
 *
 * A channel is a set of zeroed pages whose first 16 bytes hold the header
 * (publisher id, key). Each VM that publishes or subscribes gets a mapping
 * of the channel: a range of its own IVC window, allocated by a maple tree
 * that also maps window pages back to the mapping. Unpublish takes the
 * channel off the registry, so it can be neither found nor subscribed to,
 * but it lives on for its subscribers until the last one leaves.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/eventfd.h>
#include <linux/hash.h>
#include <linux/hashtable.h>
#include <linux/highmem.h>
#include <linux/maple_tree.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>

#include "axhvc_drv.h"

static unsigned long max_channel_size = SZ_4M;
module_param(max_channel_size, ulong, 0644);
MODULE_PARM_DESC(max_channel_size,
		 "Largest channel granted to a publisher, in bytes (default 4 MiB)");

/**
 * struct axhvc_chan - an IVC channel
 * @node: in axhvc_chans while published.
 * @pub_id: the publisher's VM id.
 * @key: the publisher's key.
 * @maps: the VMs' mappings of the channel (&struct axhvc_chan_map.chan_link).
 * @published: still in the registry (not unpublished).
 * @nr_pages: size of the channel in pages.
 * @pages: the channel's pages.
 *
 * All fields are protected by axhvc_ivc_lock.
 */
struct axhvc_chan {
	struct hlist_node node;
	u64 pub_id;
	u64 key;
	struct list_head maps;
	bool published;
	unsigned int nr_pages;
	struct page *pages[] __counted_by(nr_pages);
};

/**
 * struct axhvc_chan_map - one VM's mapping of a channel
 * @vm_link: in the VM's &struct axhvc_vm.ivc_maps.
 * @chan_link: in the channel's @maps.
 * @chan: the channel.
 * @vm: the VM whose window holds the mapping.
 * @first: first page of the mapping in the VM's IVC window.
 * @publisher: the mapping is the publisher's own (not a subscription).
 *
 * Protected by axhvc_ivc_lock.
 */
struct axhvc_chan_map {
	struct list_head vm_link;
	struct list_head chan_link;
	struct axhvc_chan *chan;
	struct axhvc_vm *vm;
	unsigned long first;
	bool publisher;
};

/*
 * axhvc_ivc_lock protects the registry (axhvc_chans), every channel and
 * channel mapping, and every VM's ivc_maps list, window allocations and
 * doorbell: a VM found through a channel mapping under the lock is alive.
 */
static DEFINE_MUTEX(axhvc_ivc_lock);
/* Published channels by (publisher id, key): lookups stay short with many. */
static DEFINE_HASHTABLE(axhvc_chans, 12);

static u64 axhvc_chan_hash(u64 pub_id, u64 key)
{
	return hash_64(key ^ hash_64(pub_id, 64), 64);
}

static struct axhvc_chan *axhvc_chan_find(u64 pub_id, u64 key)
{
	struct axhvc_chan *chan;

	lockdep_assert_held(&axhvc_ivc_lock);
	hash_for_each_possible(axhvc_chans, chan, node, axhvc_chan_hash(pub_id, key))
		if (chan->pub_id == pub_id && chan->key == key)
			return chan;
	return NULL;
}

static void axhvc_chan_free(struct axhvc_chan *chan)
{
	unsigned int i;

	for (i = 0; i < chan->nr_pages; i++)
		if (chan->pages[i])
			__free_page(chan->pages[i]);
	kvfree(chan);
}

/* A new channel: zeroed pages, the header written. Not yet visible. */
static struct axhvc_chan *axhvc_chan_alloc(u64 pub_id, u64 key,
					   unsigned int nr_pages)
{
	struct axhvc_chan *chan;
	__le64 *hdr;
	unsigned int i;

	chan = kvzalloc(struct_size(chan, pages, nr_pages), GFP_KERNEL_ACCOUNT);
	if (!chan)
		return NULL;
	chan->nr_pages = nr_pages;
	chan->pub_id = pub_id;
	chan->key = key;
	INIT_LIST_HEAD(&chan->maps);
	for (i = 0; i < nr_pages; i++) {
		chan->pages[i] = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
		if (!chan->pages[i]) {
			axhvc_chan_free(chan);
			return NULL;
		}
	}
	hdr = kmap_local_page(chan->pages[0]);
	hdr[0] = cpu_to_le64(pub_id);
	hdr[1] = cpu_to_le64(key);
	kunmap_local(hdr);
	return chan;
}

/* Give @vm a mapping of @chan in its IVC window. */
static struct axhvc_chan_map *axhvc_map_add(struct axhvc_vm *vm,
					    struct axhvc_chan *chan,
					    bool publisher)
{
	struct axhvc_chan_map *map;
	unsigned long first;
	int ret;

	lockdep_assert_held(&axhvc_ivc_lock);
	if (vm->ivc_size >> PAGE_SHIFT < chan->nr_pages)
		return ERR_PTR(-ENOSPC);
	map = kzalloc(sizeof(*map), GFP_KERNEL_ACCOUNT);
	if (!map)
		return ERR_PTR(-ENOMEM);
	ret = mtree_alloc_range(&vm->ivc_window, &first, map, chan->nr_pages, 0,
				(vm->ivc_size >> PAGE_SHIFT) - 1,
				GFP_KERNEL_ACCOUNT);
	if (ret) {
		kfree(map);
		/* The window is full (or too fragmented) for this size. */
		return ERR_PTR(ret == -EBUSY ? -ENOSPC : ret);
	}
	map->chan = chan;
	map->vm = vm;
	map->first = first;
	map->publisher = publisher;
	list_add_tail(&map->vm_link, &vm->ivc_maps);
	list_add_tail(&map->chan_link, &chan->maps);
	return map;
}

/*
 * Take a mapping away from its VM; free the channel with its last mapping.
 * A publisher's mapping going away unpublishes the channel.
 */
static void axhvc_map_del(struct axhvc_chan_map *map)
{
	struct axhvc_chan *chan = map->chan;

	lockdep_assert_held(&axhvc_ivc_lock);
	/* Revoke before free: the VM must not reach the pages any more. */
	axhvc_vm_window_revoke(map->vm, map->first, chan->nr_pages);
	mtree_erase(&map->vm->ivc_window, map->first);
	list_del(&map->vm_link);
	list_del(&map->chan_link);
	if (map->publisher && chan->published) {
		hash_del(&chan->node);
		chan->published = false;
	}
	kfree(map);
	if (list_empty(&chan->maps))
		axhvc_chan_free(chan);
}

static u64 axhvc_map_gpa(const struct axhvc_chan_map *map)
{
	return map->vm->ivc_base + ((u64)map->first << PAGE_SHIFT);
}

/*
 * Hand the mapping's GPA and size to the guest. Both pointers were read
 * before anything changed; should a write still fail, the old value of the
 * first one is put back, so a failed call leaves no output.
 */
static int axhvc_map_report(const struct axhvc_chan_map *map, u64 base_gpa,
			    u64 old_base, u64 size_gpa)
{
	int ret;

	ret = axhvc_guest_write_u64(map->vm, base_gpa, axhvc_map_gpa(map));
	if (ret)
		return ret;
	ret = axhvc_guest_write_u64(map->vm, size_gpa,
				    (u64)map->chan->nr_pages << PAGE_SHIFT);
	if (ret)
		axhvc_guest_write_u64(map->vm, base_gpa, old_base);
	return ret;
}

static long axhvc_ivc_publish(struct axhvc_vm *vm, u64 key, u64 base_gpa,
			      u64 size_gpa)
{
	u64 want, old_base, limit;
	struct axhvc_chan_map *map;
	struct axhvc_chan *chan;
	int ret;

	ret = axhvc_guest_read_u64(vm, size_gpa, &want);
	if (!ret)
		ret = axhvc_guest_read_u64(vm, base_gpa, &old_base);
	if (ret)
		return ret;
	if (!want)
		return -EINVAL;
	limit = max_t(u64, rounddown(READ_ONCE(max_channel_size), PAGE_SIZE),
		      PAGE_SIZE);
	chan = axhvc_chan_alloc(vm->vm_id, key,
				PAGE_ALIGN(min(want, limit)) >> PAGE_SHIFT);
	if (!chan)
		return -ENOMEM;

	mutex_lock(&axhvc_ivc_lock);
	if (axhvc_chan_find(vm->vm_id, key)) {
		ret = -EEXIST;
		goto fail;
	}
	map = axhvc_map_add(vm, chan, true);
	if (IS_ERR(map)) {
		ret = PTR_ERR(map);
		goto fail;
	}
	ret = axhvc_map_report(map, base_gpa, old_base, size_gpa);
	if (ret) {
		axhvc_map_del(map);	/* frees the channel too */
		mutex_unlock(&axhvc_ivc_lock);
		return ret;
	}
	chan->published = true;
	hash_add(axhvc_chans, &chan->node, axhvc_chan_hash(vm->vm_id, key));
	mutex_unlock(&axhvc_ivc_lock);
	return 0;

fail:
	mutex_unlock(&axhvc_ivc_lock);
	axhvc_chan_free(chan);
	return ret;
}

/* The VM's own mapping of channel (@pub_id, @key), publisher's or not. */
static struct axhvc_chan_map *axhvc_vm_find_map(struct axhvc_vm *vm,
						u64 pub_id, u64 key,
						bool publisher)
{
	struct axhvc_chan_map *map;

	lockdep_assert_held(&axhvc_ivc_lock);
	list_for_each_entry(map, &vm->ivc_maps, vm_link)
		if (map->publisher == publisher && map->chan->pub_id == pub_id &&
		    map->chan->key == key)
			return map;
	return NULL;
}

static long axhvc_ivc_subscribe(struct axhvc_vm *vm, u64 pub_id, u64 key,
				u64 base_gpa, u64 size_gpa)
{
	struct axhvc_chan_map *map;
	struct axhvc_chan *chan;
	u64 old_base, unused;
	int ret;

	ret = axhvc_guest_read_u64(vm, base_gpa, &old_base);
	if (!ret)
		ret = axhvc_guest_read_u64(vm, size_gpa, &unused);
	if (ret)
		return ret;

	mutex_lock(&axhvc_ivc_lock);
	chan = axhvc_chan_find(pub_id, key);
	if (!chan) {
		ret = -ENOENT;
		goto out;
	}
	if (axhvc_vm_find_map(vm, pub_id, key, false)) {
		ret = -EEXIST;
		goto out;
	}
	map = axhvc_map_add(vm, chan, false);
	if (IS_ERR(map)) {
		ret = PTR_ERR(map);
		goto out;
	}
	ret = axhvc_map_report(map, base_gpa, old_base, size_gpa);
	if (ret)
		axhvc_map_del(map);
out:
	mutex_unlock(&axhvc_ivc_lock);
	return ret;
}

/* Unpublish (@publisher) or unsubscribe: drop the VM's mapping. */
static long axhvc_ivc_drop(struct axhvc_vm *vm, u64 pub_id, u64 key,
			   bool publisher)
{
	struct axhvc_chan_map *map;
	long ret = 0;

	mutex_lock(&axhvc_ivc_lock);
	map = axhvc_vm_find_map(vm, pub_id, key, publisher);
	if (map)
		axhvc_map_del(map);
	else
		ret = -ENOENT;
	mutex_unlock(&axhvc_ivc_lock);
	return ret;
}

static void axhvc_doorbell_ring(struct eventfd_ctx *ctx)
{
#ifdef AXHVC_EVENTFD_SIGNAL_NO_COUNT
	eventfd_signal(ctx);
#else
	eventfd_signal(ctx, 1);
#endif
}

/*
 * Ring the doorbell of @target, the publisher or a subscriber of channel
 * (@pub_id, @key). The caller must be one of them too: a VM cannot ring on
 * a channel it is not part of, nor learn whether the channel exists.
 */
static long axhvc_ivc_notify(struct axhvc_vm *vm, u64 pub_id, u64 key,
			     u64 target)
{
	struct axhvc_chan_map *own, *map;
	long ret = -ENOENT;

	mutex_lock(&axhvc_ivc_lock);
	own = axhvc_vm_find_map(vm, pub_id, key, pub_id == vm->vm_id);
	if (!own)
		own = axhvc_vm_find_map(vm, pub_id, key, false);
	if (!own)
		goto out;
	list_for_each_entry(map, &own->chan->maps, chan_link) {
		if (map->vm->vm_id != target)
			continue;
		if (map->vm->doorbell) {
			axhvc_doorbell_ring(map->vm->doorbell);
			ret = 0;
		} else {
			/* The target's VMM gave it no doorbell. */
			ret = -EOPNOTSUPP;
		}
		break;
	}
out:
	mutex_unlock(&axhvc_ivc_lock);
	return ret;
}

/**
 * axhvc_ivc_set_doorbell() - set or remove a VM's doorbell
 * @vm: the VM
 * @ctx: the new doorbell (a reference the VM takes over), or NULL
 */
void axhvc_ivc_set_doorbell(struct axhvc_vm *vm, struct eventfd_ctx *ctx)
{
	struct eventfd_ctx *old;

	mutex_lock(&axhvc_ivc_lock);
	old = vm->doorbell;
	vm->doorbell = ctx;
	mutex_unlock(&axhvc_ivc_lock);
	if (old)
		eventfd_ctx_put(old);
}

/**
 * axhvc_ivc_call() - serve an IVC hypercall (codes 3..7)
 * @call: the call
 *
 * Pointer arguments are checked (aligned, backed by the VM's RAM regions)
 * before anything changes, and a call that fails leaves nothing behind.
 *
 * Return: 0 or a negative errno for the guest.
 */
long axhvc_ivc_call(const struct axhvc_call *call)
{
	struct axhvc_vm *vm = call->vm;
	const u64 *x = call->x;

	switch ((u32)x[0]) {
	case AXHVC_HC_IVC_PUBLISH:
		return axhvc_ivc_publish(vm, x[1], x[2], x[3]);
	case AXHVC_HC_IVC_SUBSCRIBE:
		return axhvc_ivc_subscribe(vm, x[1], x[2], x[3], x[4]);
	case AXHVC_HC_IVC_UNPUBLISH:
		return axhvc_ivc_drop(vm, vm->vm_id, x[1], true);
	case AXHVC_HC_IVC_UNSUBSCRIBE:
		return axhvc_ivc_drop(vm, x[1], x[2], false);
	case AXHVC_HC_IVC_NOTIFY:
		return axhvc_ivc_notify(vm, x[1], x[2], x[3]);
	default:
		return -EINVAL;
	}
}

/**
 * axhvc_ivc_vm_init() - prepare a new VM's IVC state
 * @vm: the VM
 */
void axhvc_ivc_vm_init(struct axhvc_vm *vm)
{
	mt_init_flags(&vm->ivc_window, MT_FLAGS_ALLOC_RANGE);
	INIT_LIST_HEAD(&vm->ivc_maps);
}

/**
 * axhvc_ivc_vm_release() - end all of a VM's publications and subscriptions
 * @vm: the VM, which issues no more hypercalls
 *
 * As if the VM had unpublished and unsubscribed everything: its channels
 * live on for their other subscribers.
 */
void axhvc_ivc_vm_release(struct axhvc_vm *vm)
{
	struct axhvc_chan_map *map, *tmp;

	mutex_lock(&axhvc_ivc_lock);
	list_for_each_entry_safe(map, tmp, &vm->ivc_maps, vm_link)
		axhvc_map_del(map);
	mutex_unlock(&axhvc_ivc_lock);
	mtree_destroy(&vm->ivc_window);
	axhvc_ivc_set_doorbell(vm, NULL);
}
