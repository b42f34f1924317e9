// SPDX-License-Identifier: GPL-2.0
/*
 * axvmm: vCPUs, one thread each.
 *
 * Each thread loops on KVM_RUN and handles what KVM hands back to us:
 *
 *  - KVM_EXIT_MMIO in the UART's page: the 16550 (uart.c).
 *  - KVM_EXIT_HYPERCALL: on the forwarded route every AxVisor code 0..7
 *    (KVM's SMCCC filter sends them here), which we pass to axhvc with
 *    AXHVC_VM_HYPERCALL; on both routes the lifecycle calls 0 and 1, which
 *    axhvc leaves to us because we set AXHVC_VM_F_LIFECYCLE_TO_VMM.
 *  - KVM_EXIT_SYSTEM_EVENT: PSCI SYSTEM_OFF or SYSTEM_RESET: the VM stops.
 *  - anything else is a bug in the guest or in us: registers, status 1.
 *
 * Everything else a guest does (PSCI CPU_ON, the GIC, the timer, IVC
 * channel pages, and on the intercept route the hypercalls) never leaves
 * the kernel.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <libaxhvc.h>

#include "axvmm.h"

/* ONE_REG ids: core registers by their offset in struct kvm_regs. */
#define CORE_REG(x)	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
			 KVM_REG_ARM_CORE_REG(x))
#define REG_X(n)	(CORE_REG(regs.regs[0]) + 2 * (n))
#define REG_PC		CORE_REG(regs.pc)
#define REG_PSTATE	CORE_REG(regs.pstate)
#define REG_SP_EL1	CORE_REG(sp_el1)
#define REG_ELR_EL1	CORE_REG(elr_el1)
#define REG_SPSR_EL1	CORE_REG(spsr[KVM_SPSR_EL1])
#define REG_ESR_EL1	ARM64_SYS_REG(3, 0, 5, 2, 0)
#define REG_FAR_EL1	ARM64_SYS_REG(3, 0, 6, 0, 0)
#define REG_MPIDR_EL1	ARM64_SYS_REG(3, 0, 0, 0, 5)

/* The affinity fields of MPIDR_EL1, which the DT's cpu@ reg holds. */
#define MPIDR_AFF_MASK	0xff00ffffffULL

static int get_reg(struct vcpu *vcpu, __u64 id, __u64 *val)
{
	struct kvm_one_reg reg = { .id = id, .addr = (__u64)(uintptr_t)val };

	return ioctl(vcpu->fd, KVM_GET_ONE_REG, &reg);
}

static int set_reg(struct vcpu *vcpu, __u64 id, __u64 val)
{
	struct kvm_one_reg reg = { .id = id, .addr = (__u64)(uintptr_t)&val };

	if (ioctl(vcpu->fd, KVM_SET_ONE_REG, &reg)) {
		vmm_log(vcpu->vm, "vCPU %u: KVM_SET_ONE_REG %#llx: %s", vcpu->id,
			(unsigned long long)id, strerror(errno));
		return -1;
	}
	return 0;
}

/**
 * vcpu_create() - create and initialise vCPU @id
 * @vm: the VM, before its vgic exists
 * @id: 0 .. cpus - 1
 *
 * vCPU 0 starts where boot.c says; the others start powered off and wait
 * for the guest's PSCI CPU_ON, which KVM handles by itself.
 *
 * Return: 0, or -1 after logging what failed.
 */
int vcpu_create(struct vm *vm, unsigned int id)
{
	struct vcpu *vcpu = &vm->vcpus[id];
	struct kvm_vcpu_init init = { 0 };

	vcpu->vm = vm;
	vcpu->id = id;
	vcpu->fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, (unsigned long)id);
	if (vcpu->fd < 0) {
		vmm_log(vm, "KVM_CREATE_VCPU %u: %s", id, strerror(errno));
		return -1;
	}
	/* kvm_run: how KVM tells us why KVM_RUN returned. */
	vcpu->run = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
			 vcpu->fd, 0);
	if (vcpu->run == MAP_FAILED) {
		vcpu->run = NULL;
		vmm_log(vm, "mmap of vCPU %u's kvm_run: %s", id, strerror(errno));
		return -1;
	}
	/* The CPU model KVM prefers on this host ("generic v8"). */
	if (ioctl(vm->vm_fd, KVM_ARM_PREFERRED_TARGET, &init)) {
		vmm_log(vm, "KVM_ARM_PREFERRED_TARGET: %s", strerror(errno));
		return -1;
	}
	/*
	 * PSCI 0.2+: CPU_ON, SYSTEM_OFF, and the SMCCC conduit that "hvc #0"
	 * calls (ours included) go through.
	 */
	init.features[0] |= 1U << KVM_ARM_VCPU_PSCI_0_2;
	if (id)
		init.features[0] |= 1U << KVM_ARM_VCPU_POWER_OFF;
	if (ioctl(vcpu->fd, KVM_ARM_VCPU_INIT, &init)) {
		vmm_log(vm, "KVM_ARM_VCPU_INIT %u: %s", id, strerror(errno));
		return -1;
	}
	/* KVM picks the MPIDR; the guest's DT must name the CPU by it. */
	if (get_reg(vcpu, REG_MPIDR_EL1, &vcpu->mpidr)) {
		vmm_log(vm, "vCPU %u: MPIDR_EL1: %s", id, strerror(errno));
		return -1;
	}
	vcpu->mpidr &= MPIDR_AFF_MASK;
	return 0;
}

/**
 * vcpu_set_boot_regs() - vCPU 0's entry state (arm64 boot protocol)
 * @vcpu: vCPU 0
 *
 * After KVM_ARM_VCPU_INIT the vCPU is at EL1h with DAIF masked and the MMU
 * and caches off, as Documentation/arch/arm64/booting.rst asks; we only
 * set the entry point and x0 = the DTB (x1..x3 are zero already).
 *
 * Return: 0 or -1.
 */
int vcpu_set_boot_regs(struct vcpu *vcpu)
{
	if (set_reg(vcpu, REG_PC, vcpu->vm->entry) ||
	    set_reg(vcpu, REG_X(0), vcpu->vm->dtb_gpa))
		return -1;
	return 0;
}

static const char *exit_name(__u32 reason)
{
	switch (reason) {
	case KVM_EXIT_UNKNOWN: return "UNKNOWN";
	case KVM_EXIT_EXCEPTION: return "EXCEPTION";
	case KVM_EXIT_HYPERCALL: return "HYPERCALL";
	case KVM_EXIT_DEBUG: return "DEBUG";
	case KVM_EXIT_MMIO: return "MMIO";
	case KVM_EXIT_INTR: return "INTR";
	case KVM_EXIT_SHUTDOWN: return "SHUTDOWN";
	case KVM_EXIT_FAIL_ENTRY: return "FAIL_ENTRY";
	case KVM_EXIT_INTERNAL_ERROR: return "INTERNAL_ERROR";
	case KVM_EXIT_SYSTEM_EVENT: return "SYSTEM_EVENT";
	case KVM_EXIT_ARM_NISV: return "ARM_NISV";
	default: return "?";
	}
}

/* Prints the vCPU's registers, for an exit or error we cannot handle. */
static void vcpu_dump(struct vcpu *vcpu)
{
	static const struct {
		const char *name;
		__u64 id;
	} sys[] = {
		{ "pc", REG_PC }, { "pstate", REG_PSTATE }, { "sp_el1", REG_SP_EL1 },
		{ "elr_el1", REG_ELR_EL1 }, { "spsr_el1", REG_SPSR_EL1 },
		{ "esr_el1", REG_ESR_EL1 }, { "far_el1", REG_FAR_EL1 },
	};
	char line[160];
	size_t len = 0;
	unsigned int i;
	__u64 val;

	for (i = 0; i < ARRAY_SIZE(sys); i++) {
		if (get_reg(vcpu, sys[i].id, &val))
			val = 0;
		len += snprintf(line + len, sizeof(line) - len, " %s=%#llx",
				sys[i].name, (unsigned long long)val);
		if (i == 2 || i == 6) {
			vmm_log(vcpu->vm, "vCPU %u:%s", vcpu->id, line);
			len = 0;
		}
	}
	for (i = 0; i < 31; i++) {
		if (get_reg(vcpu, REG_X(i), &val))
			val = 0;
		len += snprintf(line + len, sizeof(line) - len, " x%-2u=%016llx",
				i, (unsigned long long)val);
		if (i % 4 == 3 || i == 30) {
			vmm_log(vcpu->vm, "vCPU %u:%s", vcpu->id, line);
			len = 0;
		}
	}
}

/* An exit we do not handle: say what it was, print registers, status 1. */
static int unexpected_exit(struct vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;

	vmm_log(vcpu->vm, "vCPU %u: unexpected exit %u (KVM_EXIT_%s)", vcpu->id,
		run->exit_reason, exit_name(run->exit_reason));
	switch (run->exit_reason) {
	case KVM_EXIT_MMIO:
		vmm_log(vcpu->vm, "vCPU %u: %u-byte MMIO %s at %#llx, where there is no device",
			vcpu->id, run->mmio.len, run->mmio.is_write ? "write" : "read",
			(unsigned long long)run->mmio.phys_addr);
		break;
	case KVM_EXIT_SYSTEM_EVENT:
		vmm_log(vcpu->vm, "vCPU %u: system event type %u", vcpu->id,
			run->system_event.type);
		break;
	case KVM_EXIT_ARM_NISV:
		vmm_log(vcpu->vm, "vCPU %u: data abort without syndrome at %#llx",
			vcpu->id, (unsigned long long)run->arm_nisv.fault_ipa);
		break;
	}
	vcpu_dump(vcpu);
	vm_stop(vcpu->vm, 1);
	return -1;
}

/*
 * HypervisorDisable (0) and HyperVisorPrepareDisable (1), which axhvc left
 * to us. Under KVM there is no hypervisor to switch off: we take Disable
 * as "this VM is done" and stop it cleanly, and have nothing to prepare.
 */
static int lifecycle_call(struct vcpu *vcpu, __u32 code)
{
	if (code == AXHVC_HC_HYPERVISOR_DISABLE) {
		vmm_log(vcpu->vm, "vCPU %u: HypervisorDisable: stopping the VM",
			vcpu->id);
		set_reg(vcpu, REG_X(0), 0);
		vm_stop(vcpu->vm, 0);
		return 1;
	}
	if (code == AXHVC_HC_HYPERVISOR_PREPARE_DISABLE) {
		vmm_log(vcpu->vm, "vCPU %u: HyperVisorPrepareDisable: nothing to prepare",
			vcpu->id);
		return set_reg(vcpu, REG_X(0), 0);
	}
	vmm_log(vcpu->vm, "vCPU %u: hypercall %u is not a lifecycle call", vcpu->id, code);
	return unexpected_exit(vcpu);
}

/*
 * KVM_EXIT_HYPERCALL. The guest's PC is past its "hvc" already: all we do
 * is set x0, and KVM_RUN resumes the guest after it. libaxhvc passes the
 * call to axhvc (on the intercept route only the lifecycle calls exit) and
 * hands back what axhvc leaves to us.
 */
static int hypercall(struct vcpu *vcpu)
{
	struct axhvc_hypercall hc;
	int ret;

	ret = libaxhvc_serve_hypercall(vcpu->vm->axvm_fd, vcpu->fd, vcpu->id,
				       vcpu->run, &hc);
	if (ret == LIBAXHVC_TO_VMM)
		return lifecycle_call(vcpu, (__u32)hc.x[0]);
	if (ret) {
		vmm_log(vcpu->vm, "%s", libaxhvc_errmsg());
		return unexpected_exit(vcpu);
	}
	/* A guest error is a result here (-errno, or -1 with --err-axvisor). */
	return 0;
}

static int system_event(struct vcpu *vcpu)
{
	switch (vcpu->run->system_event.type) {
	case KVM_SYSTEM_EVENT_SHUTDOWN:
		vmm_log(vcpu->vm, "vCPU %u: guest powered off (PSCI SYSTEM_OFF)",
			vcpu->id);
		break;
	case KVM_SYSTEM_EVENT_RESET:
		vmm_log(vcpu->vm, "vCPU %u: guest reset (PSCI SYSTEM_RESET): stopping",
			vcpu->id);
		break;
	default:
		return unexpected_exit(vcpu);
	}
	vm_stop(vcpu->vm, 0);
	return 1;
}

/* Returns 0 to run the guest again, non-zero to end this vCPU's thread. */
static int handle_exit(struct vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;

	switch (run->exit_reason) {
	case KVM_EXIT_MMIO:
		if (run->mmio.phys_addr - UART_BASE < UART_SIZE) {
			uart_mmio(vcpu->vm, run->mmio.phys_addr - UART_BASE,
				  run->mmio.data, run->mmio.len, run->mmio.is_write);
			return 0;
		}
		return unexpected_exit(vcpu);
	case KVM_EXIT_HYPERCALL:
		return hypercall(vcpu);
	case KVM_EXIT_SYSTEM_EVENT:
		return system_event(vcpu);
	default:
		return unexpected_exit(vcpu);
	}
}

static void *vcpu_thread(void *arg)
{
	struct vcpu *vcpu = arg;
	struct vm *vm = vcpu->vm;

	while (!vm_stopping(vm)) {
		if (ioctl(vcpu->fd, KVM_RUN, NULL) < 0) {
			/* A kick (vcpus_kick()) or another signal: look again. */
			if (errno == EINTR || errno == EAGAIN)
				continue;
			/* EFAULT: e.g. the guest touched a hole of its IVC window. */
			vmm_log(vm, "vCPU %u: KVM_RUN: %s", vcpu->id, strerror(errno));
			vcpu_dump(vcpu);
			vm_stop(vm, 1);
			break;
		}
		if (handle_exit(vcpu)) {
			/* Whoever stopped the VM first set its status. */
			vm_stop(vm, 1);
			break;
		}
	}
	return NULL;
}

/* SIGUSR1 only interrupts KVM_RUN; the handler has nothing to do. */
static void kick_handler(int sig)
{
	(void)sig;
}

/**
 * vcpus_start() - start one thread per vCPU
 * @vm: the VM, fully set up
 *
 * Return: 0, or -1 (the threads already started keep running).
 */
int vcpus_start(struct vm *vm)
{
	/* No SA_RESTART: a kick must make KVM_RUN return EINTR. */
	struct sigaction sa = { .sa_handler = kick_handler };
	unsigned int i;
	int ret;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	for (i = 0; i < vm->cfg->cpus; i++) {
		ret = pthread_create(&vm->vcpus[i].thread, NULL, vcpu_thread,
				     &vm->vcpus[i]);
		if (ret) {
			vmm_log(vm, "pthread_create: %s", strerror(ret));
			return -1;
		}
		vm->vcpus[i].started = true;
	}
	return 0;
}

/**
 * vcpus_kick() - make every vCPU thread leave KVM_RUN and see vm_stopping()
 * @vm: the VM, with vm_stop() called
 *
 * immediate_exit covers a thread that is just about to enter KVM_RUN: KVM
 * then returns EINTR at once instead of running the guest. The signal
 * covers a thread inside KVM_RUN, including a powered-off vCPU waiting for
 * CPU_ON.
 */
void vcpus_kick(struct vm *vm)
{
	unsigned int i;

	for (i = 0; i < MAX_VCPUS; i++) {
		if (!vm->vcpus[i].started)
			continue;
		__atomic_store_n(&vm->vcpus[i].run->immediate_exit, 1, __ATOMIC_SEQ_CST);
		pthread_kill(vm->vcpus[i].thread, SIGUSR1);
	}
}

/**
 * vcpus_join() - wait for every vCPU thread to end
 * @vm: the VM, kicked
 */
void vcpus_join(struct vm *vm)
{
	unsigned int i;

	for (i = 0; i < MAX_VCPUS; i++) {
		if (!vm->vcpus[i].started)
			continue;
		pthread_join(vm->vcpus[i].thread, NULL);
		vm->vcpus[i].started = false;
	}
}

/**
 * vcpu_destroy() - unmap kvm_run and close the vCPU fd
 * @vcpu: the vCPU, its thread ended (or never started)
 * @run_size: the size of its kvm_run mapping
 */
void vcpu_destroy(struct vcpu *vcpu, size_t run_size)
{
	if (vcpu->run)
		munmap(vcpu->run, run_size);
	vcpu->run = NULL;
	if (vcpu->fd >= 0)
		close(vcpu->fd);
	vcpu->fd = -1;
}
