// SPDX-License-Identifier: GPL-2.0
/*
 * axhvc_bystander VM_ID: a KVM VM bound to axhvc with the in-kernel
 * intercept, kept alive while other programs run VMs of their own beside
 * it (kvm_selftests.sh runs KVM's own selftests that way). Not a test by
 * itself: it is installed, not listed.
 *
 * It creates a VM with one vCPU and a vgic-v3, checks that axhvc reports
 * AXHVC_FEATURE_INTERCEPT, registers the VM with AXHVC_CREATE_VM and
 * AXHVC_VM_F_INTERCEPT, and runs its guest once: HyperVisorDebug must get
 * x0 = 0 without any exit to the VMM (there is no SMCCC filter: KVM alone
 * would answer NOT_SUPPORTED), while SMCCC_VERSION and function ID 8 must
 * still be answered by KVM. Then it prints "bystander: vm N bound
 * (intercept)" and keeps the binding until SIGTERM or SIGINT, after which
 * it unregisters the VM and exits 0.
 *
 * Exit status: 0 after a clean stop, 1 on any failure (logged), 4
 * (KSFT_SKIP) when KVM, /dev/axhvc or the intercept feature is missing.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest.h"
#include <libaxhvc.h>
#include "guest_axhvc.h"
#include "vmm.h"

/* Generous: the emulated host runs KVM under TCG, ~50 us per HVC. */
#define RUN_TIMEOUT_MS		20000

/* A recognisable HyperVisorDebug argument for xN. */
static __u64 debug_arg(unsigned int n)
{
	return 0xa11c0de000000000ULL | n;
}

/* Runs the guest once; 0 if every answer is what the intercept promises. */
static int run_guest(struct vmm_vcpu *vcpu)
{
	const __u64 *a = vcpu->report.args;
	int ret = 0;

	/* No exit handler: any exit to the VMM fails the run, logged. */
	if (vmm_vcpu_start(vcpu, guest_axhvc_debug, 7, (__u64)0,
			   debug_arg(1), debug_arg(2), debug_arg(3),
			   debug_arg(4), debug_arg(5), debug_arg(6)))
		return -1;
	if (vmm_vcpu_run_to_done(vcpu, RUN_TIMEOUT_MS)) {
		printf("bystander: the guest did not finish (run ended %s)\n",
		       vmm_run_result_name(vcpu->last));
		return -1;
	}

	printf("bystander: x0: HyperVisorDebug %#llx, SMCCC_VERSION %#llx, function 8 %#llx\n",
	       (unsigned long long)a[0], (unsigned long long)a[1],
	       (unsigned long long)a[2]);
	if (a[0] != 0) {
		printf("bystander: HyperVisorDebug answered %#llx, expected 0%s\n",
		       (unsigned long long)a[0],
		       a[0] == VMM_SMCCC_NOT_SUPPORTED ?
		       " (KVM's NOT_SUPPORTED: not intercepted)" : "");
		ret = -1;
	}
	if (a[1] != VMM_SMCCC_VERSION_1_1) {
		printf("bystander: SMCCC_VERSION answered %#llx, expected %#x\n",
		       (unsigned long long)a[1], VMM_SMCCC_VERSION_1_1);
		ret = -1;
	}
	if (a[2] != VMM_SMCCC_NOT_SUPPORTED) {
		printf("bystander: function 8 answered %#llx, expected %#llx\n",
		       (unsigned long long)a[2], VMM_SMCCC_NOT_SUPPORTED);
		ret = -1;
	}
	return ret;
}

int main(int argc, char **argv)
{
	struct libaxhvc_vm_opts opts = { .route = LIBAXHVC_ROUTE_INTERCEPT };
	struct vmm_vm *vm = NULL;
	int dev = -1, vm_fd = -1;
	unsigned long long vm_id;
	const char *why;
	sigset_t stop;
	int ret = 1, sig, err;
	char *end;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc != 2) {
		fprintf(stderr, "usage: %s VM_ID\n", argv[0]);
		return 1;
	}
	errno = 0;
	vm_id = strtoull(argv[1], &end, 0);
	if (errno || end == argv[1] || *end) {
		fprintf(stderr, "%s: bad VM_ID '%s'\n", argv[0], argv[1]);
		return 1;
	}

	/* Blocked from the start, so that an early SIGTERM is not lost. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	if (sigprocmask(SIG_BLOCK, &stop, NULL)) {
		perror("bystander: sigprocmask");
		return 1;
	}

	why = vmm_kvm_unavailable();
	if (why) {
		printf("bystander: skip: %s\n", why);
		return KSFT_SKIP;
	}
	dev = libaxhvc_open(NULL);
	if (dev < 0) {
		printf("bystander: skip: %s\n", libaxhvc_errmsg());
		return KSFT_SKIP;
	}
	err = libaxhvc_require(dev, AXHVC_FEATURE_INTERCEPT);
	if (err) {
		printf("bystander: %s%s\n", err == -EOPNOTSUPP ? "skip: " : "",
		       libaxhvc_errmsg());
		if (err == -EOPNOTSUPP)
			ret = KSFT_SKIP;
		goto out;
	}

	vm = vmm_vm_create_with_vcpus(1, 0);
	if (!vm) {
		printf("bystander: cannot create a KVM VM with a vgic-v3\n");
		goto out;
	}

	opts.vm_id = vm_id;
	opts.kvm_vm_fd = vm->fd;
	vm_fd = libaxhvc_vm_create(dev, &opts);
	if (vm_fd < 0) {
		printf("bystander: %s\n", libaxhvc_errmsg());
		goto out;
	}

	if (run_guest(vm->vcpus[0]))
		goto out;
	printf("bystander: vm %llu bound (intercept)\n", vm_id);

	if (sigwait(&stop, &sig)) {
		perror("bystander: sigwait");
		goto out;
	}
	printf("bystander: vm %llu: %s, unbinding\n", vm_id, strsignal(sig));
	if (close(vm_fd)) {
		printf("bystander: close of the axhvc VM fd: %s\n", strerror(errno));
		vm_fd = -1;
		goto out;
	}
	vm_fd = -1;
	ret = 0;
out:
	if (vm_fd >= 0)
		close(vm_fd);
	vmm_vm_destroy(vm);
	if (dev >= 0)
		close(dev);
	return ret;
}
