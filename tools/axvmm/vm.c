// SPDX-License-Identifier: GPL-2.0
/*
 * axvmm: the VM as KVM and axhvc see it.
 *
 * The order matters and is the point of this file:
 *
 *  1. KVM_CREATE_VM, and guest RAM as memslot 0.
 *  2. AXHVC_CREATE_VM: the AxVisor id, the IVC window and the route. From
 *     then on the VM exists for other VMs (they may name it in a call).
 *     On "intercept" axhvc binds itself to the KVM VM; on "forwarded"
 *     KVM's SMCCC filter sends codes 0..7 to us.
 *  3. AXHVC_VM_ADD_MEM_REGION for RAM: hypercall pointers are GPAs, and
 *     axhvc reaches them through our mapping of RAM.
 *  4. mmap() of the axhvc VM fd, registered as memslot 1 at the window's
 *     GPA: channel pages reach the guest through that mapping.
 *  5. (after the vCPUs exist) the vgic-v3, then the doorbell: an eventfd
 *     bound to a guest SPI with KVM_IRQFD and handed to axhvc.
 *
 * Steps 2 to 5 are calls of libaxhvc (tools/lib/axhvc), as in any VMM.
 *
 * Teardown is closing the fds: the axhvc VM fd first, which ends the VM's
 * channels and subscriptions everywhere, then KVM's.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <libaxhvc.h>

#include "axvmm.h"

/* Memslots: RAM and the IVC window. */
#define SLOT_RAM	0
#define SLOT_WINDOW	1

static int add_memslot(struct vm *vm, __u32 slot, __u64 gpa, __u64 size,
		       void *hva)
{
	struct kvm_userspace_memory_region region = {
		.slot = slot,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (__u64)(uintptr_t)hva,
	};

	if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &region)) {
		vmm_log(vm, "KVM_SET_USER_MEMORY_REGION slot %u at %#llx: %s", slot,
			(unsigned long long)gpa, strerror(errno));
		return -1;
	}
	return 0;
}

static int kvm_create(struct vm *vm)
{
	int ret;

	vm->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->kvm_fd < 0) {
		vmm_log(vm, "/dev/kvm: %s (this needs an arm64 host with KVM)",
			strerror(errno));
		return -1;
	}
	if (ioctl(vm->kvm_fd, KVM_GET_API_VERSION, NULL) != KVM_API_VERSION) {
		vmm_log(vm, "/dev/kvm: unexpected KVM API version");
		return -1;
	}
	/*
	 * Type 0: the default 40-bit IPA space, which config.c checked every
	 * range against. KVM_CREATE_VM may fail with EINTR; just retry.
	 */
	do {
		vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
	} while (vm->vm_fd < 0 && errno == EINTR);
	if (vm->vm_fd < 0) {
		vmm_log(vm, "KVM_CREATE_VM: %s", strerror(errno));
		return -1;
	}
	ret = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, NULL);
	if (ret < (int)sizeof(struct kvm_run)) {
		vmm_log(vm, "KVM_GET_VCPU_MMAP_SIZE: %s", strerror(errno));
		return -1;
	}
	vm->run_size = ret;

	/*
	 * Guest RAM is plain anonymous memory. NORESERVE: a 1 GiB guest that
	 * touches 50 MiB costs 50 MiB.
	 */
	vm->ram = mmap(NULL, vm->cfg->mem_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (vm->ram == MAP_FAILED) {
		vm->ram = NULL;
		vmm_log(vm, "mmap of %llu bytes of guest RAM: %s",
			(unsigned long long)vm->cfg->mem_size, strerror(errno));
		return -1;
	}
	return add_memslot(vm, SLOT_RAM, RAM_BASE, vm->cfg->mem_size, vm->ram);
}

static int axhvc_register(struct vm *vm)
{
	const struct config *cfg = vm->cfg;
	struct libaxhvc_vm_opts opts = {
		.vm_id = cfg->id,
		/* HypervisorDisable/PrepareDisable are ours to decide. */
		.flags = AXHVC_VM_F_LIFECYCLE_TO_VMM,
		.kvm_vm_fd = vm->vm_fd,
		.ivc_base = cfg->window_base,
		.ivc_size = cfg->window_size,
	};
	__u64 need = AXHVC_FEATURE_VM | AXHVC_FEATURE_IVC_WINDOW;

	vm->axhvc_fd = libaxhvc_open(NULL);
	if (vm->axhvc_fd < 0)
		goto fail;
	if (cfg->err_axvisor)
		opts.flags |= AXHVC_VM_F_ERR_AXVISOR;
	/*
	 * Intercept: axhvc finds the KVM VM through its fd and serves codes
	 * 0..7 of its vCPUs in KVM's own HVC path: no exit reaches us except
	 * the lifecycle calls we asked for. Forwarded: libaxhvc installs KVM's
	 * SMCCC filter, which makes each of them exit to us.
	 */
	if (cfg->route == ROUTE_INTERCEPT) {
		need |= AXHVC_FEATURE_INTERCEPT;
		opts.route = LIBAXHVC_ROUTE_INTERCEPT;
	}
	if (libaxhvc_require(vm->axhvc_fd, need))
		goto fail;
	vm->axvm_fd = libaxhvc_vm_create(vm->axhvc_fd, &opts);
	if (vm->axvm_fd < 0)
		goto fail;
	/* Hypercall pointers are GPAs: axhvc reaches them through our RAM. */
	if (libaxhvc_vm_add_ram(vm->axvm_fd, RAM_BASE, cfg->mem_size, vm->ram))
		goto fail;
	/*
	 * The IVC window: axhvc hands out channel pages through mmap() of the
	 * VM fd, and the memslot lets the guest reach the same pages at the
	 * window's GPA; axhvc revokes them by zapping our mapping, and KVM's
	 * MMU notifier follows.
	 */
	if (libaxhvc_window_map(vm->axvm_fd, cfg->window_size, &vm->window) ||
	    libaxhvc_window_install(vm->vm_fd, SLOT_WINDOW, cfg->window_base,
				    cfg->window_size, vm->window))
		goto fail;
	return 0;
fail:
	vmm_log(vm, "%s", libaxhvc_errmsg());
	return -1;
}

/**
 * vm_create() - the KVM VM, its RAM, its axhvc registration and window
 * @vm: zeroed, with fds to be filled in
 * @cfg: the validated command line
 *
 * vCPUs come next (vcpu.c), then vm_setup_after_vcpus().
 *
 * Return: 0, or -1 after logging what failed.
 */
int vm_create(struct vm *vm, const struct config *cfg)
{
	unsigned int i;

	vm->cfg = cfg;
	for (i = 0; i < MAX_VCPUS; i++)
		vm->vcpus[i].fd = -1;
	vm->kvm_fd = -1;
	vm->vm_fd = -1;
	vm->gic_fd = -1;
	vm->axhvc_fd = -1;
	vm->axvm_fd = -1;
	vm->doorbell_fd = -1;

	if (kvm_create(vm) || axhvc_register(vm))
		return -1;
	return 0;
}

static int vgic_attr(struct vm *vm, __u32 group, __u64 attr, void *val)
{
	struct kvm_device_attr a = {
		.group = group,
		.attr = attr,
		.addr = (__u64)(uintptr_t)val,
	};

	return ioctl(vm->gic_fd, KVM_SET_DEVICE_ATTR, &a);
}

/*
 * The in-kernel vgic-v3. The redistributor region is sized by the number
 * of vCPUs when it is initialised, so every vCPU must exist by then.
 */
static int vgic_create(struct vm *vm)
{
	struct kvm_create_device dev = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };
	__u64 dist = GICD_BASE, redist = GICR_BASE;
	unsigned int need = NR_IRQS_MIN;
	__u32 nr;

	if (ioctl(vm->vm_fd, KVM_CREATE_DEVICE, &dev)) {
		vmm_log(vm, "KVM_CREATE_DEVICE vgic-v3: %s", strerror(errno));
		return -1;
	}
	vm->gic_fd = dev.fd;

	/* Interrupts, private ones included: a multiple of 32, >= the doorbell. */
	if (vm->cfg->doorbell_intid >= need)
		need = vm->cfg->doorbell_intid + 1;
	nr = (need + 31) / 32 * 32;
	if (nr > SPI_LAST + 1)
		nr = SPI_LAST + 1;
	vm->nr_irqs = nr;

	if (vgic_attr(vm, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &nr) ||
	    vgic_attr(vm, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, &dist) ||
	    vgic_attr(vm, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST, &redist) ||
	    vgic_attr(vm, KVM_DEV_ARM_VGIC_GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL)) {
		vmm_log(vm, "vgic-v3 set-up (%u interrupts): %s", nr, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * The doorbell: HIVCNotify aimed at this VM signals the eventfd, and
 * KVM_IRQFD turns the signal into the guest SPI without any VMM thread in
 * the path. A plain irqfd is edge-like (KVM raises and drops the line), so
 * the DT describes the SPI as edge-triggered.
 */
static int doorbell_setup(struct vm *vm)
{
	vm->doorbell_fd = libaxhvc_doorbell_setup(vm->vm_fd, vm->axvm_fd,
						  vm->cfg->doorbell_intid);
	if (vm->doorbell_fd < 0) {
		vmm_log(vm, "doorbell: %s", libaxhvc_errmsg());
		return -1;
	}
	return 0;
}

/**
 * vm_setup_after_vcpus() - what needs every vCPU created first
 * @vm: the VM
 *
 * Return: 0, or -1 after logging what failed.
 */
int vm_setup_after_vcpus(struct vm *vm)
{
	if (vgic_create(vm))
		return -1;
	if (vm->cfg->doorbell_intid && doorbell_setup(vm))
		return -1;
	return 0;
}

/**
 * vm_irq_line() - set the level of a guest SPI (a device's interrupt line)
 * @vm: the VM
 * @intid: the SPI's INTID
 * @level: 1 to raise, 0 to lower
 *
 * Return: 0 or -1.
 */
int vm_irq_line(struct vm *vm, unsigned int intid, int level)
{
	struct kvm_irq_level irq = {
		.irq = KVM_ARM_IRQ_TYPE_SPI << KVM_ARM_IRQ_TYPE_SHIFT | intid,
		.level = level,
	};

	if (ioctl(vm->vm_fd, KVM_IRQ_LINE, &irq)) {
		vmm_log(vm, "KVM_IRQ_LINE %u: %s", intid, strerror(errno));
		return -1;
	}
	return 0;
}

/**
 * gpa_to_hva() - our address of a range of guest RAM
 * @vm: the VM
 * @gpa: guest-physical start
 * @size: bytes
 *
 * Return: the address, or NULL when the range is not all RAM.
 */
void *gpa_to_hva(struct vm *vm, __u64 gpa, __u64 size)
{
	__u64 ram_size = vm->cfg->mem_size;

	if (gpa < RAM_BASE || gpa - RAM_BASE > ram_size ||
	    size > ram_size - (gpa - RAM_BASE))
		return NULL;
	return (char *)vm->ram + (gpa - RAM_BASE);
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/**
 * vm_destroy() - undo vm_create() and vm_setup_after_vcpus()
 * @vm: the VM; its vCPU threads must have ended
 */
void vm_destroy(struct vm *vm)
{
	unsigned int i;

	for (i = 0; i < MAX_VCPUS; i++)
		vcpu_destroy(&vm->vcpus[i], vm->run_size);
	/* The axhvc VM goes first: its channels end for every peer now. */
	close_fd(&vm->axvm_fd);
	close_fd(&vm->axhvc_fd);
	close_fd(&vm->doorbell_fd);
	close_fd(&vm->gic_fd);
	close_fd(&vm->vm_fd);
	close_fd(&vm->kvm_fd);
	if (vm->window)
		munmap(vm->window, vm->cfg->window_size);
	if (vm->ram)
		munmap(vm->ram, vm->cfg->mem_size);
	vm->window = NULL;
	vm->ram = NULL;
}
