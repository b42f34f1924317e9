// SPDX-License-Identifier: GPL-2.0
/*
 * HIVCNotify raises an interrupt the target guest really takes.
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
		struct axhvc_hypercall hc = { .vcpu_id = vcpu->id };
		unsigned int i;

		if (r == VMM_RUN_EXIT && run->exit_reason == KVM_EXIT_HYPERCALL) {
			(*exits)++;
			for (i = 0; i < 7; i++)
				if (vmm_get_reg(vcpu, VMM_REG_X(i), &hc.x[i]))
					goto out;
			if (ioctl(vmfd, AXHVC_VM_HYPERCALL, &hc)) {
				TH_LOG("AXHVC_VM_HYPERCALL: %s", strerror(errno));
				goto out;
			}
			if (vmm_set_reg(vcpu, VMM_REG_X(0), hc.ret))
				goto out;
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
out:
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
 * Starts guest_gic_wait_irq for @intid on @vcpu and runs it until it has
 * its GIC set up and has shown that it took no interrupt and has none
 * pending. @between runs between the two reports: whatever must not raise
 * the SPI. The vCPU is left stopped at the second report.
 */
static bool guest_gic_arm(struct __test_metadata *_metadata,
			  struct vmm_vcpu *vcpu, __u64 intid,
			  void (*between)(struct __test_metadata *, void *),
			  void *opaque)
{
	if (vmm_vcpu_start(vcpu, guest_gic_wait_irq, 2, intid, MAX_WAKEUPS) ||
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
				  NULL, NULL));
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
};

FIXTURE_VARIANT_ADD(ivc_irq, forwarded) { .intercept = false };
FIXTURE_VARIANT_ADD(ivc_irq, intercept) { .intercept = true };

FIXTURE_SETUP(ivc_irq)
{
	const char *why = axhvc_open_for_test(&self->axfd, variant->intercept);
	struct axhvc_doorbell db = { 0 };

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
	ASSERT_EQ(0, vmm_irqfd_assign(self->vm_b, DOORBELL_GSI, self->efd));
	self->irqfd = true;
	db.eventfd = self->efd;
	ASSERT_EQ(0, ioctl(self->vmfd_b, AXHVC_VM_SET_DOORBELL, &db))
		TH_LOG("AXHVC_VM_SET_DOORBELL: %s", strerror(errno));
}

FIXTURE_TEARDOWN(ivc_irq)
{
	if (self->irqfd)
		vmm_irqfd_deassign(self->vm_b, DOORBELL_GSI, self->efd);
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
				  notify_non_members, &ctx));

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

TEST_HARNESS_MAIN
