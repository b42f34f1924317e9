/* SPDX-License-Identifier: GPL-2.0 */
/* axhvc: internal declarations shared by the module's files and KUnit. */
#ifndef _AXHVC_DRV_H
#define _AXHVC_DRV_H

#include <linux/fs.h>
#include <linux/ioport.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/maple_tree.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/ratelimit_types.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/spinlock_types.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include <linux/wait.h>
#include <linux/xarray.h>

#include <uapi/axhvc.h>

#include "axhvc_compat.h"
#include "axhvc_uapi.h"

#define AXHVC_DEV_NAME	"axhvc"

struct eventfd_ctx;
struct pid;
struct kvm;
struct kvm_vcpu;
struct mm_struct;
struct vm_area_struct;
struct axhvc_allowed;

/* How a hypercall reached the dispatcher (reported by the tracepoints). */
enum axhvc_route {
	AXHVC_ROUTE_FORWARDED,
	AXHVC_ROUTE_INTERCEPT,
	AXHVC_NR_ROUTES,
};

/**
 * struct axhvc_vm - an AxVisor VM registered by its VMM
 *
 * Each field is written only by its owner's file. Set by axhvc_vm.c at
 * creation, then fixed:
 * @vm_id: the VM's AxVisor id; the key of the VM registry.
 * @flags: AXHVC_VM_F_* flags.
 * @ivc_base: guest-physical base of the IVC window.
 * @ivc_size: size of the IVC window (0: none).
 * @event_size: the size of each event read() returns (VMM-chosen).
 * @mm: the creating process's mm (grabbed): only it issues the VM's ioctls.
 * @owner: the creating process (its thread group), for the host view.
 * @owner_uid: the creator's euid: allowlists trust the publisher's own user.
 * @id_bound: @vm_id is the creator's by grant (or the creator is the
 *	administrator), so an allowlist naming it names this tenant.
 * @kvm: with %AXHVC_VM_F_INTERCEPT, the KVM VM (a reference is held).
 * @refs: the VM fd's reference and the host view's while it looks.
 *
 * axhvc_hypercall.c's:
 * @hc_calls: hypercalls served, by route and code (atomic, no lock).
 * @hc_errors: hypercalls that returned an error to the guest.
 * @debug_rs: rate limit of this VM's HyperVisorDebug log lines.
 *
 * axhvc_kvm.c's:
 * @kvm_node: in the table of bound VMs, while bound.
 * @intercept_calls: intercepted calls in flight; unbinding waits for none.
 *
 * axhvc_guest.c's:
 * @regions_lock: serialises additions to @regions.
 * @nr_regions: valid entries of @regions; store-release under @regions_lock,
 *	load-acquire without it: a published region never changes.
 * @regions: the guest RAM regions.
 *
 * axhvc_window.c's:
 * @window_lock: protects @ivc_window and @window_mapping, and keeps a
 *	range's pages alive while a fault maps them.
 * @ivc_window: the window's ranges, by page; each maps to its page array.
 * @window_mapping: the VM fd's own address space; NULL until the fd exists.
 *
 * axhvc_ivc.c's, under its registry lock:
 * @ivc_maps: the VM's channel mappings, published and subscribed.
 * @ivc_nr_channels: how many mappings the VM holds.
 * @ivc_bytes: the host memory behind them in bytes (whole host pages).
 * @ivc_max_channels: limit of @ivc_nr_channels.
 * @ivc_max_bytes: limit of @ivc_bytes.
 * @ivc_allow: who may subscribe to the VM's channels, NULL for everyone.
 * @doorbell: what HIVCNotify aimed at this VM signals, or NULL.
 * @doorbell_intid: else the guest INTID HIVCNotify raises, or 0.
 *
 * axhvc_ivc.c's, the channel events read from the VM fd:
 * @events_lock: protects @events, @ev_head, @ev_count and @ev_lost.
 * @events_wq: readers and pollers of the VM fd wait here for events.
 * @events: queued channel events, a ring of @ev_count starting at @ev_head.
 * @ev_head: oldest queued event.
 * @ev_count: how many events are queued.
 * @ev_lost: events were dropped since the queue was last drained.
 *
 * vgic_bridge_irq.c's:
 * @irq_lock: protects @irq_routes and the forwards hanging off it.
 * @irq_routes: guest INTID -> how to raise it, and the host IRQ forwarded.
 */
struct axhvc_vm {
	u64 vm_id;
	u32 flags;
	u64 ivc_base;
	u64 ivc_size;
	u32 event_size;
	struct mm_struct *mm;
	struct pid *owner;
	kuid_t owner_uid;
	bool id_bound;
	struct kvm *kvm;
	struct kref refs;

	atomic64_t hc_calls[AXHVC_NR_ROUTES][AXHVC_HC_COUNT];
	atomic64_t hc_errors;
	struct ratelimit_state debug_rs;

	struct hlist_node kvm_node;
	atomic_t intercept_calls;

	struct mutex regions_lock;	/* see above */
	unsigned int nr_regions;
	struct axhvc_mem_region regions[AXHVC_MAX_MEM_REGIONS];

	struct mutex window_lock;	/* see above */
	struct maple_tree ivc_window;
	struct address_space *window_mapping;

	struct list_head ivc_maps;
	u32 ivc_nr_channels;
	u32 ivc_max_channels;
	u64 ivc_bytes;
	u64 ivc_max_bytes;
	struct axhvc_allowed *ivc_allow;
	struct eventfd_ctx *doorbell;
	u32 doorbell_intid;

	spinlock_t events_lock;		/* see above */
	wait_queue_head_t events_wq;
	struct axhvc_event events[AXHVC_EVENT_QUEUE_LEN];
	unsigned int ev_head;
	unsigned int ev_count;
	bool ev_lost;

	struct mutex irq_lock;		/* see above */
	struct xarray irq_routes;
};

/* The files, top to bottom (Documentation/overview.rst, "Layers"). */

/* axhvc_host.c */
long axhvc_list_vms(struct axhvc_vm_list __user *ulist);
long axhvc_list_all_channels(struct axhvc_host_channel_list __user *ulist);

/* axhvc_vm.c */
long axhvc_vm_create(const struct axhvc_vm_config __user *uconf);
void axhvc_vm_put(struct axhvc_vm *vm);
u32 axhvc_vm_get_all(struct axhvc_vm **vms, u32 room);
void axhvc_vm_exit(void);

/* ivc_chardev.c */
long axhvc_ivc_chardev_ioctl(struct axhvc_vm *vm, unsigned int cmd,
			     void __user *argp);
ssize_t axhvc_ivc_chardev_read(struct file *file, char __user *buf, size_t len,
			       loff_t *ppos);
__poll_t axhvc_ivc_chardev_poll(struct file *file, poll_table *wait);
int axhvc_ivc_chardev_mmap(struct file *file, struct vm_area_struct *vma);

/* axhvc_kvm.c: everything that depends on KVM's internals. */
bool axhvc_kvm_intercept_supported(void);
struct kvm *axhvc_kvm_get_from_fd(int fd);
void axhvc_kvm_put(struct kvm *kvm);
int axhvc_kvm_bind(struct axhvc_vm *vm);
void axhvc_kvm_unbind(struct axhvc_vm *vm);
int axhvc_kvm_init(void);
void axhvc_kvm_exit(void);

/* axhvc_hypercall.c */

/**
 * struct axhvc_call - one hypercall, whichever route brought it
 * @vm: the calling VM.
 * @x: the guest's x0..x6; the code is x0 truncated to 32 bits.
 * @vcpu_id: the calling vCPU.
 * @route: how the call arrived.
 */
struct axhvc_call {
	struct axhvc_vm *vm;
	u64 x[7];
	u32 vcpu_id;
	enum axhvc_route route;
};

/* Dispatcher verdicts: x0 = result; the VMM's to decide; not AxVisor's. */
#define AXHVC_CALL_DONE		0
#define AXHVC_CALL_TO_VMM	1
#define AXHVC_CALL_NOT_OURS	2

/* The dispatcher's range check, inline for the intercept's ftrace callback. */
static __always_inline bool axhvc_hc_is_axvisor(u64 x0)
{
	return (u32)x0 < AXHVC_HC_COUNT;
}

int axhvc_dispatch(const struct axhvc_call *call, u64 *ret);
u64 axhvc_encode_result(u32 vm_flags, long result);
void axhvc_hc_vm_init(struct axhvc_vm *vm);
void axhvc_hc_vm_info(struct axhvc_vm *vm, struct axhvc_vm_info *info);

/* axhvc_ivc.c */
/* Channel sizes are 4 KiB multiples on any host page size (ivc.rst). */
#define AXHVC_IVC_GRANULE	SZ_4K

long axhvc_ivc_hc_map(struct axhvc_vm *vm, u64 pub_id, u64 key, u64 base_gpa,
		      u64 size_gpa, bool publish);
int axhvc_ivc_drop(struct axhvc_vm *vm, u64 pub_id, u64 key, bool publisher);
int axhvc_ivc_notify(struct axhvc_vm *vm, u64 pub_id, u64 key, u64 target);
void axhvc_ivc_vm_init(struct axhvc_vm *vm);
void axhvc_ivc_vm_release(struct axhvc_vm *vm);
u32 axhvc_ivc_nr_channels(struct axhvc_vm *vm);
bool axhvc_ivc_has_events(struct axhvc_vm *vm);
bool axhvc_ivc_pop_event(struct axhvc_vm *vm, struct axhvc_event *ev);
void axhvc_ivc_events_lost(struct axhvc_vm *vm);
int axhvc_ivc_set_doorbell(struct axhvc_vm *vm, struct eventfd_ctx *ctx,
			   u32 intid);
int axhvc_ivc_set_limits(struct axhvc_vm *vm, struct axhvc_vm_limits *lim);
int axhvc_ivc_set_allowlist(struct axhvc_vm *vm, const u64 *ids, u32 nr);
int axhvc_ivc_list(struct axhvc_vm *vm, struct axhvc_channel_info *info,
		   u32 max, u32 *nr);
int axhvc_ivc_get(struct axhvc_vm *vm, u64 pub_id, u64 key,
		  struct axhvc_channel_info *info, u64 *subs, u32 max);
int __must_check axhvc_ivc_registry_lock(void);
void axhvc_ivc_registry_unlock(void);
void axhvc_ivc_vm_info(struct axhvc_vm *vm, struct axhvc_vm_info *info);
int axhvc_ivc_host_counts(u32 *nr_chans, u32 *nr_maps);
int axhvc_ivc_list_all(struct axhvc_host_channel *chans, u32 max_chans,
		       u64 *subs, u32 max_subs, u32 *nr_chans, u32 *nr_subs);
void axhvc_ivc_limits(u32 *max_channels, u64 *max_bytes, u64 *max_chan_size);
int axhvc_ivc_init(void);
void axhvc_ivc_exit(void);

/* Hands a new mapping's GPA and size to the guest or KUnit; error undoes. */
typedef int (*axhvc_ivc_report_t)(struct axhvc_vm *vm, u64 gpa, u64 size,
				  void *ctx);

/* vgic_bridge_irq.c */
int axhvc_irq_inject(struct axhvc_vm *vm, u32 intid);
int axhvc_irq_set_route(struct axhvc_vm *vm, u32 intid, int efd);
int axhvc_irq_fwd_add(struct axhvc_vm *vm, const struct axhvc_irq_forward *f);
int axhvc_irq_fwd_del(struct axhvc_vm *vm, const struct axhvc_irq_forward *f);
int axhvc_irq_get_state(struct axhvc_vm *vm, struct axhvc_irq_state *st);
void axhvc_irq_count(struct axhvc_vm *vm, u32 *nr_routes, u32 *nr_forwards);
void axhvc_irq_vm_init(struct axhvc_vm *vm);
void axhvc_irq_vm_release(struct axhvc_vm *vm);

/* axhvc_grant.c */
long axhvc_grant_set(const struct axhvc_grant __user *ugrant);
int axhvc_grant_vm_id(u64 id, bool *bound);
int axhvc_grant_spi(u32 spi, bool *level);
void axhvc_grant_exit(void);

/* vgic_bridge.c: AxVisor's ArchIf GIC operations. */

/**
 * struct axhvc_gic_fw - the host GIC as the firmware describes it
 * @version: 2 or 3.
 * @gicd: the distributor.
 * @gicr: with a GICv3, the first redistributor region; unused otherwise.
 * @source: where the description came from, for the log.
 */
struct axhvc_gic_fw {
	u32 version;
	struct resource gicd;
	struct resource gicr;
	const char *source;
};

void axhvc_vgic_init(void);
bool axhvc_vgic_host_gic_found(void);
u32 axhvc_vgic_nr_spis(void);
int axhvc_vgic_spi_to_irq(u32 spi, bool level);
int axhvc_vgic_irq_to_spi(unsigned int irq);
long axhvc_vgic_get_host_gic(struct axhvc_host_gic __user *argp);

/* axhvc_window.c */
void axhvc_window_init(struct axhvc_vm *vm);
void axhvc_window_destroy(struct axhvc_vm *vm);
void axhvc_window_set_mapping(struct axhvc_vm *vm, struct address_space *mapping);
int axhvc_window_alloc(struct axhvc_vm *vm, unsigned long nr_pages,
		       struct page **pages, unsigned long *first);
void axhvc_window_free(struct axhvc_vm *vm, unsigned long first,
		       unsigned long nr_pages);
void axhvc_window_lock(struct axhvc_vm *vm);
void axhvc_window_unlock(struct axhvc_vm *vm);
struct page *axhvc_window_page(struct axhvc_vm *vm, unsigned long pgoff);

/* axhvc_guest.c */

/**
 * struct axhvc_guest_u64 - a u64 of guest memory, pinned for writing
 * @page: the VMM's page that holds it, pinned
 * @offset: the u64's offset in @page
 * @dirty: written through axhvc_guest_u64_set()
 */
struct axhvc_guest_u64 {
	struct page *page;
	unsigned int offset;
	bool dirty;
};

void axhvc_guest_init(struct axhvc_vm *vm);
void axhvc_guest_destroy(struct axhvc_vm *vm);
int axhvc_guest_add_region(struct axhvc_vm *vm, const struct axhvc_mem_region *r);
unsigned int axhvc_guest_nr_regions(const struct axhvc_vm *vm);
/*
 * The VMM's address of the aligned u64 at @gpa in a RAM region, or NULL (also
 * outside the VMM's mm). Inline: a guest polling for a channel not yet
 * published checks its pointers with it first, and that must stay cheap.
 */
static inline u64 __user *axhvc_guest_u64_ptr(const struct axhvc_vm *vm, u64 gpa)
{
	unsigned int i, n;

	if (!IS_ALIGNED(gpa, sizeof(u64)) || current->mm != vm->mm)
		return NULL;
	/* Pairs with the release in axhvc_guest_add_region(). */
	n = smp_load_acquire(&vm->nr_regions);
	for (i = 0; i < n; i++) {
		const struct axhvc_mem_region *r = &vm->regions[i];

		if (gpa >= r->gpa && gpa - r->gpa <= r->memory_size - sizeof(u64))
			return u64_to_user_ptr(r->uaddr + (gpa - r->gpa));
	}
	return NULL;
}

int axhvc_guest_pin_u64(const struct axhvc_vm *vm, u64 gpa,
			struct axhvc_guest_u64 *g);
u64 axhvc_guest_u64_get(const struct axhvc_guest_u64 *g);
void axhvc_guest_u64_set(struct axhvc_guest_u64 *g, u64 val);
void axhvc_guest_unpin_u64(struct axhvc_guest_u64 *g);

#if IS_ENABLED(CONFIG_KUNIT)
long axhvc_dev_ioctl(struct file *file, unsigned int cmd, unsigned long arg);
int axhvc_api_version_fill(struct axhvc_api_version *ver);
int axhvc_check_grant(const struct axhvc_grant *g);
int axhvc_check_vm_config(const struct axhvc_vm_config *conf);
int axhvc_check_mem_region(const struct axhvc_vm *vm,
			   const struct axhvc_mem_region *r);
int axhvc_check_vm_list(const struct axhvc_vm_list *vl);
int axhvc_check_host_channel_list(const struct axhvc_host_channel_list *cl);
void axhvc_vm_info_fill(struct axhvc_vm *vm, struct axhvc_vm_info *info);
struct axhvc_vm *axhvc_vm_new(const struct axhvc_vm_config *conf, bool id_bound);
void axhvc_vm_destroy(struct axhvc_vm *vm);
int axhvc_ivc_publish(struct axhvc_vm *vm, u64 key, u64 want,
		      axhvc_ivc_report_t report, void *ctx);
int axhvc_ivc_subscribe(struct axhvc_vm *vm, u64 pub_id, u64 key,
			axhvc_ivc_report_t report, void *ctx);
u32 axhvc_subscribers_room(u32 asked, u32 nr_subscribers);
int axhvc_vgic_check_fw(const struct axhvc_gic_fw *fw);
int axhvc_vgic_describe(const struct axhvc_gic_fw *fw, u32 typer, u32 iidr,
			struct axhvc_host_gic *gic);
int axhvc_vgic_host_gic_fill(struct axhvc_host_gic *gic);
#endif

#endif /* _AXHVC_DRV_H */
