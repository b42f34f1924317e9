// SPDX-License-Identifier: GPL-2.0
/*
 * IVC channels: the registry and its rules (Documentation/ivc.rst). Channels
 * by (publisher, key) and mappings by (VM, publisher, key, role) are hash
 * tables that grow with their contents.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bsearch.h>
#include <linux/debugfs.h>
#include <linux/eventfd.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/poll.h>
#include <linux/rhashtable.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <kunit/visibility.h>

#include "axhvc_drv.h"

/*
 * Bounds of the module parameters, refused (EINVAL) beyond them so that no
 * size computed from them overflows (a channel's page count is a u32).
 */
#define AXHVC_MAX_CHANNEL_SIZE		SZ_1G
#define AXHVC_MAX_CHANNELS_PER_VM	65536U
#define AXHVC_MAX_BYTES_PER_VM		(64ULL << 30)

static unsigned long max_channel_size = SZ_4M;
static unsigned int max_channels_per_vm = 4096;
static unsigned long max_bytes_per_vm = SZ_256M;

/* Set a ulong parameter to a page multiple in [PAGE_SIZE, its bound]. */
static int axhvc_param_set_pages(const char *val, const struct kernel_param *kp)
{
	unsigned long v, max = kp->arg == &max_channel_size ? AXHVC_MAX_CHANNEL_SIZE :
			       AXHVC_MAX_BYTES_PER_VM;
	int ret;

	ret = kstrtoul(val, 0, &v);
	if (ret)
		return ret;
	if (v < PAGE_SIZE || v > max || !PAGE_ALIGNED(v))
		return -EINVAL;
	WRITE_ONCE(*(unsigned long *)kp->arg, v);
	return 0;
}

static int axhvc_param_set_channels_per_vm(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 1, AXHVC_MAX_CHANNELS_PER_VM);
}

static const struct kernel_param_ops axhvc_pages_ops = {
	.set = axhvc_param_set_pages,
	.get = param_get_ulong,
};

static const struct kernel_param_ops axhvc_channels_per_vm_ops = {
	.set = axhvc_param_set_channels_per_vm,
	.get = param_get_uint,
};

module_param_cb(max_channel_size, &axhvc_pages_ops, &max_channel_size, 0644);
MODULE_PARM_DESC(max_channel_size,
		 "Largest channel granted to a publisher, in bytes: a page multiple, a page .. 1 GiB (default 4 MiB)");

module_param_cb(max_channels_per_vm, &axhvc_channels_per_vm_ops, &max_channels_per_vm, 0644);
MODULE_PARM_DESC(max_channels_per_vm,
		 "Channels a VM may hold, published and subscribed: 1 .. 65536 (default 4096)");

module_param_cb(max_bytes_per_vm, &axhvc_pages_ops, &max_bytes_per_vm, 0644);
MODULE_PARM_DESC(max_bytes_per_vm,
		 "Bytes of channels a VM may hold, published and subscribed: a page multiple, a page .. 64 GiB (default 256 MiB)");

/**
 * axhvc_ivc_limits() - the module parameters' limits, as they are now
 * @max_channels: out: the channels a new VM may hold (and AXHVC_VM_SET_LIMITS may set)
 * @max_bytes: out: the bytes of channels a new VM may hold (likewise)
 * @max_chan_size: out: the largest channel a guest may publish
 */
void axhvc_ivc_limits(u32 *max_channels, u64 *max_bytes, u64 *max_chan_size)
{
	*max_channels = READ_ONCE(max_channels_per_vm);
	*max_bytes = READ_ONCE(max_bytes_per_vm);
	*max_chan_size = READ_ONCE(max_channel_size);
}

/* Name of a channel; no padding, so it hashes as raw bytes. */
struct axhvc_chan_key {
	u64 pub_id;
	u64 key;
};

/*
 * An IVC channel, under axhvc_ivc_lock. Lookups in axhvc_chans may also run
 * under RCU alone (axhvc_chan_find()), reading @node and @name only: the
 * structure outlives its removal by a grace period (@rcu).
 */
struct axhvc_chan {
	struct rhash_head node;		/* in axhvc_chans while published */
	struct list_head all_link;	/* in axhvc_all_chans until freed */
	struct axhvc_chan_key name;
	struct list_head maps;		/* &struct axhvc_chan_map.chan_link */
	struct axhvc_chan_map *pub_map;	/* NULL once unpublished */
	struct rcu_head rcu;
	u64 size;			/* granted: a multiple of AXHVC_IVC_GRANULE */
	unsigned int nr_pages;		/* host pages behind it, @size rounded up */
	struct page *pages[] __counted_by(nr_pages);
};

/*
 * Name of a channel mapping: the VM by its object, never by its id (a new VM
 * taking a dying VM's id must not find its mappings).
 */
struct axhvc_map_key {
	u64 vm;
	u64 pub_id;
	u64 key;
	u64 publisher;	/* 0 or 1; a u64 for no padding */
};

/* One VM's mapping of a channel, under axhvc_ivc_lock. */
struct axhvc_chan_map {
	struct rhash_head node;		/* in axhvc_maps */
	struct axhvc_map_key name;
	struct list_head vm_link;	/* in &struct axhvc_vm.ivc_maps */
	struct list_head chan_link;	/* in &struct axhvc_chan.maps */
	struct axhvc_chan *chan;
	struct axhvc_vm *vm;
	unsigned long first;		/* first page in the VM's IVC window */
};

/* The VM ids that may subscribe to a VM's channels, sorted. */
struct axhvc_allowed {
	u32 nr;
	u64 ids[] __counted_by(nr);
};

/*
 * Protects the registry (axhvc_chans), the mappings (axhvc_maps), every
 * channel and mapping, the counters below, and each VM's ivc_maps, usage,
 * limits, allowlist and doorbell: a VM found through a mapping under it is
 * alive. Every VM takes it: see overview.rst, "Locks shared between VMs".
 */
static DEFINE_MUTEX(axhvc_ivc_lock);

static const struct rhashtable_params axhvc_chan_params = {
	.key_len	= sizeof(struct axhvc_chan_key),
	.key_offset	= offsetof(struct axhvc_chan, name),
	.head_offset	= offsetof(struct axhvc_chan, node),
	.automatic_shrinking = true,
};

static const struct rhashtable_params axhvc_map_params = {
	.key_len	= sizeof(struct axhvc_map_key),
	.key_offset	= offsetof(struct axhvc_chan_map, name),
	.head_offset	= offsetof(struct axhvc_chan_map, node),
	.automatic_shrinking = true,
};

static struct rhashtable axhvc_chans;	/* published channels */
static struct rhashtable axhvc_maps;
/* Every channel that exists, published or not, oldest first (host view). */
static LIST_HEAD(axhvc_all_chans);

/* What exists, for the teardown tests (debugfs axhvc/ivc). */
static unsigned long axhvc_nr_chans, axhvc_nr_maps, axhvc_nr_pages;

static struct dentry *axhvc_debugfs;

/*
 * The published channel (@pub_id, @key). Also called without the lock (the
 * lookup takes RCU itself): then only a NULL is final, and is not dereferenced.
 */
static struct axhvc_chan *axhvc_chan_find(u64 pub_id, u64 key)
{
	struct axhvc_chan_key name = { .pub_id = pub_id, .key = key };

	return rhashtable_lookup_fast(&axhvc_chans, &name, axhvc_chan_params);
}

/* The VM's mapping of channel (@pub_id, @key), as publisher or subscriber. */
static struct axhvc_chan_map *axhvc_vm_find_map(struct axhvc_vm *vm, u64 pub_id, u64 key,
						bool publisher)
{
	struct axhvc_map_key name = {
		.vm = (uintptr_t)vm, .pub_id = pub_id, .key = key, .publisher = publisher,
	};

	lockdep_assert_held(&axhvc_ivc_lock);
	return rhashtable_lookup_fast(&axhvc_maps, &name, axhvc_map_params);
}

static void axhvc_chan_free(struct axhvc_chan *chan)
{
	unsigned int i;

	for (i = 0; i < chan->nr_pages; i++)
		if (chan->pages[i])
			__free_page(chan->pages[i]);
	/* A lockless lookup may still be walking past it (see struct axhvc_chan). */
	kvfree_rcu(chan, rcu);
}

/* A new channel of @size bytes on whole zeroed host pages, the header written. */
static struct axhvc_chan *axhvc_chan_alloc(u64 pub_id, u64 key, u64 size)
{
	unsigned int i, nr_pages = DIV_ROUND_UP(size, PAGE_SIZE);
	struct axhvc_chan *chan;
	__le64 *hdr;

	chan = kvzalloc(struct_size(chan, pages, nr_pages), GFP_KERNEL_ACCOUNT);
	if (!chan)
		return NULL;
	chan->nr_pages = nr_pages;
	chan->size = size;
	chan->name = (struct axhvc_chan_key) { .pub_id = pub_id, .key = key };
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

/* The host memory behind @chan, charged and windowed; @chan->size is granted. */
static u64 axhvc_chan_bytes(const struct axhvc_chan *chan)
{
	return (u64)chan->nr_pages << PAGE_SHIFT;
}

/**
 * axhvc_ivc_has_events() - is an event (or an overflow) queued for a VM?
 * @vm: the VM
 *
 * Return: true if axhvc_ivc_pop_event() would find one (a hint, lockless).
 */
bool axhvc_ivc_has_events(struct axhvc_vm *vm)
{
	return READ_ONCE(vm->ev_count) || READ_ONCE(vm->ev_lost);
}

/**
 * axhvc_ivc_pop_event() - take the next event off a VM's queue
 * @vm: the VM
 * @ev: out: the event; an overflow comes once the queue is drained
 *
 * Return: true if @ev was filled in.
 */
bool axhvc_ivc_pop_event(struct axhvc_vm *vm, struct axhvc_event *ev)
{
	bool got;

	spin_lock_irq(&vm->events_lock);
	got = vm->ev_count || vm->ev_lost;
	if (vm->ev_count) {
		*ev = vm->events[vm->ev_head];
		vm->ev_head = (vm->ev_head + 1) % AXHVC_EVENT_QUEUE_LEN;
		vm->ev_count--;
	} else if (got) {
		*ev = (struct axhvc_event) { .type = AXHVC_EVENT_OVERFLOW };
		vm->ev_lost = false;
	}
	spin_unlock_irq(&vm->events_lock);
	return got;
}
EXPORT_SYMBOL_IF_KUNIT(axhvc_ivc_pop_event);

/**
 * axhvc_ivc_events_lost() - an event popped could not be delivered: the next
 * read reports %AXHVC_EVENT_OVERFLOW
 * @vm: the VM
 */
void axhvc_ivc_events_lost(struct axhvc_vm *vm)
{
	spin_lock_irq(&vm->events_lock);
	vm->ev_lost = true;
	spin_unlock_irq(&vm->events_lock);
}

/*
 * Tell every other member's VMM that @peer did @type: an event on its queue
 * (read() of its VM fd). A full queue drops the event and makes the next
 * read report %AXHVC_EVENT_OVERFLOW.
 */
static void axhvc_chan_notify_members(struct axhvc_chan *chan, u32 type, struct axhvc_vm *peer)
{
	const struct axhvc_event ev = {
		.type = type, .publisher = chan->name.pub_id,
		.key = chan->name.key, .peer = peer->vm_id,
	};
	struct axhvc_chan_map *map;
	unsigned long irqflags;

	lockdep_assert_held(&axhvc_ivc_lock);
	list_for_each_entry(map, &chan->maps, chan_link) {
		struct axhvc_vm *vm = map->vm;

		if (vm == peer)
			continue;
		spin_lock_irqsave(&vm->events_lock, irqflags);
		if (vm->ev_count == AXHVC_EVENT_QUEUE_LEN)
			vm->ev_lost = true;
		else
			vm->events[(vm->ev_head + vm->ev_count++) % AXHVC_EVENT_QUEUE_LEN] = ev;
		spin_unlock_irqrestore(&vm->events_lock, irqflags);
		wake_up_interruptible_poll(&vm->events_wq, EPOLLIN | EPOLLRDNORM);
	}
}

/*
 * Could @vm take a mapping of @bytes more (window, channel count, bytes)?
 * Asked first without the lock, before anything is allocated, then again
 * under it by axhvc_map_add().
 */
static bool axhvc_vm_may_hold(const struct axhvc_vm *vm, u64 bytes)
{
	u64 used = READ_ONCE(vm->ivc_bytes), max = READ_ONCE(vm->ivc_max_bytes);

	return bytes <= vm->ivc_size &&
	       READ_ONCE(vm->ivc_nr_channels) < READ_ONCE(vm->ivc_max_channels) &&
	       bytes <= max - min(used, max);
}

/* Give @vm a mapping of @chan in its IVC window. */
static struct axhvc_chan_map *axhvc_map_add(struct axhvc_vm *vm, struct axhvc_chan *chan,
					    bool publisher)
{
	struct axhvc_chan_map *map;
	int ret;

	lockdep_assert_held(&axhvc_ivc_lock);
	if (!axhvc_vm_may_hold(vm, axhvc_chan_bytes(chan)))
		return ERR_PTR(-ENOSPC);
	map = kzalloc(sizeof(*map), GFP_KERNEL_ACCOUNT);
	if (!map)
		return ERR_PTR(-ENOMEM);
	map->name = (struct axhvc_map_key) {
		.vm = (uintptr_t)vm, .pub_id = chan->name.pub_id,
		.key = chan->name.key, .publisher = publisher,
	};
	map->chan = chan;
	map->vm = vm;
	/* The table's own errors (-EBUSY while it grows) are memory to a guest. */
	ret = -ENOMEM;
	if (rhashtable_insert_fast(&axhvc_maps, &map->node, axhvc_map_params))
		goto free_map;
	/* Faults may find the range from here on: the pages are ready. */
	ret = axhvc_window_alloc(vm, chan->nr_pages, chan->pages, &map->first);
	if (ret)
		goto unhash;
	list_add_tail(&map->vm_link, &vm->ivc_maps);
	list_add_tail(&map->chan_link, &chan->maps);
	WRITE_ONCE(vm->ivc_nr_channels, vm->ivc_nr_channels + 1);
	WRITE_ONCE(vm->ivc_bytes, vm->ivc_bytes + axhvc_chan_bytes(chan));
	axhvc_nr_maps++;
	return map;

unhash:
	rhashtable_remove_fast(&axhvc_maps, &map->node, axhvc_map_params);
free_map:
	kfree(map);
	return ERR_PTR(ret);
}

/*
 * Take a mapping away from its VM; free the channel with its last mapping.
 * A publisher's mapping going away unpublishes the channel. @quiet: a
 * mapping that never became visible (a failed call) makes no event.
 */
static void axhvc_map_del(struct axhvc_chan_map *map, bool quiet)
{
	struct axhvc_chan *chan = map->chan;
	struct axhvc_vm *vm = map->vm;

	lockdep_assert_held(&axhvc_ivc_lock);
	/* Revoke before free: the VM must not reach the pages any more. */
	axhvc_window_free(vm, map->first, chan->nr_pages);
	rhashtable_remove_fast(&axhvc_maps, &map->node, axhvc_map_params);
	list_del(&map->vm_link);
	list_del(&map->chan_link);
	WRITE_ONCE(vm->ivc_nr_channels, vm->ivc_nr_channels - 1);
	WRITE_ONCE(vm->ivc_bytes, vm->ivc_bytes - axhvc_chan_bytes(chan));
	axhvc_nr_maps--;
	if (chan->pub_map == map) {
		rhashtable_remove_fast(&axhvc_chans, &chan->node, axhvc_chan_params);
		chan->pub_map = NULL;
		if (!quiet)
			axhvc_chan_notify_members(chan, AXHVC_EVENT_PUBLISHER_LEFT, vm);
	} else if (!quiet) {
		axhvc_chan_notify_members(chan, AXHVC_EVENT_UNSUBSCRIBED, vm);
	}
	kfree(map);
	if (list_empty(&chan->maps)) {
		list_del(&chan->all_link);
		axhvc_nr_chans--;
		axhvc_nr_pages -= chan->nr_pages;
		axhvc_chan_free(chan);
	}
}

/* Tell the caller where @map is; if that fails, the mapping goes again. */
static int axhvc_map_report(struct axhvc_chan_map *map, axhvc_ivc_report_t report, void *ctx)
{
	u64 gpa = map->vm->ivc_base + ((u64)map->first << PAGE_SHIFT);
	int ret = report(map->vm, gpa, map->chan->size, ctx);

	if (ret)
		axhvc_map_del(map, true);	/* and a channel it was the last of */
	return ret;
}

/**
 * axhvc_ivc_publish() - publish a channel of @want bytes under @key
 * @vm: the publisher
 * @key: the channel's key
 * @want: the size asked for, in bytes, not 0
 * @report: hands the granted GPA and size to the caller under the registry
 *	lock (so it must neither fault nor sleep); its error undoes the call
 * @ctx: for @report
 *
 * Grants @want capped at max_channel_size and rounded up to 4 KiB; the VM
 * is charged the whole host pages behind it.
 *
 * Return: 0 or a negative errno (-EINTR: a fatal signal came while waiting
 * for the registry); a failed call leaves nothing behind.
 */
VISIBLE_IF_KUNIT int axhvc_ivc_publish(struct axhvc_vm *vm, u64 key, u64 want,
				       axhvc_ivc_report_t report, void *ctx)
{
	struct axhvc_chan_map *map;
	struct axhvc_chan *chan;
	u64 bytes;
	int ret;

	if (!want)
		return -EINVAL;
	/* The setter keeps the cap a page multiple of at most 1 GiB: no overflow. */
	bytes = round_up(min_t(u64, want, READ_ONCE(max_channel_size)), AXHVC_IVC_GRANULE);
	if (!axhvc_vm_may_hold(vm, PAGE_ALIGN(bytes)))
		return -ENOSPC;
	chan = axhvc_chan_alloc(vm->vm_id, key, bytes);
	if (!chan)
		return -ENOMEM;

	ret = -EINTR;
	if (mutex_lock_killable(&axhvc_ivc_lock))
		goto free;
	ret = rhashtable_lookup_insert_fast(&axhvc_chans, &chan->node, axhvc_chan_params);
	if (ret) {
		ret = ret == -EEXIST ? ret : -ENOMEM;	/* as in axhvc_map_add() */
		goto fail;
	}
	map = axhvc_map_add(vm, chan, true);
	if (IS_ERR(map)) {
		rhashtable_remove_fast(&axhvc_chans, &chan->node, axhvc_chan_params);
		ret = PTR_ERR(map);
		goto fail;
	}
	list_add_tail(&chan->all_link, &axhvc_all_chans);
	axhvc_nr_chans++;
	axhvc_nr_pages += chan->nr_pages;
	chan->pub_map = map;
	ret = axhvc_map_report(map, report, ctx);
	mutex_unlock(&axhvc_ivc_lock);
	return ret;

fail:
	mutex_unlock(&axhvc_ivc_lock);
free:
	axhvc_chan_free(chan);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(axhvc_ivc_publish);

static int axhvc_u64_cmp(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/*
 * May @vm subscribe to a channel that @publisher published? An allowlist
 * entry names a tenant, not whoever holds the number: it admits a VM with
 * that id only if the id is bound to its owner by the administrator
 * (axhvc_grant.c), or if the VM belongs to the publisher's own user.
 */
static bool axhvc_may_subscribe(struct axhvc_vm *publisher, struct axhvc_vm *vm)
{
	const struct axhvc_allowed *allow = publisher->ivc_allow;

	lockdep_assert_held(&axhvc_ivc_lock);
	if (!allow || publisher == vm)
		return true;
	if (!vm->id_bound && !uid_eq(vm->owner_uid, publisher->owner_uid))
		return false;
	return bsearch(&vm->vm_id, allow->ids, allow->nr, sizeof(u64),
		       axhvc_u64_cmp);
}

/**
 * axhvc_ivc_subscribe() - subscribe to channel (@pub_id, @key)
 * @vm: the subscriber
 * @pub_id: the publisher's VM id
 * @key: the channel's key
 * @report: as for axhvc_ivc_publish()
 * @ctx: for @report
 *
 * Return: as for axhvc_ivc_publish().
 */
VISIBLE_IF_KUNIT int axhvc_ivc_subscribe(struct axhvc_vm *vm, u64 pub_id, u64 key,
					 axhvc_ivc_report_t report, void *ctx)
{
	struct axhvc_chan_map *map;
	struct axhvc_chan *chan;
	int ret;

	if (mutex_lock_killable(&axhvc_ivc_lock))
		return -EINTR;
	chan = axhvc_chan_find(pub_id, key);
	if (!chan)
		map = ERR_PTR(-ENOENT);
	else if (!axhvc_may_subscribe(chan->pub_map->vm, vm))
		map = ERR_PTR(-EACCES);
	else if (axhvc_vm_find_map(vm, pub_id, key, false))
		map = ERR_PTR(-EEXIST);
	else
		map = axhvc_map_add(vm, chan, false);
	ret = IS_ERR(map) ? PTR_ERR(map) : axhvc_map_report(map, report, ctx);
	if (!ret)
		axhvc_chan_notify_members(chan, AXHVC_EVENT_SUBSCRIBED, vm);
	mutex_unlock(&axhvc_ivc_lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(axhvc_ivc_subscribe);

/**
 * axhvc_ivc_drop() - unpublish or unsubscribe
 * @vm: the VM
 * @pub_id: the channel's publisher (@vm's own id to unpublish)
 * @key: the channel's key
 * @publisher: unpublish rather than unsubscribe
 *
 * Return: 0, -ENOENT when @vm holds no such mapping, or -EINTR.
 */
int axhvc_ivc_drop(struct axhvc_vm *vm, u64 pub_id, u64 key, bool publisher)
{
	struct axhvc_chan_map *map;
	int ret = -ENOENT;

	if (mutex_lock_killable(&axhvc_ivc_lock))
		return -EINTR;
	map = axhvc_vm_find_map(vm, pub_id, key, publisher);
	if (map) {
		axhvc_map_del(map, false);
		ret = 0;
	}
	mutex_unlock(&axhvc_ivc_lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(axhvc_ivc_drop);

/* The VM's mapping of (@pub_id, @key), its own publication first. */
static struct axhvc_chan_map *axhvc_vm_any_map(struct axhvc_vm *vm, u64 pub_id, u64 key)
{
	struct axhvc_chan_map *map = pub_id == vm->vm_id ?
		axhvc_vm_find_map(vm, pub_id, key, true) : NULL;

	return map ?: axhvc_vm_find_map(vm, pub_id, key, false);
}

/**
 * axhvc_ivc_notify() - ring a channel member's doorbell
 * @vm: the caller, the publisher or a subscriber of the channel
 * @pub_id: the channel's publisher
 * @key: the channel's key
 * @target: the VM to ring, the publisher or a subscriber of the channel
 *
 * Return: 0, -ENOENT when the caller or the target is not a member,
 * -EOPNOTSUPP when the target has no doorbell, or -EINTR.
 */
int axhvc_ivc_notify(struct axhvc_vm *vm, u64 pub_id, u64 key, u64 target)
{
	struct axhvc_chan_map *own, *map;
	int ret = -ENOENT;

	if (mutex_lock_killable(&axhvc_ivc_lock))
		return -EINTR;
	own = axhvc_vm_any_map(vm, pub_id, key);
	if (!own)
		goto out;
	list_for_each_entry(map, &own->chan->maps, chan_link) {
		if (map->vm->vm_id != target)
			continue;
		ret = 0;
		if (map->vm->doorbell)
			axhvc_eventfd_signal(map->vm->doorbell);
		else if (!map->vm->doorbell_intid ||
			 axhvc_irq_inject(map->vm, map->vm->doorbell_intid))
			ret = -EOPNOTSUPP;	/* its VMM gave it no doorbell, or no route */
		break;
	}
out:
	mutex_unlock(&axhvc_ivc_lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(axhvc_ivc_notify);

/**
 * axhvc_ivc_set_doorbell() - set or remove a VM's doorbell
 * @vm: the VM
 * @ctx: an eventfd doorbell (a reference the VM takes on success), or NULL
 * @intid: without @ctx, a guest INTID to raise through its route, or 0
 *
 * Return: 0, or -EINTR (nothing changed, @ctx is still the caller's).
 */
int axhvc_ivc_set_doorbell(struct axhvc_vm *vm, struct eventfd_ctx *ctx, u32 intid)
{
	if (mutex_lock_killable(&axhvc_ivc_lock))
		return -EINTR;
	vm->doorbell_intid = ctx ? 0 : intid;
	swap(vm->doorbell, ctx);
	mutex_unlock(&axhvc_ivc_lock);
	if (ctx)
		eventfd_ctx_put(ctx);	/* the old one */
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(axhvc_ivc_set_doorbell);

/**
 * axhvc_ivc_set_limits() - set a VM's channel limits (AXHVC_VM_SET_LIMITS)
 * @vm: the VM
 * @lim: in: the new limits (0: as it is); out: the limits now in force
 *
 * Return: 0, -EINVAL for a limit above the module's, or -EINTR.
 */
int axhvc_ivc_set_limits(struct axhvc_vm *vm, struct axhvc_vm_limits *lim)
{
	if (lim->max_channels > READ_ONCE(max_channels_per_vm) ||
	    lim->max_bytes > READ_ONCE(max_bytes_per_vm))
		return -EINVAL;
	if (mutex_lock_killable(&axhvc_ivc_lock))
		return -EINTR;
	/* Read without the lock by axhvc_vm_may_hold(). */
	if (lim->max_channels)
		WRITE_ONCE(vm->ivc_max_channels, lim->max_channels);
	if (lim->max_bytes)
		WRITE_ONCE(vm->ivc_max_bytes, lim->max_bytes);
	lim->max_channels = vm->ivc_max_channels;
	lim->max_bytes = vm->ivc_max_bytes;
	lim->nr_channels = vm->ivc_nr_channels;
	lim->bytes = vm->ivc_bytes;
	mutex_unlock(&axhvc_ivc_lock);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(axhvc_ivc_set_limits);

/**
 * axhvc_ivc_set_allowlist() - restrict who may subscribe to a VM's channels
 * @vm: the VM
 * @ids: the VM ids allowed (any order, duplicates fine), or NULL for all
 * @nr: how many ids
 *
 * Return: 0, -ENOMEM or -EINTR. Existing subscriptions stay.
 */
int axhvc_ivc_set_allowlist(struct axhvc_vm *vm, const u64 *ids, u32 nr)
{
	struct axhvc_allowed *allow = NULL;

	if (ids) {
		allow = kmalloc(struct_size(allow, ids, nr), GFP_KERNEL_ACCOUNT);
		if (!allow)
			return -ENOMEM;
		allow->nr = nr;
		memcpy(allow->ids, ids, flex_array_size(allow, ids, nr));
		sort(allow->ids, nr, sizeof(u64), axhvc_u64_cmp, NULL);
	}
	if (mutex_lock_killable(&axhvc_ivc_lock)) {
		kfree(allow);
		return -EINTR;
	}
	swap(vm->ivc_allow, allow);
	mutex_unlock(&axhvc_ivc_lock);
	kfree(allow);	/* the old one */
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(axhvc_ivc_set_allowlist);

static void axhvc_map_info(const struct axhvc_chan_map *map, struct axhvc_channel_info *info)
{
	const struct axhvc_chan *chan = map->chan;
	const struct axhvc_chan_map *m;

	memset(info, 0, sizeof(*info));
	info->publisher = chan->name.pub_id;
	info->key = chan->name.key;
	info->size = chan->size;
	info->offset = (u64)map->first << PAGE_SHIFT;
	info->flags = (map->name.publisher ? AXHVC_CHAN_F_PUBLISHER : 0) |
		      (chan->pub_map ? AXHVC_CHAN_F_PUBLISHED : 0);
	list_for_each_entry(m, &chan->maps, chan_link)
		if (m != chan->pub_map)
			info->nr_subscribers++;
}

/**
 * axhvc_ivc_list() - describe a VM's channel mappings (AXHVC_VM_LIST_CHANNELS)
 * @vm: the VM
 * @info: out: up to @max descriptions, in the order the VM got them
 * @max: room in @info
 * @nr: out: how many mappings the VM holds
 *
 * Return: 0, -E2BIG when the VM holds more than @max (@nr tells how many),
 * or -EINTR.
 */
int axhvc_ivc_list(struct axhvc_vm *vm, struct axhvc_channel_info *info,
		   u32 max, u32 *nr)
{
	struct axhvc_chan_map *map;

	if (mutex_lock_killable(&axhvc_ivc_lock))
		return -EINTR;
	*nr = vm->ivc_nr_channels;
	if (*nr <= max)
		list_for_each_entry(map, &vm->ivc_maps, vm_link)
			axhvc_map_info(map, info++);
	mutex_unlock(&axhvc_ivc_lock);
	return *nr <= max ? 0 : -E2BIG;
}
EXPORT_SYMBOL_IF_KUNIT(axhvc_ivc_list);

/**
 * axhvc_ivc_get() - the state of one channel of a VM (AXHVC_VM_GET_CHANNEL)
 * @vm: the VM
 * @pub_id: the channel's publisher
 * @key: the channel's key
 * @info: out: the VM's mapping (its own publication first)
 * @subs: out: up to @max subscriber VM ids (NULL when @max is 0)
 * @max: room in @subs
 *
 * Return: 0, -ENOENT when the VM holds no mapping of the channel, -E2BIG
 * when the channel has more than @max subscribers (@info->nr_subscribers
 * tells how many), or -EINTR.
 */
int axhvc_ivc_get(struct axhvc_vm *vm, u64 pub_id, u64 key,
		  struct axhvc_channel_info *info, u64 *subs, u32 max)
{
	struct axhvc_chan_map *map, *m;
	int ret = 0;

	if (mutex_lock_killable(&axhvc_ivc_lock))
		return -EINTR;
	map = axhvc_vm_any_map(vm, pub_id, key);
	if (map)
		axhvc_map_info(map, info);
	if (!map)
		ret = -ENOENT;
	else if (info->nr_subscribers > max)
		ret = -E2BIG;
	else
		list_for_each_entry(m, &map->chan->maps, chan_link)
			if (m != map->chan->pub_map)
				*subs++ = m->vm->vm_id;
	mutex_unlock(&axhvc_ivc_lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(axhvc_ivc_get);

/**
 * axhvc_ivc_registry_lock() - take the channel registry's lock, for the host
 * view's one consistent snapshot
 *
 * Return: 0, or -EINTR (not taken).
 */
int axhvc_ivc_registry_lock(void)
{
	return mutex_lock_killable(&axhvc_ivc_lock) ? -EINTR : 0;
}
EXPORT_SYMBOL_IF_KUNIT(axhvc_ivc_registry_lock);

/**
 * axhvc_ivc_registry_unlock() - release what axhvc_ivc_registry_lock() took
 */
void axhvc_ivc_registry_unlock(void)
{
	mutex_unlock(&axhvc_ivc_lock);
}
EXPORT_SYMBOL_IF_KUNIT(axhvc_ivc_registry_unlock);

/**
 * axhvc_ivc_vm_info() - a VM's channel usage, limits and doorbell
 * @vm: the VM
 * @info: out: the IVC fields of the VM's host view entry
 *
 * Context: axhvc_ivc_registry_lock() held.
 */
void axhvc_ivc_vm_info(struct axhvc_vm *vm, struct axhvc_vm_info *info)
{
	lockdep_assert_held(&axhvc_ivc_lock);
	info->nr_channels = vm->ivc_nr_channels;
	info->max_channels = vm->ivc_max_channels;
	info->bytes = vm->ivc_bytes;
	info->max_bytes = vm->ivc_max_bytes;
	if (vm->doorbell) {
		info->doorbell = AXHVC_VMI_DOORBELL_EVENTFD;
	} else if (vm->doorbell_intid) {
		info->doorbell = AXHVC_VMI_DOORBELL_INTID;
		info->doorbell_intid = vm->doorbell_intid;
	}
}
EXPORT_SYMBOL_IF_KUNIT(axhvc_ivc_vm_info);

/**
 * axhvc_ivc_host_counts() - how many channels and mappings exist now
 * @nr_chans: out: channels
 * @nr_maps: out: channel mappings, an upper bound of the subscriptions
 *
 * Return: 0, or -EINTR.
 */
int axhvc_ivc_host_counts(u32 *nr_chans, u32 *nr_maps)
{
	if (mutex_lock_killable(&axhvc_ivc_lock))
		return -EINTR;
	*nr_chans = min_t(unsigned long, axhvc_nr_chans, U32_MAX);
	*nr_maps = min_t(unsigned long, axhvc_nr_maps, U32_MAX);
	mutex_unlock(&axhvc_ivc_lock);
	return 0;
}

/**
 * axhvc_ivc_list_all() - every channel of the host (AXHVC_LIST_ALL_CHANNELS)
 * @chans: out: up to @max_chans channels, oldest first
 * @max_chans: room in @chans
 * @subs: out: up to @max_subs subscriber VM ids, channel after channel
 * @max_subs: room in @subs
 * @nr_chans: out: how many channels exist
 * @nr_subs: out: how many subscriptions they have together
 *
 * Return: 0, -E2BIG when either array is too small (@nr_chans and
 * @nr_subs tell the room needed; the arrays may be partly written), or -EINTR.
 */
int axhvc_ivc_list_all(struct axhvc_host_channel *chans, u32 max_chans,
		       u64 *subs, u32 max_subs, u32 *nr_chans, u32 *nr_subs)
{
	const struct axhvc_chan_map *m;
	const struct axhvc_chan *chan;
	u32 n = 0, ns = 0;

	if (mutex_lock_killable(&axhvc_ivc_lock))
		return -EINTR;
	list_for_each_entry(chan, &axhvc_all_chans, all_link) {
		struct axhvc_host_channel *c = n < max_chans ? &chans[n] : NULL;

		if (c) {
			memset(c, 0, sizeof(*c));
			c->publisher = chan->name.pub_id;
			c->key = chan->name.key;
			c->size = chan->size;
			c->flags = chan->pub_map ? AXHVC_CHAN_F_PUBLISHED : 0;
			c->first_subscriber = ns;
		}
		list_for_each_entry(m, &chan->maps, chan_link)
			if (m != chan->pub_map && ns++ < max_subs)
				subs[ns - 1] = m->vm->vm_id;
		if (c)
			c->nr_subscribers = ns - c->first_subscriber;
		n++;
	}
	mutex_unlock(&axhvc_ivc_lock);
	*nr_chans = n;
	*nr_subs = ns;
	return n <= max_chans && ns <= max_subs ? 0 : -E2BIG;
}
EXPORT_SYMBOL_IF_KUNIT(axhvc_ivc_list_all);

/* @ctx: the guest's pinned u64s for the channel's GPA and size. */
static int axhvc_ivc_report_guest(struct axhvc_vm *vm, u64 gpa, u64 size, void *ctx)
{
	struct axhvc_guest_u64 *out = ctx;

	axhvc_guest_u64_set(&out[0], gpa);
	axhvc_guest_u64_set(&out[1], size);
	return 0;
}

/**
 * axhvc_ivc_hc_map() - HIVCPublishChannel or HIVCSubscribChannel
 * @vm: the calling VM
 * @pub_id: the publisher's VM id (ignored to publish: @vm's own)
 * @key: the channel's key
 * @base_gpa: guest u64 where the channel's GPA goes
 * @size_gpa: guest u64 where its size goes (to publish: the size asked for)
 * @publish: publish rather than subscribe
 *
 * The guest's u64s are pinned before the registry's lock is taken, so that
 * writing them under it can neither fault nor wait on the VMM's memory.
 *
 * Return: 0 or a negative errno for the guest; a failed call changes
 * nothing, in the registry or in guest memory.
 */
long axhvc_ivc_hc_map(struct axhvc_vm *vm, u64 pub_id, u64 key, u64 base_gpa,
		      u64 size_gpa, bool publish)
{
	struct axhvc_guest_u64 out[2];	/* the GPA's, the size's */
	int ret;

	/* The common failure, a guest polling for a peer yet to publish: no pin. */
	if (!publish) {
		if (!axhvc_guest_u64_ptr(vm, base_gpa) ||
		    !axhvc_guest_u64_ptr(vm, size_gpa))
			return -EFAULT;
		if (!axhvc_chan_find(pub_id, key))
			return -ENOENT;
	}
	ret = axhvc_guest_pin_u64(vm, base_gpa, &out[0]);
	if (ret)
		return ret;
	ret = axhvc_guest_pin_u64(vm, size_gpa, &out[1]);
	if (ret)
		goto unpin_base;
	if (publish)
		ret = axhvc_ivc_publish(vm, key, axhvc_guest_u64_get(&out[1]),
					axhvc_ivc_report_guest, out);
	else
		ret = axhvc_ivc_subscribe(vm, pub_id, key, axhvc_ivc_report_guest, out);
	axhvc_guest_unpin_u64(&out[1]);
unpin_base:
	axhvc_guest_unpin_u64(&out[0]);
	return ret;
}

/**
 * axhvc_ivc_vm_init() - a new VM's IVC state: no channel, the module's limits
 * @vm: the VM
 */
void axhvc_ivc_vm_init(struct axhvc_vm *vm)
{
	INIT_LIST_HEAD(&vm->ivc_maps);
	spin_lock_init(&vm->events_lock);
	init_waitqueue_head(&vm->events_wq);
	vm->ivc_max_channels = READ_ONCE(max_channels_per_vm);
	vm->ivc_max_bytes = READ_ONCE(max_bytes_per_vm);
}

/**
 * axhvc_ivc_nr_channels() - how many channel mappings a VM holds now
 * @vm: the VM
 *
 * Return: the count, which may change as soon as it is read.
 */
u32 axhvc_ivc_nr_channels(struct axhvc_vm *vm)
{
	return READ_ONCE(vm->ivc_nr_channels);
}

/**
 * axhvc_ivc_vm_release() - end all of a VM's publications and subscriptions
 * @vm: the VM, which issues no more hypercalls
 *
 * As if the VM had unpublished and unsubscribed everything. Waits for the
 * registry uninterruptibly: nothing holds it for long.
 */
void axhvc_ivc_vm_release(struct axhvc_vm *vm)
{
	struct axhvc_chan_map *map, *tmp;
	struct axhvc_allowed *allow = NULL;
	struct eventfd_ctx *doorbell = NULL;

	mutex_lock(&axhvc_ivc_lock);
	list_for_each_entry_safe(map, tmp, &vm->ivc_maps, vm_link)
		axhvc_map_del(map, false);
	swap(vm->doorbell, doorbell);
	vm->doorbell_intid = 0;
	swap(vm->ivc_allow, allow);
	mutex_unlock(&axhvc_ivc_lock);
	if (doorbell)
		eventfd_ctx_put(doorbell);
	kfree(allow);
}
EXPORT_SYMBOL_IF_KUNIT(axhvc_ivc_vm_release);

static int axhvc_ivc_stats_show(struct seq_file *m, void *unused)
{
	if (mutex_lock_killable(&axhvc_ivc_lock))
		return -EINTR;
	seq_printf(m, "channels %lu\nmappings %lu\npages %lu\n",
		   axhvc_nr_chans, axhvc_nr_maps, axhvc_nr_pages);
	mutex_unlock(&axhvc_ivc_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(axhvc_ivc_stats);

/**
 * axhvc_ivc_init() - set up the channel registry
 *
 * Return: 0 or a negative errno.
 */
int axhvc_ivc_init(void)
{
	int ret;

	ret = rhashtable_init(&axhvc_chans, &axhvc_chan_params);
	if (ret)
		return ret;
	ret = rhashtable_init(&axhvc_maps, &axhvc_map_params);
	if (ret) {
		rhashtable_destroy(&axhvc_chans);
		return ret;
	}
	/* Counters for tests and the curious; no error if debugfs is off. */
	axhvc_debugfs = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("ivc", 0400, axhvc_debugfs, NULL, &axhvc_ivc_stats_fops);
	return 0;
}

/**
 * axhvc_ivc_exit() - tear down the (empty) channel registry
 */
void axhvc_ivc_exit(void)
{
	debugfs_remove_recursive(axhvc_debugfs);
	WARN_ON(axhvc_nr_chans || axhvc_nr_maps || axhvc_nr_pages);
	rhashtable_destroy(&axhvc_maps);
	rhashtable_destroy(&axhvc_chans);
}
