// SPDX-License-Identifier: GPL-2.0
/*
 * A small test VMM for axhvc's kselftests; the API is described in vmm.h.
 *
 * Everything here reports errors by return value and logs them as "# "
 * lines on stderr, so that output stays valid TAP and the caller decides
 * whether an error fails its test.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <libaxhvc.h>

#include "kselftest.h"
#include "vmm.h"

/* glibc < 2.41 does not name the thread id member of struct sigevent. */
#ifndef sigev_notify_thread_id
#define sigev_notify_thread_id _sigev_un._tid
#endif

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(arr)		(sizeof(arr) / sizeof((arr)[0]))
#endif

/* What KVM's reset_unknown() puts in system registers: never written. */
#define VMM_KVM_RESET_UNKNOWN	0x1de7ec7edbadc0deULL

/*
 * The host's page size (4, 16 or 64 KiB): KVM wants memslots of whole host
 * pages, and a test mprotect()s what vmm_guest_alloc() gave it.
 */
static __u64 vmm_page_size(void)
{
	return sysconf(_SC_PAGESIZE);
}

static inline __u64 vmm_page_align(__u64 x)
{
	return (x + vmm_page_size() - 1) & ~(vmm_page_size() - 1);
}

static __printf(1, 2) void vmm_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("# vmm: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* ioctl() that logs a failure and returns -errno, or what ioctl returned. */
static int vmm_ioctl(int fd, unsigned long req, void *arg, const char *name)
{
	int ret = ioctl(fd, req, arg);

	if (ret < 0) {
		ret = -errno;
		vmm_log("%s: %s", name, strerror(errno));
	}
	return ret;
}

#define VMM_IOCTL(fd, req, arg)	vmm_ioctl(fd, req, arg, #req)

const char *vmm_kvm_unavailable(void)
{
	static char why[128];
	int fd, ver;

	fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		snprintf(why, sizeof(why), "/dev/kvm: %s (needs a host with KVM)",
			 strerror(errno));
		return why;
	}
	ver = ioctl(fd, KVM_GET_API_VERSION, NULL);
	close(fd);
	if (ver != KVM_API_VERSION) {
		snprintf(why, sizeof(why), "KVM API version %d, expected %d",
			 ver, KVM_API_VERSION);
		return why;
	}
	return NULL;
}

int vmm_add_memslot(struct vmm_vm *vm, __u32 slot, __u64 gpa, __u64 size,
		    void *host_addr, __u32 flags)
{
	struct kvm_userspace_memory_region region = {
		.slot = slot,
		.flags = flags,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (__u64)(uintptr_t)host_addr,
	};

	return VMM_IOCTL(vm->fd, KVM_SET_USER_MEMORY_REGION, &region);
}

struct vmm_vm *vmm_vm_create(size_t ram_size)
{
	size_t image_size = __stop_guest_text - __start_guest_text;
	struct vmm_vm *vm;
	int ret;

	if (!ram_size)
		ram_size = VMM_RAM_SIZE_DEFAULT;
	ram_size = vmm_page_align(ram_size);
	/* The image, something to allocate and the stacks must all fit. */
	if (image_size + VMM_MAX_VCPUS * VMM_STACK_SIZE + vmm_page_size() > ram_size) {
		vmm_log("%zu bytes of RAM cannot hold a %zu byte image and stacks",
			ram_size, image_size);
		return NULL;
	}

	vm = calloc(1, sizeof(*vm));
	if (!vm)
		return NULL;
	vm->fd = -1;
	vm->gic_fd = -1;
	vm->ram = MAP_FAILED;

	vm->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->kvm_fd < 0) {
		vmm_log("open /dev/kvm: %s", strerror(errno));
		goto err;
	}

	/* Type 0: the default 40-bit IPA space, plenty for our map. */
	do {
		vm->fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
	} while (vm->fd < 0 && errno == EINTR);
	if (vm->fd < 0) {
		vmm_log("KVM_CREATE_VM: %s", strerror(errno));
		goto err;
	}

	ret = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, NULL);
	if (ret < (int)sizeof(struct kvm_run)) {
		vmm_log("KVM_GET_VCPU_MMAP_SIZE: %d (%s)", ret, strerror(errno));
		goto err;
	}
	vm->run_size = ret;

	vm->ram = mmap(NULL, ram_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (vm->ram == MAP_FAILED) {
		vmm_log("mmap %zu bytes of guest RAM: %s", ram_size, strerror(errno));
		goto err;
	}
	vm->ram_gpa = VMM_RAM_GPA;
	vm->ram_size = ram_size;
	if (vmm_add_memslot(vm, 0, vm->ram_gpa, ram_size, vm->ram, 0))
		goto err;

	/*
	 * Copy the image before any vCPU runs: KVM then takes care of cache
	 * maintenance when it first maps these pages for the guest.
	 */
	memcpy(vm->ram, __start_guest_text, image_size);
	vm->alloc_next = vm->ram_gpa + vmm_page_align(image_size);
	return vm;

err:
	vmm_vm_destroy(vm);
	return NULL;
}

struct vmm_vm *vmm_vm_create_with_vcpus(unsigned int nr_vcpus, size_t ram_size)
{
	struct vmm_vm *vm;
	unsigned int i;

	vm = vmm_vm_create(ram_size);
	if (!vm)
		return NULL;
	for (i = 0; i < nr_vcpus; i++)
		if (!vmm_vcpu_add(vm, i))
			goto err;
	if (vmm_vgic_create(vm, VMM_NR_IRQS_DEFAULT))
		goto err;
	return vm;

err:
	vmm_vm_destroy(vm);
	return NULL;
}

static void vmm_vcpu_destroy(struct vmm_vcpu *vcpu)
{
	if (vcpu->wd_timer_valid)
		timer_delete(vcpu->wd_timer);
	if (vcpu->run && vcpu->run != MAP_FAILED)
		munmap(vcpu->run, vcpu->vm->run_size);
	if (vcpu->fd >= 0)
		close(vcpu->fd);
	free(vcpu);
}

void vmm_vm_destroy(struct vmm_vm *vm)
{
	unsigned int i;

	if (!vm)
		return;
	for (i = 0; i < VMM_MAX_VCPUS; i++)
		if (vm->vcpus[i])
			vmm_vcpu_destroy(vm->vcpus[i]);
	if (vm->gic_fd >= 0)
		close(vm->gic_fd);
	if (vm->fd >= 0)
		close(vm->fd);
	if (vm->kvm_fd >= 0)
		close(vm->kvm_fd);
	if (vm->ram != MAP_FAILED)
		munmap(vm->ram, vm->ram_size);
	free(vm);
}

void *vmm_gpa_to_hva(struct vmm_vm *vm, __u64 gpa)
{
	if (gpa < vm->ram_gpa || gpa - vm->ram_gpa >= vm->ram_size)
		return NULL;
	return (char *)vm->ram + (gpa - vm->ram_gpa);
}

/* Lowest GPA of the vCPU stacks, which grow down from the top of RAM. */
static __u64 vmm_stacks_base(struct vmm_vm *vm)
{
	return vm->ram_gpa + vm->ram_size - VMM_MAX_VCPUS * VMM_STACK_SIZE;
}

__u64 vmm_guest_alloc(struct vmm_vm *vm, size_t size)
{
	__u64 gpa = vm->alloc_next;

	size = vmm_page_align(size);
	if (!size || size > vmm_stacks_base(vm) - gpa) {
		vmm_log("guest RAM exhausted allocating %zu bytes", size);
		return 0;
	}
	vm->alloc_next += size;
	memset(vmm_gpa_to_hva(vm, gpa), 0, size);
	return gpa;
}

__u64 vmm_guest_sym(struct vmm_vm *vm, const void *sym)
{
	const char *p = sym;

	if (p < __start_guest_text || p > __stop_guest_text) {
		vmm_log("%p is not in section guest_text", sym);
		return 0;
	}
	return vm->ram_gpa + (p - __start_guest_text);
}

int vmm_get_reg(struct vmm_vcpu *vcpu, __u64 id, __u64 *val)
{
	struct kvm_one_reg reg = { .id = id, .addr = (__u64)(uintptr_t)val };

	if (ioctl(vcpu->fd, KVM_GET_ONE_REG, &reg) < 0)
		return -errno;
	return 0;
}

int vmm_set_reg(struct vmm_vcpu *vcpu, __u64 id, __u64 val)
{
	struct kvm_one_reg reg = { .id = id, .addr = (__u64)(uintptr_t)&val };

	if (ioctl(vcpu->fd, KVM_SET_ONE_REG, &reg) < 0) {
		int err = errno;

		vmm_log("vcpu%u: KVM_SET_ONE_REG %#llx: %s", vcpu->id,
			(unsigned long long)id, strerror(err));
		return -err;
	}
	return 0;
}

struct vmm_vcpu *vmm_vcpu_add(struct vmm_vm *vm, unsigned int id)
{
	struct kvm_vcpu_init init;
	struct vmm_vcpu *vcpu;
	__u64 sp;

	if (id >= VMM_MAX_VCPUS || vm->vcpus[id]) {
		vmm_log("vcpu%u: bad or duplicate id", id);
		return NULL;
	}
	vcpu = calloc(1, sizeof(*vcpu));
	if (!vcpu)
		return NULL;
	vcpu->vm = vm;
	vcpu->id = id;
	vcpu->run = MAP_FAILED;

	vcpu->fd = ioctl(vm->fd, KVM_CREATE_VCPU, (unsigned long)id);
	if (vcpu->fd < 0) {
		vmm_log("vcpu%u: KVM_CREATE_VCPU: %s", id, strerror(errno));
		goto err;
	}
	vcpu->run = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
			 vcpu->fd, 0);
	if (vcpu->run == MAP_FAILED) {
		vmm_log("vcpu%u: mmap kvm_run: %s", id, strerror(errno));
		goto err;
	}

	memset(&init, 0, sizeof(init));
	if (VMM_IOCTL(vm->fd, KVM_ARM_PREFERRED_TARGET, &init))
		goto err;
	/* PSCI 0.2+ so that SMCCC (and hence HVC #0 calls) is on offer. */
	init.features[0] |= 1U << KVM_ARM_VCPU_PSCI_0_2;
	if (VMM_IOCTL(vcpu->fd, KVM_ARM_VCPU_INIT, &init))
		goto err;

	/*
	 * Vectors from the very first instruction, so that even a guest that
	 * faults at once is reported, and a 16-byte aligned stack.
	 */
	sp = vm->ram_gpa + vm->ram_size - id * VMM_STACK_SIZE;
	if (vmm_set_reg(vcpu, VMM_REG_VBAR_EL1, vmm_guest_sym(vm, guest_vectors)) ||
	    vmm_set_reg(vcpu, VMM_REG_SP_EL1, sp) ||
	    vmm_set_reg(vcpu, VMM_REG_PSTATE, VMM_PSTATE_EL1H_DAIF))
		goto err;

	vm->vcpus[id] = vcpu;
	vm->nr_vcpus++;
	return vcpu;

err:
	vmm_vcpu_destroy(vcpu);
	return NULL;
}

static int vmm_vgic_attr(int fd, __u32 group, __u64 attr, void *val)
{
	struct kvm_device_attr a = {
		.group = group,
		.attr = attr,
		.addr = (__u64)(uintptr_t)val,
	};

	if (ioctl(fd, KVM_SET_DEVICE_ATTR, &a) < 0) {
		int err = errno;

		vmm_log("vgic: KVM_SET_DEVICE_ATTR group %u attr %llu: %s", group,
			(unsigned long long)attr, strerror(err));
		return -err;
	}
	return 0;
}

int vmm_vgic_create(struct vmm_vm *vm, unsigned int nr_irqs)
{
	struct kvm_create_device dev = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };
	__u64 dist = VMM_GICD_GPA, redist = VMM_GICR_GPA, cpu = VMM_GICC_GPA;
	__u32 nr = nr_irqs;
	int ret;

	if (vm->gic_fd >= 0)
		return -EEXIST;
	if (!vm->nr_vcpus) {
		vmm_log("vgic: add the vCPUs first");
		return -EINVAL;
	}
	/*
	 * A vgic-v3 where the host can give one; a host with a GICv2 (or a
	 * GICv3 without its GICv2 compatibility) has only the vgic-v2.
	 */
	vm->gic_version = 3;
	if (ioctl(vm->fd, KVM_CREATE_DEVICE, &dev) < 0) {
		if (errno != ENODEV)
			return VMM_IOCTL(vm->fd, KVM_CREATE_DEVICE, &dev);
		dev.type = KVM_DEV_TYPE_ARM_VGIC_V2;
		vm->gic_version = 2;
		ret = VMM_IOCTL(vm->fd, KVM_CREATE_DEVICE, &dev);
		if (ret)
			return ret;
	}
	vm->gic_fd = dev.fd;

	/*
	 * The redistributor region is sized by the number of vCPUs at
	 * CTRL_INIT time, which is why the vCPUs must exist by now.
	 */
	ret = vmm_vgic_attr(vm->gic_fd, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &nr);
	if (!ret && vm->gic_version == 3)
		ret = vmm_vgic_attr(vm->gic_fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
				    KVM_VGIC_V3_ADDR_TYPE_DIST, &dist);
	if (!ret && vm->gic_version == 3)
		ret = vmm_vgic_attr(vm->gic_fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
				    KVM_VGIC_V3_ADDR_TYPE_REDIST, &redist);
	if (!ret && vm->gic_version == 2)
		ret = vmm_vgic_attr(vm->gic_fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
				    KVM_VGIC_V2_ADDR_TYPE_DIST, &dist);
	if (!ret && vm->gic_version == 2)
		ret = vmm_vgic_attr(vm->gic_fd, KVM_DEV_ARM_VGIC_GRP_ADDR,
				    KVM_VGIC_V2_ADDR_TYPE_CPU, &cpu);
	if (!ret)
		ret = vmm_vgic_attr(vm->gic_fd, KVM_DEV_ARM_VGIC_GRP_CTRL,
				    KVM_DEV_ARM_VGIC_CTRL_INIT, NULL);
	return ret;
}

static int vmm_irqfd(struct vmm_vm *vm, unsigned int gsi, int efd, __u32 flags)
{
	struct kvm_irqfd irqfd = { .fd = efd, .gsi = gsi, .flags = flags };

	return VMM_IOCTL(vm->fd, KVM_IRQFD, &irqfd);
}

int vmm_irqfd_assign(struct vmm_vm *vm, unsigned int gsi, int efd)
{
	return vmm_irqfd(vm, gsi, efd, 0);
}

int vmm_irqfd_deassign(struct vmm_vm *vm, unsigned int gsi, int efd)
{
	return vmm_irqfd(vm, gsi, efd, KVM_IRQFD_FLAG_DEASSIGN);
}

int vmm_smccc_filter_supported(struct vmm_vm *vm)
{
	return libaxhvc_smccc_filter_available(vm->fd);
}

int vmm_smccc_filter(struct vmm_vm *vm, __u32 base, __u32 nr, __u8 action)
{
	int ret = libaxhvc_smccc_filter(vm->fd, base, nr, action);

	if (ret)
		vmm_log("%s", libaxhvc_errmsg());
	return ret;
}

int vmm_vcpu_start(struct vmm_vcpu *vcpu, const void *entry,
		   unsigned int nargs, ...)
{
	__u64 pc = vmm_guest_sym(vcpu->vm, entry);
	unsigned int i;
	va_list ap;
	int ret = 0;

	if (!pc || nargs > 8) {
		vmm_log("vcpu%u: bad entry point or %u arguments", vcpu->id, nargs);
		return -EINVAL;
	}
	/*
	 * A vCPU stopped by an MMIO exit has the access still pending: KVM
	 * completes it at the next KVM_RUN by stepping past the instruction,
	 * which would skip the first instruction at the new PC. Complete it
	 * now, with a KVM_RUN that returns before entering the guest.
	 */
	if (vcpu->run->exit_reason == KVM_EXIT_MMIO) {
		vcpu->run->immediate_exit = 1;
		if (ioctl(vcpu->fd, KVM_RUN, NULL) == 0 || errno != EINTR)
			ret = -EIO;
		vcpu->run->immediate_exit = 0;
		vcpu->run->exit_reason = KVM_EXIT_UNKNOWN;
		if (ret) {
			vmm_log("vcpu%u: cannot complete the pending MMIO exit", vcpu->id);
			return ret;
		}
	}
	va_start(ap, nargs);
	for (i = 0; i < nargs && !ret; i++)
		ret = vmm_set_reg(vcpu, VMM_REG_X(i), va_arg(ap, __u64));
	va_end(ap);
	if (!ret)
		ret = vmm_set_reg(vcpu, VMM_REG_PSTATE, VMM_PSTATE_EL1H_DAIF);
	if (!ret)
		ret = vmm_set_reg(vcpu, VMM_REG_PC, pc);
	return ret;
}

void vmm_vcpu_set_exit_handler(struct vmm_vcpu *vcpu,
			       vmm_exit_handler_t handler, void *opaque)
{
	vcpu->exit_handler = handler;
	vcpu->exit_opaque = opaque;
}

/*
 * The watchdog. The timer signals the thread that armed it, and that
 * thread's vCPU is found through a thread-local pointer. Setting
 * immediate_exit closes the race with a signal that lands just before
 * KVM_RUN is entered: KVM then returns EINTR at once instead of running
 * the guest, possibly forever.
 */
static __thread struct vmm_vcpu *vmm_wd_vcpu;

static void vmm_wd_handler(int sig)
{
	struct vmm_vcpu *vcpu = vmm_wd_vcpu;

	if (vcpu) {
		__atomic_store_n(&vcpu->wd_fired, 1, __ATOMIC_RELAXED);
		vcpu->run->immediate_exit = 1;
	}
}

int vmm_watchdog_arm(struct vmm_vcpu *vcpu, unsigned int timeout_ms)
{
	struct itimerspec its = {
		.it_value = {
			.tv_sec = timeout_ms / 1000,
			.tv_nsec = (timeout_ms % 1000) * 1000000L,
		},
	};
	/* No SA_RESTART: KVM_RUN must come back with EINTR. */
	struct sigaction sa = { .sa_handler = vmm_wd_handler };
	pid_t tid = gettid();
	sigset_t set;

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, NULL))
		return -errno;
	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);

	if (vcpu->wd_timer_valid && vcpu->wd_tid != tid) {
		timer_delete(vcpu->wd_timer);
		vcpu->wd_timer_valid = false;
	}
	if (!vcpu->wd_timer_valid) {
		struct sigevent sev = {
			.sigev_notify = SIGEV_THREAD_ID,
			.sigev_signo = SIGALRM,
		};

		sev.sigev_notify_thread_id = tid;
		if (timer_create(CLOCK_MONOTONIC, &sev, &vcpu->wd_timer)) {
			vmm_log("timer_create: %s", strerror(errno));
			return -errno;
		}
		vcpu->wd_timer_valid = true;
		vcpu->wd_tid = tid;
	}

	__atomic_store_n(&vcpu->wd_fired, 0, __ATOMIC_RELAXED);
	vcpu->run->immediate_exit = 0;
	vmm_wd_vcpu = vcpu;
	if (!timeout_ms)
		its.it_value.tv_nsec = 1;
	if (timer_settime(vcpu->wd_timer, 0, &its, NULL)) {
		vmm_log("timer_settime: %s", strerror(errno));
		vmm_wd_vcpu = NULL;
		return -errno;
	}
	return 0;
}

void vmm_watchdog_disarm(struct vmm_vcpu *vcpu)
{
	struct itimerspec off = { 0 };

	if (!vcpu->wd_timer_valid)
		return;
	/*
	 * A signal already pending for this thread is delivered on the way
	 * out of this syscall, so after it nothing can set immediate_exit.
	 */
	timer_settime(vcpu->wd_timer, 0, &off, NULL);
	if (vmm_wd_vcpu == vcpu)
		vmm_wd_vcpu = NULL;
	vcpu->run->immediate_exit = 0;
	__atomic_store_n(&vcpu->wd_fired, 0, __ATOMIC_RELAXED);
}

/*
 * A guest store to the report page: latch an argument, or complete the
 * report on the command slot. Returns true when a report is complete,
 * false to resume the guest.
 */
static bool vmm_handle_report_mmio(struct vmm_vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	__u64 off = run->mmio.phys_addr - VMM_REPORT_GPA;
	__u64 val = 0;

	if (!run->mmio.is_write) {
		/* Nothing to read there: reads see zeroes. */
		memset(run->mmio.data, 0, sizeof(run->mmio.data));
		return false;
	}
	memcpy(&val, run->mmio.data, run->mmio.len < 8 ? run->mmio.len : 8);

	if (off == VMM_REPORT_CMD_OFF) {
		vcpu->report.cmd = val;
		memcpy(vcpu->report.args, vcpu->latch, sizeof(vcpu->latch));
		memset(vcpu->latch, 0, sizeof(vcpu->latch));
		return true;
	}
	if (off % 8 == 0 && off / 8 < VMM_REPORT_NR_ARGS)
		vcpu->latch[off / 8] = val;
	else
		vmm_log("vcpu%u: stray report page store at +%#llx", vcpu->id,
			(unsigned long long)off);
	return false;
}

enum vmm_run_result vmm_vcpu_run(struct vmm_vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;

	for (;;) {
		if (ioctl(vcpu->fd, KVM_RUN, NULL) < 0) {
			if (errno == EINTR && __atomic_load_n(&vcpu->wd_fired, __ATOMIC_RELAXED)) {
				run->immediate_exit = 0;
				__atomic_store_n(&vcpu->wd_fired, 0, __ATOMIC_RELAXED);
				return vcpu->last = VMM_RUN_STUCK;
			}
			/* Some other signal: not ours to act on. */
			if (errno == EINTR)
				continue;
			vcpu->run_errno = errno;
			return vcpu->last = VMM_RUN_ERROR;
		}
		if (run->exit_reason == KVM_EXIT_MMIO &&
		    run->mmio.phys_addr >= VMM_REPORT_GPA &&
		    run->mmio.phys_addr < VMM_REPORT_GPA + VMM_REPORT_SIZE) {
			if (vmm_handle_report_mmio(vcpu))
				return vcpu->last = VMM_RUN_REPORT;
			continue;
		}
		return vcpu->last = VMM_RUN_EXIT;
	}
}

static const char *vmm_exit_name(__u32 reason)
{
	static const char * const names[] = {
		[KVM_EXIT_UNKNOWN] = "UNKNOWN",
		[KVM_EXIT_EXCEPTION] = "EXCEPTION",
		[KVM_EXIT_HYPERCALL] = "HYPERCALL",
		[KVM_EXIT_DEBUG] = "DEBUG",
		[KVM_EXIT_MMIO] = "MMIO",
		[KVM_EXIT_INTR] = "INTR",
		[KVM_EXIT_SHUTDOWN] = "SHUTDOWN",
		[KVM_EXIT_FAIL_ENTRY] = "FAIL_ENTRY",
		[KVM_EXIT_INTERNAL_ERROR] = "INTERNAL_ERROR",
		[KVM_EXIT_SYSTEM_EVENT] = "SYSTEM_EVENT",
		[KVM_EXIT_ARM_NISV] = "ARM_NISV",
	};

	if (reason < ARRAY_SIZE(names) && names[reason])
		return names[reason];
	return "?";
}

static void vmm_exit_print(const struct vmm_vcpu *vcpu)
{
	const struct kvm_run *run = vcpu->run;

	vmm_log("vcpu%u: unhandled exit %u (KVM_EXIT_%s)", vcpu->id,
		run->exit_reason, vmm_exit_name(run->exit_reason));
	switch (run->exit_reason) {
	case KVM_EXIT_MMIO:
		vmm_log("  MMIO %s of %u bytes at GPA %#llx",
			run->mmio.is_write ? "write" : "read", run->mmio.len,
			(unsigned long long)run->mmio.phys_addr);
		break;
	case KVM_EXIT_HYPERCALL:
		vmm_log("  SMCCC function %#llx, flags %#llx (forwarded by a filter)",
			(unsigned long long)run->hypercall.nr,
			(unsigned long long)run->hypercall.flags);
		break;
	case KVM_EXIT_SYSTEM_EVENT:
		vmm_log("  system event type %u", run->system_event.type);
		break;
	case KVM_EXIT_ARM_NISV:
		vmm_log("  data abort without syndrome at GPA %#llx, ESR ISS %#llx",
			(unsigned long long)run->arm_nisv.fault_ipa,
			(unsigned long long)run->arm_nisv.esr_iss);
		break;
	case KVM_EXIT_FAIL_ENTRY:
		vmm_log("  hardware entry failure %#llx",
			(unsigned long long)run->fail_entry.hardware_entry_failure_reason);
		break;
	default:
		break;
	}
}

int vmm_vcpu_run_to_done(struct vmm_vcpu *vcpu, unsigned int timeout_ms)
{
	char why[96];
	int ret;

	ret = vmm_watchdog_arm(vcpu, timeout_ms);
	if (ret) {
		vcpu->run_errno = -ret;
		vcpu->last = VMM_RUN_ERROR;
		return -1;
	}
	ret = -1;
	for (;;) {
		switch (vmm_vcpu_run(vcpu)) {
		case VMM_RUN_REPORT:
			if (vcpu->report.cmd == VMM_REPORT_DONE) {
				ret = 0;
				goto out;
			}
			if (vcpu->report.cmd == VMM_REPORT_VALUE) {
				vmm_report_print(vcpu);
				continue;
			}
			snprintf(why, sizeof(why), "guest reported %s",
				 vmm_report_name(vcpu->report.cmd));
			vmm_report_print(vcpu);
			goto fail;
		case VMM_RUN_EXIT:
			if (vcpu->exit_handler &&
			    !vcpu->exit_handler(vcpu, vcpu->exit_opaque))
				continue;
			snprintf(why, sizeof(why), "exit KVM_EXIT_%s %s",
				 vmm_exit_name(vcpu->run->exit_reason),
				 vcpu->exit_handler ? "refused by the exit handler" :
				 "and no exit handler");
			vmm_exit_print(vcpu);
			goto fail;
		case VMM_RUN_STUCK:
			snprintf(why, sizeof(why),
				 "stuck: watchdog expired after %u ms without DONE",
				 timeout_ms);
			goto fail;
		case VMM_RUN_ERROR:
			snprintf(why, sizeof(why), "KVM_RUN failed: %s",
				 strerror(vcpu->run_errno));
			goto fail;
		}
	}
fail:
	vmm_vcpu_dump(vcpu, why);
out:
	vmm_watchdog_disarm(vcpu);
	return ret;
}

const char *vmm_run_result_name(enum vmm_run_result result)
{
	switch (result) {
	case VMM_RUN_REPORT:
		return "REPORT";
	case VMM_RUN_EXIT:
		return "EXIT";
	case VMM_RUN_STUCK:
		return "STUCK";
	case VMM_RUN_ERROR:
		return "ERROR";
	}
	return "?";
}

const char *vmm_report_name(__u64 cmd)
{
	switch (cmd) {
	case VMM_REPORT_DONE:
		return "DONE";
	case VMM_REPORT_FAIL:
		return "FAIL";
	case VMM_REPORT_VALUE:
		return "VALUE";
	case VMM_REPORT_UNEXPECTED_EXCEPTION:
		return "UNEXPECTED_EXCEPTION";
	default:
		return "unknown report";
	}
}

static const char *vmm_ec_name(unsigned int ec)
{
	switch (ec) {
	case 0x00: return "unknown reason (e.g. UDF)";
	case 0x01: return "WFI/WFE";
	case 0x07: return "FP/SIMD access";
	case 0x0e: return "illegal execution state";
	case 0x15: return "SVC64";
	case 0x16: return "HVC64";
	case 0x17: return "SMC64";
	case 0x18: return "MSR/MRS/system instruction";
	case 0x20: return "instruction abort, lower EL";
	case 0x21: return "instruction abort, same EL";
	case 0x22: return "PC alignment";
	case 0x24: return "data abort, lower EL";
	case 0x25: return "data abort, same EL";
	case 0x26: return "SP alignment";
	case 0x2f: return "SError";
	case 0x3c: return "BRK64";
	default: return "?";
	}
}

void vmm_report_print(const struct vmm_vcpu *vcpu)
{
	const struct vmm_report *r = &vcpu->report;
	const __u64 *a = r->args;

	switch (r->cmd) {
	case VMM_REPORT_UNEXPECTED_EXCEPTION:
		vmm_log("vcpu%u: UNEXPECTED_EXCEPTION at vector %llu (VBAR_EL1 + %#llx)",
			vcpu->id, (unsigned long long)a[VMM_EXC_ARG_VECTOR],
			(unsigned long long)a[VMM_EXC_ARG_VECTOR] * 0x80);
		vmm_log("  ESR_EL1 %#llx: EC %#x (%s), ISS %#llx",
			(unsigned long long)a[VMM_EXC_ARG_ESR],
			(unsigned int)VMM_ESR_EC(a[VMM_EXC_ARG_ESR]),
			vmm_ec_name(VMM_ESR_EC(a[VMM_EXC_ARG_ESR])),
			(unsigned long long)VMM_ESR_ISS(a[VMM_EXC_ARG_ESR]));
		vmm_log("  ELR_EL1 %#llx FAR_EL1 %#llx SPSR_EL1 %#llx",
			(unsigned long long)a[VMM_EXC_ARG_ELR],
			(unsigned long long)a[VMM_EXC_ARG_FAR],
			(unsigned long long)a[VMM_EXC_ARG_SPSR]);
		break;
	case VMM_REPORT_VALUE:
		vmm_log("vcpu%u: VALUE tag %llu: %llu (%#llx)", vcpu->id,
			(unsigned long long)a[0], (unsigned long long)a[1],
			(unsigned long long)a[1]);
		break;
	case VMM_REPORT_FAIL:
		vmm_log("vcpu%u: FAIL code %llu, details %#llx %#llx %#llx %#llx",
			vcpu->id, (unsigned long long)a[0],
			(unsigned long long)a[1], (unsigned long long)a[2],
			(unsigned long long)a[3], (unsigned long long)a[4]);
		break;
	default:
		vmm_log("vcpu%u: %s (%llu) args %#llx %#llx %#llx %#llx %#llx %#llx %#llx %#llx",
			vcpu->id, vmm_report_name(r->cmd), (unsigned long long)r->cmd,
			(unsigned long long)a[0], (unsigned long long)a[1],
			(unsigned long long)a[2], (unsigned long long)a[3],
			(unsigned long long)a[4], (unsigned long long)a[5],
			(unsigned long long)a[6], (unsigned long long)a[7]);
		break;
	}
}

void vmm_vcpu_dump(struct vmm_vcpu *vcpu, const char *why)
{
	/* One line per group; a NULL name ends a line. */
	static const struct {
		const char *name;
		__u64 id;
	} regs[] = {
		{ "pc", VMM_REG_PC }, { "pstate", VMM_REG_PSTATE },
		{ "sp_el1", VMM_REG_SP_EL1 }, { "vbar_el1", VMM_REG_VBAR_EL1 },
		{ NULL },
		{ "x0", VMM_REG_X(0) }, { "x1", VMM_REG_X(1) },
		{ "x2", VMM_REG_X(2) }, { "x3", VMM_REG_X(3) },
		{ NULL },
		{ "x19", VMM_REG_X(19) }, { "x20", VMM_REG_X(20) },
		{ "x21", VMM_REG_X(21) }, { "x22", VMM_REG_X(22) },
		{ "x23", VMM_REG_X(23) },
		{ NULL },
		{ "x24", VMM_REG_X(24) }, { "x25", VMM_REG_X(25) },
		{ "x26", VMM_REG_X(26) }, { "x27", VMM_REG_X(27) },
		{ "x28", VMM_REG_X(28) },
		{ NULL },
		{ "esr_el1", VMM_REG_ESR_EL1 }, { "elr_el1", VMM_REG_ELR_EL1 },
		{ "far_el1", VMM_REG_FAR_EL1 }, { "spsr_el1", VMM_REG_SPSR_EL1 },
		{ NULL },
	};
	__u64 image = vcpu->vm->ram_gpa;
	__u64 image_end = image + (__stop_guest_text - __start_guest_text);
	char line[192];
	size_t len = 0;
	unsigned int i;
	__u64 val;

	vmm_log("vcpu%u: %s", vcpu->id, why);
	for (i = 0; i < ARRAY_SIZE(regs); i++) {
		if (!regs[i].name) {
			vmm_log("  vcpu%u:%s", vcpu->id, line);
			len = 0;
			continue;
		}
		if (vmm_get_reg(vcpu, regs[i].id, &val))
			len += snprintf(line + len, sizeof(line) - len, " %s=?",
					regs[i].name);
		else if (val == VMM_KVM_RESET_UNKNOWN)
			len += snprintf(line + len, sizeof(line) - len,
					" %s=(reset)", regs[i].name);
		else
			len += snprintf(line + len, sizeof(line) - len, " %s=%#llx",
					regs[i].name, (unsigned long long)val);
	}
	/* An offset into the image can be looked up with nm on the test. */
	if (!vmm_get_reg(vcpu, VMM_REG_PC, &val) && val >= image && val < image_end)
		vmm_log("  vcpu%u: pc is guest_text+%#llx", vcpu->id,
			(unsigned long long)(val - image));
}
