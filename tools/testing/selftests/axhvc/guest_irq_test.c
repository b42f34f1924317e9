// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupts a guest really takes: KVM's irqfd alone, HIVCNotify on a
 * doorbell, and the ArchIf bridge (AXHVC_VM_INJECT_IRQ, host SPIs forwarded
 * with AXHVC_VM_FORWARD_IRQ, level-triggered ones unmasked at the guest's
 * EOI).
 *
 * The target guest (lib/guest_gic.S) sets up its GIC, installs its own
 * vector table and waits in WFI until its IRQ handler has acknowledged an
 * SPI; only its DONE report, made after the handler ran, passes a test.
 * irqfd_reaches_guest is the plain KVM baseline (the VMM signals the
 * eventfd); notify_raises_target_irq has a publisher guest ring the
 * target's doorbell with HIVCNotify through each route, while the target's
 * vCPU waits in its own thread. A guest that never takes the interrupt
 * ends under the library watchdog as a failure, not as a hang.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "vmm.h"
#include "guest_gic.h"
#include "hypercall_lib.h"

/* The doorbell's GSI and the SPI the guest sees it as. */
#define DOORBELL_GSI	9
#define DOORBELL_INTID	(DOORBELL_GSI + 32)
/* WFI wakeups without an interrupt the waiting guest tolerates. */
#define MAX_WAKEUPS	100000ULL
/* How long a waiting guest is given to (wrongly) take an interrupt. */
#define QUIET_US	200000

#define VM_A		1	/* publisher */
#define VM_B		2	/* subscriber, the notify target */
#define VM_NONE		3	/* registered nowhere */
#define CHANNEL_KEY	0x1bd

/*
 * One hypercall x0..x4 = @x from @vcpu, whose VM has axhvc fd @vmfd: the
 * forwarded route's exits are served as a VMM would. The guest's x0 goes to
 * @x0 and the number of KVM_EXIT_HYPERCALLs to @exits. Never asserts, so
 * that it may run while another thread runs a vCPU; returns 0 or -1
 * (logged).
 */
static int hc_call(struct __test_metadata *_metadata, struct vmm_vcpu *vcpu,
		   int vmfd, const __u64 x[5], __u64 *x0, unsigned int *exits)
{
	int ret = -1;

	*exits = 0;
	if (vmm_vcpu_start(vcpu, guest_hvc_probe, 5, x[0], x[1], x[2], x[3], x[4]) ||
	    vmm_set_reg(vcpu, VMM_REG_X(28), PROBE_GPA) ||
	    vmm_watchdog_arm(vcpu, RUN_TIMEOUT_MS))
		return -1;
	for (;;) {
		enum vmm_run_result r = vmm_vcpu_run(vcpu);
		struct kvm_run *run = vcpu->run;
		struct axhvc_hypercall hc;

		if (r == VMM_RUN_EXIT && run->exit_reason == KVM_EXIT_HYPERCALL) {
			(*exits)++;
			/* This VM hands no lifecycle call to its VMM. */
			if (libaxhvc_serve_hypercall(vmfd, vcpu->fd, vcpu->id, run, &hc)) {
				TH_LOG("%s", libaxhvc_errmsg());
				break;
			}
			continue;
		}
		if (r == VMM_RUN_EXIT && run->exit_reason == KVM_EXIT_MMIO &&
		    run->mmio.phys_addr == PROBE_GPA) {
			ret = vmm_get_reg(vcpu, VMM_REG_X(0), x0) ? -1 : 0;
			break;
		}
		vmm_vcpu_dump(vcpu, vmm_run_result_name(r));
		break;
	}
	vmm_watchdog_disarm(vcpu);
	return ret;
}

/*
 * Runs the waiting guest until its next report, under the watchdog; true
 * if that is VALUE(@tag), else logs what happened instead.
 */
static bool run_to_value(struct __test_metadata *_metadata,
			 struct vmm_vcpu *vcpu, __u64 tag)
{
	enum vmm_run_result r;

	if (vmm_watchdog_arm(vcpu, RUN_TIMEOUT_MS))
		return false;
	r = vmm_vcpu_run(vcpu);
	vmm_watchdog_disarm(vcpu);
	if (r == VMM_RUN_REPORT && vcpu->report.cmd == VMM_REPORT_VALUE &&
	    vcpu->report.args[0] == tag)
		return true;
	TH_LOG("waiting for VALUE(%llu), got %s", (unsigned long long)tag,
	       vmm_run_result_name(r));
	if (r == VMM_RUN_REPORT)
		vmm_report_print(vcpu);
	vmm_vcpu_dump(vcpu, vmm_run_result_name(r));
	return false;
}

/*
 * Starts guest_gic_wait_irq for @intid (level-triggered if @level) on
 * @vcpu and runs it until it has its GIC set up and has shown that it took
 * no interrupt and has none pending. @between runs between the two reports: whatever must not raise
 * the SPI. The vCPU is left stopped at the second report.
 */
static bool guest_gic_arm(struct __test_metadata *_metadata,
			  struct vmm_vcpu *vcpu, __u64 intid, __u64 level,
			  void (*between)(struct __test_metadata *, void *),
			  void *opaque)
{
	if (vmm_vcpu_start(vcpu, guest_gic_wait_irq, 3, intid, MAX_WAKEUPS, level) ||
	    !run_to_value(_metadata, vcpu, GUEST_GIC_READY))
		return false;
	EXPECT_EQ(intid, vcpu->report.args[1]);
	if (between)
		between(_metadata, opaque);
	if (!run_to_value(_metadata, vcpu, GUEST_GIC_UNMASKED))
		return false;
	EXPECT_EQ(0, vcpu->report.args[1]) TH_LOG("IRQs taken before any was raised");
	EXPECT_EQ(0, vcpu->report.args[2]) TH_LOG("the SPI is pending before it was raised");
	return !vcpu->report.args[1] && !vcpu->report.args[2];
}

/*
 * The waiting guest's vCPU, run in a thread of its own so that the
 * interrupt has to wake it from WFI, with its own watchdog: a guest that
 * never takes the interrupt comes back as VMM_RUN_STUCK.
 */
struct irq_waiter {
	struct vmm_vcpu *vcpu;
	pthread_t thread;
	enum vmm_run_result result;
	int err;
	int finished;		/* __atomic accesses */
};

static void *irq_waiter_run(void *arg)
{
	struct irq_waiter *w = arg;

	w->err = vmm_watchdog_arm(w->vcpu, RUN_TIMEOUT_MS);
	if (!w->err) {
		w->result = vmm_vcpu_run(w->vcpu);
		vmm_watchdog_disarm(w->vcpu);
	}
	__atomic_store_n(&w->finished, 1, __ATOMIC_RELEASE);
	return NULL;
}

static int irq_waiter_start(struct irq_waiter *w, struct vmm_vcpu *vcpu)
{
	memset(w, 0, sizeof(*w));
	w->vcpu = vcpu;
	return pthread_create(&w->thread, NULL, irq_waiter_run, w);
}

static bool irq_waiter_finished(struct irq_waiter *w)
{
	return __atomic_load_n(&w->finished, __ATOMIC_ACQUIRE);
}

/*
 * Joins the waiter; it must have reported DONE for exactly one interrupt,
 * @intid, taken by the guest's handler.
 */
static void irq_waiter_check(struct __test_metadata *_metadata,
			     struct irq_waiter *w, __u64 intid)
{
	struct vmm_vcpu *vcpu = w->vcpu;

	ASSERT_EQ(0, pthread_join(w->thread, NULL));
	ASSERT_EQ(0, w->err);
	if (w->result != VMM_RUN_REPORT || vcpu->report.cmd != VMM_REPORT_DONE) {
		if (w->result == VMM_RUN_REPORT)
			vmm_report_print(vcpu);
		vmm_vcpu_dump(vcpu, vmm_run_result_name(w->result));
	}
	ASSERT_EQ(VMM_RUN_REPORT, w->result)
		TH_LOG("the guest did not report: %s", vmm_run_result_name(w->result));
	ASSERT_EQ(VMM_REPORT_DONE, vcpu->report.cmd)
		TH_LOG("the guest reported %s", vmm_report_name(vcpu->report.cmd));
	EXPECT_EQ(intid, vcpu->report.args[0]) TH_LOG("INTID taken");
	EXPECT_EQ(1, vcpu->report.args[1]) TH_LOG("IRQs taken");
	ksft_print_msg("guest took INTID %llu after %llu WFI wakeups without it\n",
		       (unsigned long long)vcpu->report.args[0],
		       (unsigned long long)vcpu->report.args[2]);
}

/* Plain KVM: an irqfd signalled by the VMM reaches the guest's handler. */
TEST(irqfd_reaches_guest)
{
	const char *why = vmm_kvm_unavailable();
	const __u64 one = 1;
	struct irq_waiter w;
	struct vmm_vm *vm;
	int efd;

	if (why)
		SKIP(return, "%s", why);
	vm = vmm_vm_create_with_vcpus(1, 0);
	ASSERT_NE(NULL, vm);
	efd = eventfd(0, EFD_CLOEXEC);
	ASSERT_LE(0, efd);
	ASSERT_EQ(0, vmm_irqfd_assign(vm, DOORBELL_GSI, efd));

	ASSERT_TRUE(guest_gic_arm(_metadata, vm->vcpus[0], DOORBELL_INTID,
				  0, NULL, NULL));
	ASSERT_EQ(0, irq_waiter_start(&w, vm->vcpus[0]));
	usleep(QUIET_US);
	EXPECT_FALSE(irq_waiter_finished(&w)) TH_LOG("the guest did not wait");
	EXPECT_EQ(sizeof(one), write(efd, &one, sizeof(one)));
	irq_waiter_check(_metadata, &w, DOORBELL_INTID);

	EXPECT_EQ(0, vmm_irqfd_deassign(vm, DOORBELL_GSI, efd));
	close(efd);
	vmm_vm_destroy(vm);
}

FIXTURE(ivc_irq) {
	int axfd;
	struct vmm_vm *vm_a, *vm_b;
	int vmfd_a, vmfd_b;
	int efd;
	bool irqfd;
};

FIXTURE_VARIANT(ivc_irq) {
	bool intercept;
	bool intid_doorbell;	/* rung through axhvc's INTID route */
};

FIXTURE_VARIANT_ADD(ivc_irq, forwarded) { .intercept = false };
FIXTURE_VARIANT_ADD(ivc_irq, intercept) { .intercept = true };
FIXTURE_VARIANT_ADD(ivc_irq, forwarded_intid_doorbell) {
	.intercept = false, .intid_doorbell = true };
FIXTURE_VARIANT_ADD(ivc_irq, intercept_intid_doorbell) {
	.intercept = true, .intid_doorbell = true };

FIXTURE_SETUP(ivc_irq)
{
	const char *why = axhvc_open_for_route(&self->axfd, variant->intercept);

	self->vmfd_a = -1;
	self->vmfd_b = -1;
	self->efd = -1;
	if (why)
		SKIP(return, "%s", why);

	self->vm_a = vmm_vm_create_with_vcpus(1, 0);
	ASSERT_NE(NULL, self->vm_a);
	self->vm_b = vmm_vm_create_with_vcpus(1, 0);
	ASSERT_NE(NULL, self->vm_b);
	self->vmfd_a = register_vm(self->axfd, self->vm_a, VM_A, 0, variant->intercept, true);
	ASSERT_LE(0, self->vmfd_a) TH_LOG("register A: %s", strerror(-self->vmfd_a));
	self->vmfd_b = register_vm(self->axfd, self->vm_b, VM_B, 0, variant->intercept, true);
	ASSERT_LE(0, self->vmfd_b) TH_LOG("register B: %s", strerror(-self->vmfd_b));

	/* B's doorbell: one eventfd, B's SPI through KVM_IRQFD and axhvc's bell. */
	self->efd = eventfd(0, EFD_CLOEXEC);
	ASSERT_LE(0, self->efd);
	ASSERT_EQ(0, libaxhvc_irqfd(self->vm_b->fd, DOORBELL_INTID, self->efd, true));
	self->irqfd = true;
	if (variant->intid_doorbell) {
		/* The ArchIf way: a route to the INTID, and the INTID as doorbell. */
		ASSERT_EQ(0, libaxhvc_set_irq_route(self->vmfd_b, DOORBELL_INTID, self->efd));
		ASSERT_EQ(0, libaxhvc_set_doorbell_intid(self->vmfd_b, DOORBELL_INTID))
			TH_LOG("%s", libaxhvc_errmsg());
	} else {
		ASSERT_EQ(0, libaxhvc_set_doorbell(self->vmfd_b, self->efd))
			TH_LOG("%s", libaxhvc_errmsg());
	}
}

FIXTURE_TEARDOWN(ivc_irq)
{
	if (self->irqfd)
		libaxhvc_irqfd(self->vm_b->fd, DOORBELL_INTID, self->efd, false);
	if (self->efd >= 0)
		close(self->efd);
	if (self->vmfd_a >= 0)
		close(self->vmfd_a);
	if (self->vmfd_b >= 0)
		close(self->vmfd_b);
	vmm_vm_destroy(self->vm_a);
	vmm_vm_destroy(self->vm_b);
	if (self->axfd >= 0)
		close(self->axfd);
}

/* What CALL_ASYNC() evaluates to when the call itself went wrong. */
#define CALL_BROKEN	0xbad0ca11ULL

/*
 * A hypercall from @vm's guest; evaluates to its x0. It only EXPECTs, so
 * it is safe while the waiter thread runs a vCPU.
 */
#define CALL_ASYNC(vm, vmfd, ...)	({					\
	const __u64 __x[5] = { __VA_ARGS__ };				\
	unsigned int __exits = 0;					\
	__u64 __x0 = CALL_BROKEN;					\
	EXPECT_EQ(0, hc_call(_metadata, (vm)->vcpus[0], vmfd, __x,	\
			     &__x0, &__exits));				\
	EXPECT_EQ(variant->intercept ? 0 : 1, __exits)			\
		TH_LOG("KVM_EXIT_HYPERCALLs for one call");		\
	__x0; })
#define CALL_A(...)	CALL_ASYNC(self->vm_a, self->vmfd_a, __VA_ARGS__)
#define CALL_B(...)	CALL_ASYNC(self->vm_b, self->vmfd_b, __VA_ARGS__)

/* Notifies that must not ring B: B is not a member, or not the channel. */
struct negative_ctx {
	struct _test_data_ivc_irq *self;
	const struct _fixture_variant_ivc_irq *variant;
};

static void notify_non_members(struct __test_metadata *_metadata, void *opaque)
{
	struct negative_ctx *ctx = opaque;
	struct _test_data_ivc_irq *self = ctx->self;
	const struct _fixture_variant_ivc_irq *variant = ctx->variant;

	EXPECT_EQ((__u64)-ENOENT,
		  CALL_A(AXHVC_HC_IVC_NOTIFY, VM_A, CHANNEL_KEY, VM_NONE));
	EXPECT_EQ((__u64)-ENOENT,
		  CALL_A(AXHVC_HC_IVC_NOTIFY, VM_A, CHANNEL_KEY + 1, VM_B));
}

TEST_F(ivc_irq, notify_raises_target_irq)
{
	struct negative_ctx ctx = { .self = self, .variant = variant };
	__u64 pub = vmm_guest_alloc(self->vm_a, 4096);
	__u64 sub = vmm_guest_alloc(self->vm_b, 4096);
	struct irq_waiter w;
	__u64 *p;

	ASSERT_NE(0, pub);
	ASSERT_NE(0, sub);
	p = vmm_gpa_to_hva(self->vm_a, pub + 8);
	*p = 4096;
	ASSERT_EQ(0, CALL_A(AXHVC_HC_IVC_PUBLISH, CHANNEL_KEY, pub, pub + 8));
	ASSERT_EQ(4096, *p);

	/* B is not subscribed yet: not a target. */
	EXPECT_EQ((__u64)-ENOENT,
		  CALL_A(AXHVC_HC_IVC_NOTIFY, VM_A, CHANNEL_KEY, VM_B));
	ASSERT_EQ(0, CALL_B(AXHVC_HC_IVC_SUBSCRIBE, VM_A, CHANNEL_KEY, sub, sub + 8));
	p = vmm_gpa_to_hva(self->vm_b, sub + 8);
	EXPECT_EQ(4096, *p);

	/*
	 * B sets up its GIC; the failing notifies run while it is ready, and
	 * it must come out of its IRQ window with nothing taken or pending.
	 */
	ASSERT_TRUE(guest_gic_arm(_metadata, self->vm_b->vcpus[0], DOORBELL_INTID,
				  0, notify_non_members, &ctx));

	/* B waits in WFI in its thread; a failing notify must not wake it. */
	ASSERT_EQ(0, irq_waiter_start(&w, self->vm_b->vcpus[0]));
	usleep(QUIET_US);
	EXPECT_EQ((__u64)-ENOENT,
		  CALL_A(AXHVC_HC_IVC_NOTIFY, VM_A, CHANNEL_KEY, VM_NONE));
	usleep(QUIET_US);
	EXPECT_FALSE(irq_waiter_finished(&w)) TH_LOG("B woke up without a notify");

	/* The real one: A's guest rings B, B's guest takes the SPI. */
	EXPECT_EQ(0, CALL_A(AXHVC_HC_IVC_NOTIFY, VM_A, CHANNEL_KEY, VM_B));
	irq_waiter_check(_metadata, &w, DOORBELL_INTID);
}

#define TESTHW_SPI	"/sys/kernel/debug/axhvc_testhw/spi_pending"
/*
 * Spare SPIs of QEMU's virt machine: no device uses them, and its GIC
 * implements SPIs 0..223 (INTIDs up to 255).
 */
#define SPARE_SPI_EDGE	200
#define SPARE_SPI_LEVEL	201
#define LEVEL_GSI	10
#define LEVEL_INTID	(LEVEL_GSI + 32)

/* One VM registered with axhvc, its edge irqfd (INTID 41) routed. */
FIXTURE(bridge) {
	int axfd;
	struct vmm_vm *vm;
	int vmfd;
	int efd;
};

FIXTURE_SETUP(bridge)
{
	const char *why = axhvc_open_for_test(&self->axfd, false);

	self->vmfd = -1;
	self->efd = -1;
	if (why)
		SKIP(return, "%s", why);
	self->vm = vmm_vm_create_with_vcpus(1, 0);
	ASSERT_NE(NULL, self->vm);
	self->vmfd = register_vm(self->axfd, self->vm, 7, 0, false, false);
	ASSERT_LE(0, self->vmfd);
	self->efd = eventfd(0, EFD_CLOEXEC);
	ASSERT_LE(0, self->efd);
	ASSERT_EQ(0, libaxhvc_irqfd(self->vm->fd, DOORBELL_INTID, self->efd, true));
	ASSERT_EQ(0, libaxhvc_set_irq_route(self->vmfd, DOORBELL_INTID, self->efd));
}

FIXTURE_TEARDOWN(bridge)
{
	if (self->vmfd >= 0)
		close(self->vmfd);
	if (self->efd >= 0)
		close(self->efd);
	vmm_vm_destroy(self->vm);
	if (self->axfd >= 0)
		close(self->axfd);
}

/* Raise or lower host SPI @spi as a device would (test helper module). */
static int host_spi(unsigned int spi, int on)
{
	char buf[32];
	int fd, n, ret = 0;

	fd = open(TESTHW_SPI, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = snprintf(buf, sizeof(buf), "%u %d", spi, on);
	if (write(fd, buf, n) != n)
		ret = -errno;
	close(fd);
	return ret;
}

static int forward(int vmfd, __u32 host_irq, __u32 flags, __u32 intid,
		   int resamplefd)
{
	struct axhvc_irq_forward f = {
		.size = sizeof(f),
		.host_irq = host_irq, .flags = flags, .intid = intid,
		.resamplefd = resamplefd,
	};

	return ioctl(vmfd, AXHVC_VM_FORWARD_IRQ, &f) ? -errno : 0;
}

static int unforward(int vmfd, __u32 host_irq, __u32 flags)
{
	struct axhvc_irq_forward f = { .size = sizeof(f), .host_irq = host_irq, .flags = flags };

	return ioctl(vmfd, AXHVC_VM_UNFORWARD_IRQ, &f) ? -errno : 0;
}

static int irq_state(int vmfd, __u32 intid, struct axhvc_irq_state *st)
{
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	st->intid = intid;
	return ioctl(vmfd, AXHVC_VM_GET_IRQ_STATE, st) ? -errno : 0;
}

/* The Linux IRQ number /proc/interrupts gives a line naming @what; -1 if none. */
static int proc_interrupts_irq(const char *what)
{
	FILE *f = fopen("/proc/interrupts", "r");
	char line[512];
	int irq = -1;

	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, what) && sscanf(line, " %d:", &irq) == 1)
			break;
	if (f)
		fclose(f);
	return irq;
}

/* hardware_inject_virtual_interrupt(): the guest's handler takes it. */
TEST_F(bridge, inject_reaches_guest)
{
	struct axhvc_irq irq = { .size = sizeof(irq), .intid = DOORBELL_INTID };
	struct irq_waiter w;

	ASSERT_TRUE(guest_gic_arm(_metadata, self->vm->vcpus[0], DOORBELL_INTID,
				  0, NULL, NULL));
	ASSERT_EQ(0, irq_waiter_start(&w, self->vm->vcpus[0]));
	usleep(QUIET_US);
	EXPECT_FALSE(irq_waiter_finished(&w)) TH_LOG("the guest did not wait");
	EXPECT_EQ(0, ioctl(self->vmfd, AXHVC_VM_INJECT_IRQ, &irq));
	irq_waiter_check(_metadata, &w, DOORBELL_INTID);
}

TEST_F(bridge, inject_rules)
{
	struct axhvc_irq_route route = { .size = sizeof(route), .intid = 31, .eventfd = self->efd };
	struct axhvc_irq irq = { .size = sizeof(irq), .intid = 43 };
	int closed = eventfd(0, 0);

	EXPECT_EQ(-1, ioctl(self->vmfd, AXHVC_VM_INJECT_IRQ, &irq));
	EXPECT_EQ(ENOENT, errno);
	irq.flags = 1;
	EXPECT_EQ(-1, ioctl(self->vmfd, AXHVC_VM_INJECT_IRQ, &irq));
	EXPECT_EQ(EINVAL, errno);
	/* SPIs only. */
	EXPECT_EQ(-1, ioctl(self->vmfd, AXHVC_VM_SET_IRQ_ROUTE, &route));
	EXPECT_EQ(EINVAL, errno);
	route.intid = 1020;
	EXPECT_EQ(-1, ioctl(self->vmfd, AXHVC_VM_SET_IRQ_ROUTE, &route));
	EXPECT_EQ(EINVAL, errno);
	/* A closed eventfd. */
	close(closed);
	route = (struct axhvc_irq_route){ .size = sizeof(route), .intid = 43, .eventfd = closed };
	EXPECT_EQ(-1, ioctl(self->vmfd, AXHVC_VM_SET_IRQ_ROUTE, &route));
	EXPECT_EQ(EBADF, errno);
	route.eventfd = -1;
	EXPECT_EQ(-1, ioctl(self->vmfd, AXHVC_VM_SET_IRQ_ROUTE, &route));
	EXPECT_EQ(ENOENT, errno);
	route.eventfd = self->efd;
	route.flags = 1;
	EXPECT_EQ(-1, ioctl(self->vmfd, AXHVC_VM_SET_IRQ_ROUTE, &route));
	EXPECT_EQ(EINVAL, errno);
	/* Removed: gone. */
	route = (struct axhvc_irq_route){
		.size = sizeof(route), .intid = DOORBELL_INTID, .eventfd = -1,
	};
	EXPECT_EQ(0, ioctl(self->vmfd, AXHVC_VM_SET_IRQ_ROUTE, &route));
	irq = (struct axhvc_irq){ .size = sizeof(irq), .intid = DOORBELL_INTID };
	EXPECT_EQ(-1, ioctl(self->vmfd, AXHVC_VM_INJECT_IRQ, &irq));
	EXPECT_EQ(ENOENT, errno);
}

/* fetch_irq()/handle_irq(): a host SPI, edge-triggered, reaches the guest. */
TEST_F(bridge, host_spi_forwarded)
{
	struct axhvc_irq_state st;
	struct irq_waiter w;

	if (access(TESTHW_SPI, W_OK))
		SKIP(return, "no " TESTHW_SPI);
	ASSERT_EQ(0, forward(self->vmfd, SPARE_SPI_EDGE, AXHVC_FWD_F_GIC_SPI,
			     DOORBELL_INTID, -1));
	EXPECT_LT(0, proc_interrupts_irq("axhvc-forward"));
	ASSERT_EQ(0, irq_state(self->vmfd, DOORBELL_INTID, &st));
	EXPECT_EQ(0, st.fired);

	ASSERT_TRUE(guest_gic_arm(_metadata, self->vm->vcpus[0], DOORBELL_INTID,
				  0, NULL, NULL));
	ASSERT_EQ(0, irq_waiter_start(&w, self->vm->vcpus[0]));
	usleep(QUIET_US);
	EXPECT_FALSE(irq_waiter_finished(&w));
	EXPECT_EQ(0, host_spi(SPARE_SPI_EDGE, 1));
	irq_waiter_check(_metadata, &w, DOORBELL_INTID);
	ASSERT_EQ(0, irq_state(self->vmfd, DOORBELL_INTID, &st));
	EXPECT_EQ(1, st.fired);
	EXPECT_EQ(0, st.masked);

	EXPECT_EQ(0, unforward(self->vmfd, SPARE_SPI_EDGE, AXHVC_FWD_F_GIC_SPI));
	EXPECT_EQ(-1, proc_interrupts_irq("axhvc-forward"));
	EXPECT_EQ(-ENOENT, irq_state(self->vmfd, DOORBELL_INTID, &st));
}

/* A level-triggered host SPI stays masked until the guest's EOI. */
TEST_F(bridge, level_spi_unmasked_at_guest_eoi)
{
	struct axhvc_irq_route route = { .size = sizeof(route), .intid = LEVEL_INTID };
	struct axhvc_irq_state st;
	struct kvm_irqfd irqfd = { .gsi = LEVEL_GSI, .flags = KVM_IRQFD_FLAG_RESAMPLE };
	struct irq_waiter w;
	int efd, rfd, i;

	if (access(TESTHW_SPI, W_OK))
		SKIP(return, "no " TESTHW_SPI);
	efd = eventfd(0, EFD_CLOEXEC);
	rfd = eventfd(0, EFD_CLOEXEC);
	ASSERT_LE(0, efd);
	ASSERT_LE(0, rfd);
	irqfd.fd = efd;
	irqfd.resamplefd = rfd;
	ASSERT_EQ(0, ioctl(self->vm->fd, KVM_IRQFD, &irqfd));
	route.eventfd = efd;
	ASSERT_EQ(0, ioctl(self->vmfd, AXHVC_VM_SET_IRQ_ROUTE, &route));
	/* Level needs the resample eventfd, and only level takes one. */
	EXPECT_EQ(-EINVAL, forward(self->vmfd, SPARE_SPI_LEVEL,
				   AXHVC_FWD_F_GIC_SPI | AXHVC_FWD_F_LEVEL, LEVEL_INTID, -1));
	EXPECT_EQ(-EINVAL, forward(self->vmfd, SPARE_SPI_LEVEL, AXHVC_FWD_F_GIC_SPI,
				   LEVEL_INTID, rfd));
	ASSERT_EQ(0, forward(self->vmfd, SPARE_SPI_LEVEL,
			     AXHVC_FWD_F_GIC_SPI | AXHVC_FWD_F_LEVEL, LEVEL_INTID, rfd));

	ASSERT_TRUE(guest_gic_arm(_metadata, self->vm->vcpus[0], LEVEL_INTID,
				  1, NULL, NULL));
	ASSERT_EQ(0, irq_waiter_start(&w, self->vm->vcpus[0]));
	usleep(QUIET_US);
	EXPECT_EQ(0, host_spi(SPARE_SPI_LEVEL, 1));
	irq_waiter_check(_metadata, &w, LEVEL_INTID);
	/* The guest EOIed: KVM signalled the resample eventfd, axhvc unmasked. */
	for (i = 0; i < 100; i++) {
		ASSERT_EQ(0, irq_state(self->vmfd, LEVEL_INTID, &st));
		if (st.unmasked)
			break;
		usleep(10000);
	}
	EXPECT_EQ(1, st.fired);
	EXPECT_EQ(1, st.unmasked);
	EXPECT_EQ(0, st.masked);
	/* A route in use cannot go away under the forward. */
	route.eventfd = -1;
	EXPECT_EQ(-1, ioctl(self->vmfd, AXHVC_VM_SET_IRQ_ROUTE, &route));
	EXPECT_EQ(EBUSY, errno);
	EXPECT_EQ(0, unforward(self->vmfd, SPARE_SPI_LEVEL, AXHVC_FWD_F_GIC_SPI));
	EXPECT_EQ(0, ioctl(self->vmfd, AXHVC_VM_SET_IRQ_ROUTE, &route));
	irqfd.flags |= KVM_IRQFD_FLAG_DEASSIGN;
	EXPECT_EQ(0, ioctl(self->vm->fd, KVM_IRQFD, &irqfd));
	close(efd);
	close(rfd);
}

TEST_F(bridge, forward_rules)
{
	int uart = proc_interrupts_irq("uart-pl011");
	struct axhvc_host_gic gic = { .size = sizeof(gic) };
	int closed = eventfd(0, 0);
	__u32 nr_spis;

	close(closed);
	ASSERT_EQ(0, ioctl(self->axfd, AXHVC_GET_HOST_GIC, &gic));
	nr_spis = 32 * ((gic.typer & 0x1f) + 1) - 32;
	/* Lines the distributor does not have. */
	EXPECT_EQ(-EINVAL, forward(self->vmfd, nr_spis, AXHVC_FWD_F_GIC_SPI,
				   DOORBELL_INTID, -1));
	EXPECT_EQ(-EINVAL, forward(self->vmfd, 988, AXHVC_FWD_F_GIC_SPI,
				   DOORBELL_INTID, -1));
	EXPECT_EQ(-EINVAL, forward(self->vmfd, SPARE_SPI_EDGE, 1U << 7,
				   DOORBELL_INTID, -1));
	EXPECT_EQ(-ENOENT, forward(self->vmfd, SPARE_SPI_EDGE, AXHVC_FWD_F_GIC_SPI,
				   DOORBELL_INTID + 5, -1)) TH_LOG("no route");
	EXPECT_EQ(-ENOENT, forward(self->vmfd, 100000, 0, DOORBELL_INTID, -1))
		TH_LOG("no such Linux IRQ");
	EXPECT_EQ(-EBADF, forward(self->vmfd, SPARE_SPI_LEVEL,
				  AXHVC_FWD_F_GIC_SPI | AXHVC_FWD_F_LEVEL,
				  DOORBELL_INTID, closed));
	/*
	 * A line a driver owns stays the driver's. pl011's is level-triggered:
	 * asked for as an edge line it is refused before anything else.
	 */
	EXPECT_LT(0, uart) TH_LOG("no uart-pl011 in /proc/interrupts");
	EXPECT_EQ(-EINVAL, forward(self->vmfd, uart, 0, DOORBELL_INTID, -1));
	EXPECT_EQ(-EBUSY, forward(self->vmfd, uart, AXHVC_FWD_F_LEVEL, DOORBELL_INTID,
				  self->efd));
	/* Once per host IRQ, once per INTID. */
	ASSERT_EQ(0, forward(self->vmfd, SPARE_SPI_EDGE, AXHVC_FWD_F_GIC_SPI,
			     DOORBELL_INTID, -1));
	EXPECT_EQ(-EBUSY, forward(self->vmfd, SPARE_SPI_EDGE, AXHVC_FWD_F_GIC_SPI,
				  DOORBELL_INTID, -1));
	EXPECT_EQ(-ENOENT, unforward(self->vmfd, SPARE_SPI_LEVEL, AXHVC_FWD_F_GIC_SPI));
	EXPECT_EQ(-EINVAL, unforward(self->vmfd, SPARE_SPI_EDGE,
				     AXHVC_FWD_F_GIC_SPI | AXHVC_FWD_F_LEVEL));
	/* Nothing was left behind by the failures; closing the VM frees the IRQ. */
	EXPECT_LT(0, proc_interrupts_irq("axhvc-forward"));
	close(self->vmfd);
	self->vmfd = -1;
	EXPECT_EQ(-1, proc_interrupts_irq("axhvc-forward"));
}

#define COST_IRQS	300

/* Raise DOORBELL_INTID once: through axhvc's route, or KVM's irqfd alone. */
static int raise_once(struct _test_data_bridge *self, bool axhvc)
{
	struct axhvc_irq irq = { .size = sizeof(irq), .intid = DOORBELL_INTID };
	const __u64 one = 1;

	if (axhvc)
		return ioctl(self->vmfd, AXHVC_VM_INJECT_IRQ, &irq);
	return write(self->efd, &one, sizeof(one)) == sizeof(one) ? 0 : -1;
}

/*
 * Guest-observed time per interrupt, one at a time: the VMM raises the
 * next only once the guest has counted the last. Microseconds, or -1.
 */
static double irq_cost_us(struct __test_metadata *_metadata,
			  struct _test_data_bridge *self, bool axhvc)
{
	struct vmm_vcpu *vcpu = self->vm->vcpus[0];
	__u64 gpa = vmm_guest_alloc(self->vm, 4096);
	__u64 *taken = vmm_gpa_to_hva(self->vm, gpa);
	struct timespec t0, now;
	struct irq_waiter w;
	__u64 i;

	if (!gpa || vmm_vcpu_start(vcpu, guest_gic_count_irqs, 3,
				   (__u64)DOORBELL_INTID, (__u64)COST_IRQS, gpa) ||
	    !run_to_value(_metadata, vcpu, GUEST_GIC_READY) ||
	    irq_waiter_start(&w, vcpu))
		return -1;
	for (i = 0; i < COST_IRQS; i++) {
		if (raise_once(self, axhvc))
			break;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		do {
			clock_gettime(CLOCK_MONOTONIC, &now);
		} while (__atomic_load_n(taken, __ATOMIC_ACQUIRE) <= i &&
			 now.tv_sec - t0.tv_sec < 5);
	}
	pthread_join(w.thread, NULL);
	if (w.err || w.result != VMM_RUN_REPORT || vcpu->report.cmd != VMM_REPORT_DONE ||
	    vcpu->report.args[1] != COST_IRQS) {
		vmm_vcpu_dump(vcpu, "cost run");
		return -1;
	}
	return vmm_ticks_to_us(vcpu->report.args[0], vcpu->report.args[2]) / COST_IRQS;
}

/*
 * Not a timed test: prints, side by side in one run, what an interrupt
 * costs the guest when the VMM raises it with KVM_IRQFD alone (writing the
 * eventfd) and through axhvc (AXHVC_VM_INJECT_IRQ).
 */
TEST_F_TIMEOUT(bridge, injection_cost, 300)
{
	double kvm = 0, ax = 0, us;
	int round;

	/* The best of three rounds each, interleaved: the host is noisy. */
	for (round = 0; round < 3; round++) {
		us = irq_cost_us(_metadata, self, false);
		ASSERT_LT(0, us);
		kvm = round && kvm < us ? kvm : us;
		us = irq_cost_us(_metadata, self, true);
		ASSERT_LT(0, us);
		ax = round && ax < us ? ax : us;
	}
	ksft_print_msg("cost irq, KVM_IRQFD alone (eventfd write)  %8.1f us/irq\n", kvm);
	ksft_print_msg("cost irq, AXHVC_VM_INJECT_IRQ               %8.1f us/irq  %.2fx\n",
		       ax, ax / kvm);
}

TEST_HARNESS_MAIN
