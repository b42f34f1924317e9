// SPDX-License-Identifier: GPL-2.0
/*
 * kvm_trace.so - LD_PRELOAD for a dynamically linked VMM: logs each KVM
 * ioctl (name, key arguments, result, thread) to stderr and forwards it
 * unchanged. It shows that a preload takes hold in Debian's QEMU and what
 * QEMU's KVM sequence is, which the axhvc preload library builds on.
 * KVM_RUN is logged only for the first AXHVC_TRACE_RUNS calls (default 4).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/kvm.h>

static int runs_logged;

static const char *kvm_name(unsigned int req)
{
	switch (req) {
	case KVM_GET_API_VERSION: return "KVM_GET_API_VERSION";
	case KVM_CREATE_VM: return "KVM_CREATE_VM";
	case KVM_CHECK_EXTENSION: return "KVM_CHECK_EXTENSION";
	case KVM_GET_VCPU_MMAP_SIZE: return "KVM_GET_VCPU_MMAP_SIZE";
	case KVM_CREATE_VCPU: return "KVM_CREATE_VCPU";
	case KVM_SET_USER_MEMORY_REGION: return "KVM_SET_USER_MEMORY_REGION";
	case KVM_SET_USER_MEMORY_REGION2: return "KVM_SET_USER_MEMORY_REGION2";
	case KVM_IRQFD: return "KVM_IRQFD";
	case KVM_IOEVENTFD: return "KVM_IOEVENTFD";
	case KVM_SET_GSI_ROUTING: return "KVM_SET_GSI_ROUTING";
	case KVM_IRQ_LINE: return "KVM_IRQ_LINE";
	case KVM_CREATE_DEVICE: return "KVM_CREATE_DEVICE";
	case KVM_SET_DEVICE_ATTR: return "KVM_SET_DEVICE_ATTR";
	case KVM_GET_DEVICE_ATTR: return "KVM_GET_DEVICE_ATTR";
	case KVM_HAS_DEVICE_ATTR: return "KVM_HAS_DEVICE_ATTR";
	case KVM_ARM_PREFERRED_TARGET: return "KVM_ARM_PREFERRED_TARGET";
	case KVM_ARM_VCPU_INIT: return "KVM_ARM_VCPU_INIT";
	/* Same code as the legacy KVM_ARM_SET_DEVICE_ADDR. */
	case KVM_GET_ONE_REG: return "KVM_GET_ONE_REG";
	case KVM_SET_ONE_REG: return "KVM_SET_ONE_REG";
	case KVM_GET_REG_LIST: return "KVM_GET_REG_LIST";
	case KVM_ENABLE_CAP: return "KVM_ENABLE_CAP";
	case KVM_GET_MP_STATE: return "KVM_GET_MP_STATE";
	case KVM_SET_MP_STATE: return "KVM_SET_MP_STATE";
	case KVM_GET_VCPU_EVENTS: return "KVM_GET_VCPU_EVENTS";
	case KVM_SET_VCPU_EVENTS: return "KVM_SET_VCPU_EVENTS";
	case KVM_SET_SIGNAL_MASK: return "KVM_SET_SIGNAL_MASK";
	case KVM_SET_GUEST_DEBUG: return "KVM_SET_GUEST_DEBUG";
	case KVM_GET_DIRTY_LOG: return "KVM_GET_DIRTY_LOG";
	case KVM_ARM_VCPU_FINALIZE: return "KVM_ARM_VCPU_FINALIZE";
	case KVM_RUN: return "KVM_RUN";
	default: return NULL;
	}
}

/* The arguments that matter to a library that mirrors QEMU's VM set-up. */
static void kvm_args(char *buf, size_t len, unsigned int req, void *arg)
{
	const struct kvm_userspace_memory_region *mr = arg;
	const struct kvm_userspace_memory_region2 *mr2 = arg;
	const struct kvm_irqfd *irqfd = arg;
	const struct kvm_vcpu_init *init = arg;
	const struct kvm_enable_cap *cap = arg;
	const struct kvm_create_device *dev = arg;
	const struct kvm_device_attr *attr = arg;
	const struct kvm_one_reg *reg = arg;

	switch (req) {
	case KVM_CREATE_VM:
	case KVM_CHECK_EXTENSION:
	case KVM_CREATE_VCPU:
		snprintf(buf, len, "arg %lu", (unsigned long)arg);
		break;
	case KVM_SET_USER_MEMORY_REGION:
		snprintf(buf, len, "slot 0x%x flags 0x%x gpa 0x%llx size 0x%llx",
			 mr->slot, mr->flags, mr->guest_phys_addr, mr->memory_size);
		break;
	case KVM_SET_USER_MEMORY_REGION2:
		snprintf(buf, len, "slot 0x%x flags 0x%x gpa 0x%llx size 0x%llx",
			 mr2->slot, mr2->flags, mr2->guest_phys_addr,
			 mr2->memory_size);
		break;
	case KVM_IRQFD:
		snprintf(buf, len, "fd %u gsi %u flags 0x%x resamplefd %u",
			 irqfd->fd, irqfd->gsi, irqfd->flags, irqfd->resamplefd);
		break;
	case KVM_ARM_VCPU_INIT:
		snprintf(buf, len, "target %u features[0] 0x%x",
			 init->target, init->features[0]);
		break;
	case KVM_ENABLE_CAP:
		snprintf(buf, len, "cap %u args[0] 0x%llx", cap->cap,
			 cap->args[0]);
		break;
	case KVM_CREATE_DEVICE:
		snprintf(buf, len, "type %u", dev->type);
		break;
	case KVM_SET_DEVICE_ATTR:
	case KVM_GET_DEVICE_ATTR:
	case KVM_HAS_DEVICE_ATTR:
		snprintf(buf, len, "group %u attr 0x%llx", attr->group,
			 attr->attr);
		break;
	case KVM_GET_ONE_REG:
	case KVM_SET_ONE_REG:
		snprintf(buf, len, "id 0x%llx", reg->id);
		break;
	default:
		buf[0] = '\0';
	}
}

/**
 * ioctl() - log a KVM ioctl, then forward it
 * @fd: file descriptor
 * @req: request code
 *
 * Forwards through syscall() so that errno is set as glibc's ioctl() would.
 * Requests are compared in 32 bits: QEMU passes them through an int, so
 * those with the direction's top bit set (_IOR, _IOWR) arrive sign-extended.
 *
 * Return: what the system call returns.
 */
int ioctl(int fd, unsigned long req, ...)
{
	char args[128];
	const char *name;
	unsigned int code = req;
	va_list ap;
	void *arg;
	long ret;
	int err;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);

	ret = syscall(SYS_ioctl, fd, req, arg);
	if (_IOC_TYPE(code) != KVMIO)
		return ret;
	err = errno;
	if (code == KVM_RUN) {
		const char *max = getenv("AXHVC_TRACE_RUNS");

		if (__atomic_fetch_add(&runs_logged, 1, __ATOMIC_RELAXED) >=
		    (max ? atoi(max) : 4))
			goto out;
	}
	name = kvm_name(code);
	kvm_args(args, sizeof(args), code, arg);
	if (name)
		fprintf(stderr, "kvm_trace: tid %ld fd %d %s %s = %ld%s\n",
			syscall(SYS_gettid), fd, name, args, ret,
			ret < 0 ? " (error)" : "");
	else
		fprintf(stderr, "kvm_trace: tid %ld fd %d KVM nr 0x%x = %ld\n",
			syscall(SYS_gettid), fd, _IOC_NR(code), ret);
out:
	errno = err;
	return ret;
}
