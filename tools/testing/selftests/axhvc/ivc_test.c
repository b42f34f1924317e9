// SPDX-License-Identifier: GPL-2.0
/*
 * IVC channels between two real VMs, A (VM id 1) and B (VM id 2), through
 * both hypercall routes: each VMM maps its VM's IVC window (mmap of the VM
 * fd) and registers it as a KVM memslot at the window's GPA, so the guests
 * reach channel pages at the GPAs their hypercalls return.
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "vmm.h"
#include "axhvc_host.h"
#include "guest_axhvc.h"
#include "hypercall_lib.h"

#define ID_A		1
#define ID_B		2

/* One VM with its axhvc fd and its mapping of the IVC window. */
struct ivc_vm {
	struct vmm_vm *vm;
	struct vmm_vcpu *vcpu;
	int vmfd;
	void *window;
	__u64 window_size;
};

/* Create VM @id (one vCPU), register it, map its window as a memslot. */
static int ivc_vm_create(struct ivc_vm *v, int axfd, __u64 id, bool intercept,
			 __u64 window_size)
{
	memset(v, 0, sizeof(*v));
	v->vmfd = -1;
	v->vm = vmm_vm_create_with_vcpus(1, 0);
	if (!v->vm)
		return -ENOMEM;
	v->vcpu = v->vm->vcpus[0];
	v->window_size = window_size;
	v->vmfd = register_vm_mapped(axfd, v->vm, id, 0, intercept, window_size,
				     &v->window);
	return v->vmfd < 0 ? v->vmfd : 0;
}

static void ivc_vm_destroy(struct ivc_vm *v)
{
	if (v->window)
		munmap(v->window, v->window_size);
	if (v->vmfd >= 0)
		close(v->vmfd);
	vmm_vm_destroy(v->vm);
	memset(v, 0, sizeof(*v));
	v->vmfd = -1;
}

/* The VMM's view of window GPA @gpa. */
static __u64 *window_u64(struct ivc_vm *v, __u64 gpa)
{
	return (__u64 *)((char *)v->window + (gpa - IVC_BASE));
}

/*
 * Run guest_axhvc_peek or _poke on @v: 0 with the guest's DONE value in
 * @out, or -errno when KVM_RUN failed (a hole: EFAULT).
 */
static int guest_access(struct ivc_vm *v, const char *entry, __u64 gpa,
			__u64 val, __u64 *out)
{
	enum vmm_run_result r;
	int ret = -EIO;

	if (vmm_vcpu_start(v->vcpu, entry, 2, gpa, val) ||
	    vmm_watchdog_arm(v->vcpu, RUN_TIMEOUT_MS))
		return -EIO;
	r = vmm_vcpu_run(v->vcpu);
	if (r == VMM_RUN_REPORT && v->vcpu->report.cmd == VMM_REPORT_DONE) {
		if (out)
			*out = v->vcpu->report.args[0];
		ret = 0;
	} else if (r == VMM_RUN_ERROR) {
		ret = -v->vcpu->run_errno;
	} else {
		vmm_vcpu_dump(v->vcpu, vmm_run_result_name(r));
	}
	vmm_watchdog_disarm(v->vcpu);
	return ret;
}

static int peek(struct ivc_vm *v, __u64 gpa, __u64 *out)
{
	return guest_access(v, guest_axhvc_peek, gpa, 0, out);
}

static int poke(struct ivc_vm *v, __u64 gpa, __u64 val)
{
	return guest_access(v, guest_axhvc_poke, gpa, val, NULL);
}

/*
 * Can this process read its own address @addr? Through /proc/self/mem a
 * hole is an error rather than a SIGBUS.
 */
static bool vmm_can_read(const void *addr)
{
	int fd = open("/proc/self/mem", O_RDONLY | O_CLOEXEC);
	__u64 v;
	bool ok;

	if (fd < 0)
		return false;
	ok = pread(fd, &v, sizeof(v), (off_t)(unsigned long)addr) == sizeof(v);
	close(fd);
	return ok;
}

FIXTURE(ivc) {
	int axfd;
	struct ivc_vm a, b;
	__u64 a_buf, b_buf;	/* scratch guest RAM for pointer arguments */
};

FIXTURE_VARIANT(ivc) {
	bool intercept;
};

FIXTURE_VARIANT_ADD(ivc, forwarded) { .intercept = false };
FIXTURE_VARIANT_ADD(ivc, intercept) { .intercept = true };

FIXTURE_SETUP(ivc)
{
	const char *why = axhvc_open_for_route(&self->axfd, variant->intercept);
	int ret;

	self->a.vmfd = -1;
	self->b.vmfd = -1;
	if (why)
		SKIP(return, "%s", why);
	ret = ivc_vm_create(&self->a, self->axfd, ID_A, variant->intercept, IVC_SIZE);
	ASSERT_EQ(0, ret) TH_LOG("VM A: %s", strerror(-ret));
	ret = ivc_vm_create(&self->b, self->axfd, ID_B, variant->intercept, IVC_SIZE);
	ASSERT_EQ(0, ret) TH_LOG("VM B: %s", strerror(-ret));
	self->a_buf = vmm_guest_alloc(self->a.vm, 4096);
	self->b_buf = vmm_guest_alloc(self->b.vm, 4096);
	ASSERT_NE(0, self->a_buf);
	ASSERT_NE(0, self->b_buf);
}

FIXTURE_TEARDOWN(ivc)
{
	if (self->a.vm)
		ivc_vm_destroy(&self->a);
	if (self->b.vm)
		ivc_vm_destroy(&self->b);
	if (self->axfd >= 0)
		close(self->axfd);
}

/* Scratch u64 @n of a VM's pointer-argument page, by GPA and by address. */
#define A_PTR(n)	(self->a_buf + 8 * (n))
#define B_PTR(n)	(self->b_buf + 8 * (n))
#define A_VAL(n)	(*(__u64 *)vmm_gpa_to_hva(self->a.vm, A_PTR(n)))
#define B_VAL(n)	(*(__u64 *)vmm_gpa_to_hva(self->b.vm, B_PTR(n)))

#define ON_A(res, ...)	CALL_ON(self->a.vcpu, self->a.vmfd, res, __VA_ARGS__)
#define ON_B(res, ...)	CALL_ON(self->b.vcpu, self->b.vmfd, res, __VA_ARGS__)

/* A publishes @key with @size bytes; returns its GPA (0 on failure). */
static __u64 publish(struct __test_metadata *_metadata,
		     struct _test_data_ivc *self, __u64 key, __u64 size)
{
	struct hc_result res;

	A_VAL(1) = size;
	if (ON_A(&res, AXHVC_HC_IVC_PUBLISH, key, A_PTR(0), A_PTR(1)))
		return 0;
	return A_VAL(0);
}

/* B subscribes to A's @key; returns its GPA (0 on failure). */
static __u64 subscribe(struct __test_metadata *_metadata,
		       struct _test_data_ivc *self, __u64 key)
{
	struct hc_result res;

	if (ON_B(&res, AXHVC_HC_IVC_SUBSCRIBE, ID_A, key, B_PTR(0), B_PTR(1)))
		return 0;
	return B_VAL(0);
}

TEST_F(ivc, guests_share_a_channel)
{
	__u64 a_gpa, b_gpa, v;
	__u64 *hdr;

	a_gpa = publish(_metadata, self, 0x5eed, 8000);
	ASSERT_NE(0, a_gpa);
	EXPECT_EQ(8192, A_VAL(1)) TH_LOG("8000 bytes are granted as 2 pages");
	b_gpa = subscribe(_metadata, self, 0x5eed);
	ASSERT_NE(0, b_gpa);
	EXPECT_EQ(8192, B_VAL(1));
	EXPECT_TRUE(b_gpa >= IVC_BASE && b_gpa + 8192 <= IVC_BASE + IVC_SIZE);

	/* The header, as both guests and both VMMs see it; the rest is zero. */
	hdr = window_u64(&self->a, a_gpa);
	EXPECT_EQ(ID_A, hdr[0]);
	EXPECT_EQ(0x5eed, hdr[1]);
	EXPECT_EQ(0, hdr[2]);
	EXPECT_EQ(0, hdr[1023]);
	EXPECT_EQ(0, peek(&self->b, b_gpa, &v));
	EXPECT_EQ(ID_A, v);
	EXPECT_EQ(0, peek(&self->b, b_gpa + 8, &v));
	EXPECT_EQ(0x5eed, v);

	/* A writes, B reads at its own GPA; B writes back, A sees it. */
	EXPECT_EQ(0, poke(&self->a, a_gpa + 64, 0xa11ce));
	EXPECT_EQ(0, peek(&self->b, b_gpa + 64, &v));
	EXPECT_EQ(0xa11ce, v);
	EXPECT_EQ(0, poke(&self->b, b_gpa + 4096 + 8, 0xb0b));
	EXPECT_EQ(0, peek(&self->a, a_gpa + 4096 + 8, &v));
	EXPECT_EQ(0xb0b, v);
	/* And the VMMs see the same bytes through their windows. */
	EXPECT_EQ(0xa11ce, *window_u64(&self->b, b_gpa + 64));
	EXPECT_EQ(0xb0b, *window_u64(&self->a, a_gpa + 4096 + 8));
	*window_u64(&self->b, b_gpa + 128) = 0xfeed;
	EXPECT_EQ(0, peek(&self->a, a_gpa + 128, &v));
	EXPECT_EQ(0xfeed, v);
}

TEST_F(ivc, unsubscribe_revokes_the_pages)
{
	__u64 a_gpa, b_gpa, v;
	struct hc_result res;

	a_gpa = publish(_metadata, self, 9, 4096);
	b_gpa = subscribe(_metadata, self, 9);
	ASSERT_NE(0, a_gpa);
	ASSERT_NE(0, b_gpa);
	EXPECT_EQ(0, poke(&self->a, a_gpa + 16, 77));
	EXPECT_EQ(0, peek(&self->b, b_gpa + 16, &v));
	EXPECT_EQ(77, v);
	EXPECT_TRUE(vmm_can_read(window_u64(&self->b, b_gpa)));

	EXPECT_EQ(0, ON_B(&res, AXHVC_HC_IVC_UNSUBSCRIBE, ID_A, 9));
	/* B's old GPA leads nowhere: not to the page, not to another. */
	EXPECT_EQ(-EFAULT, peek(&self->b, b_gpa + 16, &v));
	EXPECT_FALSE(vmm_can_read(window_u64(&self->b, b_gpa)));
	/* A still has it. */
	EXPECT_EQ(0, peek(&self->a, a_gpa + 16, &v));
	EXPECT_EQ(77, v);
	/* Unsubscribing twice: ENOENT. */
	EXPECT_EQ((__u64)-ENOENT, ON_B(&res, AXHVC_HC_IVC_UNSUBSCRIBE, ID_A, 9));
}

TEST_F(ivc, unpublish_while_subscribed)
{
	__u64 a_gpa, b_gpa, v;
	struct hc_result res;

	a_gpa = publish(_metadata, self, 3, 4096);
	b_gpa = subscribe(_metadata, self, 3);
	ASSERT_NE(0, b_gpa);
	EXPECT_EQ(0, poke(&self->a, a_gpa + 32, 0x1234));

	EXPECT_EQ(0, ON_A(&res, AXHVC_HC_IVC_UNPUBLISH, 3));
	EXPECT_EQ(-EFAULT, peek(&self->a, a_gpa + 32, &v));
	/* The channel lives on for B, data and all. */
	EXPECT_EQ(0, peek(&self->b, b_gpa + 32, &v));
	EXPECT_EQ(0x1234, v);
	EXPECT_EQ(0, poke(&self->b, b_gpa + 40, 5));
	/* Gone from the registry: no new subscriber, no second unpublish. */
	EXPECT_EQ((__u64)-ENOENT, ON_A(&res, AXHVC_HC_IVC_SUBSCRIBE, ID_A, 3,
				       A_PTR(0), A_PTR(1)));
	EXPECT_EQ((__u64)-ENOENT, ON_A(&res, AXHVC_HC_IVC_UNPUBLISH, 3));
	/* The key is free again for A; B's old channel is another one. */
	EXPECT_NE(0, publish(_metadata, self, 3, 4096));
	EXPECT_EQ(0, ON_B(&res, AXHVC_HC_IVC_UNSUBSCRIBE, ID_A, 3));
	EXPECT_EQ(-EFAULT, peek(&self->b, b_gpa + 32, &v));
	/* B never subscribed to the new one. */
	EXPECT_EQ((__u64)-ENOENT, ON_B(&res, AXHVC_HC_IVC_UNSUBSCRIBE, ID_A, 3));
}

TEST_F(ivc, window_holes_are_not_memory)
{
	__u64 a_gpa, v;

	/* Nothing published: the whole window is a hole, for guest and VMM. */
	EXPECT_EQ(-EFAULT, peek(&self->a, IVC_BASE, &v));
	EXPECT_EQ(-EFAULT, poke(&self->a, IVC_BASE + IVC_SIZE - 8, 1));
	EXPECT_FALSE(vmm_can_read(self->a.window));
	/* The VM goes on, and so does the host. */
	a_gpa = publish(_metadata, self, 1, 4096);
	ASSERT_NE(0, a_gpa);
	EXPECT_EQ(0, peek(&self->a, a_gpa, &v));
	EXPECT_EQ(ID_A, v);
	/* The channel's host page ends it (a 16 or 64 KiB page: its zeroed tail). */
	EXPECT_EQ(0, peek(&self->a, a_gpa + 4096 - 8, &v));
	EXPECT_EQ(0, v);
	EXPECT_EQ(-EFAULT, peek(&self->a, a_gpa + getpagesize(), &v));
}

/*
 * A 4 KiB publish on a host of any page size (Documentation/ivc.rst, "Hosts
 * with 16 KiB or 64 KiB pages"): the guests are granted 4 KiB and exchange
 * bytes in it; the channel takes one whole host page, the rest of which is
 * zero and the same members' alone; the next channel starts at the next host
 * page; each VM is charged the host page.
 */
TEST_F(ivc, four_kib_channel_on_any_host)
{
	struct axhvc_vm_limits lim = { .size = sizeof(lim) };
	__u64 pg = getpagesize(), a_gpa, a2_gpa, b_gpa, v, subs[2];
	struct axhvc_channel_info info;
	struct axhvc_channel_state st = {
		.size = sizeof(st), .publisher = ID_A, .key = 71,
		.info = (unsigned long)&info, .info_size = sizeof(info),
		.subscribers = (unsigned long)subs, .nr_subscribers = 2,
	};

	a_gpa = publish(_metadata, self, 71, 4096);
	ASSERT_NE(0, a_gpa);
	EXPECT_EQ(4096, A_VAL(1));
	a2_gpa = publish(_metadata, self, 72, 4096);
	ASSERT_NE(0, a2_gpa);
	EXPECT_EQ(pg, a2_gpa - a_gpa) TH_LOG("the next channel starts at the next host page");
	b_gpa = subscribe(_metadata, self, 71);
	ASSERT_NE(0, b_gpa);
	EXPECT_EQ(4096, B_VAL(1));
	EXPECT_EQ(0, b_gpa % pg);

	/* Both ways, to the last u64 of the 4 KiB. */
	EXPECT_EQ(0, poke(&self->a, a_gpa + 4096 - 8, 0xa4));
	EXPECT_EQ(0, peek(&self->b, b_gpa + 4096 - 8, &v));
	EXPECT_EQ(0xa4, v);
	EXPECT_EQ(0, poke(&self->b, b_gpa + 16, 0xb4));
	EXPECT_EQ(0, peek(&self->a, a_gpa + 16, &v));
	EXPECT_EQ(0xb4, v);
	/* Past the 4 KiB: the same channel's page up to its end, then the next channel. */
	if (pg > 4096) {
		EXPECT_EQ(0, peek(&self->b, b_gpa + pg - 8, &v));
		EXPECT_EQ(0, v) TH_LOG("the page's tail starts zeroed");
		EXPECT_EQ(0, poke(&self->a, a_gpa + pg - 8, 0x7a11));
		EXPECT_EQ(0, peek(&self->b, b_gpa + pg - 8, &v));
		EXPECT_EQ(0x7a11, v);
	}
	EXPECT_EQ(0, peek(&self->a, a_gpa + pg + 8, &v));
	EXPECT_EQ(72, v) TH_LOG("key 72's header");
	if (b_gpa + pg < IVC_BASE + IVC_SIZE)
		EXPECT_EQ(-EFAULT, peek(&self->b, b_gpa + pg, &v));

	/* The VMMs are told the 4 KiB granted; the limits are charged host pages. */
	ASSERT_EQ(0, ioctl(self->b.vmfd, AXHVC_VM_GET_CHANNEL, &st));
	EXPECT_EQ(4096, info.size);
	EXPECT_EQ(b_gpa - IVC_BASE, info.offset);
	EXPECT_EQ(0xb4, *window_u64(&self->b, b_gpa + 16));
	ASSERT_EQ(0, ioctl(self->a.vmfd, AXHVC_VM_SET_LIMITS, &lim));
	EXPECT_EQ(2 * pg, lim.bytes);
	lim = (struct axhvc_vm_limits){ .size = sizeof(lim) };
	ASSERT_EQ(0, ioctl(self->b.vmfd, AXHVC_VM_SET_LIMITS, &lim));
	EXPECT_EQ(pg, lim.bytes);
}

TEST_F(ivc, mmap_rules)
{
	size_t pg = getpagesize();
	void *p;

	/* Private copies would escape revocation. */
	p = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, self->a.vmfd, 0);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
	p = mmap(NULL, pg, PROT_READ | PROT_EXEC, MAP_SHARED, self->a.vmfd, 0);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EPERM, errno);
	/* Beyond the window. */
	p = mmap(NULL, 2 * pg, PROT_READ, MAP_SHARED, self->a.vmfd, IVC_SIZE - pg);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
	/* A part of it is fine. */
	p = mmap(NULL, pg, PROT_READ, MAP_SHARED, self->a.vmfd, IVC_SIZE - pg);
	EXPECT_NE(MAP_FAILED, p);
	if (p != MAP_FAILED)
		munmap(p, pg);
}

TEST_F(ivc, list_and_state)
{
	struct axhvc_channel_info info[4];
	struct axhvc_channel_list cl = {
		.size = sizeof(cl), .info_size = sizeof(info[0]),
		.channels = (unsigned long)info, .nr_channels = 1,
	};
	struct axhvc_channel_state st = {
		.size = sizeof(st), .publisher = ID_A, .key = 21,
		.info = (unsigned long)&info[3], .info_size = sizeof(info[3]),
	};
	__u64 a_gpa, b_gpa, subs[2];

	a_gpa = publish(_metadata, self, 21, 4096);
	ASSERT_NE(0, publish(_metadata, self, 22, 3 * 4096));
	b_gpa = subscribe(_metadata, self, 21);
	ASSERT_NE(0, b_gpa);

	/* Too little room: E2BIG with the count. */
	EXPECT_EQ(-1, ioctl(self->a.vmfd, AXHVC_VM_LIST_CHANNELS, &cl));
	EXPECT_EQ(E2BIG, errno);
	EXPECT_EQ(2, cl.nr_channels);
	cl.nr_channels = 4;
	ASSERT_EQ(0, ioctl(self->a.vmfd, AXHVC_VM_LIST_CHANNELS, &cl));
	ASSERT_EQ(2, cl.nr_channels);
	EXPECT_EQ(ID_A, info[0].publisher);
	EXPECT_EQ(21, info[0].key);
	EXPECT_EQ(4096, info[0].size);
	EXPECT_EQ(a_gpa - IVC_BASE, info[0].offset);
	EXPECT_EQ(AXHVC_CHAN_F_PUBLISHER | AXHVC_CHAN_F_PUBLISHED, info[0].flags);
	EXPECT_EQ(1, info[0].nr_subscribers);
	EXPECT_EQ(22, info[1].key);
	EXPECT_EQ(3 * 4096, info[1].size);
	EXPECT_EQ(0, info[1].nr_subscribers);

	cl.nr_channels = 4;
	ASSERT_EQ(0, ioctl(self->b.vmfd, AXHVC_VM_LIST_CHANNELS, &cl));
	ASSERT_EQ(1, cl.nr_channels);
	EXPECT_EQ(b_gpa - IVC_BASE, info[0].offset);
	EXPECT_EQ(AXHVC_CHAN_F_PUBLISHED, info[0].flags);

	/* One channel's state, with its subscribers. */
	EXPECT_EQ(-1, ioctl(self->a.vmfd, AXHVC_VM_GET_CHANNEL, &st));
	EXPECT_EQ(E2BIG, errno);
	EXPECT_EQ(1, info[3].nr_subscribers);
	EXPECT_EQ(AXHVC_CHAN_F_PUBLISHER | AXHVC_CHAN_F_PUBLISHED, info[3].flags);
	st.subscribers = (unsigned long)subs;
	st.nr_subscribers = 2;
	ASSERT_EQ(0, ioctl(self->a.vmfd, AXHVC_VM_GET_CHANNEL, &st));
	EXPECT_EQ(1, st.nr_subscribers);
	EXPECT_EQ(ID_B, subs[0]);
	st.key = 23;
	EXPECT_EQ(-1, ioctl(self->a.vmfd, AXHVC_VM_GET_CHANNEL, &st));
	EXPECT_EQ(ENOENT, errno);
	/* B holds no mapping of 22. */
	st.key = 22;
	EXPECT_EQ(-1, ioctl(self->b.vmfd, AXHVC_VM_GET_CHANNEL, &st));
	EXPECT_EQ(ENOENT, errno);
	st.flags = 1;
	EXPECT_EQ(-1, ioctl(self->a.vmfd, AXHVC_VM_GET_CHANNEL, &st));
	EXPECT_EQ(EINVAL, errno);
}

/* Read one event from @fd, which must have one ready. */
static int next_event(int fd, struct axhvc_event *ev)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (poll(&p, 1, 0) != 1 || !(p.revents & POLLIN))
		return -1;
	return read(fd, ev, sizeof(*ev)) == sizeof(*ev) ? 0 : -1;
}

TEST_F(ivc, events_tell_the_vmm)
{
	struct pollfd p = { .fd = self->a.vmfd, .events = POLLIN };
	struct axhvc_event ev;
	struct hc_result res;
	char small[8];
	int flags;

	ASSERT_NE(0, publish(_metadata, self, 31, 4096));
	EXPECT_EQ(0, poll(&p, 1, 0)) TH_LOG("publishing tells nobody");
	ASSERT_NE(0, subscribe(_metadata, self, 31));

	ASSERT_EQ(0, next_event(self->a.vmfd, &ev));
	EXPECT_EQ(AXHVC_EVENT_SUBSCRIBED, ev.type);
	EXPECT_EQ(ID_A, ev.publisher);
	EXPECT_EQ(31, ev.key);
	EXPECT_EQ(ID_B, ev.peer);
	EXPECT_EQ(0, poll(&p, 1, 0));

	EXPECT_EQ(0, ON_B(&res, AXHVC_HC_IVC_UNSUBSCRIBE, ID_A, 31));
	ASSERT_EQ(0, next_event(self->a.vmfd, &ev));
	EXPECT_EQ(AXHVC_EVENT_UNSUBSCRIBED, ev.type);
	EXPECT_EQ(ID_B, ev.peer);

	ASSERT_NE(0, subscribe(_metadata, self, 31));
	ASSERT_EQ(0, next_event(self->a.vmfd, &ev));
	EXPECT_EQ(0, ON_A(&res, AXHVC_HC_IVC_UNPUBLISH, 31));
	ASSERT_EQ(0, next_event(self->b.vmfd, &ev));
	EXPECT_EQ(AXHVC_EVENT_PUBLISHER_LEFT, ev.type);
	EXPECT_EQ(ID_A, ev.peer);
	EXPECT_EQ(31, ev.key);

	/* Nothing more: a non-blocking read says so; a tiny buffer is refused. */
	flags = fcntl(self->b.vmfd, F_GETFL);
	ASSERT_EQ(0, fcntl(self->b.vmfd, F_SETFL, flags | O_NONBLOCK));
	EXPECT_EQ(-1, read(self->b.vmfd, &ev, sizeof(ev)));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(-1, read(self->b.vmfd, small, sizeof(small)));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(ivc, event_queue_overflow_is_reported)
{
	unsigned int len = axhvc_query(self->axfd).event_queue_len;
	struct axhvc_event *ev;
	struct hc_result res;
	ssize_t n;
	int i;

	ASSERT_LT(0, len) TH_LOG("no event_queue_len reported");
	ev = calloc(len + 2, sizeof(*ev));
	ASSERT_NE(NULL, ev);
	ASSERT_NE(0, publish(_metadata, self, 41, 4096));
	/* Each round is two events for A. */
	for (i = 0; i < len / 2 + 1; i++) {
		ASSERT_NE(0, subscribe(_metadata, self, 41));
		ASSERT_EQ(0, ON_B(&res, AXHVC_HC_IVC_UNSUBSCRIBE, ID_A, 41));
	}
	/* The queued events, then the news that some were lost. */
	n = read(self->a.vmfd, ev, (len + 2) * sizeof(*ev));
	ASSERT_EQ((len + 1) * sizeof(ev[0]), n);
	EXPECT_EQ(AXHVC_EVENT_SUBSCRIBED, ev[0].type);
	EXPECT_EQ(AXHVC_EVENT_UNSUBSCRIBED, ev[len - 1].type);
	EXPECT_EQ(AXHVC_EVENT_OVERFLOW, ev[len].type);
	EXPECT_EQ(0, ev[len].peer);
	/* Reported once. */
	ASSERT_EQ(0, fcntl(self->a.vmfd, F_SETFL, O_NONBLOCK));
	EXPECT_EQ(-1, read(self->a.vmfd, ev, (len + 2) * sizeof(*ev)));
	EXPECT_EQ(EAGAIN, errno);
	free(ev);
}

TEST_F(ivc, quotas)
{
	struct axhvc_vm_limits lim = { .size = sizeof(lim), .max_channels = 2 };
	__u64 pg = getpagesize();
	struct hc_result res;

	ASSERT_EQ(0, ioctl(self->a.vmfd, AXHVC_VM_SET_LIMITS, &lim));
	EXPECT_EQ(2, lim.max_channels);
	EXPECT_LT(0, lim.max_bytes);
	EXPECT_EQ(0, lim.nr_channels);
	ASSERT_NE(0, publish(_metadata, self, 1, 4096));
	ASSERT_NE(0, publish(_metadata, self, 2, 4096));
	A_VAL(0) = 0xdead;
	A_VAL(1) = 4096;
	EXPECT_EQ((__u64)-ENOSPC, ON_A(&res, AXHVC_HC_IVC_PUBLISH, 3, A_PTR(0), A_PTR(1)));
	EXPECT_EQ(0xdead, A_VAL(0));
	EXPECT_EQ(4096, A_VAL(1));
	/* Subscriptions count too. */
	EXPECT_EQ((__u64)-ENOSPC, ON_A(&res, AXHVC_HC_IVC_SUBSCRIBE, ID_A, 1,
				       A_PTR(0), A_PTR(1)));
	EXPECT_EQ(0, ON_A(&res, AXHVC_HC_IVC_UNPUBLISH, 2));
	ASSERT_NE(0, publish(_metadata, self, 3, 4096));

	/* Bytes: B may hold two host pages (8 KiB on a 4 KiB host). */
	lim = (struct axhvc_vm_limits){ .size = sizeof(lim), .max_bytes = 2 * pg };
	ASSERT_EQ(0, ioctl(self->b.vmfd, AXHVC_VM_SET_LIMITS, &lim));
	EXPECT_EQ(2 * pg, lim.max_bytes);
	lim = (struct axhvc_vm_limits){ .size = sizeof(lim), .max_channels = 8 };
	ASSERT_EQ(0, ioctl(self->a.vmfd, AXHVC_VM_SET_LIMITS, &lim));
	ASSERT_NE(0, publish(_metadata, self, 4, 2 * pg + 4096));
	/* Lowering below what the VM holds is fine: it keeps what it has. */
	lim = (struct axhvc_vm_limits){ .size = sizeof(lim), .max_channels = 1 };
	EXPECT_EQ(0, ioctl(self->a.vmfd, AXHVC_VM_SET_LIMITS, &lim));
	EXPECT_EQ(3, lim.nr_channels);
	EXPECT_EQ((__u64)-ENOSPC, ON_B(&res, AXHVC_HC_IVC_SUBSCRIBE, ID_A, 4,
				       B_PTR(0), B_PTR(1)));
	EXPECT_NE(0, subscribe(_metadata, self, 1));
	EXPECT_NE(0, subscribe(_metadata, self, 3));
	lim = (struct axhvc_vm_limits){ .size = sizeof(lim) };
	ASSERT_EQ(0, ioctl(self->b.vmfd, AXHVC_VM_SET_LIMITS, &lim));
	EXPECT_EQ(2, lim.nr_channels);
	EXPECT_EQ(2 * pg, lim.bytes);

	/* Above the module's limits, or junk: EINVAL. */
	lim = (struct axhvc_vm_limits){ .size = sizeof(lim), .max_channels = ~0U };
	EXPECT_EQ(-1, ioctl(self->a.vmfd, AXHVC_VM_SET_LIMITS, &lim));
	EXPECT_EQ(EINVAL, errno);
	lim = (struct axhvc_vm_limits){ .size = sizeof(lim), .flags = 1 };
	EXPECT_EQ(-1, ioctl(self->a.vmfd, AXHVC_VM_SET_LIMITS, &lim));
	EXPECT_EQ(EINVAL, errno);
}

/*
 * A result the guest cannot be given undoes the call: B's size pointer is
 * in RAM that B's VMM made read-only, so a subscribe that found its channel
 * and a publish both fail with EFAULT, and leave no mapping, no event, no
 * charge against B's limits and nothing in B's result pointers.
 */
TEST_F(ivc, unwritable_result_undoes_the_call)
{
	struct pollfd p = { .fd = self->a.vmfd, .events = POLLIN };
	struct axhvc_vm_limits lim = { .size = sizeof(lim) };
	__u64 ro = vmm_guest_alloc(self->b.vm, 4096);
	struct hc_result res;
	__u64 *ro_val;

	ASSERT_NE(0, ro);
	ro_val = vmm_gpa_to_hva(self->b.vm, ro);
	ASSERT_NE(0, publish(_metadata, self, 51, 4096));
	*ro_val = 4096;		/* the size B's publish asks for */
	ASSERT_EQ(0, mprotect(ro_val, 4096, PROT_READ));

	B_VAL(0) = 0x5a5a;
	EXPECT_EQ((__u64)-EFAULT, ON_B(&res, AXHVC_HC_IVC_SUBSCRIBE, ID_A, 51,
				       B_PTR(0), ro));
	EXPECT_EQ(0x5a5a, B_VAL(0)) TH_LOG("the GPA written first is put back");
	EXPECT_EQ(0, poll(&p, 1, 0)) TH_LOG("A's VMM hears of no subscriber");
	EXPECT_EQ((__u64)-EFAULT, ON_B(&res, AXHVC_HC_IVC_PUBLISH, 52, B_PTR(0), ro));
	EXPECT_EQ(0x5a5a, B_VAL(0));
	EXPECT_EQ((__u64)-ENOENT, ON_A(&res, AXHVC_HC_IVC_SUBSCRIBE, ID_B, 52,
				       A_PTR(0), A_PTR(1)));
	ASSERT_EQ(0, ioctl(self->b.vmfd, AXHVC_VM_SET_LIMITS, &lim));
	EXPECT_EQ(0, lim.nr_channels);
	EXPECT_EQ(0, lim.bytes);

	/* With a writable pointer the same calls work, at the window's start. */
	ASSERT_EQ(0, mprotect(ro_val, 4096, PROT_READ | PROT_WRITE));
	EXPECT_EQ(IVC_BASE, subscribe(_metadata, self, 51));
	EXPECT_EQ(0, next_event(self->a.vmfd, &(struct axhvc_event){ 0 }));
}

TEST_F(ivc, allowlist)
{
	__u64 others[] = { 7, 3 }, with_b[] = { 9, ID_B };
	struct axhvc_allowlist al = {
		.size = sizeof(al),
		.ids = (unsigned long)others, .nr_ids = 2,
		.flags = AXHVC_ALLOW_F_ENABLE,
	};
	struct hc_result res;

	ASSERT_NE(0, publish(_metadata, self, 51, 4096));
	ASSERT_EQ(0, ioctl(self->a.vmfd, AXHVC_VM_SET_ALLOWLIST, &al));
	B_VAL(0) = 0xdead;
	EXPECT_EQ((__u64)-EACCES, ON_B(&res, AXHVC_HC_IVC_SUBSCRIBE, ID_A, 51,
				       B_PTR(0), B_PTR(1)));
	EXPECT_EQ(0xdead, B_VAL(0));
	/* The publisher itself is always allowed. */
	EXPECT_EQ(0, ON_A(&res, AXHVC_HC_IVC_SUBSCRIBE, ID_A, 51, A_PTR(2), A_PTR(3)));

	al.ids = (unsigned long)with_b;
	ASSERT_EQ(0, ioctl(self->a.vmfd, AXHVC_VM_SET_ALLOWLIST, &al));
	EXPECT_NE(0, subscribe(_metadata, self, 51));
	EXPECT_EQ(0, ON_B(&res, AXHVC_HC_IVC_UNSUBSCRIBE, ID_A, 51));

	/* Enabled and empty: nobody else. */
	al.nr_ids = 0;
	ASSERT_EQ(0, ioctl(self->a.vmfd, AXHVC_VM_SET_ALLOWLIST, &al));
	EXPECT_EQ((__u64)-EACCES, ON_B(&res, AXHVC_HC_IVC_SUBSCRIBE, ID_A, 51,
				       B_PTR(0), B_PTR(1)));
	/* Off: everybody. */
	al = (struct axhvc_allowlist){ .size = sizeof(al) };
	ASSERT_EQ(0, ioctl(self->a.vmfd, AXHVC_VM_SET_ALLOWLIST, &al));
	EXPECT_NE(0, subscribe(_metadata, self, 51));

	/* Rules. */
	al = (struct axhvc_allowlist){ .size = sizeof(al), .nr_ids = 1 };
	EXPECT_EQ(-1, ioctl(self->a.vmfd, AXHVC_VM_SET_ALLOWLIST, &al));
	EXPECT_EQ(EINVAL, errno);
	al = (struct axhvc_allowlist){
		.size = sizeof(al), .flags = AXHVC_ALLOW_F_ENABLE,
		.nr_ids = axhvc_query(self->axfd).max_allowlist + 1,
	};
	EXPECT_LT(1, al.nr_ids);
	EXPECT_EQ(-1, ioctl(self->a.vmfd, AXHVC_VM_SET_ALLOWLIST, &al));
	EXPECT_EQ(E2BIG, errno);
	al = (struct axhvc_allowlist){ .size = sizeof(al), .flags = AXHVC_ALLOW_F_ENABLE,
				       .nr_ids = 1, .ids = 8 };
	EXPECT_EQ(-1, ioctl(self->a.vmfd, AXHVC_VM_SET_ALLOWLIST, &al));
	EXPECT_EQ(EFAULT, errno);
}

TEST_F(ivc, closing_a_vm_ends_its_channels)
{
	struct axhvc_event ev;
	__u64 b_gpa, v;
	long c, m, p;

	/* The host-wide counters are root's; the tenant's runs are checked after. */
	bool root = !geteuid();

	ASSERT_NE(0, publish(_metadata, self, 61, 4096));
	b_gpa = subscribe(_metadata, self, 61);
	ASSERT_NE(0, b_gpa);
	if (root) {
		ASSERT_EQ(0, axhvc_ivc_stats(&c, &m, &p));
		EXPECT_EQ(1, c);
		EXPECT_EQ(2, m);
		EXPECT_EQ(1, p);
	}

	/* A's VMM goes away: B is told, and keeps the channel. */
	ivc_vm_destroy(&self->a);
	ASSERT_EQ(0, next_event(self->b.vmfd, &ev));
	EXPECT_EQ(AXHVC_EVENT_PUBLISHER_LEFT, ev.type);
	EXPECT_EQ(0, peek(&self->b, b_gpa, &v));
	EXPECT_EQ(ID_A, v);
	if (root) {
		ASSERT_EQ(0, axhvc_ivc_stats(&c, &m, &p));
		EXPECT_EQ(1, c);
		EXPECT_EQ(1, m);
	}

	ivc_vm_destroy(&self->b);
	if (root) {
		ASSERT_EQ(0, axhvc_ivc_stats(&c, &m, &p));
		EXPECT_EQ(0, c);
		EXPECT_EQ(0, m);
		EXPECT_EQ(0, p);
	}
}

/* Counters must come back to @c, @m, @p (teardown may finish just after exit). */
static bool ivc_stats_settle(long c, long m, long p)
{
	long nc, nm, np;
	int i;

	for (i = 0; i < 100; i++) {
		if (!axhvc_ivc_stats(&nc, &nm, &np) && nc == c && nm == m && np == p)
			return true;
		usleep(20000);
	}
	return false;
}

/*
 * The child VMM: two VMs publishing, subscribing, writing and leaving in a
 * loop, counting rounds in @rounds, until it is killed.
 */
static void churn(struct __test_metadata *_metadata, int axfd, bool intercept,
		  __u64 *rounds)
{
	struct _test_data_ivc d, *self = &d;
	__u64 key, gpa;

	if (ivc_vm_create(&d.a, axfd, ID_A, intercept, IVC_SIZE) ||
	    ivc_vm_create(&d.b, axfd, ID_B, intercept, IVC_SIZE))
		_exit(2);
	d.a_buf = vmm_guest_alloc(d.a.vm, 4096);
	d.b_buf = vmm_guest_alloc(d.b.vm, 4096);
	for (key = 0;; key++) {
		struct hc_result res;

		/* Keep a few around, so that the kill finds plenty held. */
		if (!publish(_metadata, self, key, 2 * 4096))
			_exit(3);
		gpa = subscribe(_metadata, self, key);
		if (!gpa || poke(&d.b, gpa + 64, key))
			_exit(4);
		if (key >= 8) {
			ON_A(&res, AXHVC_HC_IVC_UNPUBLISH, key - 8);
			ON_B(&res, AXHVC_HC_IVC_UNSUBSCRIBE, ID_A, key - 7);
		}
		__atomic_store_n(rounds, key + 1, __ATOMIC_RELEASE);
	}
}

TEST(sigkill_mid_loop_leaves_nothing)
{
	__u64 *rounds;
	int axfd, status, i;
	const char *why = axhvc_open_for_test(&axfd, false);
	bool root = !geteuid();
	long c, m, p;
	pid_t pid;

	if (why)
		SKIP(return, "%s", why);
	/* As the tenant: kill all the same; root checks the counters after. */
	if (!root) {
		TH_LOG("the counters are root's: checked after the tenant's runs");
	} else {
		ASSERT_EQ(0, axhvc_ivc_stats(&c, &m, &p)) TH_LOG("no " AXHVC_IVC_STATS);
		ASSERT_EQ(0, c + m + p) TH_LOG("channels left over from before");
	}
	rounds = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		      -1, 0);
	ASSERT_NE(MAP_FAILED, rounds);

	for (i = 0; i < 3; i++) {
		__u64 target = 12 + 5 * i;

		__atomic_store_n(rounds, 0, __ATOMIC_RELAXED);
		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid)
			churn(_metadata, axfd, intercept_available(axfd), rounds);
		/* Kill it in the middle of a round, a little later each time. */
		while (__atomic_load_n(rounds, __ATOMIC_ACQUIRE) < target &&
		       waitpid(pid, &status, WNOHANG) == 0)
			usleep(1000);
		usleep(3000 * i);
		ASSERT_EQ(0, kill(pid, SIGKILL));
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		ASSERT_TRUE(WIFSIGNALED(status)) TH_LOG("child exited %d", WEXITSTATUS(status));
		ASSERT_LE(target, __atomic_load_n(rounds, __ATOMIC_ACQUIRE));
		if (root) {
			EXPECT_TRUE(ivc_stats_settle(0, 0, 0)) {
				axhvc_ivc_stats(&c, &m, &p);
				TH_LOG("left behind: %ld channels, %ld mappings, %ld pages",
				       c, m, p);
			}
		}
		TH_LOG("killed after %llu rounds%s",
		       (unsigned long long)__atomic_load_n(rounds, __ATOMIC_ACQUIRE),
		       root ? ": nothing left" : "");
	}
	munmap(rounds, 4096);
	close(axfd);
}

#define CGROUP_ROOT	"/sys/fs/cgroup"
#define CGROUP_TEST	CGROUP_ROOT "/axhvc-memcg-test"
#define CGROUP_COST	CGROUP_ROOT "/axhvc-cost-test"

/* Write @val to cgroup file @path; 0 or -errno. */
static int cg_write(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/* memory.current of cgroup @dir, in bytes; -1 if unreadable. */
static long cg_memory_current(const char *dir)
{
	char path[128];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/memory.current", dir);
	f = fopen(path, "r");
	if (f && fscanf(f, "%ld", &v) != 1)
		v = -1;
	if (f)
		fclose(f);
	return v;
}

/* cgroup2 with the memory controller for child groups: 0 or -errno. */
static int cg_setup(void)
{
	if (access(CGROUP_ROOT "/cgroup.controllers", F_OK) &&
	    mount("cgroup2", CGROUP_ROOT, "cgroup2", 0, NULL))
		return -errno;
	return cg_write(CGROUP_ROOT "/cgroup.subtree_control", "+memory");
}

/* Move this process into cgroup @dir (created if need be): 0 or -errno. */
static int cg_enter(const char *dir)
{
	char path[128], pid[32];

	if (mkdir(dir, 0755) && errno != EEXIST)
		return -errno;
	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	snprintf(pid, sizeof(pid), "%d", getpid());
	return cg_write(path, pid);
}

#define MEMCG_CHANNEL	(64 * 1024)
/*
 * memory.current moves in batches: each CPU may hold up to 64 pages
 * (MEMCG_CHARGE_BATCH) charged ahead, so a reading may be off by that much
 * per CPU: 8 MiB on a 2-CPU 64 KiB host. The test publishes 2 MiB more.
 */
#define MEMCG_BATCH_PAGES	64

/*
 * The child VMM, in a memory cgroup of its own, publishes channels; the
 * cgroup's usage must grow by at least their pages, and shrink back when
 * the VM goes.
 */
TEST(publisher_pays_in_its_memcg)
{
	/* The forwarded route where KVM has it, else the intercept route. */
	bool icpt = !smccc_filter_available();
	int axfd, up[2], down[2], status;
	const char *why = axhvc_open_for_route(&axfd, icpt);
	long before, during, after, slack, nr;
	pid_t child;
	char c;

	if (why)
		SKIP(return, "%s", why);
	if (cg_setup())
		SKIP(return, "no cgroup2 with a memory controller");
	ASSERT_TRUE(!mkdir(CGROUP_TEST, 0755) || errno == EEXIST);
	slack = MEMCG_BATCH_PAGES * getpagesize() * sysconf(_SC_NPROCESSORS_CONF);
	nr = (slack + (2 << 20)) / MEMCG_CHANNEL;
	/* up: child to parent ("ready", "published"); down: parent to child ("go on"). */
	ASSERT_EQ(0, pipe(up));
	ASSERT_EQ(0, pipe(down));

	child = fork();
	ASSERT_LE(0, child);
	if (!child) {
		struct _test_data_ivc d = { 0 }, *ivc = &d;
		int i;

		if (cg_enter(CGROUP_TEST) ||
		    ivc_vm_create(&d.a, axfd, ID_A, icpt,
				  nr * MEMCG_CHANNEL > IVC_SIZE ? nr * MEMCG_CHANNEL : IVC_SIZE))
			_exit(2);
		d.a_buf = vmm_guest_alloc(d.a.vm, 4096);
		if (write(up[1], "r", 1) != 1 || read(down[0], &c, 1) != 1)
			_exit(3);
		for (i = 0; i < nr; i++)
			if (!publish(_metadata, ivc, i, MEMCG_CHANNEL))
				_exit(4);
		if (write(up[1], "p", 1) != 1 || read(down[0], &c, 1) != 1)
			_exit(5);
		ivc_vm_destroy(&d.a);
		_exit(0);
	}

	ASSERT_EQ(1, read(up[0], &c, 1));
	before = cg_memory_current(CGROUP_TEST);
	ASSERT_EQ(1, write(down[1], "g", 1));
	ASSERT_EQ(1, read(up[0], &c, 1));
	during = cg_memory_current(CGROUP_TEST);
	ASSERT_EQ(1, write(down[1], "g", 1));
	ASSERT_EQ(child, waitpid(child, &status, 0));
	ASSERT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
		TH_LOG("child status %#x", status);
	after = cg_memory_current(CGROUP_TEST);
	rmdir(CGROUP_TEST);

	ksft_print_msg("memcg: %ld KiB before, %ld KiB with %ld channels of %d KiB, %ld after\n",
		       before / 1024, during / 1024, nr, MEMCG_CHANNEL / 1024, after / 1024);
	/* Charged while held, uncharged when the VMM is gone. */
	EXPECT_LE(nr * MEMCG_CHANNEL - slack, during - before);
	EXPECT_LE(nr * MEMCG_CHANNEL - slack, during - after);
	close(up[0]);
	close(up[1]);
	close(down[0]);
	close(down[1]);
	close(axfd);
}

static long mem_free_kib(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[128];
	long kib = -1;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemFree: %ld kB", &kib) == 1)
			break;
	if (f)
		fclose(f);
	return kib;
}

/* Guest time per call of x0..x3 over @n calls, in microseconds. */
static double cost_us(struct __test_metadata *_metadata, struct ivc_vm *v,
		      __u64 code, __u64 x1, __u64 x2, __u64 x3, __u64 n)
{
	struct vmm_vcpu *vcpu = v->vcpu;

	if (vmm_vcpu_start(vcpu, guest_hvc_loop, 6, code, x1, x2, x3, (__u64)0, n) ||
	    vmm_vcpu_run_to_done(vcpu, RUN_TIMEOUT_MS))
		return -1;
	return vmm_ticks_to_us(vcpu->report.args[0], vcpu->report.args[2]) / n;
}

#define MANY	10000

/* Keep the smallest valid measurement in *@best (-1: none yet). */
static void keep_min(double *best, double us)
{
	if (us > 0 && (*best < 0 || us < *best))
		*best = us;
}

/* A fixture only for its timeout: 10,000 channels take a while on debug kernels. */
FIXTURE(many) {
};

FIXTURE_SETUP(many)
{
}

FIXTURE_TEARDOWN(many)
{
}

/*
 * Not a timed test: prints what one VM's hypercalls cost with 1 and with
 * 10,000 channels in the registry, side by side, and the kernel memory a
 * channel costs beyond its page.
 */
TEST_F_TIMEOUT(many, cost_with_many_channels, 600)
{
	long old_max, free0, free1, cg0 = -1, cg1 = -1;
	bool in_cg;
	double one[2] = { -1, -1 }, many[2] = { -1, -1 };
	struct _test_data_ivc d = { 0 }, *ivc = &d;
	__u64 window = 64ULL << 20, key;
	struct hc_result res;
	int axfd, round;
	const char *why = axhvc_open_for_test(&axfd, true);
	time_t t0;

	/* Measured on the intercept route, where nothing else adds up. */
	if (why)
		SKIP(return, "%s", why);
	/* Each 4 KiB channel takes a host page: 625 MiB on a 64 KiB host. */
	if (getpagesize() != 4096) {
		close(axfd);
		SKIP(return, "measured on 4 KiB hosts (this one has %d KiB pages)",
		     getpagesize() / 1024);
	}
	if (geteuid()) {
		close(axfd);
		SKIP(return, "raising max_channels_per_vm is root's");
	}
	old_max = axhvc_set_param("max_channels_per_vm", 2 * MANY);
	ASSERT_LT(0, old_max);
	ASSERT_EQ(0, ivc_vm_create(&d.a, axfd, ID_A, true, window));
	d.a_buf = vmm_guest_alloc(d.a.vm, 4096);

	ASSERT_NE(0, publish(_metadata, ivc, 0, 4096));
	/* Warm up, then: a notify (found, no doorbell), a failing subscribe. */
	cost_us(_metadata, &d.a, AXHVC_HC_IVC_NOTIFY, ID_A, 0, ID_A, 200);
	/* The best of three rounds: this host is emulated and shared. */
	for (round = 0; round < 3; round++) {
		keep_min(&one[0], cost_us(_metadata, &d.a, AXHVC_HC_IVC_NOTIFY, ID_A, 0,
					  ID_A, 2000));
		keep_min(&one[1], cost_us(_metadata, &d.a, AXHVC_HC_IVC_SUBSCRIBE, ID_B, 1,
					  d.a_buf, 2000));
	}
	/*
	 * What the channels cost, charged to a memory cgroup of the test's
	 * own (exact for what axhvc accounts), and as MemFree sees it.
	 */
	in_cg = !cg_setup() && !cg_enter(CGROUP_COST);
	if (in_cg)
		cg0 = cg_memory_current(CGROUP_COST);
	free0 = mem_free_kib();
	for (key = 1; key < MANY; key++)
		ASSERT_NE(0, publish(_metadata, ivc, key, 4096)) TH_LOG("key %llu", key);
	free1 = mem_free_kib();
	if (in_cg) {
		cg1 = cg_memory_current(CGROUP_COST);
		cg_enter(CGROUP_ROOT);
	}
	for (round = 0; round < 3; round++) {
		keep_min(&many[0], cost_us(_metadata, &d.a, AXHVC_HC_IVC_NOTIFY, ID_A,
					   MANY / 2, ID_A, 2000));
		keep_min(&many[1], cost_us(_metadata, &d.a, AXHVC_HC_IVC_SUBSCRIBE, ID_B, 1,
					   d.a_buf, 2000));
	}
	ASSERT_LT(0, one[0]);
	ASSERT_LT(0, one[1]);
	ASSERT_LT(0, many[0]);
	ASSERT_LT(0, many[1]);
	EXPECT_EQ((__u64)-ENOENT, CALL_ON(d.a.vcpu, d.a.vmfd, &res,
					  AXHVC_HC_IVC_SUBSCRIBE, ID_B, 1,
					  d.a_buf, d.a_buf + 8));
	ksft_print_msg("cost notify, 1 channel        %8.1f us/call\n", one[0]);
	ksft_print_msg("cost notify, %d channels  %8.1f us/call  %.2fx\n", MANY,
		       many[0], many[0] / one[0]);
	ksft_print_msg("cost subscribe miss, 1 channel %7.1f us/call\n", one[1]);
	ksft_print_msg("cost subscribe miss, %d channels %6.1f us/call  %.2fx\n",
		       MANY, many[1], many[1] / one[1]);
	ksft_print_msg("memory per channel beyond its page: %ld bytes (MemFree, %d)\n",
		       ((free0 - free1) * 1024 - (long)(MANY - 1) * 4096) / (MANY - 1),
		       MANY - 1);
	if (cg0 >= 0 && cg1 >= 0)
		ksft_print_msg("memory per channel beyond its page: %ld bytes (memcg, %d)\n",
			       (cg1 - cg0 - (long)(MANY - 1) * 4096) / (MANY - 1), MANY - 1);

	t0 = time(NULL);
	ivc_vm_destroy(&d.a);
	EXPECT_TRUE(ivc_stats_settle(0, 0, 0));
	rmdir(CGROUP_COST);
	ksft_print_msg("closing the VM released %d channels in %ld s\n", MANY,
		       (long)(time(NULL) - t0));
	axhvc_set_param("max_channels_per_vm", old_max);
	close(axfd);
}

TEST_HARNESS_MAIN
