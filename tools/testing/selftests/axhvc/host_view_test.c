// SPDX-License-Identifier: GPL-2.0
/*
 * The operator's host view: AXHVC_LIST_VMS and AXHVC_LIST_ALL_CHANNELS.
 * Two real VMs, A (forwarded route; intercept on a kernel without KVM's
 * SMCCC filter) and B (the in-kernel intercept where the kernel allows it),
 * publish and subscribe through guest hypercalls; every field of both lists
 * is checked, the per-VM hypercall counters must move by
 * exactly the calls made (per code, per route, errors), each UAPI rule has
 * its negative test (EINVAL, E2BIG, EFAULT, EPERM without CAP_SYS_ADMIN),
 * and the installed axhvcctl must show the same, as text and as valid JSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/capability.h>

#include "kselftest_harness.h"
#include "vmm.h"
#include "hypercall_lib.h"

#define ID_A		4101
#define ID_B		4102
#define ID_C		4103
#define KEY_A1		0x1111ULL
#define KEY_A2		0xfeedface00000001ULL	/* above 2^53: JSON needs a string */
#define KEY_B1		0x2222ULL
#define A_INTID		40
#define B_ROUTE_INTID	41
#define A_MAX_CHANNELS	10
#define A_MAX_BYTES	0x100000ULL
#define AXHVCCTL	"axhvcctl"

struct hv_vm {
	struct vmm_vm *vm;
	struct vmm_vcpu *vcpu;
	int vmfd;
	__u64 buf;		/* guest RAM for pointer arguments */
};

FIXTURE(hv) {
	int axfd;
	bool a_intercept;	/* A's route: forwarded, unless there is none */
	bool intercept;		/* B's route */
	struct hv_vm a, b;
	int b_db, b_route;	/* B's doorbell and INTID route eventfds */
	struct axhvc_vm_limits b_lim;	/* B's limits: the module's */
};

static int hv_vm_create(struct hv_vm *v, int axfd, __u64 id, __u32 flags,
			bool intercept)
{
	v->vm = vmm_vm_create_with_vcpus(1, 0);
	if (!v->vm)
		return -ENOMEM;
	v->vcpu = v->vm->vcpus[0];
	v->vmfd = register_vm(axfd, v->vm, id, flags, intercept, true);
	if (v->vmfd < 0)
		return v->vmfd;
	v->buf = vmm_guest_alloc(v->vm, 4096);
	return v->buf ? 0 : -ENOMEM;
}

FIXTURE_SETUP(hv)
{
	struct axhvc_vm_limits lim = {
		.size = sizeof(lim),
		.max_channels = A_MAX_CHANNELS, .max_bytes = A_MAX_BYTES,
	};
	const char *why;
	int ret;

	self->a.vmfd = -1;
	self->b.vmfd = -1;
	self->b_db = -1;
	self->b_route = -1;
	why = axhvc_open_for_test(&self->axfd, false);
	if (why)
		SKIP(return, "%s", why);
	self->intercept = intercept_available(self->axfd);
	/* Before Linux 6.4 (no SMCCC filter) both VMs take the intercept route. */
	self->a_intercept = !smccc_filter_available();
	if (self->a_intercept && !self->intercept)
		SKIP(return, "this kernel has neither hypercall route");
	ret = hv_vm_create(&self->a, self->axfd, ID_A, AXHVC_VM_F_LIFECYCLE_TO_VMM,
			   self->a_intercept);
	ASSERT_EQ(0, ret) TH_LOG("VM A: %s", strerror(-ret));
	ret = hv_vm_create(&self->b, self->axfd, ID_B, AXHVC_VM_F_ERR_AXVISOR,
			   self->intercept);
	ASSERT_EQ(0, ret) TH_LOG("VM B: %s", strerror(-ret));

	/* A: lower limits and an INTID doorbell; B: an eventfd doorbell and a route. */
	ASSERT_EQ(0, ioctl(self->a.vmfd, AXHVC_VM_SET_LIMITS, &lim));
	ASSERT_EQ(0, libaxhvc_set_doorbell_intid(self->a.vmfd, A_INTID));
	self->b_db = eventfd(0, EFD_CLOEXEC);
	self->b_route = eventfd(0, EFD_CLOEXEC);
	ASSERT_LE(0, self->b_db);
	ASSERT_LE(0, self->b_route);
	ASSERT_EQ(0, libaxhvc_set_doorbell(self->b.vmfd, self->b_db));
	ASSERT_EQ(0, libaxhvc_set_irq_route(self->b.vmfd, B_ROUTE_INTID, self->b_route));
	/* All zero: reads B's limits, the module's defaults. */
	self->b_lim.size = sizeof(self->b_lim);
	ASSERT_EQ(0, ioctl(self->b.vmfd, AXHVC_VM_SET_LIMITS, &self->b_lim));
}

FIXTURE_TEARDOWN(hv)
{
	if (self->a.vmfd >= 0)
		close(self->a.vmfd);
	if (self->b.vmfd >= 0)
		close(self->b.vmfd);
	vmm_vm_destroy(self->a.vm);
	vmm_vm_destroy(self->b.vm);
	if (self->b_db >= 0)
		close(self->b_db);
	if (self->b_route >= 0)
		close(self->b_route);
	if (self->axfd >= 0)
		close(self->axfd);
}

/* Every VM of the host, malloc'ed; NULL on failure (logged). */
static struct axhvc_vm_info *list_vms(struct __test_metadata *_metadata,
				      int axfd, unsigned int *nr)
{
	struct axhvc_vm_list vl = { .size = sizeof(vl), .info_size = sizeof(struct axhvc_vm_info) };
	struct axhvc_vm_info *vms;

	if (ioctl(axfd, AXHVC_LIST_VMS, &vl) && errno != E2BIG) {
		TH_LOG("AXHVC_LIST_VMS: %s", strerror(errno));
		return NULL;
	}
	vms = calloc(vl.nr_vms + 1, sizeof(*vms));
	if (!vms)
		return NULL;
	vl.vms = (unsigned long)vms;
	if (ioctl(axfd, AXHVC_LIST_VMS, &vl)) {
		TH_LOG("AXHVC_LIST_VMS: %s", strerror(errno));
		free(vms);
		return NULL;
	}
	*nr = vl.nr_vms;
	return vms;
}

static const struct axhvc_vm_info *find_vm(const struct axhvc_vm_info *vms,
					   unsigned int nr, __u64 id)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (vms[i].vm_id == id)
			return &vms[i];
	return NULL;
}

struct chans {
	struct axhvc_host_channel *c;
	__u64 *subs;
	unsigned int nr, nr_subs;
};

static int list_chans(struct __test_metadata *_metadata, int axfd,
		      struct chans *cs)
{
	struct axhvc_host_channel_list cl = {
		.size = sizeof(cl), .channel_size = sizeof(struct axhvc_host_channel),
	};

	memset(cs, 0, sizeof(*cs));
	if (ioctl(axfd, AXHVC_LIST_ALL_CHANNELS, &cl) && errno != E2BIG) {
		TH_LOG("AXHVC_LIST_ALL_CHANNELS: %s", strerror(errno));
		return -1;
	}
	cs->c = calloc(cl.nr_channels + 1, sizeof(*cs->c));
	cs->subs = calloc(cl.nr_subscribers + 1, sizeof(*cs->subs));
	cl.channels = (unsigned long)cs->c;
	cl.subscribers = (unsigned long)cs->subs;
	if (!cs->c || !cs->subs || ioctl(axfd, AXHVC_LIST_ALL_CHANNELS, &cl)) {
		TH_LOG("AXHVC_LIST_ALL_CHANNELS: %s", strerror(errno));
		return -1;
	}
	cs->nr = cl.nr_channels;
	cs->nr_subs = cl.nr_subscribers;
	return 0;
}

static const struct axhvc_host_channel *find_chan(const struct chans *cs,
						  __u64 pub, __u64 key)
{
	unsigned int i;

	for (i = 0; i < cs->nr; i++)
		if (cs->c[i].publisher == pub && cs->c[i].key == key)
			return &cs->c[i];
	return NULL;
}

#define ON_A(res, ...)	CALL_ON(self->a.vcpu, self->a.vmfd, res, __VA_ARGS__)
#define ON_B(res, ...)	CALL_ON(self->b.vcpu, self->b.vmfd, res, __VA_ARGS__)
#define A_PTR(n)	(self->a.buf + 8 * (n))
#define B_PTR(n)	(self->b.buf + 8 * (n))
#define A_VAL(n)	(*(__u64 *)vmm_gpa_to_hva(self->a.vm, A_PTR(n)))
#define B_VAL(n)	(*(__u64 *)vmm_gpa_to_hva(self->b.vm, B_PTR(n)))

/* Expected counters of one VM. */
struct expect_calls {
	__u64 calls[AXHVC_HC_COUNT];
	__u64 errors;
};

static void check_calls(struct __test_metadata *_metadata,
			const struct axhvc_vm_info *v,
			const struct expect_calls *e, bool intercept)
{
	__u64 total = 0;
	unsigned int c;

	for (c = 0; c < AXHVC_HC_COUNT; c++) {
		EXPECT_EQ(e->calls[c], v->calls[c])
			TH_LOG("vm %llu code %u", (unsigned long long)v->vm_id, c);
		total += e->calls[c];
	}
	EXPECT_EQ(intercept ? 0 : total, v->calls_forwarded)
		TH_LOG("vm %llu", (unsigned long long)v->vm_id);
	EXPECT_EQ(intercept ? total : 0, v->calls_intercept)
		TH_LOG("vm %llu", (unsigned long long)v->vm_id);
	EXPECT_EQ(e->errors, v->errors) TH_LOG("vm %llu", (unsigned long long)v->vm_id);
}

/* A's calls (forwarded, or intercept) and B's (intercept, or forwarded). */
static const struct expect_calls expect_a = {
	.calls = { [1] = 1, [2] = 2, [3] = 2, [4] = 3, [7] = 1 },
	.errors = 1,
};

static const struct expect_calls expect_b = {
	.calls = { [0] = 1, [3] = 1, [4] = 1, [5] = 1, [6] = 1, [7] = 1 },
	.errors = 3,
};

/*
 * The guests' calls behind expect_a and expect_b: A publishes KEY_A1 and
 * KEY_A2 and subscribes to KEY_A1 itself; B subscribes to KEY_A1,
 * publishes KEY_B1, which A subscribes to, and unpublishes it (it lives on
 * for A). Plus debug, lifecycle and failing calls.
 */
static void run_guests(struct __test_metadata *_metadata,
		       struct _test_data_hv *self)
{
	struct hc_result res;
	__u64 x0;

	A_VAL(1) = 4096;
	ASSERT_EQ(0, ON_A(&res, AXHVC_HC_IVC_PUBLISH, KEY_A1, A_PTR(0), A_PTR(1)));
	A_VAL(1) = 5000;
	ASSERT_EQ(0, ON_A(&res, AXHVC_HC_IVC_PUBLISH, KEY_A2, A_PTR(0), A_PTR(1)));
	ASSERT_EQ(8192, A_VAL(1));
	ASSERT_EQ(0, ON_B(&res, AXHVC_HC_IVC_SUBSCRIBE, ID_A, KEY_A1, B_PTR(0), B_PTR(1)));
	ASSERT_EQ(0, ON_A(&res, AXHVC_HC_IVC_SUBSCRIBE, ID_A, KEY_A1, A_PTR(0), A_PTR(1)));
	B_VAL(1) = 4096;
	ASSERT_EQ(0, ON_B(&res, AXHVC_HC_IVC_PUBLISH, KEY_B1, B_PTR(0), B_PTR(1)));
	ASSERT_EQ(0, ON_A(&res, AXHVC_HC_IVC_SUBSCRIBE, ID_B, KEY_B1, A_PTR(0), A_PTR(1)));
	ASSERT_EQ(0, ON_B(&res, AXHVC_HC_IVC_UNPUBLISH, KEY_B1));
	/* Debug twice, and a lifecycle call that is A's VMM's to decide. */
	ASSERT_EQ(0, ON_A(&res, AXHVC_HC_HYPERVISOR_DEBUG, 1, 2, 3));
	ASSERT_EQ(0, ON_A(&res, AXHVC_HC_HYPERVISOR_DEBUG, 4));
	ASSERT_EQ(VMM_DECIDES, ON_A(&res, AXHVC_HC_HYPERVISOR_PREPARE_DISABLE));
	ASSERT_EQ(1, res.to_vmm);
	/* A rings B (eventfd doorbell): fine; a subscribe to nothing: ENOENT. */
	ASSERT_EQ(0, ON_A(&res, AXHVC_HC_IVC_NOTIFY, ID_A, KEY_A1, ID_B));
	x0 = ON_A(&res, AXHVC_HC_IVC_SUBSCRIBE, ID_A, 0x9999, A_PTR(0), A_PTR(1));
	ASSERT_EQ((__u64)-ENOENT, x0);
	/* B's errors, in AxVisor's encoding: disable, a notify, an unsubscribe. */
	ASSERT_EQ(~0ULL, ON_B(&res, AXHVC_HC_HYPERVISOR_DISABLE));
	/* A's INTID doorbell has no route: as if there were no doorbell. */
	ASSERT_EQ(~0ULL, ON_B(&res, AXHVC_HC_IVC_NOTIFY, ID_A, KEY_A1, ID_A));
	ASSERT_EQ(~0ULL, ON_B(&res, AXHVC_HC_IVC_UNSUBSCRIBE, ID_A, 0x7777));
}

TEST_F(hv, feature_bit)
{
	struct axhvc_api_version v = { .size = sizeof(v) };

	ASSERT_EQ(0, ioctl(self->axfd, AXHVC_GET_API_VERSION, &v));
	EXPECT_TRUE(v.features & AXHVC_FEATURE_HOST_VIEW);
}

/*
 * A lifecycle call on the intercept route reaches the VMM, which passes it
 * to AXHVC_VM_HYPERCALL as it does on the forwarded route (serve_exit()):
 * the VMM decides, and the host view counts the guest's call once.
 */
TEST_F(hv, intercept_handoff_counted_once)
{
	const struct expect_calls e = { .calls = { [0] = 1, [1] = 2 } };
	struct hv_vm c = { .vmfd = -1 };
	const struct axhvc_vm_info *info;
	struct axhvc_vm_info *vms;
	struct hc_result res = { 0 };
	unsigned int nr, i;
	int ret;

	if (!self->intercept)
		SKIP(return, "this kernel does not let axhvc intercept");
	ret = hv_vm_create(&c, self->axfd, ID_C, AXHVC_VM_F_LIFECYCLE_TO_VMM, true);
	ASSERT_EQ(0, ret) TH_LOG("VM C: %s", strerror(-ret));
	for (i = 0; i < 3; i++) {
		__u64 code = i < 2 ? AXHVC_HC_HYPERVISOR_PREPARE_DISABLE :
				     AXHVC_HC_HYPERVISOR_DISABLE;

		EXPECT_EQ(VMM_DECIDES, CALL_ON(c.vcpu, c.vmfd, &res, code));
		EXPECT_EQ(1, res.hypercall_exits);
		EXPECT_EQ(1, res.to_vmm);
	}

	vms = list_vms(_metadata, self->axfd, &nr);
	ASSERT_NE(NULL, vms);
	info = find_vm(vms, nr, ID_C);
	ASSERT_NE(NULL, info);
	check_calls(_metadata, info, &e, true);
	free(vms);
	close(c.vmfd);
	vmm_vm_destroy(c.vm);
}

TEST_F(hv, vms_and_counters)
{
	const struct axhvc_vm_info *a, *b;
	struct axhvc_vm_info *vms;
	struct expect_calls none = { 0 };
	unsigned int nr;

	vms = list_vms(_metadata, self->axfd, &nr);
	ASSERT_NE(NULL, vms);
	a = find_vm(vms, nr, ID_A);
	b = find_vm(vms, nr, ID_B);
	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);
	/* By ascending id. */
	EXPECT_LT(a - vms, b - vms);

	EXPECT_EQ(AXHVC_VM_F_LIFECYCLE_TO_VMM |
		  (self->a_intercept ? AXHVC_VM_F_INTERCEPT : 0), a->flags);
	EXPECT_EQ(AXHVC_VM_F_ERR_AXVISOR | (self->intercept ? AXHVC_VM_F_INTERCEPT : 0),
		  b->flags);
	EXPECT_EQ(getpid(), a->owner_tgid);
	EXPECT_EQ(getpid(), b->owner_tgid);
	EXPECT_EQ(IVC_BASE, a->ivc_base);
	EXPECT_EQ(IVC_SIZE, a->ivc_size);
	EXPECT_EQ(IVC_SIZE, b->ivc_size);
	EXPECT_EQ(0, a->nr_channels);
	EXPECT_EQ(0, a->bytes);
	EXPECT_EQ(A_MAX_CHANNELS, a->max_channels);
	EXPECT_EQ(A_MAX_BYTES, a->max_bytes);
	EXPECT_EQ(self->b_lim.max_channels, b->max_channels);
	EXPECT_EQ(self->b_lim.max_bytes, b->max_bytes);
	EXPECT_EQ(AXHVC_VMI_DOORBELL_INTID, a->doorbell);
	EXPECT_EQ(A_INTID, a->doorbell_intid);
	EXPECT_EQ(AXHVC_VMI_DOORBELL_EVENTFD, b->doorbell);
	EXPECT_EQ(0, b->doorbell_intid);
	EXPECT_EQ(0, a->nr_irq_routes);
	EXPECT_EQ(1, b->nr_irq_routes);
	EXPECT_EQ(0, b->nr_irq_forwards);
	EXPECT_EQ(1, a->nr_mem_regions);
	EXPECT_EQ(1, b->nr_mem_regions);
	EXPECT_EQ(0, a->__reserved);
	check_calls(_metadata, a, &none, self->a_intercept);
	check_calls(_metadata, b, &none, self->intercept);
	free(vms);

	run_guests(_metadata, self);

	vms = list_vms(_metadata, self->axfd, &nr);
	ASSERT_NE(NULL, vms);
	a = find_vm(vms, nr, ID_A);
	b = find_vm(vms, nr, ID_B);
	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);
	/* A: two publications, two subscriptions; B: one subscription. */
	EXPECT_EQ(4, a->nr_channels);
	EXPECT_EQ(4096 + 8192 + 4096 + 4096, a->bytes);
	EXPECT_EQ(1, b->nr_channels);
	EXPECT_EQ(4096, b->bytes);
	check_calls(_metadata, a, &expect_a, self->a_intercept);
	check_calls(_metadata, b, &expect_b, self->intercept);
	free(vms);

	/* A VM that goes away leaves the list. */
	close(self->b.vmfd);
	self->b.vmfd = -1;
	vms = list_vms(_metadata, self->axfd, &nr);
	ASSERT_NE(NULL, vms);
	EXPECT_EQ(NULL, find_vm(vms, nr, ID_B));
	a = find_vm(vms, nr, ID_A);
	ASSERT_NE(NULL, a);
	/* B's KEY_B1 stays: A still holds it. */
	EXPECT_EQ(4, a->nr_channels);
	free(vms);
}

TEST_F(hv, all_channels)
{
	const struct axhvc_host_channel *c1, *c2, *cb;
	struct chans cs;

	run_guests(_metadata, self);
	ASSERT_EQ(0, list_chans(_metadata, self->axfd, &cs));
	c1 = find_chan(&cs, ID_A, KEY_A1);
	c2 = find_chan(&cs, ID_A, KEY_A2);
	cb = find_chan(&cs, ID_B, KEY_B1);
	ASSERT_NE(NULL, c1);
	ASSERT_NE(NULL, c2);
	ASSERT_NE(NULL, cb);
	/* In the order they were published. */
	EXPECT_LT(c1 - cs.c, c2 - cs.c);
	EXPECT_LT(c2 - cs.c, cb - cs.c);

	EXPECT_EQ(4096, c1->size);
	EXPECT_EQ(AXHVC_CHAN_F_PUBLISHED, c1->flags);
	ASSERT_EQ(2, c1->nr_subscribers);
	ASSERT_LE(c1->first_subscriber + 2, cs.nr_subs);
	EXPECT_EQ(ID_B, cs.subs[c1->first_subscriber]);
	EXPECT_EQ(ID_A, cs.subs[c1->first_subscriber + 1]);
	EXPECT_EQ(0, c1->__reserved);

	EXPECT_EQ(8192, c2->size);
	EXPECT_EQ(AXHVC_CHAN_F_PUBLISHED, c2->flags);
	EXPECT_EQ(0, c2->nr_subscribers);

	/* Unpublished, alive for its subscriber A. */
	EXPECT_EQ(4096, cb->size);
	EXPECT_EQ(0, cb->flags);
	ASSERT_EQ(1, cb->nr_subscribers);
	ASSERT_LE(cb->first_subscriber + 1, cs.nr_subs);
	EXPECT_EQ(ID_A, cs.subs[cb->first_subscriber]);
	free(cs.c);
	free(cs.subs);

	/*
	 * A leaves: KEY_A1 lives on unpublished for B, KEY_A2 goes, and
	 * KEY_B1 goes with its last subscriber.
	 */
	close(self->a.vmfd);
	self->a.vmfd = -1;
	ASSERT_EQ(0, list_chans(_metadata, self->axfd, &cs));
	c1 = find_chan(&cs, ID_A, KEY_A1);
	ASSERT_NE(NULL, c1);
	EXPECT_EQ(0, c1->flags);
	ASSERT_EQ(1, c1->nr_subscribers);
	EXPECT_EQ(ID_B, cs.subs[c1->first_subscriber]);
	EXPECT_EQ(NULL, find_chan(&cs, ID_A, KEY_A2));
	EXPECT_EQ(NULL, find_chan(&cs, ID_B, KEY_B1));
	free(cs.c);
	free(cs.subs);
}

TEST_F(hv, einval)
{
	struct axhvc_host_channel_list cl = {
		.size = sizeof(cl), .channel_size = sizeof(struct axhvc_host_channel),
		.flags = 1,
	};
	struct axhvc_vm_list vl = {
		.size = sizeof(vl), .info_size = sizeof(struct axhvc_vm_info),
		.flags = 1,
	};

	EXPECT_EQ(-1, ioctl(self->axfd, AXHVC_LIST_VMS, &vl));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(1, vl.flags);
	EXPECT_EQ(0, vl.nr_vms) TH_LOG("a refused call must write nothing");
	vl = (struct axhvc_vm_list){ .size = sizeof(vl), .flags = 1U << 31,
				     .info_size = sizeof(struct axhvc_vm_info) };
	EXPECT_EQ(-1, ioctl(self->axfd, AXHVC_LIST_VMS, &vl));
	EXPECT_EQ(EINVAL, errno);
	vl = (struct axhvc_vm_list){ .size = sizeof(vl) };
	EXPECT_EQ(-1, ioctl(self->axfd, AXHVC_LIST_VMS, &vl)) TH_LOG("no info_size");
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, vl.nr_vms);

	EXPECT_EQ(-1, ioctl(self->axfd, AXHVC_LIST_ALL_CHANNELS, &cl));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, cl.nr_channels);
	cl = (struct axhvc_host_channel_list){
		.size = sizeof(cl), .__reserved = 1U << 31,
		.channel_size = sizeof(struct axhvc_host_channel),
	};
	EXPECT_EQ(-1, ioctl(self->axfd, AXHVC_LIST_ALL_CHANNELS, &cl));
	EXPECT_EQ(EINVAL, errno);
	cl = (struct axhvc_host_channel_list){ .size = sizeof(cl) };
	EXPECT_EQ(-1, ioctl(self->axfd, AXHVC_LIST_ALL_CHANNELS, &cl))
		TH_LOG("no channel_size");
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(hv, e2big)
{
	struct axhvc_host_channel_list cl = {
		.size = sizeof(cl), .channel_size = sizeof(struct axhvc_host_channel),
	};
	struct axhvc_host_channel chans[8];
	struct axhvc_vm_list vl = { .size = sizeof(vl), .info_size = sizeof(struct axhvc_vm_info) };
	struct axhvc_vm_info one;
	unsigned int need_c, need_s;
	__u64 subs[8];

	/* Two VMs at least: room for one is too little, and nothing is written. */
	memset(&one, 0xa5, sizeof(one));
	vl.vms = (unsigned long)&one;
	vl.nr_vms = 1;
	EXPECT_EQ(-1, ioctl(self->axfd, AXHVC_LIST_VMS, &vl));
	EXPECT_EQ(E2BIG, errno);
	EXPECT_LE(2, vl.nr_vms);
	EXPECT_EQ(0xa5a5a5a5a5a5a5a5ULL, one.vm_id);
	/* No room at all, no array: the count. */
	vl = (struct axhvc_vm_list){
		.size = sizeof(vl), .info_size = sizeof(struct axhvc_vm_info),
	};
	EXPECT_EQ(-1, ioctl(self->axfd, AXHVC_LIST_VMS, &vl));
	EXPECT_EQ(E2BIG, errno);
	EXPECT_LE(2, vl.nr_vms);

	run_guests(_metadata, self);
	ASSERT_EQ(-1, ioctl(self->axfd, AXHVC_LIST_ALL_CHANNELS, &cl));
	ASSERT_EQ(E2BIG, errno);
	need_c = cl.nr_channels;
	need_s = cl.nr_subscribers;
	EXPECT_LE(3, need_c);
	EXPECT_LE(3, need_s);
	if (need_c > 8 || need_s > 8)
		SKIP(return, "other channels on the host");
	/* Enough channels, one subscriber short: E2BIG, nothing written. */
	memset(chans, 0xa5, sizeof(chans));
	memset(subs, 0xa5, sizeof(subs));
	cl = (struct axhvc_host_channel_list){
		.size = sizeof(cl), .channel_size = sizeof(struct axhvc_host_channel),
		.channels = (unsigned long)chans, .nr_channels = 8,
		.subscribers = (unsigned long)subs, .nr_subscribers = need_s - 1,
	};
	EXPECT_EQ(-1, ioctl(self->axfd, AXHVC_LIST_ALL_CHANNELS, &cl));
	EXPECT_EQ(E2BIG, errno);
	EXPECT_EQ(need_c, cl.nr_channels);
	EXPECT_EQ(need_s, cl.nr_subscribers);
	EXPECT_EQ(0xa5a5a5a5a5a5a5a5ULL, chans[0].publisher);
	EXPECT_EQ(0xa5a5a5a5a5a5a5a5ULL, subs[0]);
	/* And one channel short. */
	cl.nr_channels = need_c - 1;
	cl.nr_subscribers = 8;
	EXPECT_EQ(-1, ioctl(self->axfd, AXHVC_LIST_ALL_CHANNELS, &cl));
	EXPECT_EQ(E2BIG, errno);
	/* Exactly enough. */
	cl.nr_channels = need_c;
	cl.nr_subscribers = need_s;
	EXPECT_EQ(0, ioctl(self->axfd, AXHVC_LIST_ALL_CHANNELS, &cl));
	EXPECT_EQ(need_c, cl.nr_channels);
	EXPECT_EQ(need_s, cl.nr_subscribers);
}

TEST_F(hv, efault)
{
	struct axhvc_host_channel_list cl = {
		.size = sizeof(cl), .channel_size = sizeof(struct axhvc_host_channel),
	};
	struct axhvc_host_channel chans[64];
	struct axhvc_vm_list vl = { .size = sizeof(vl), .info_size = sizeof(struct axhvc_vm_info) };
	__u64 subs[64];
	void *ro;

	EXPECT_EQ(-1, ioctl(self->axfd, AXHVC_LIST_VMS, NULL));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(self->axfd, AXHVC_LIST_ALL_CHANNELS, NULL));
	EXPECT_EQ(EFAULT, errno);
	/*
	 * Room enough, but the array is not writable. The page starts with a
	 * request for the count alone, for the read-only argument below.
	 */
	ro = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	*(struct axhvc_vm_list *)ro = (struct axhvc_vm_list){
		.size = sizeof(vl), .info_size = sizeof(struct axhvc_vm_info),
	};
	ASSERT_EQ(0, mprotect(ro, 65536, PROT_READ));
	vl.vms = (unsigned long)ro;
	vl.nr_vms = 64;
	EXPECT_EQ(-1, ioctl(self->axfd, AXHVC_LIST_VMS, &vl));
	EXPECT_EQ(EFAULT, errno);
	vl.vms = 8;
	EXPECT_EQ(-1, ioctl(self->axfd, AXHVC_LIST_VMS, &vl));
	EXPECT_EQ(EFAULT, errno);

	run_guests(_metadata, self);
	cl = (struct axhvc_host_channel_list){
		.size = sizeof(cl), .channel_size = sizeof(struct axhvc_host_channel),
		.channels = (unsigned long)chans, .nr_channels = 64,
		.subscribers = (unsigned long)ro, .nr_subscribers = 64,
	};
	EXPECT_EQ(-1, ioctl(self->axfd, AXHVC_LIST_ALL_CHANNELS, &cl));
	EXPECT_EQ(EFAULT, errno);
	cl.subscribers = (unsigned long)subs;
	cl.channels = (unsigned long)ro;
	EXPECT_EQ(-1, ioctl(self->axfd, AXHVC_LIST_ALL_CHANNELS, &cl));
	EXPECT_EQ(EFAULT, errno);
	/* The argument itself read-only: its count cannot be written back. */
	EXPECT_EQ(-1, ioctl(self->axfd, AXHVC_LIST_VMS, ro));
	EXPECT_EQ(EFAULT, errno);
	munmap(ro, 65536);
}

/*
 * Drop capability @cap from the effective set of this process, and with
 * @for_exec from every set, so that a program it runs has none either.
 */
static int drop_cap(unsigned int cap, bool for_exec)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];
	__u32 bit = 1U << (cap % 32);

	if (for_exec && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0))
		return -1;
	if (syscall(SYS_capget, &hdr, data))
		return -1;
	data[cap / 32].effective &= ~bit;
	if (for_exec) {
		data[cap / 32].permitted &= ~bit;
		data[cap / 32].inheritable &= ~bit;
	}
	return syscall(SYS_capset, &hdr, data);
}

TEST_F(hv, eperm_without_cap_sys_admin)
{
	int status;
	pid_t pid;

	if (geteuid())
		SKIP(return, "needs root");
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct axhvc_host_channel_list cl = {
			.size = sizeof(cl),
			.channel_size = sizeof(struct axhvc_host_channel),
		};
		struct axhvc_api_version v = { .size = sizeof(v) };
		struct axhvc_vm_list vl = {
			.size = sizeof(vl), .info_size = sizeof(struct axhvc_vm_info),
		};

		if (drop_cap(CAP_SYS_ADMIN, false))
			_exit(2);
		/* The device stays usable; only the host view is refused. */
		if (ioctl(self->axfd, AXHVC_GET_API_VERSION, &v))
			_exit(3);
		if (ioctl(self->axfd, AXHVC_LIST_VMS, &vl) != -1 || errno != EPERM)
			_exit(4);
		if (ioctl(self->axfd, AXHVC_LIST_ALL_CHANNELS, &cl) != -1 ||
		    errno != EPERM)
			_exit(5);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/*
 * A small JSON checker: the grammar of RFC 8259, enough to prove that what
 * axhvcctl --json prints parses (busybox has no jq or python).
 */
static const char *json_value(const char *p, int depth);

static const char *json_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

static const char *json_string(const char *p)
{
	if (*p++ != '"')
		return NULL;
	while (*p && *p != '"') {
		if ((unsigned char)*p < 0x20)
			return NULL;
		if (*p == '\\' && !*++p)
			return NULL;
		p++;
	}
	return *p == '"' ? p + 1 : NULL;
}

static const char *json_number(const char *p)
{
	const char *start;

	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		while (*p >= '0' && *p <= '9')
			p++;
	else
		return NULL;
	if (*p == '.') {
		start = ++p;
		while (*p >= '0' && *p <= '9')
			p++;
		if (p == start)
			return NULL;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		start = p;
		while (*p >= '0' && *p <= '9')
			p++;
		if (p == start)
			return NULL;
	}
	return p;
}

static const char *json_container(const char *p, int depth, char close, bool obj)
{
	p = json_ws(p + 1);
	if (*p == close)
		return p + 1;
	for (;;) {
		if (obj) {
			p = json_string(json_ws(p));
			if (!p)
				return NULL;
			p = json_ws(p);
			if (*p++ != ':')
				return NULL;
		}
		p = json_value(p, depth + 1);
		if (!p)
			return NULL;
		p = json_ws(p);
		if (*p == close)
			return p + 1;
		if (*p++ != ',')
			return NULL;
	}
}

static const char *json_value(const char *p, int depth)
{
	if (depth > 32)
		return NULL;
	p = json_ws(p);
	switch (*p) {
	case '{':
		return json_container(p, depth, '}', true);
	case '[':
		return json_container(p, depth, ']', false);
	case '"':
		return json_string(p);
	case 't':
		return strncmp(p, "true", 4) ? NULL : p + 4;
	case 'f':
		return strncmp(p, "false", 5) ? NULL : p + 5;
	case 'n':
		return strncmp(p, "null", 4) ? NULL : p + 4;
	default:
		return json_number(p);
	}
}

static bool json_valid(const char *s)
{
	const char *end = json_value(s, 0);

	return end && !*json_ws(end);
}

/* Run axhvcctl with @args; its stdout (malloc'ed) and exit status. */
static char *run_ctl(const char *args, int *status)
{
	char cmd[256], *out = NULL;
	size_t len = 0, n;
	char buf[4096];
	FILE *f;

	snprintf(cmd, sizeof(cmd), AXHVCCTL " %s", args);
	f = popen(cmd, "r");
	if (!f)
		return NULL;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		char *bigger = realloc(out, len + n + 1);

		if (!bigger)
			break;
		out = bigger;
		memcpy(out + len, buf, n);
		len += n;
		out[len] = 0;
	}
	*status = pclose(f);
	if (!out)
		out = calloc(1, 1);
	return out;
}

static bool have_axhvcctl(void)
{
	int status;
	char *out = run_ctl("--help >/dev/null 2>&1; echo $?", &status);
	bool ok = out && atoi(out) == 0;

	free(out);
	return ok;
}

/* The line of @out that starts (after blanks) with @first. */
static const char *line_starting(const char *out, const char *first)
{
	const char *p = out;

	while (p && *p) {
		const char *q = p;

		while (*q == ' ')
			q++;
		if (!strncmp(q, first, strlen(first)) && q[strlen(first)] == ' ')
			return q;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

/* The JSON line of the object in @out that has @needle. */
static char *json_line(const char *out, const char *needle)
{
	const char *p = strstr(out, needle), *start, *end;

	if (!p)
		return NULL;
	for (start = p; start > out && start[-1] != '\n'; start--)
		;
	end = strchr(p, '\n');
	return strndup(start, end ? end - start : strlen(start));
}

#define DENIED_DEV	"/tmp/axhvc-denied"

/*
 * Run "axhvcctl vms" without CAP_SYS_ADMIN (@denied false), or on a device
 * node it may not open (@denied true: mode 000, and no capability to
 * override that; the test host's rootfs lets no other uid in at all); its
 * stderr and exit status.
 */
static char *run_ctl_unprivileged(bool denied, int *status)
{
	char *out = calloc(1, 4096);
	int pipefd[2];
	ssize_t n, len = 0;
	pid_t pid;

	if (!out || pipe(pipefd))
		return NULL;
	pid = fork();
	if (pid < 0)
		return NULL;
	if (!pid) {
		close(pipefd[0]);
		dup2(pipefd[1], 2);
		if (denied)
			n = drop_cap(CAP_DAC_OVERRIDE, true) ||
			    drop_cap(CAP_DAC_READ_SEARCH, true);
		else
			n = drop_cap(CAP_SYS_ADMIN, true);
		if (n)
			_exit(99);
		if (denied)
			execlp(AXHVCCTL, AXHVCCTL, "-d", DENIED_DEV, "vms", NULL);
		else
			execlp(AXHVCCTL, AXHVCCTL, "vms", NULL);
		_exit(98);
	}
	close(pipefd[1]);
	while (len < 4095 && (n = read(pipefd[0], out + len, 4095 - len)) > 0)
		len += n;
	close(pipefd[0]);
	waitpid(pid, status, 0);
	return out;
}

/* Show a program's output in the test log, each line a TAP comment. */
static void log_output(const char *what, const char *out)
{
	const char *p = out;

	printf("# axhvcctl %s:\n", what);
	while (*p) {
		const char *nl = strchr(p, '\n');
		int len = nl ? nl - p : (int)strlen(p);

		printf("#   %.*s\n", len, p);
		p += len + !!nl;
	}
	fflush(stdout);
}

/* Four numbers of a table row. */
#define U4	"%llu %llu %llu %llu "

TEST_F(hv, axhvcctl_shows_it)
{
	unsigned long long n[13], total_a = 0;
	const char *line;
	char *out, *obj, want[64];
	int status, i, got;

	for (i = 0; i < AXHVC_HC_COUNT; i++)
		total_a += expect_a.calls[i];

	if (!have_axhvcctl()) {
		/* Installed in the test host: missing there is a failure. */
		ASSERT_NE(0, access("/axhvc/bin", F_OK)) TH_LOG(AXHVCCTL " missing");
		SKIP(return, AXHVCCTL " is not installed");
	}
	run_guests(_metadata, self);

	out = run_ctl("vms", &status);
	ASSERT_NE(NULL, out);
	EXPECT_EQ(0, status);
	log_output("vms", out);
	line = line_starting(out, "4101");
	ASSERT_NE(NULL, line) TH_LOG("VM A missing");
	EXPECT_NE(NULL, strstr(line, self->a_intercept ? "intercept+vmm" : "forwarded+vmm"));
	EXPECT_NE(NULL, strstr(line, "intid 40"));
	EXPECT_NE(NULL, strstr(line, "4/10"));
	EXPECT_NE(NULL, strstr(line, "20K/1M"));
	snprintf(want, sizeof(want), " %d ", getpid());
	EXPECT_NE(NULL, strstr(line, want));
	line = line_starting(out, "4102");
	ASSERT_NE(NULL, line) TH_LOG("VM B missing");
	EXPECT_NE(NULL, strstr(line, self->intercept ? "intercept" : "forwarded"));
	EXPECT_NE(NULL, strstr(line, "eventfd"));
	free(out);

	out = run_ctl("channels", &status);
	ASSERT_NE(NULL, out);
	EXPECT_EQ(0, status);
	log_output("channels", out);
	line = line_starting(out, "4101");
	ASSERT_NE(NULL, line);
	EXPECT_NE(NULL, strstr(out, "0xfeedface00000001"));
	EXPECT_NE(NULL, strstr(out, "4102,4101"));
	line = line_starting(out, "4102");
	ASSERT_NE(NULL, line);
	EXPECT_NE(NULL, strstr(line, "0x2222"));
	EXPECT_NE(NULL, strstr(line, "unpublished"));
	free(out);

	/* stats: VM CALLS FORWARDED INTERCEPT ERRORS and the codes 0..7. */
	out = run_ctl("stats", &status);
	ASSERT_NE(NULL, out);
	EXPECT_EQ(0, status);
	log_output("stats", out);
	line = line_starting(out, "4101");
	ASSERT_NE(NULL, line);
	got = sscanf(line, U4 U4 U4 "%llu", &n[0], &n[1], &n[2], &n[3], &n[4],
		     &n[5], &n[6], &n[7], &n[8], &n[9], &n[10], &n[11], &n[12]);
	ASSERT_EQ(13, got);
	EXPECT_EQ(total_a, n[1]);
	EXPECT_EQ(self->a_intercept ? 0 : total_a, n[2]);
	EXPECT_EQ(self->a_intercept ? total_a : 0, n[3]);
	EXPECT_EQ(expect_a.errors, n[4]);
	for (i = 0; i < AXHVC_HC_COUNT; i++)
		EXPECT_EQ(expect_a.calls[i], n[5 + i]) TH_LOG("code %d", i);
	line = line_starting(out, "4102");
	ASSERT_NE(NULL, line);
	got = sscanf(line, U4 "%llu", &n[0], &n[1], &n[2], &n[3], &n[4]);
	ASSERT_EQ(5, got);
	EXPECT_EQ(6, n[1]);
	EXPECT_EQ(self->intercept ? 6 : 0, n[3]);
	EXPECT_EQ(expect_b.errors, n[4]);
	free(out);

	out = run_ctl("", &status);
	ASSERT_NE(NULL, out);
	EXPECT_EQ(0, status);
	EXPECT_NE(NULL, strstr(out, "axhvc API"));
	EXPECT_NE(NULL, strstr(out, "host-view"));
	EXPECT_NE(NULL, strstr(out, "host GIC"));
	free(out);

	out = run_ctl("--json", &status);
	ASSERT_NE(NULL, out);
	EXPECT_EQ(0, status);
	log_output("--json", out);
	EXPECT_TRUE(json_valid(out)) TH_LOG("not valid JSON");
	EXPECT_NE(NULL, strstr(out, "\"host-view\""));
	obj = json_line(out, "{\"vm_id\": 4101,");
	ASSERT_NE(NULL, obj);
	snprintf(want, sizeof(want), "\"owner_pid\": %d,", getpid());
	EXPECT_NE(NULL, strstr(obj, want));
	EXPECT_NE(NULL, strstr(obj, self->a_intercept ? "\"route\": \"intercept\"" :
			       "\"route\": \"forwarded\""));
	EXPECT_NE(NULL, strstr(obj, "\"nr_channels\": 4,"));
	EXPECT_NE(NULL, strstr(obj, "\"bytes\": 20480,"));
	snprintf(want, sizeof(want), "\"calls_forwarded\": %llu,",
		 self->a_intercept ? 0 : total_a);
	EXPECT_NE(NULL, strstr(obj, want));
	EXPECT_NE(NULL, strstr(obj, "\"subscribe\": 3,"));
	EXPECT_NE(NULL, strstr(obj, "\"errors\": 1}"));
	free(obj);
	obj = json_line(out, "\"key\": \"0xfeedface00000001\"");
	ASSERT_NE(NULL, obj);
	EXPECT_NE(NULL, strstr(obj, "\"publisher\": 4101,"));
	EXPECT_NE(NULL, strstr(obj, "\"size\": 8192,"));
	free(obj);
	obj = json_line(out, "\"key\": \"0x1111\"");
	ASSERT_NE(NULL, obj);
	EXPECT_NE(NULL, strstr(obj, "\"subscribers\": [4102, 4101]"));
	free(obj);
	obj = json_line(out, "\"key\": \"0x2222\"");
	ASSERT_NE(NULL, obj);
	EXPECT_NE(NULL, strstr(obj, "\"published\": false"));
	free(obj);
	free(out);

	/* Every subcommand's JSON parses; the checker itself refuses junk. */
	for (i = 0; i < 5; i++) {
		static const char *const cmds[] = {
			"vms --json", "channels --json", "stats --json",
			"version --json", "gic --json",
		};

		out = run_ctl(cmds[i], &status);
		ASSERT_NE(NULL, out);
		EXPECT_EQ(0, status) TH_LOG("%s", cmds[i]);
		EXPECT_TRUE(json_valid(out)) TH_LOG("%s: not valid JSON", cmds[i]);
		if (!json_valid(out))
			log_output(cmds[i], out);
		free(out);
	}
	EXPECT_FALSE(json_valid("{\"a\": 1,}"));
	EXPECT_FALSE(json_valid("{\"a\": 0x10}"));

	/* Errors: exit status and message. */
	out = run_ctl("--device /nonexistent 2>&1", &status);
	ASSERT_NE(NULL, out);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 3);
	EXPECT_NE(NULL, strstr(out, "module loaded"));
	free(out);
	out = run_ctl("bogus 2>&1", &status);
	ASSERT_NE(NULL, out);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 2);
	free(out);
	out = run_ctl_unprivileged(false, &status);
	ASSERT_NE(NULL, out);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 4)
		TH_LOG("without CAP_SYS_ADMIN: status %#x", status);
	EXPECT_NE(NULL, strstr(out, "CAP_SYS_ADMIN")) TH_LOG("%s", out);
	free(out);
	i = open(DENIED_DEV, O_CREAT | O_WRONLY | O_CLOEXEC, 0);
	ASSERT_LE(0, i);
	close(i);
	ASSERT_EQ(0, chmod(DENIED_DEV, 0));
	out = run_ctl_unprivileged(true, &status);
	unlink(DENIED_DEV);
	ASSERT_NE(NULL, out);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 4)
		TH_LOG("device not openable: status %#x", status);
	EXPECT_NE(NULL, strstr(out, "must run as root")) TH_LOG("%s", out);
	free(out);
}

TEST_HARNESS_MAIN
