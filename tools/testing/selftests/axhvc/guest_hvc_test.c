// SPDX-License-Identifier: GPL-2.0
/*
 * A real KVM guest issuing HVCs, and the test VMM's own safety nets:
 * SMCCC_VERSION round trip and its cost, an HVC forwarded to the VMM by
 * the SMCCC filter, guest exceptions reported through the vector table,
 * and the watchdog turning a spinning guest into a clean failure.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "kselftest_harness.h"
#include "vmm.h"

/* Generous: the emulated host runs KVM under TCG, ~50 us per HVC. */
#define RUN_TIMEOUT_MS		20000
#define HVC_COST_CALLS		2000
#define WATCHDOG_TIMEOUT_MS	2000

FIXTURE(vm) {
	struct vmm_vm *vm;
	struct vmm_vcpu *vcpu;
};

FIXTURE_SETUP(vm)
{
	const char *why = vmm_kvm_unavailable();

	if (why)
		SKIP(return, "%s", why);
	self->vm = vmm_vm_create_with_vcpus(1, 0);
	ASSERT_NE(NULL, self->vm) TH_LOG("cannot create a VM with a vgic-v3");
	self->vcpu = self->vm->vcpus[0];
}

FIXTURE_TEARDOWN(vm)
{
	vmm_vm_destroy(self->vm);
}

/* A recognisable value for xN that no HVC path would produce by chance. */
static __u64 pattern(unsigned int n)
{
	return 0xa5a5000000000000ULL | ((__u64)n << 32) | (0xc0de0000 + n);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

TEST_F(vm, hvc_round_trip)
{
	struct vmm_vcpu *vcpu = self->vcpu;
	unsigned int n;
	__u64 val;

	ASSERT_EQ(0, vmm_vcpu_start(vcpu, guest_hvc_roundtrip, 0));
	for (n = 19; n <= 28; n++)
		ASSERT_EQ(0, vmm_set_reg(vcpu, VMM_REG_X(n), pattern(n)));

	ASSERT_EQ(0, vmm_vcpu_run_to_done(vcpu, RUN_TIMEOUT_MS));

	/* arch/arm64/kvm/hypercalls.c: SMCCC_VERSION -> ARM_SMCCC_VERSION_1_1. */
	EXPECT_EQ(VMM_SMCCC_VERSION_1_1, vcpu->report.args[0])
		TH_LOG("guest saw SMCCC_VERSION = %#llx",
		       (unsigned long long)vcpu->report.args[0]);
	ASSERT_EQ(0, vmm_get_reg(vcpu, VMM_REG_X(0), &val));
	EXPECT_EQ(VMM_SMCCC_VERSION_1_1, val);

	/* SMCCC may clobber x0..x17, never the callee-saved x19..x28. */
	for (n = 19; n <= 28; n++) {
		ASSERT_EQ(0, vmm_get_reg(vcpu, VMM_REG_X(n), &val));
		EXPECT_EQ(pattern(n), val)
			TH_LOG("x%u changed across the HVC: %#llx", n,
			       (unsigned long long)val);
	}
}

TEST_F_TIMEOUT(vm, hvc_cost, 120)
{
	struct vmm_vcpu *vcpu = self->vcpu;
	__u64 hvc_ticks, loop_ticks, freq, calls;

	ASSERT_EQ(0, vmm_vcpu_start(vcpu, guest_hvc_cost, 1,
				    (__u64)HVC_COST_CALLS));
	ASSERT_EQ(0, vmm_vcpu_run_to_done(vcpu, 60000));

	hvc_ticks = vcpu->report.args[0];
	loop_ticks = vcpu->report.args[1];
	freq = vcpu->report.args[2];
	calls = vcpu->report.args[3];
	TH_LOG("%llu HVCs: %llu ticks, empty loop: %llu ticks, CNTFRQ_EL0 %llu Hz",
	       (unsigned long long)calls, (unsigned long long)hvc_ticks,
	       (unsigned long long)loop_ticks, (unsigned long long)freq);

	/* Sanity only: timings on an emulated host mean nothing absolute. */
	ASSERT_EQ(HVC_COST_CALLS, calls);
	ASSERT_NE(0, freq);
	ASSERT_NE(0, hvc_ticks);
	ASSERT_NE(0, loop_ticks);

	ksft_print_msg("%s: %.1f us/call over %llu calls (empty loop %.3f us/iter)\n",
		       "hvc round trip (SMCCC_VERSION, KVM in-kernel)",
		       vmm_ticks_to_us(hvc_ticks, freq) / calls,
		       (unsigned long long)calls,
		       vmm_ticks_to_us(loop_ticks, freq) / calls);
	/* The harness runs us in a child that leaves with _exit(). */
	fflush(stdout);
}

struct forward_ctx {
	unsigned int calls;
	__u64 nr;
	__u64 flags;
	__u64 arg;
};

#define FORWARD_FN	3
#define FORWARD_ARG	0x1234
#define FORWARD_REPLY(arg)	((arg) ^ 0xfeedULL)

/* The VMM side of a forwarded HVC: answer in x0, the PC is already past. */
static int forward_exit(struct vmm_vcpu *vcpu, void *opaque)
{
	struct forward_ctx *ctx = opaque;

	if (vcpu->run->exit_reason != KVM_EXIT_HYPERCALL)
		return -1;
	ctx->calls++;
	ctx->nr = vcpu->run->hypercall.nr;
	ctx->flags = vcpu->run->hypercall.flags;
	if (vmm_get_reg(vcpu, VMM_REG_X(1), &ctx->arg))
		return -1;
	return vmm_set_reg(vcpu, VMM_REG_X(0), FORWARD_REPLY(ctx->arg));
}

TEST_F(vm, forwarded_hvc)
{
	struct vmm_vcpu *vcpu = self->vcpu;
	struct forward_ctx ctx = { 0 };

	if (!vmm_smccc_filter_supported(self->vm))
		SKIP(return, "no KVM_ARM_VM_SMCCC_FILTER (Linux < 6.4)");
	/* Owner 0 yielding calls 0..7: outside every range KVM reserves. */
	ASSERT_EQ(0, vmm_smccc_filter(self->vm, 0, 8,
				      KVM_SMCCC_FILTER_FWD_TO_USER));
	vmm_vcpu_set_exit_handler(vcpu, forward_exit, &ctx);
	ASSERT_EQ(0, vmm_vcpu_start(vcpu, guest_forward_roundtrip, 2,
				    (__u64)FORWARD_FN, (__u64)FORWARD_ARG));

	ASSERT_EQ(0, vmm_vcpu_run_to_done(vcpu, RUN_TIMEOUT_MS));

	EXPECT_EQ(1, ctx.calls);
	EXPECT_EQ(FORWARD_FN, ctx.nr);
	EXPECT_EQ(0, ctx.flags & KVM_HYPERCALL_EXIT_SMC) TH_LOG("HVC seen as SMC");
	EXPECT_EQ(FORWARD_ARG, ctx.arg);
	EXPECT_EQ(FORWARD_REPLY(FORWARD_ARG), vcpu->report.args[0]);
	/* Calls outside the filter are still KVM's own. */
	EXPECT_EQ(VMM_SMCCC_VERSION_1_1, vcpu->report.args[1]);
}

/*
 * Runs a guest that must take exception class @ec at @insn and checks
 * that the vector table turned it into a report rather than a hang.
 */
static void expect_exception(struct __test_metadata *_metadata,
			     struct vmm_vm *vm, struct vmm_vcpu *vcpu,
			     const void *entry, const void *insn,
			     unsigned int ec, __u64 iss)
{
	const __u64 *a = vcpu->report.args;

	ASSERT_EQ(0, vmm_vcpu_start(vcpu, entry, 0));
	ASSERT_EQ(-1, vmm_vcpu_run_to_done(vcpu, RUN_TIMEOUT_MS))
		TH_LOG("the guest went past its faulting instruction");
	ASSERT_EQ(VMM_RUN_REPORT, vcpu->last)
		TH_LOG("no report: run ended %s", vmm_run_result_name(vcpu->last));
	ASSERT_EQ(VMM_REPORT_UNEXPECTED_EXCEPTION, vcpu->report.cmd);
	EXPECT_EQ(ec, VMM_ESR_EC(a[VMM_EXC_ARG_ESR]))
		TH_LOG("ESR_EL1 %#llx", (unsigned long long)a[VMM_EXC_ARG_ESR]);
	EXPECT_EQ(iss, VMM_ESR_ISS(a[VMM_EXC_ARG_ESR]));
	EXPECT_EQ(vmm_guest_sym(vm, insn), a[VMM_EXC_ARG_ELR]);
	/* Same EL, SP_EL1: the synchronous entry at VBAR_EL1 + 0x200. */
	EXPECT_EQ(VMM_VECTOR_SYNC_EL1H, a[VMM_EXC_ARG_VECTOR]);
}

TEST_F(vm, udf_is_reported)
{
	expect_exception(_metadata, self->vm, self->vcpu, guest_udf,
			 guest_udf_insn, VMM_ESR_EC_UNKNOWN, 0);
}

TEST_F(vm, brk_is_reported)
{
	/* A BRK's ISS is its immediate. */
	expect_exception(_metadata, self->vm, self->vcpu, guest_brk,
			 guest_brk_insn, VMM_ESR_EC_BRK64, 0x2a);
}

TEST_F_TIMEOUT(vm, watchdog_stops_spinning_guest, 60)
{
	struct vmm_vcpu *vcpu = self->vcpu;
	__u64 spin = vmm_guest_sym(self->vm, guest_spin);
	__u64 spin_end = vmm_guest_sym(self->vm, guest_spin_end);
	__u64 pc, count, count2;
	double t0, elapsed;

	ASSERT_EQ(0, vmm_vcpu_start(vcpu, guest_spin, 0));
	t0 = now_ms();
	ASSERT_EQ(-1, vmm_vcpu_run_to_done(vcpu, WATCHDOG_TIMEOUT_MS));
	elapsed = now_ms() - t0;
	ASSERT_EQ(VMM_RUN_STUCK, vcpu->last);
	TH_LOG("watchdog: KVM_RUN returned EINTR after %.0f ms", elapsed);
	/* Not early, and not much later than asked: the guest never yields. */
	EXPECT_GE(elapsed, WATCHDOG_TIMEOUT_MS - 1);
	EXPECT_LT(elapsed, WATCHDOG_TIMEOUT_MS + 10000);

	/* Stopped inside the loop, having really run it. */
	ASSERT_EQ(0, vmm_get_reg(vcpu, VMM_REG_PC, &pc));
	EXPECT_GE(pc, spin);
	EXPECT_LT(pc, spin_end);
	ASSERT_EQ(0, vmm_get_reg(vcpu, VMM_REG_X(19), &count));
	EXPECT_NE(0, count);

	/* The vCPU is still usable: it resumes and is stopped again. */
	ASSERT_EQ(0, vmm_watchdog_arm(vcpu, 500));
	EXPECT_EQ(VMM_RUN_STUCK, vmm_vcpu_run(vcpu));
	vmm_watchdog_disarm(vcpu);
	ASSERT_EQ(0, vmm_get_reg(vcpu, VMM_REG_X(19), &count2));
	EXPECT_GT(count2, count);
}

struct vcpu_job {
	struct vmm_vcpu *vcpu;
	unsigned int timeout_ms;
	int ret;
};

static void *vcpu_thread(void *arg)
{
	struct vcpu_job *job = arg;

	job->ret = vmm_vcpu_run_to_done(job->vcpu, job->timeout_ms);
	return NULL;
}

/*
 * Two vCPUs in two threads, each with its own watchdog: vCPU 1 spins and
 * must be stopped by its watchdog alone, while vCPU 0's HVCs complete.
 */
TEST(two_vcpus_two_threads)
{
	struct vcpu_job jobs[2];
	struct vmm_vm *vm;
	pthread_t threads[2];
	const char *why;
	unsigned int i;

	why = vmm_kvm_unavailable();
	if (why)
		SKIP(return, "%s", why);
	vm = vmm_vm_create_with_vcpus(2, 0);
	ASSERT_NE(NULL, vm);

	ASSERT_EQ(0, vmm_vcpu_start(vm->vcpus[0], guest_hvc_cost, 1, (__u64)200));
	ASSERT_EQ(0, vmm_vcpu_start(vm->vcpus[1], guest_spin, 0));
	jobs[0] = (struct vcpu_job){ vm->vcpus[0], RUN_TIMEOUT_MS, 0 };
	jobs[1] = (struct vcpu_job){ vm->vcpus[1], 1500, 0 };
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, pthread_create(&threads[i], NULL, vcpu_thread, &jobs[i]));
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, pthread_join(threads[i], NULL));

	EXPECT_EQ(0, jobs[0].ret);
	EXPECT_EQ(200, vm->vcpus[0]->report.args[3]);
	EXPECT_EQ(-1, jobs[1].ret);
	EXPECT_EQ(VMM_RUN_STUCK, vm->vcpus[1]->last);
	vmm_vm_destroy(vm);
}

TEST_HARNESS_MAIN
