// SPDX-License-Identifier: GPL-2.0
/*
 * rmmod of axhvc while a vCPU is still inside the intercept's code.
 *
 * Closing a VM's axhvc fd waits for the VM's intercepted calls, but only up
 * to the end of their SRCU read side: the handler's last instructions (and
 * its first ones, before that read side) still run from the module's text.
 * Once the last fd is closed, rmmod may free that text, so module exit must
 * wait for every task that can still be in it.
 *
 * Only a preemptible kernel (CONFIG_PREEMPTION) can lose that race: without
 * preemption, the CPU running those instructions reports no RCU quiescent
 * state until they are done, and unloading waits for an RCU grace period
 * before it frees the text. Debian's stock arm64 kernels are not
 * preemptible; its rt-arm64 flavour is, and there the module without the
 * wait oopsed in this test (an instruction abort in the freed text).
 *
 * The test makes that window seconds wide with the test-only module
 * parameter test_intercept_delay_ms (an intercepted call sleeps that long
 * inside its SRCU read side, then spins that long after it): a guest bound
 * with the intercept issues HyperVisorDebug; while its vCPU sleeps, the test
 * closes the VM's axhvc fd (which returns when the sleep ends) and unloads
 * axhvc while the vCPU spins in the handler's tail. The unload must wait for
 * the spin, the guest must get its answer, and the kernel log must stay
 * clean. The module is then loaded again from AXHVC_KO (default
 * /axhvc/axhvc.ko), with its default parameters, for the tests after this
 * one.
 *
 * Root only (module parameters, rmmod, insmod, /dev/kmsg): skips otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "vmm.h"
#include "axhvc_host.h"
#include "guest_axhvc.h"
#include "hypercall_lib.h"

#define DEFAULT_KO	"/axhvc/axhvc.ko"
/* The module parameter's maximum: sleep and spin 2 s each. */
#define DELAY_MS	2000
/* When to close, after the call logged its arguments: early in the sleep. */
#define CLOSE_AFTER_MS	100
/* How long the guest may take to get to its call (a KASAN kernel is slow). */
#define CALL_TIMEOUT_MS	20000
/* A close that returns sooner did not wait for the call: timing missed. */
#define CLOSE_MIN_MS	200
#define VM_ID		4343
/* What HyperVisorDebug logs, before the call sleeps. */
#define DEBUG_LINE	"axhvc: vm 4343 vcpu 0 debug: "
/* Any oops, BUG, WARN or KASAN report puts one of these in the log. */
static const char *const bad_log[] = {
	"Unable to handle", "Internal error", "Oops", "BUG", "WARNING",
	"Call trace", "general protection", "kernel paging request",
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

struct vcpu_run {
	struct vmm_vcpu *vcpu;
	int ret;
	double done_ms;		/* when KVM_RUN came back for good */
};

/*
 * The vCPU on CPU 1, everything else on CPU 0: the spin must not hold up
 * what closing and unloading need (per-CPU work, SRCU's callbacks) on a
 * kernel where it cannot be preempted.
 */
static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/* "PREEMPT" in uname -v: PREEMPT, PREEMPT_RT, PREEMPT_DYNAMIC. */
static bool preemptible(void)
{
	struct utsname u;

	return !uname(&u) && strstr(u.version, "PREEMPT");
}

static void *vcpu_thread(void *arg)
{
	struct vcpu_run *r = arg;

	pin(1);
	r->ret = vmm_vcpu_run_to_done(r->vcpu, 30000);
	r->done_ms = now_ms();
	return NULL;
}

/* /dev/kmsg opened at its end: what the kernel logs from now on. */
static int kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

/*
 * Logs the new records, adding to *@bad those that look like a kernel error,
 * until one holds @needle (true) or none is left (false).
 */
static bool kmsg_scan(struct __test_metadata *_metadata, int fd,
		      const char *needle, int *bad)
{
	char rec[2048];
	ssize_t n;
	size_t i;

	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)	/* overwritten: go on */
			continue;
		if (n <= 0)
			return false;
		rec[n] = 0;
		if (rec[n - 1] == '\n')
			rec[n - 1] = 0;
		TH_LOG("kmsg: %s", rec);
		for (i = 0; i < ARRAY_SIZE(bad_log); i++)
			if (strstr(rec, bad_log[i])) {
				(*bad)++;
				break;
			}
		if (needle && strstr(rec, needle))
			return true;
	}
}

static int load_module(const char *ko)
{
	int fd = open(ko, O_RDONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return -errno;
	ret = syscall(__NR_finit_module, fd, "", 0) ? -errno : 0;
	close(fd);
	return ret;
}

FIXTURE(unload) {
};

FIXTURE_SETUP(unload)
{
}

FIXTURE_TEARDOWN(unload)
{
}

/* The guest's start, 4 s of delays and two module loads: longer than 30 s on KASAN. */
TEST_F_TIMEOUT(unload, rmmod_waits_for_the_intercept_tail, 120)
{
	const char *ko = getenv("AXHVC_KO") ?: DEFAULT_KO;
	struct vcpu_run r = { 0 };
	struct vmm_vm *vm;
	double t0, t_close, t_closed, t_rmmod, t_rmmoded;
	int axfd, vmfd, kmsg, ret, bad = 0;
	bool in_call = false;
	pthread_t th;
	const char *why;

	if (geteuid())
		SKIP(return, "needs root: module parameters, rmmod and insmod");
	if (access(ko, R_OK))
		SKIP(return, "%s: %s: cannot load axhvc again afterwards", ko,
		     strerror(errno));
	why = axhvc_open_for_test(&axfd, true);
	if (why) {
		if (axfd >= 0)
			close(axfd);
		SKIP(return, "%s", why);
	}
	if (access("/sys/module/axhvc/parameters/test_intercept_delay_ms", W_OK)) {
		close(axfd);
		SKIP(return, "this axhvc has no test_intercept_delay_ms");
	}
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		close(axfd);
		SKIP(return, "needs 2 CPUs: one for the vCPU, one for the unload");
	}
	pin(0);
	kmsg = kmsg_open();
	ASSERT_LE(0, kmsg) TH_LOG("/dev/kmsg: %s", strerror(errno));

	vm = vmm_vm_create_with_vcpus(1, 0);
	ASSERT_NE(NULL, vm);
	vmfd = register_vm(axfd, vm, VM_ID, 0, true, false);
	ASSERT_LE(0, vmfd) TH_LOG("register: %s", strerror(-vmfd));
	ASSERT_EQ(0, axhvc_set_param("test_intercept_delay_ms", DELAY_MS));

	/* HyperVisorDebug, then SMCCC_VERSION and function 8 (KVM's). */
	r.vcpu = vm->vcpus[0];
	ASSERT_EQ(0, vmm_vcpu_start(r.vcpu, guest_axhvc_debug, 7, 0ULL, 1ULL,
				    2ULL, 3ULL, 4ULL, 5ULL, 6ULL));
	t0 = now_ms();
	ASSERT_EQ(0, pthread_create(&th, NULL, vcpu_thread, &r));
	/* The call logs its arguments, then sleeps. */
	while (!in_call && now_ms() - t0 < CALL_TIMEOUT_MS) {
		in_call = kmsg_scan(_metadata, kmsg, DEBUG_LINE, &bad);
		if (!in_call)
			usleep(10000);
	}
	TH_LOG("the call logged %.0f ms after the vCPU started", now_ms() - t0);
	usleep(CLOSE_AFTER_MS * 1000);

	/* Returns when the call leaves SRCU: the vCPU is then in the tail. */
	t_close = now_ms();
	EXPECT_EQ(0, close(vmfd));
	EXPECT_EQ(0, close(axfd));
	t_closed = now_ms();
	t_close = t_closed - t_close;
	TH_LOG("close of the VM fd took %.0f ms", t_close);
	if (!in_call || t_close < CLOSE_MIN_MS) {
		/* Leave the module as it is: nothing was tried. */
		axhvc_set_param("test_intercept_delay_ms", 0);
		pthread_join(th, NULL);
		vmm_vm_destroy(vm);
		close(kmsg);
		ASSERT_TRUE(in_call && t_close >= CLOSE_MIN_MS)
			TH_LOG("the vCPU was not in the call when its fd was closed");
	}

	t_rmmod = now_ms();
	ret = syscall(__NR_delete_module, "axhvc", O_NONBLOCK) ? -errno : 0;
	t_rmmoded = now_ms();
	t_rmmod = t_rmmoded - t_rmmod;
	if (ret) {
		axhvc_set_param("test_intercept_delay_ms", 0);
		pthread_join(th, NULL);
		vmm_vm_destroy(vm);
		close(kmsg);
		if (ret == -EWOULDBLOCK || ret == -EBUSY)
			SKIP(return, "axhvc is in use by another process");
		ASSERT_EQ(0, ret) TH_LOG("rmmod axhvc: %s", strerror(-ret));
	}
	TH_LOG("rmmod took %.0f ms, done %.0f ms after the vCPU started (%d ms asleep, %d spin)",
	       t_rmmod, t_rmmoded - t0, DELAY_MS, DELAY_MS);
	ret = load_module(ko);
	EXPECT_EQ(0, ret) TH_LOG("insmod %s: %s", ko, strerror(-ret));

	/* An oops in the vCPU thread ends it: wait a bounded time. */
	{
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 30;
		ret = pthread_timedjoin_np(th, NULL, &ts);
	}
	EXPECT_EQ(0, ret) TH_LOG("the vCPU thread did not finish");
	kmsg_scan(_metadata, kmsg, NULL, &bad);
	EXPECT_EQ(0, bad) TH_LOG("the kernel logged an error");
	close(kmsg);
	/* After an oops in KVM_RUN the VM may never be freed: leave it. */
	if (!ret && !bad) {
		TH_LOG("the vCPU left KVM_RUN %.0f ms after it started", r.done_ms - t0);
		/*
		 * Did the unload start with half the spin to go? Without
		 * preemption the spinning CPU holds up what the close waits
		 * for (SRCU's and per-CPU work): there it never does, and the
		 * race cannot happen either.
		 */
		if (t_closed < r.done_ms - DELAY_MS / 2) {
			TH_LOG("the unload started while the vCPU was in the handler's tail");
		} else if (preemptible()) {
			EXPECT_LT(t_closed, r.done_ms - DELAY_MS / 2)
				TH_LOG("the close returned only after the vCPU had left axhvc");
		} else {
			TH_LOG("not preemptible: the close waited for the spin, no race to test");
		}
		EXPECT_EQ(0, r.ret) TH_LOG("the guest did not finish");
		/* Answered by axhvc before the unload: 0. */
		EXPECT_EQ(0, r.vcpu->report.args[0]);
		EXPECT_EQ(VMM_SMCCC_VERSION_1_1, r.vcpu->report.args[1]);
		vmm_vm_destroy(vm);
	}
}

TEST_HARNESS_MAIN
