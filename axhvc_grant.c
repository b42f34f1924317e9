// SPDX-License-Identifier: GPL-2.0
/*
 * The administrator's grants (AXHVC_SET_GRANT): which tenant may register a
 * VM id (one an allowlist may trust), and which host SPIs a tenant may
 * forward; asked before anything is created, so neither goes to whoever
 * claims it first (Documentation/security.rst). CAP_SYS_ADMIN needs none.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/uidgid.h>
#include <kunit/visibility.h>

#include "axhvc_drv.h"
#include "axhvc_gic.h"

/**
 * struct axhvc_grant_entry - one grant
 * @link: in axhvc_grants.
 * @kind: AXHVC_GRANT_VM_IDS or AXHVC_GRANT_GIC_SPIS.
 * @level: the SPIs are level-triggered.
 * @first: first id or SPI of the range.
 * @last: last of the range, inclusive.
 * @uid: the user it is for, or INVALID_UID.
 * @gid: the group it is for, or INVALID_GID.
 */
struct axhvc_grant_entry {
	struct list_head link;
	u32 kind;
	bool level;
	u64 first;
	u64 last;
	kuid_t uid;
	kgid_t gid;
};

/* Protects axhvc_grants and axhvc_nr_grants; a leaf, no user memory under it. */
static DEFINE_MUTEX(axhvc_grant_lock);
static LIST_HEAD(axhvc_grants);
static unsigned int axhvc_nr_grants;

/**
 * axhvc_check_grant() - validate an AXHVC_SET_GRANT request
 * @g: the request, copied into the kernel
 *
 * Return: 0 or -EINVAL.
 */
VISIBLE_IF_KUNIT int axhvc_check_grant(const struct axhvc_grant *g)
{
	if (g->flags & ~AXHVC_GRANT_F_MASK || g->__reserved || g->last < g->first)
		return -EINVAL;
	if (g->kind != AXHVC_GRANT_VM_IDS && g->kind != AXHVC_GRANT_GIC_SPIS)
		return -EINVAL;
	if (g->kind == AXHVC_GRANT_VM_IDS && g->flags & AXHVC_GRANT_F_LEVEL)
		return -EINVAL;
	if (g->kind == AXHVC_GRANT_GIC_SPIS && g->last > AXHVC_GIC_SPI_LAST - AXHVC_GIC_SPI_BASE)
		return -EINVAL;
	if (!(g->flags & AXHVC_GRANT_F_REVOKE) &&
	    g->uid == AXHVC_GRANT_NOBODY && g->gid == AXHVC_GRANT_NOBODY)
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(axhvc_check_grant);

/* The grant of @kind covering @nr, under axhvc_grant_lock. */
static struct axhvc_grant_entry *axhvc_grant_find(u32 kind, u64 nr)
{
	struct axhvc_grant_entry *e;

	lockdep_assert_held(&axhvc_grant_lock);
	list_for_each_entry(e, &axhvc_grants, link)
		if (e->kind == kind && nr >= e->first && nr <= e->last)
			return e;
	return NULL;
}

static int axhvc_grant_add(const struct axhvc_grant *g)
{
	struct axhvc_grant_entry *e, *n;
	int ret = 0;

	n = kzalloc(sizeof(*n), GFP_KERNEL);
	if (!n)
		return -ENOMEM;
	n->kind = g->kind;
	n->level = g->flags & AXHVC_GRANT_F_LEVEL;
	n->first = g->first;
	n->last = g->last;
	/* The ids are those of the initial user namespace, as root sees them. */
	n->uid = g->uid == AXHVC_GRANT_NOBODY ? INVALID_UID :
					       make_kuid(&init_user_ns, g->uid);
	n->gid = g->gid == AXHVC_GRANT_NOBODY ? INVALID_GID :
					       make_kgid(&init_user_ns, g->gid);

	mutex_lock(&axhvc_grant_lock);
	list_for_each_entry(e, &axhvc_grants, link)
		if (e->kind == n->kind && n->first <= e->last && e->first <= n->last)
			ret = -EEXIST;
	if (!ret && axhvc_nr_grants == AXHVC_MAX_GRANTS)
		ret = -ENOSPC;
	if (!ret) {
		list_add_tail(&n->link, &axhvc_grants);
		axhvc_nr_grants++;
	}
	mutex_unlock(&axhvc_grant_lock);
	if (ret)
		kfree(n);
	return ret;
}

static int axhvc_grant_revoke(const struct axhvc_grant *g)
{
	struct axhvc_grant_entry *e, *found = NULL;

	mutex_lock(&axhvc_grant_lock);
	list_for_each_entry(e, &axhvc_grants, link)
		if (e->kind == g->kind && e->first == g->first && e->last == g->last)
			found = e;
	if (found) {
		list_del(&found->link);
		axhvc_nr_grants--;
	}
	mutex_unlock(&axhvc_grant_lock);
	kfree(found);
	return found ? 0 : -ENOENT;
}

/**
 * axhvc_grant_set() - AXHVC_SET_GRANT
 * @ugrant: the caller's &struct axhvc_grant
 *
 * Return: 0 or a negative errno, as documented for AXHVC_SET_GRANT.
 */
long axhvc_grant_set(const struct axhvc_grant __user *ugrant)
{
	struct axhvc_grant g;
	int ret;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	ret = axhvc_get_arg(g, ugrant, AXHVC_GRANT_SIZE_VER0) ?: axhvc_check_grant(&g);
	if (ret)
		return ret;
	return g.flags & AXHVC_GRANT_F_REVOKE ? axhvc_grant_revoke(&g) : axhvc_grant_add(&g);
}

/* Is the grant for the calling task? */
static bool axhvc_grant_is_mine(const struct axhvc_grant_entry *e)
{
	return (uid_valid(e->uid) && uid_eq(current_euid(), e->uid)) ||
	       (gid_valid(e->gid) && in_egroup_p(e->gid));
}

/**
 * axhvc_grant_vm_id() - may the caller register a VM with id @id?
 * @id: the VM id
 * @bound: out: the id is the caller's by the administrator's word (it is
 *	granted to the caller, or the caller is the administrator), not
 *	merely an id nobody was granted
 *
 * Return: 0, or -EACCES when @id is granted to somebody else.
 */
int axhvc_grant_vm_id(u64 id, bool *bound)
{
	struct axhvc_grant_entry *e;
	int ret = 0;

	if (capable(CAP_SYS_ADMIN)) {
		*bound = true;
		return 0;
	}
	mutex_lock(&axhvc_grant_lock);
	e = axhvc_grant_find(AXHVC_GRANT_VM_IDS, id);
	*bound = e;
	if (e && !axhvc_grant_is_mine(e))
		ret = -EACCES;
	mutex_unlock(&axhvc_grant_lock);
	return ret;
}

/**
 * axhvc_grant_spi() - may the caller forward host GIC SPI @spi?
 * @spi: the SPI number (INTID - 32)
 * @level: out: the line's trigger as granted; untouched for the
 *	administrator, who may forward lines nobody granted
 *
 * Return: 1 when granted to the caller, 0 for the administrator without a
 * grant (@level unknown), or -EACCES.
 */
int axhvc_grant_spi(u32 spi, bool *level)
{
	bool admin = capable(CAP_SYS_ADMIN);
	struct axhvc_grant_entry *e;
	int ret;

	mutex_lock(&axhvc_grant_lock);
	e = axhvc_grant_find(AXHVC_GRANT_GIC_SPIS, spi);
	if (e && (admin || axhvc_grant_is_mine(e))) {
		*level = e->level;
		ret = 1;
	} else {
		ret = admin ? 0 : -EACCES;
	}
	mutex_unlock(&axhvc_grant_lock);
	return ret;
}

/**
 * axhvc_grant_exit() - forget every grant (module unload)
 */
void axhvc_grant_exit(void)
{
	struct axhvc_grant_entry *e, *tmp;

	list_for_each_entry_safe(e, tmp, &axhvc_grants, link)
		kfree(e);
	INIT_LIST_HEAD(&axhvc_grants);
	axhvc_nr_grants = 0;
}
