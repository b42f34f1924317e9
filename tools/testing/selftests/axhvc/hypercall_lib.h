/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hypercalls from real guests for axhvc's kselftests: register a test VM
 * with axhvc, and issue one AxVisor hypercall from its guest through either
 * route, serving KVM_EXIT_HYPERCALL as a VMM would. Static functions for
 * the kselftest programs; include after kselftest_harness.h and vmm.h.
 */
#ifndef AXHVC_SELFTEST_HYPERCALL_LIB_H
#define AXHVC_SELFTEST_HYPERCALL_LIB_H

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <axhvc.h>

extern const char guest_hvc_probe[], guest_hvc_loop[];

#define AXHVC_DEV	"/dev/axhvc"
/* guest_hvc_probe stops with a store here: outside RAM, the report page, the GIC. */
#define PROBE_GPA	0x0B000000ULL
#define IVC_BASE	0xD0000000ULL
#define IVC_SIZE	(16ULL << 20)
#define VMM_DECIDES	0x5eedULL	/* what this VMM answers lifecycle calls */
#define RUN_TIMEOUT_MS	20000

/* Values for x7..x30 that must survive a hypercall. */
static inline __u64 reg_pattern(unsigned int n)
{
	return 0xa5a5000000000000ULL | ((__u64)n << 32) | n;
}

/* The result of one guest hypercall. */
struct hc_result {
	__u64 x0;
	unsigned int hypercall_exits;	/* KVM_EXIT_HYPERCALLs the VMM saw */
	unsigned int to_vmm;		/* lifecycle calls the VMM decided */
};

/* The module's API version, features, flags and limits (zeros on error). */
static inline struct axhvc_api_version axhvc_query(int axfd)
{
	struct axhvc_api_version v = { .size = sizeof(v) };

	if (ioctl(axfd, AXHVC_GET_API_VERSION, &v))
		memset(&v, 0, sizeof(v));
	return v;
}

static inline bool intercept_available(int axfd)
{
	struct axhvc_api_version v = { .size = sizeof(v) };

	return !ioctl(axfd, AXHVC_GET_API_VERSION, &v) &&
	       (v.features & AXHVC_FEATURE_INTERCEPT);
}

/*
 * Open /dev/axhvc into *@axfd (-1 when not opened). Returns NULL, or why the
 * test must be skipped: no KVM, no axhvc, or no intercept when @intercept.
 */
static inline const char *axhvc_open_for_test(int *axfd, bool intercept)
{
	const char *why = vmm_kvm_unavailable();

	*axfd = -1;
	if (why)
		return why;
	*axfd = open(AXHVC_DEV, O_RDWR | O_CLOEXEC);
	if (*axfd < 0)
		return AXHVC_DEV " cannot be opened (is axhvc.ko loaded?)";
	if (intercept && !intercept_available(*axfd))
		return "this kernel does not let axhvc intercept";
	return NULL;
}

#define NO_FORWARDED_ROUTE "no forwarded route: KVM has no SMCCC filter (Linux < 6.4)"

/* Does KVM have the SMCCC filter the forwarded route needs (Linux >= 6.4)? */
static inline bool smccc_filter_available(void)
{
	struct kvm_device_attr attr = {
		.group = KVM_ARM_VM_SMCCC_CTRL,
		.attr = KVM_ARM_VM_SMCCC_FILTER,
	};
	int kvm, vm, ok = 0;

	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		return false;
	do
		vm = ioctl(kvm, KVM_CREATE_VM, 0);
	while (vm < 0 && errno == EINTR);
	if (vm >= 0) {
		ok = !ioctl(vm, KVM_HAS_DEVICE_ATTR, &attr);
		close(vm);
	}
	close(kvm);
	return ok;
}

/*
 * axhvc_open_for_test(), and unless @intercept also the forwarded route:
 * a test that installs KVM's SMCCC filter skips, saying why, without it.
 */
static inline const char *axhvc_open_for_route(int *axfd, bool intercept)
{
	const char *why = axhvc_open_for_test(axfd, intercept);

	if (!why && !intercept && !smccc_filter_available())
		why = NO_FORWARDED_ROUTE;
	return why;
}

/* Register @vm with axhvc as AxVisor VM @id; returns the VM fd or -errno. */
static inline int register_vm_window(int axfd, struct vmm_vm *vm, __u64 id,
				     __u32 flags, bool intercept,
				     bool install_filter, __u64 ivc_size)
{
	struct axhvc_vm_config conf = {
		.size = sizeof(conf),
		.event_size = sizeof(struct axhvc_event),
		.vm_id = id, .ivc_base = IVC_BASE, .ivc_size = ivc_size,
		.flags = flags | (intercept ? AXHVC_VM_F_INTERCEPT : 0),
		.kvm_fd = intercept ? vm->fd : 0,
	};
	struct axhvc_mem_region ram = {
		.size = sizeof(ram),
		.gpa = vm->ram_gpa, .memory_size = vm->ram_size,
		.uaddr = (unsigned long)vm->ram,
	};
	int fd;

	fd = ioctl(axfd, AXHVC_CREATE_VM, &conf);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, AXHVC_VM_ADD_MEM_REGION, &ram)) {
		int err = errno;

		close(fd);
		return -err;
	}
	/*
	 * The forwarded route: codes 0..7 leave KVM for this VMM. KVM takes the
	 * filter only before the VM first runs.
	 */
	if (!intercept && install_filter &&
	    vmm_smccc_filter(vm, 0, AXHVC_HC_COUNT, KVM_SMCCC_FILTER_FWD_TO_USER)) {
		close(fd);
		return -ENODEV;
	}
	return fd;
}

static inline int register_vm(int axfd, struct vmm_vm *vm, __u64 id, __u32 flags,
			      bool intercept, bool install_filter)
{
	return register_vm_window(axfd, vm, id, flags, intercept, install_filter,
				  IVC_SIZE);
}

/*
 * The VMM's side of a KVM_EXIT_HYPERCALL, as a real VMM would do it: codes
 * the VMM decides itself, or the forwarded route's ioctl.
 */
static inline int serve_exit(struct __test_metadata *_metadata, int vmfd,
			     struct vmm_vcpu *vcpu, struct hc_result *res)
{
	struct axhvc_hypercall hc = { .size = sizeof(hc), .vcpu_id = vcpu->id };
	unsigned int i;

	res->hypercall_exits++;
	for (i = 0; i < 7; i++)
		if (vmm_get_reg(vcpu, VMM_REG_X(i), &hc.x[i]))
			return -1;
	/* KVM truncates the function ID as axhvc does. */
	EXPECT_EQ((__u32)hc.x[0], vcpu->run->hypercall.nr);
	if (vcpu->run->hypercall.nr > AXHVC_HC_HYPERVISOR_PREPARE_DISABLE) {
		if (ioctl(vmfd, AXHVC_VM_HYPERCALL, &hc)) {
			TH_LOG("AXHVC_VM_HYPERCALL: %s", strerror(errno));
			return -1;
		}
		if (!(hc.flags & AXHVC_HC_F_TO_VMM))
			return vmm_set_reg(vcpu, VMM_REG_X(0), hc.ret);
	} else if (ioctl(vmfd, AXHVC_VM_HYPERCALL, &hc) == 0 &&
		   !(hc.flags & AXHVC_HC_F_TO_VMM)) {
		/* Forwarded, and axhvc answered it (not ours to decide). */
		return vmm_set_reg(vcpu, VMM_REG_X(0), hc.ret);
	}
	res->to_vmm++;
	return vmm_set_reg(vcpu, VMM_REG_X(0), VMM_DECIDES);
}

/*
 * One hypercall with x0..x6 = @x from a guest whose x7..x30 hold known
 * values; checks that x1..x30 come back unchanged.
 */
static inline int guest_call(struct __test_metadata *_metadata,
			     struct vmm_vcpu *vcpu, int vmfd, const __u64 x[7],
			     struct hc_result *res)
{
	__u64 v;
	int n, ret = -1;

	memset(res, 0, sizeof(*res));
	if (vmm_vcpu_start(vcpu, guest_hvc_probe, 7, x[0], x[1], x[2], x[3],
			   x[4], x[5], x[6]))
		return -1;
	for (n = 7; n <= 30; n++)
		if (vmm_set_reg(vcpu, VMM_REG_X(n), n == 28 ? PROBE_GPA : reg_pattern(n)))
			return -1;
	if (vmm_watchdog_arm(vcpu, RUN_TIMEOUT_MS))
		return -1;
	for (;;) {
		enum vmm_run_result r = vmm_vcpu_run(vcpu);
		struct kvm_run *run = vcpu->run;

		if (r == VMM_RUN_EXIT && run->exit_reason == KVM_EXIT_HYPERCALL) {
			if (serve_exit(_metadata, vmfd, vcpu, res))
				break;
			continue;
		}
		if (r == VMM_RUN_EXIT && run->exit_reason == KVM_EXIT_MMIO &&
		    run->mmio.phys_addr == PROBE_GPA) {
			ret = 0;
			break;
		}
		vmm_vcpu_dump(vcpu, vmm_run_result_name(r));
		break;
	}
	vmm_watchdog_disarm(vcpu);
	if (ret)
		return ret;

	if (vmm_get_reg(vcpu, VMM_REG_X(0), &res->x0))
		return -1;
	for (n = 1; n <= 30; n++) {
		__u64 want = n <= 6 ? x[n] : n == 28 ? PROBE_GPA : reg_pattern(n);

		if (vmm_get_reg(vcpu, VMM_REG_X(n), &v))
			return -1;
		EXPECT_EQ(want, v) TH_LOG("x%d changed across the hypercall", n);
	}
	return 0;
}

/* One hypercall from @vcpu of the VM with axhvc fd @vmfd; evaluates to x0. */
#define CALL_ON(vcpu, vmfd, res, ...)	({				\
	const __u64 __x[7] = { __VA_ARGS__ };				\
	struct hc_result *__r = (res);					\
	ASSERT_EQ(0, guest_call(_metadata, vcpu, vmfd, __x, __r));	\
	__r->x0; })
#define CALL(res, ...)	CALL_ON(self->vcpu, self->vmfd, res, __VA_ARGS__)

#endif /* AXHVC_SELFTEST_HYPERCALL_LIB_H */
