/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the axhvc stress tests: stress VMs (a KVM VM registered with
 * axhvc, its IVC window mapped and given to the guest, a doorbell), the
 * guest hypercall loop run in vCPU threads, and the module's object
 * counters. Static functions for axhvc_stress.c; include after
 * kselftest_harness.h, vmm.h and hypercall_lib.h.
 */
#ifndef AXHVC_STRESS_LIB_H
#define AXHVC_STRESS_LIB_H

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <libaxhvc.h>

#include "stress.h"
#include "axhvc_host.h"

#define TABLE_LEN	64

/* A VM of the stress tests. */
struct svm {
	struct vmm_vm *vm;
	__u64 id;
	bool intercept;
	__u32 flags;
	int vmfd;
	int efd;		/* doorbell eventfd */
	void *window;
	__u64 params;		/* GPA of the struct stress_params */
	__u64 scratch;		/* GPA of a page for pointer arguments */
	__u64 tables;		/* GPA of room for argument tables */
	unsigned int nr_tables;
};

/* xorshift64 for the host side. */
static __u64 rnd_state = 0x9e3779b97f4a7c15ULL;

static __u64 rnd(void)
{
	__u64 x = rnd_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	rnd_state = x;
	return x;
}

static void rnd_seed(__u64 seed)
{
	rnd_state = seed ? seed : 1;
}

/* How many VMs axhvc has registered (AXHVC_LIST_VMS); -errno on error. */
static long nr_vms(int axfd)
{
	struct axhvc_vm_info *vms;
	int n = libaxhvc_list_vms(axfd, &vms);

	free(vms);
	return n;
}

/*
 * Wait up to 5 s for every VM, channel, mapping and page to be gone;
 * true when they are. Prints what is left otherwise.
 */
static bool counters_zero(int axfd, const char *when)
{
	long c = -1, m = -1, p = -1, v;
	int i;

	/*
	 * The host-wide counters are root's (debugfs, AXHVC_LIST_VMS): a
	 * tenant cannot see other tenants' VMs, so the test host checks them
	 * after the tenant's runs (init.sh, "tenant:leftovers").
	 */
	if (geteuid()) {
		printf("# %s: counters are root's, checked after the tenant's runs\n", when);
		return true;
	}
	for (i = 0; i < 500; i++) {
		if (!axhvc_ivc_stats(&c, &m, &p) && !c && !m && !p && !nr_vms(axfd))
			break;
		usleep(10000);
	}
	axhvc_ivc_stats(&c, &m, &p);
	v = nr_vms(axfd);
	printf("# %s: counters: vms %ld channels %ld mappings %ld pages %ld\n",
	       when, v, c, m, p);
	return !v && !c && !m && !p;
}

static __u64 *gpa_u64(struct svm *s, __u64 gpa)
{
	return vmm_gpa_to_hva(s->vm, gpa);
}

/* Write table @vals (TABLE_LEN entries) into guest RAM; returns its GPA. */
static __u64 svm_table(struct svm *s, const __u64 *vals, unsigned int n)
{
	__u64 gpa = s->tables + s->nr_tables++ * TABLE_LEN * 8;
	unsigned int i;

	for (i = 0; i < TABLE_LEN; i++)
		gpa_u64(s, gpa)[i] = vals[i % n];
	return gpa;
}

/*
 * When set, svm_create() stores 0 here while KVM_CREATE_VM may be running
 * and 1 once it is over: see teardown_kills.
 */
static int *svm_kvm_ready;

static void svm_destroy(struct svm *s)
{
	if (s->window)
		munmap(s->window, IVC_SIZE);
	if (s->vmfd >= 0)
		close(s->vmfd);
	if (s->efd >= 0)
		close(s->efd);
	vmm_vm_destroy(s->vm);
	memset(s, 0, sizeof(*s));
	s->vmfd = -1;
	s->efd = -1;
}

/*
 * Create stress VM @id with @nr_vcpus vCPUs, registered on the route
 * @intercept with @flags, its window mapped as a memslot, lowered limits
 * (so that fuzzing cannot eat the host) and an eventfd doorbell. 0 or
 * -errno (logged).
 */
static int svm_create(struct svm *s, int axfd, __u64 id, unsigned int nr_vcpus,
		      bool intercept, __u32 flags)
{
	struct axhvc_vm_limits lim = {
		.size = sizeof(lim), .max_channels = 32, .max_bytes = 1 << 20,
	};
	int ret;

	memset(s, 0, sizeof(*s));
	s->vmfd = -1;
	s->efd = -1;
	s->id = id;
	s->intercept = intercept;
	s->flags = flags;
	if (svm_kvm_ready)
		__atomic_store_n(svm_kvm_ready, 0, __ATOMIC_RELEASE);
	s->vm = vmm_vm_create_with_vcpus(nr_vcpus, 0);
	if (svm_kvm_ready)
		__atomic_store_n(svm_kvm_ready, 1, __ATOMIC_RELEASE);
	if (!s->vm)
		return -ENOMEM;
	s->vmfd = register_vm_mapped(axfd, s->vm, id, flags, intercept, IVC_SIZE, &s->window);
	if (s->vmfd < 0) {
		ret = s->vmfd;
		printf("# VM %llu: %s\n", (unsigned long long)id, libaxhvc_errmsg());
		s->vmfd = -1;
		return ret;
	}
	if (ioctl(s->vmfd, AXHVC_VM_SET_LIMITS, &lim))
		return -errno;
	s->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (s->efd < 0)
		return -errno;
	ret = libaxhvc_set_doorbell(s->vmfd, s->efd);
	if (ret)
		return ret;
	s->params = vmm_guest_alloc(s->vm, 4096);
	s->scratch = vmm_guest_alloc(s->vm, 4096);
	s->tables = vmm_guest_alloc(s->vm, 64 * TABLE_LEN * 8);
	if (!s->params || !s->scratch || !s->tables)
		return -ENOMEM;
	return 0;
}

static struct stress_params *svm_params(struct svm *s)
{
	return vmm_gpa_to_hva(s->vm, s->params);
}

/* Codes from @codes; every argument of every code from table @gpa. */
static void svm_params_uniform(struct svm *s, __u64 codes, __u64 arg_table)
{
	struct stress_params *p = svm_params(s);
	int c, i;

	p->codes = codes;
	p->code_mask = TABLE_LEN - 1;
	for (c = 0; c < 8; c++)
		for (i = 0; i < 6; i++)
			p->args[c][i] = (struct stress_table){ arg_table, TABLE_LEN - 1 };
}

/* What one vCPU thread does, and what came of it. */
struct vcpu_job {
	struct svm *s;
	struct vmm_vcpu *vcpu;
	int vmfd;		/* the fd the forwarded route uses */
	__u64 seed;
	__u64 count;		/* calls; 0: until the watchdog */
	unsigned int timeout_ms;
	pthread_t thread;
	/* Results. */
	bool ok;
	bool done;		/* the guest reported DONE */
	__u64 calls, nonzero, weird, clobbered;
	__u64 exits;		/* KVM_EXIT_HYPERCALLs served by this VMM */
	__u64 fwd_errors;	/* AXHVC_VM_HYPERCALL failed (fd closed) */
	char why[128];
};

/*
 * The VMM's side of a KVM_EXIT_HYPERCALL (libaxhvc). A lifecycle call
 * handed to this VMM gets 0; a call axhvc cannot take (its VM fd closed
 * under the guest) gets NOT_SUPPORTED, as KVM would answer without axhvc.
 */
static int job_serve_exit(struct vcpu_job *j)
{
	struct axhvc_hypercall hc;
	int ret;

	j->exits++;
	ret = libaxhvc_serve_hypercall(j->vmfd, j->vcpu->fd, j->vcpu->id, j->vcpu->run, &hc);
	if (ret == LIBAXHVC_TO_VMM)
		return libaxhvc_set_x0(j->vcpu->fd, 0);
	if (ret < 0) {
		j->fwd_errors++;
		return libaxhvc_set_x0(j->vcpu->fd, VMM_SMCCC_NOT_SUPPORTED);
	}
	return 0;
}

static void *job_run(void *arg)
{
	struct vcpu_job *j = arg;
	struct vmm_vcpu *vcpu = j->vcpu;
	enum vmm_run_result r;

	j->ok = false;
	if (vmm_vcpu_start(vcpu, guest_stress_loop, 3, (__u64)j->s->params,
			   j->seed | 1, j->count) ||
	    vmm_watchdog_arm(vcpu, j->timeout_ms)) {
		snprintf(j->why, sizeof(j->why), "cannot start the vCPU");
		return NULL;
	}
	for (;;) {
		r = vmm_vcpu_run(vcpu);
		if (r == VMM_RUN_EXIT && vcpu->run->exit_reason == KVM_EXIT_HYPERCALL) {
			if (job_serve_exit(j)) {
				snprintf(j->why, sizeof(j->why), "cannot serve an exit");
				break;
			}
			continue;
		}
		if (r == VMM_RUN_REPORT && vcpu->report.cmd == VMM_REPORT_DONE) {
			j->done = true;
			j->calls = vcpu->report.args[0];
			j->nonzero = vcpu->report.args[1];
			j->weird = vcpu->report.args[2];
			j->clobbered = vcpu->report.args[3];
			j->ok = true;
			break;
		}
		if (r == VMM_RUN_STUCK && !j->count) {
			/* A run until the watchdog: that is its end. */
			j->ok = true;
			break;
		}
		snprintf(j->why, sizeof(j->why), "vCPU %u of VM %llu: %s",
			 vcpu->id, (unsigned long long)j->s->id, vmm_run_result_name(r));
		if (r == VMM_RUN_REPORT)
			vmm_report_print(vcpu);
		else if (r == VMM_RUN_EXIT)
			printf("# exit reason %u\n", vcpu->run->exit_reason);
		vmm_vcpu_dump(vcpu, j->why);
		break;
	}
	vmm_watchdog_disarm(vcpu);
	return NULL;
}

/* Start one job per vCPU of @s. */
static int jobs_start(struct vcpu_job *jobs, struct svm *s, __u64 seed,
		      __u64 count, unsigned int timeout_ms)
{
	unsigned int i;

	for (i = 0; i < s->vm->nr_vcpus; i++) {
		struct vcpu_job *j = &jobs[i];

		memset(j, 0, sizeof(*j));
		j->s = s;
		j->vcpu = s->vm->vcpus[i];
		j->vmfd = s->vmfd;
		j->seed = seed + i * 0x1000193;
		j->count = count;
		j->timeout_ms = timeout_ms;
		if (pthread_create(&j->thread, NULL, job_run, j))
			return -1;
	}
	return 0;
}

#endif /* AXHVC_STRESS_LIB_H */
