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
#include <sys/mman.h>
#include <unistd.h>
#include <libaxhvc.h>

extern const char guest_hvc_probe[], guest_hvc_loop[];

#define AXHVC_DEV	LIBAXHVC_DEV
/* guest_hvc_probe stops with a store here: outside RAM, the report page, the GIC. */
#define PROBE_GPA	0x0B000000ULL
#define IVC_BASE	0xD0000000ULL
#define IVC_SIZE	(16ULL << 20)
#define IVC_SLOT	1	/* the window's memslot */
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
	struct axhvc_api_version v;

	libaxhvc_api_version(axfd, &v);
	return v;
}

static inline bool intercept_available(int axfd)
{
	return !libaxhvc_require(axfd, AXHVC_FEATURE_INTERCEPT);
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
	*axfd = libaxhvc_open(NULL);
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
	int kvm, vm, ok = 0;

	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		return false;
	do
		vm = ioctl(kvm, KVM_CREATE_VM, 0);
	while (vm < 0 && errno == EINTR);
	if (vm >= 0) {
		ok = libaxhvc_smccc_filter_available(vm);
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

/*
 * Register @vm with axhvc as AxVisor VM @id, its RAM included; on the
 * forwarded route with KVM's SMCCC filter when @install_filter. Returns the
 * VM fd, or -errno (libaxhvc_errmsg() says what failed).
 */
static inline int register_vm_window(int axfd, struct vmm_vm *vm, __u64 id,
				     __u32 flags, bool intercept,
				     bool install_filter, __u64 ivc_size)
{
	struct libaxhvc_vm_opts opts = {
		.vm_id = id, .flags = flags, .kvm_vm_fd = vm->fd,
		.route = intercept ? LIBAXHVC_ROUTE_INTERCEPT : LIBAXHVC_ROUTE_FORWARDED,
		.skip_filter = !install_filter,
		.ivc_base = IVC_BASE, .ivc_size = ivc_size,
	};
	int fd, ret;

	fd = libaxhvc_vm_create(axfd, &opts);
	if (fd < 0)
		return fd;
	ret = libaxhvc_vm_add_ram(fd, vm->ram_gpa, vm->ram_size, vm->ram);
	if (ret) {
		close(fd);
		return ret;
	}
	return fd;
}

/*
 * register_vm_window(), and the VM's IVC window mapped at *@window and
 * given to the guest as memslot IVC_SLOT at IVC_BASE, as a VMM does.
 * Returns the VM fd, or -errno with nothing left (*@window NULL).
 */
static inline int register_vm_mapped(int axfd, struct vmm_vm *vm, __u64 id,
				     __u32 flags, bool intercept, __u64 ivc_size,
				     void **window)
{
	int fd, ret;

	*window = NULL;
	fd = register_vm_window(axfd, vm, id, flags, intercept, true, ivc_size);
	if (fd < 0)
		return fd;
	ret = libaxhvc_window_map(fd, ivc_size, window);
	if (!ret)
		ret = libaxhvc_window_install(vm->fd, IVC_SLOT, IVC_BASE, ivc_size, *window);
	if (ret) {
		if (*window)
			munmap(*window, ivc_size);
		*window = NULL;
		close(fd);
		return ret;
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
 * The VMM's side of a KVM_EXIT_HYPERCALL, as a real VMM does it
 * (libaxhvc): axhvc serves the call, or leaves it to this VMM, which
 * answers VMM_DECIDES.
 */
static inline int serve_exit(struct __test_metadata *_metadata, int vmfd,
			     struct vmm_vcpu *vcpu, struct hc_result *res)
{
	struct axhvc_hypercall hc;
	int ret;

	res->hypercall_exits++;
	ret = libaxhvc_serve_hypercall(vmfd, vcpu->fd, vcpu->id, vcpu->run, &hc);
	if (ret < 0) {
		TH_LOG("%s", libaxhvc_errmsg());
		return -1;
	}
	/* KVM truncates the function ID as axhvc does. */
	EXPECT_EQ((__u32)hc.x[0], vcpu->run->hypercall.nr);
	if (ret != LIBAXHVC_TO_VMM)
		return 0;
	res->to_vmm++;
	return libaxhvc_set_x0(vcpu->fd, VMM_DECIDES);
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
