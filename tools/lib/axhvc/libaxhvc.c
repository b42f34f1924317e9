// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libaxhvc: the VMM's side of axhvc's UAPI. See libaxhvc.h and
 * Documentation/libaxhvc.rst.
 *
 * Every function that can fail goes through fail(): it keeps a message in
 * a per-thread buffer (vCPU threads serve hypercalls concurrently), sets
 * errno and returns the negative errno.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "libaxhvc.h"

/* KVM_GET_ONE_REG id of the guest's x@n. */
#define REG_X(n)	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
			 (KVM_REG_ARM_CORE_REG(regs.regs[0]) + 2 * (n)))
/* How often a host-view list is tried again when it grew in between. */
#define LIST_TRIES	8
/* The first SPI: KVM_IRQFD's GSI n is INTID n + 32 on arm64. */
#define SPI_FIRST	32

static __thread char errmsg[256];

/*
 * Keeps "<what>: <strerror(err)>[<hint>]" as this thread's message; returns
 * -@err with errno = @err.
 */
static int fail(int err, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(errmsg, sizeof(errmsg), fmt, ap);
	va_end(ap);
	if (len >= 0 && (size_t)len < sizeof(errmsg))
		snprintf(errmsg + len, sizeof(errmsg) - len, ": %s", strerror(err));
	errno = err;
	return -err;
}

/* fail() with errno, which the last system call set. */
#define fail_errno(...)	fail(errno ? errno : EIO, __VA_ARGS__)

/* fail() with an explanation after strerror(). */
static int fail_hint(int err, const char *hint, const char *fmt, ...)
{
	size_t len;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(errmsg, sizeof(errmsg), fmt, ap);
	va_end(ap);
	len = strlen(errmsg);
	snprintf(errmsg + len, sizeof(errmsg) - len, ": %s (%s)", strerror(err), hint);
	errno = err;
	return -err;
}

/* ioctl() that tries again when a signal interrupted it. */
static int xioctl(int fd, unsigned long req, void *arg)
{
	int ret;

	do
		ret = ioctl(fd, req, arg);
	while (ret < 0 && errno == EINTR);
	return ret;
}

/**
 * libaxhvc_errmsg() - what the last failing libaxhvc call of this thread said
 *
 * Every libaxhvc function that fails returns a negative errno, sets errno
 * and keeps one line here, e.g. ``AXHVC_CREATE_VM (VM 3, intercept): File
 * exists (another VM has this id, or the KVM VM is bound already)``. The line
 * stays until the thread's next failure; a success does not clear it.
 *
 * Return: the message, an empty string before the first failure.
 */
const char *libaxhvc_errmsg(void)
{
	return errmsg;
}

/**
 * libaxhvc_open() - open axhvc's device
 * @path: the device node, or NULL for %LIBAXHVC_DEV
 *
 * Return: an fd (close-on-exec) for the device's ioctls, or a negative
 * errno: -ENOENT and -ENODEV when the module is not loaded, -EACCES when
 * the caller may not use it.
 */
int libaxhvc_open(const char *path)
{
	int fd;

	if (!path)
		path = LIBAXHVC_DEV;
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	if (errno == ENOENT || errno == ENODEV || errno == ENXIO)
		return fail_hint(errno, "is the axhvc module loaded? (modprobe axhvc)",
				 "%s", path);
	if (errno == EACCES || errno == EPERM)
		return fail_hint(errno, "root, or a group the administrator allowed",
				 "%s", path);
	return fail_errno("%s", path);
}

/**
 * libaxhvc_api_version() - the module's API version, features and limits
 * @axfd: from libaxhvc_open()
 * @ver: filled in (AXHVC_GET_API_VERSION)
 *
 * Return: 0 or a negative errno (@ver is then zeroed).
 */
int libaxhvc_api_version(int axfd, struct axhvc_api_version *ver)
{
	memset(ver, 0, sizeof(*ver));
	ver->size = sizeof(*ver);
	if (xioctl(axfd, AXHVC_GET_API_VERSION, ver)) {
		int err = errno;

		memset(ver, 0, sizeof(*ver));
		return fail(err, "AXHVC_GET_API_VERSION");
	}
	return 0;
}

/**
 * libaxhvc_require() - check that the module has the features a VMM needs
 * @axfd: from libaxhvc_open()
 * @features: AXHVC_FEATURE_* bits
 *
 * Return: 0, or -EOPNOTSUPP naming the missing features (an intercept
 * route the host kernel does not allow included), or another negative errno.
 */
int libaxhvc_require(int axfd, __u64 features)
{
	struct axhvc_api_version ver;
	int ret;

	ret = libaxhvc_api_version(axfd, &ver);
	if (ret)
		return ret;
	if ((ver.features & features) == features)
		return 0;
	return fail_hint(EOPNOTSUPP, features & ~ver.features & AXHVC_FEATURE_INTERCEPT ?
			 "this kernel does not let axhvc intercept: use the forwarded route" :
			 "an older module, or one built without them",
			 "axhvc API %u lacks features %#llx", ver.api_version,
			 (unsigned long long)(features & ~ver.features));
}

/**
 * libaxhvc_smccc_filter_available() - does KVM have the SMCCC filter?
 * @kvm_vm_fd: a KVM VM
 *
 * The forwarded route needs KVM's SMCCC filter (Linux 6.4 and later).
 *
 * Return: 1 if it has, 0 if not.
 */
int libaxhvc_smccc_filter_available(int kvm_vm_fd)
{
	struct kvm_device_attr attr = {
		.group = KVM_ARM_VM_SMCCC_CTRL,
		.attr = KVM_ARM_VM_SMCCC_FILTER,
	};

	return xioctl(kvm_vm_fd, KVM_HAS_DEVICE_ATTR, &attr) == 0;
}

/**
 * libaxhvc_smccc_filter() - install a range of KVM's SMCCC filter
 * @kvm_vm_fd: a KVM VM that has not run yet
 * @base: first SMCCC function id
 * @nr: how many ids
 * @action: KVM_SMCCC_FILTER_HANDLE, _DENY or _FWD_TO_USER
 *
 * The forwarded route is @base 0, @nr %AXHVC_HC_COUNT, @action
 * %KVM_SMCCC_FILTER_FWD_TO_USER: KVM then hands each AxVisor call to the
 * VMM as %KVM_EXIT_HYPERCALL instead of answering it NOT_SUPPORTED itself.
 * libaxhvc_vm_create() does this unless told not to. KVM takes a filter
 * only before the VM's first KVM_RUN, and never over its own ranges.
 *
 * Return: 0, -EOPNOTSUPP when KVM has no SMCCC filter (Linux < 6.4), or
 * another negative errno (-EBUSY: the VM has run; -EEXIST: the range
 * overlaps one installed already).
 */
int libaxhvc_smccc_filter(int kvm_vm_fd, __u32 base, __u32 nr, __u8 action)
{
	struct kvm_smccc_filter filter = {
		.base = base,
		.nr_functions = nr,
		.action = action,
	};
	struct kvm_device_attr attr = {
		.group = KVM_ARM_VM_SMCCC_CTRL,
		.attr = KVM_ARM_VM_SMCCC_FILTER,
		.addr = (__u64)(uintptr_t)&filter,
	};

	if (!libaxhvc_smccc_filter_available(kvm_vm_fd))
		return fail_hint(EOPNOTSUPP, "Linux < 6.4: use the intercept route",
				 "KVM has no SMCCC filter (KVM_ARM_VM_SMCCC_FILTER)");
	if (xioctl(kvm_vm_fd, KVM_SET_DEVICE_ATTR, &attr))
		return fail_errno("KVM_ARM_VM_SMCCC_FILTER [%#x, %#x) action %u",
				  base, base + nr, action);
	return 0;
}

/**
 * libaxhvc_vm_create() - register a KVM VM with axhvc on one route
 * @axfd: from libaxhvc_open()
 * @opts: the VM's id, flags, route, KVM VM and IVC window
 *
 * AXHVC_CREATE_VM. On %LIBAXHVC_ROUTE_INTERCEPT axhvc binds itself to
 * @opts->kvm_vm_fd and serves codes 0..7 inside KVM; on
 * %LIBAXHVC_ROUTE_FORWARDED this installs KVM's SMCCC filter for them
 * (unless @opts->skip_filter), so that they reach the VMM, which passes
 * them on with libaxhvc_serve_hypercall(). Either way before the KVM VM
 * first runs. From here on other VMs may name this one in their calls.
 *
 * Return: the axhvc VM fd (close-on-exec; closing it unregisters the VM),
 * or a negative errno, nothing registered.
 */
int libaxhvc_vm_create(int axfd, const struct libaxhvc_vm_opts *opts)
{
	bool intercept = opts->route == LIBAXHVC_ROUTE_INTERCEPT;
	struct axhvc_vm_config conf = {
		.size = sizeof(conf),
		.flags = opts->flags | (intercept ? AXHVC_VM_F_INTERCEPT : 0),
		.vm_id = opts->vm_id,
		.ivc_base = opts->ivc_base,
		.ivc_size = opts->ivc_size,
		.kvm_fd = intercept ? opts->kvm_vm_fd : 0,
		.event_size = sizeof(struct axhvc_event),
	};
	const char *route = intercept ? "intercept" : "forwarded";
	int vmfd, ret;

	if (opts->route != LIBAXHVC_ROUTE_FORWARDED && !intercept)
		return fail(EINVAL, "%s: route %d", __func__, opts->route);
	if (opts->kvm_vm_fd < 0 && (intercept || !opts->skip_filter))
		return fail_hint(EBADF, intercept ? "the intercept binds to a KVM VM" :
				 "the SMCCC filter goes on a KVM VM (or set skip_filter)",
				 "%s (VM %llu, %s): kvm_vm_fd %d", __func__,
				 (unsigned long long)opts->vm_id, route, opts->kvm_vm_fd);
	vmfd = xioctl(axfd, AXHVC_CREATE_VM, &conf);
	if (vmfd < 0) {
		unsigned long long id = opts->vm_id;

		if (errno == EEXIST)
			return fail_hint(EEXIST, intercept ?
					 "another VM has this id, or the KVM VM is bound already" :
					 "another VM has this id",
					 "AXHVC_CREATE_VM (VM %llu, %s)", id, route);
		if (errno == EOPNOTSUPP)
			return fail_hint(EOPNOTSUPP, "this kernel does not let axhvc intercept",
					 "AXHVC_CREATE_VM (VM %llu, %s)", id, route);
		if (errno == EACCES)
			return fail_hint(EACCES, "the VM id is granted to someone else",
					 "AXHVC_CREATE_VM (VM %llu, %s)", id, route);
		return fail_errno("AXHVC_CREATE_VM (VM %llu, %s)", id, route);
	}
	if (!intercept && !opts->skip_filter) {
		ret = libaxhvc_smccc_filter(opts->kvm_vm_fd, 0, AXHVC_HC_COUNT,
					    KVM_SMCCC_FILTER_FWD_TO_USER);
		if (ret) {
			close(vmfd);
			errno = -ret;
			return ret;
		}
	}
	return vmfd;
}

/**
 * libaxhvc_vm_add_ram() - tell axhvc where a range of guest RAM is
 * @vmfd: from libaxhvc_vm_create()
 * @gpa: guest-physical base (page aligned)
 * @size: bytes (page aligned)
 * @hva: where the VMM maps @gpa, as in its KVM memslot
 *
 * Hypercall arguments that point into guest memory are GPAs; axhvc reaches
 * them through this mapping. Each region of guest RAM needs one.
 *
 * Return: 0 or a negative errno.
 */
int libaxhvc_vm_add_ram(int vmfd, __u64 gpa, __u64 size, void *hva)
{
	struct axhvc_mem_region ram = {
		.size = sizeof(ram),
		.gpa = gpa,
		.memory_size = size,
		.uaddr = (__u64)(uintptr_t)hva,
	};

	if (xioctl(vmfd, AXHVC_VM_ADD_MEM_REGION, &ram))
		return fail_errno("AXHVC_VM_ADD_MEM_REGION [%#llx, +%#llx)",
				  (unsigned long long)gpa, (unsigned long long)size);
	return 0;
}

/**
 * libaxhvc_window_map() - map the VM's IVC window
 * @vmfd: from libaxhvc_vm_create(), with a window
 * @size: the window's size, as registered
 * @window: set to the mapping (munmap() it with @size)
 *
 * axhvc hands out channel pages through this mapping (offset 0 is the
 * window's first page) and revokes them by zapping it. It is shared and
 * not executable, as axhvc requires.
 *
 * Return: 0 or a negative errno (@window is then NULL).
 */
int libaxhvc_window_map(int vmfd, __u64 size, void **window)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, vmfd, 0);

	*window = NULL;
	if (p == MAP_FAILED)
		return fail_errno("mmap of the IVC window (%#llx bytes)",
				  (unsigned long long)size);
	*window = p;
	return 0;
}

/**
 * libaxhvc_window_install() - give the guest its IVC window as a memslot
 * @kvm_vm_fd: the KVM VM
 * @slot: a KVM memslot id the VMM uses for nothing else
 * @gpa: the window's guest-physical base, as registered
 * @size: the window's size, or 0 to remove the memslot again
 * @window: from libaxhvc_window_map()
 *
 * The guest then reaches channel pages at @gpa; when axhvc revokes one,
 * KVM's MMU notifier unmaps it from the guest too. A VMM that unmaps the
 * window while the KVM VM lives on removes the memslot first.
 *
 * Return: 0 or a negative errno.
 */
int libaxhvc_window_install(int kvm_vm_fd, __u32 slot, __u64 gpa, __u64 size,
			    void *window)
{
	struct kvm_userspace_memory_region region = {
		.slot = slot,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (__u64)(uintptr_t)window,
	};

	if (xioctl(kvm_vm_fd, KVM_SET_USER_MEMORY_REGION, &region))
		return fail_errno("KVM_SET_USER_MEMORY_REGION slot %u (IVC window at %#llx)",
				  slot, (unsigned long long)gpa);
	return 0;
}

/**
 * libaxhvc_irqfd() - bind or unbind an eventfd to a guest SPI in KVM
 * @kvm_vm_fd: the KVM VM, its vgic created
 * @intid: the guest INTID, an SPI (32..1019)
 * @efd: the eventfd
 * @assign: true to bind, false to unbind
 *
 * KVM_IRQFD: a signal of @efd raises @intid with no VMM thread in the
 * path. A plain irqfd is edge-like, so the guest should take the SPI as
 * edge-triggered.
 *
 * Return: 0 or a negative errno.
 */
int libaxhvc_irqfd(int kvm_vm_fd, __u32 intid, int efd, bool assign)
{
	struct kvm_irqfd irqfd = {
		.fd = efd,
		.gsi = intid - SPI_FIRST,
		.flags = assign ? 0 : KVM_IRQFD_FLAG_DEASSIGN,
	};

	if (intid < SPI_FIRST)
		return fail(EINVAL, "KVM_IRQFD: INTID %u is no SPI", intid);
	if (xioctl(kvm_vm_fd, KVM_IRQFD, &irqfd))
		return fail_errno("KVM_IRQFD %s SPI %u", assign ? "for" : "off", intid);
	return 0;
}

/**
 * libaxhvc_set_irq_route() - tell axhvc how to raise a guest INTID
 * @vmfd: from libaxhvc_vm_create()
 * @intid: the guest INTID, an SPI
 * @efd: an eventfd bound to @intid (libaxhvc_irqfd()), or -1 to remove
 *
 * AXHVC_VM_SET_IRQ_ROUTE: axhvc raises @intid (AXHVC_VM_INJECT_IRQ, an
 * INTID doorbell, forwarded host interrupts) by signalling @efd.
 *
 * Return: 0 or a negative errno.
 */
int libaxhvc_set_irq_route(int vmfd, __u32 intid, int efd)
{
	struct axhvc_irq_route route = {
		.size = sizeof(route),
		.intid = intid,
		.eventfd = efd,
	};

	if (xioctl(vmfd, AXHVC_VM_SET_IRQ_ROUTE, &route))
		return fail_errno("AXHVC_VM_SET_IRQ_ROUTE INTID %u", intid);
	return 0;
}

/**
 * libaxhvc_set_doorbell() - ring an eventfd for HIVCNotify aimed at the VM
 * @vmfd: from libaxhvc_vm_create()
 * @efd: an eventfd, normally bound to a guest SPI (libaxhvc_irqfd()), or
 *	-1 to remove the doorbell
 *
 * Return: 0 or a negative errno.
 */
int libaxhvc_set_doorbell(int vmfd, int efd)
{
	struct axhvc_doorbell bell = { .size = sizeof(bell), .eventfd = efd };

	if (xioctl(vmfd, AXHVC_VM_SET_DOORBELL, &bell))
		return fail_errno("AXHVC_VM_SET_DOORBELL eventfd %d", efd);
	return 0;
}

/**
 * libaxhvc_set_doorbell_intid() - raise a guest INTID for HIVCNotify
 * @vmfd: from libaxhvc_vm_create()
 * @intid: the guest SPI, which needs a route (libaxhvc_set_irq_route())
 *
 * AXHVC_VM_SET_DOORBELL with %AXHVC_DOORBELL_F_INTID, AxVisor's way: the
 * notify raises @intid through its route.
 *
 * Return: 0 or a negative errno.
 */
int libaxhvc_set_doorbell_intid(int vmfd, __u32 intid)
{
	struct axhvc_doorbell bell = {
		.size = sizeof(bell),
		.flags = AXHVC_DOORBELL_F_INTID,
		.eventfd = -1,
		.intid = intid,
	};

	if (xioctl(vmfd, AXHVC_VM_SET_DOORBELL, &bell))
		return fail_errno("AXHVC_VM_SET_DOORBELL INTID %u", intid);
	return 0;
}

/**
 * libaxhvc_doorbell_setup() - a doorbell that raises a guest SPI
 * @kvm_vm_fd: the KVM VM, its vgic created
 * @vmfd: from libaxhvc_vm_create()
 * @intid: the guest SPI
 *
 * A new eventfd, bound to @intid with KVM_IRQFD and made the VM's doorbell:
 * HIVCNotify aimed at the VM then interrupts the guest without any VMM
 * thread in the path.
 *
 * Return: the eventfd (the VMM closes it after the VM fd), or a negative
 * errno with nothing left behind.
 */
int libaxhvc_doorbell_setup(int kvm_vm_fd, int vmfd, __u32 intid)
{
	int efd, ret;

	efd = eventfd(0, EFD_CLOEXEC);
	if (efd < 0)
		return fail_errno("eventfd for the doorbell");
	ret = libaxhvc_irqfd(kvm_vm_fd, intid, efd, true);
	if (!ret) {
		ret = libaxhvc_set_doorbell(vmfd, efd);
		if (ret)
			libaxhvc_irqfd(kvm_vm_fd, intid, efd, false);
	}
	if (ret) {
		close(efd);
		errno = -ret;
		return ret;
	}
	return efd;
}

/**
 * libaxhvc_set_x0() - write the guest's x0, the result of its hypercall
 * @vcpu_fd: the vCPU
 * @val: the value
 *
 * For a call libaxhvc_serve_hypercall() left to the VMM; KVM_RUN then
 * resumes the guest after its ``hvc``.
 *
 * Return: 0 or a negative errno.
 */
int libaxhvc_set_x0(int vcpu_fd, __u64 val)
{
	struct kvm_one_reg reg = { .id = REG_X(0), .addr = (__u64)(uintptr_t)&val };

	if (xioctl(vcpu_fd, KVM_SET_ONE_REG, &reg))
		return fail_errno("KVM_SET_ONE_REG x0");
	return 0;
}

/**
 * libaxhvc_serve_hypercall() - serve a vCPU's KVM_EXIT_HYPERCALL
 * @vmfd: the VM's axhvc fd (libaxhvc_vm_create())
 * @vcpu_fd: the vCPU that exited
 * @vcpu_id: its id, for axhvc's logs and tracepoints
 * @run: its kvm_run, with exit reason %KVM_EXIT_HYPERCALL
 * @hc: out: the call (@hc->x holds the guest's x0..x6) and axhvc's answer
 *
 * The same on both routes. On the forwarded route every AxVisor code exits
 * here: the guest's x0..x6 go to AXHVC_VM_HYPERCALL and its answer to the
 * guest's x0; a guest's error is such an answer, not a failure here. On the
 * intercept route only the lifecycle calls a VM with
 * %AXHVC_VM_F_LIFECYCLE_TO_VMM hands over exit; axhvc says so again
 * without counting them twice.
 *
 * The lifecycle hand-over: when axhvc leaves the call to the VMM
 * (%AXHVC_HC_F_TO_VMM in @hc->flags; HypervisorDisable or
 * HyperVisorPrepareDisable, the code in ``hc->x[0]``) this returns
 * %LIBAXHVC_TO_VMM and writes nothing; the VMM decides, and writes its
 * answer with libaxhvc_set_x0() before it runs the vCPU again.
 *
 * Return: 0 when the guest's x0 holds the answer, %LIBAXHVC_TO_VMM, or a
 * negative errno (-EINVAL: not a hypercall exit; -ENOENT: not an AxVisor
 * code; -EBADF: the axhvc VM is gone).
 */
int libaxhvc_serve_hypercall(int vmfd, int vcpu_fd, __u32 vcpu_id,
			     const struct kvm_run *run, struct axhvc_hypercall *hc)
{
	unsigned int i;

	memset(hc, 0, sizeof(*hc));
	hc->size = sizeof(*hc);
	hc->vcpu_id = vcpu_id;
	if (run->exit_reason != KVM_EXIT_HYPERCALL)
		return fail(EINVAL, "vCPU %u: exit reason %u is no KVM_EXIT_HYPERCALL",
			    vcpu_id, run->exit_reason);
	/* KVM leaves the arguments in the vCPU's registers. */
	for (i = 0; i < 7; i++) {
		struct kvm_one_reg reg = {
			.id = REG_X(i),
			.addr = (__u64)(uintptr_t)&hc->x[i],
		};

		if (xioctl(vcpu_fd, KVM_GET_ONE_REG, &reg))
			return fail_errno("vCPU %u: KVM_GET_ONE_REG x%u", vcpu_id, i);
	}
	if (xioctl(vmfd, AXHVC_VM_HYPERCALL, hc))
		return fail_errno("vCPU %u: AXHVC_VM_HYPERCALL code %#x", vcpu_id,
				  (__u32)hc->x[0]);
	if (hc->flags & AXHVC_HC_F_TO_VMM)
		return LIBAXHVC_TO_VMM;
	return libaxhvc_set_x0(vcpu_fd, hc->ret);
}

/* A host-view list failed with @err (E2BIG: it kept growing). */
static int list_failed(int err, const char *ioctl_name, const char *what)
{
	if (err == E2BIG)
		return fail_hint(EAGAIN, "they keep coming", "%s: %s", ioctl_name, what);
	if (err == EPERM)
		return fail_hint(EPERM, "the host view needs CAP_SYS_ADMIN", "%s", ioctl_name);
	if (err == ENOTTY)
		return fail_hint(ENOTTY, "an axhvc module too old for it", "%s", ioctl_name);
	return fail(err, "%s", ioctl_name);
}

/**
 * libaxhvc_list_vms() - every VM on the host (the host view)
 * @axfd: from libaxhvc_open(), of a caller with CAP_SYS_ADMIN
 * @vms: set to a malloc()ed array of the VMs (free() it), NULL for none
 *
 * AXHVC_LIST_VMS, one snapshot by ascending VM id, asked again while VMs
 * come faster than the array grows.
 *
 * Return: how many VMs, or a negative errno (-EPERM without
 * CAP_SYS_ADMIN).
 */
int libaxhvc_list_vms(int axfd, struct axhvc_vm_info **vms)
{
	struct axhvc_vm_info *arr = NULL;
	struct axhvc_vm_list vl;
	unsigned int room = 0;
	int tries, err;

	*vms = NULL;
	for (tries = 0; tries < LIST_TRIES; tries++) {
		memset(&vl, 0, sizeof(vl));
		vl.size = sizeof(vl);
		vl.info_size = sizeof(*arr);
		vl.vms = (__u64)(uintptr_t)arr;
		vl.nr_vms = room;
		if (!xioctl(axfd, AXHVC_LIST_VMS, &vl)) {
			if (!vl.nr_vms) {
				free(arr);
				arr = NULL;
			}
			*vms = arr;
			return vl.nr_vms;
		}
		if (errno != E2BIG)
			break;
		free(arr);
		room = vl.nr_vms + 4;
		arr = calloc(room, sizeof(*arr));
		if (!arr)
			return fail(ENOMEM, "AXHVC_LIST_VMS: room for %u VMs", room);
	}
	err = errno;
	free(arr);
	return list_failed(err, "AXHVC_LIST_VMS", "VMs");
}

/**
 * libaxhvc_list_channels() - every channel on the host (the host view)
 * @axfd: from libaxhvc_open(), of a caller with CAP_SYS_ADMIN
 * @chans: set to a malloc()ed array of the channels (free() it), or NULL
 * @subscribers: set to a malloc()ed array of their subscribers' VM ids
 *	(free() it), or NULL; each channel's are at its @first_subscriber
 * @nr_subscribers: set to how many ids @subscribers holds
 *
 * AXHVC_LIST_ALL_CHANNELS, one snapshot, oldest channel first, asked again
 * while channels come faster than the arrays grow.
 *
 * Return: how many channels, or a negative errno (-EPERM without
 * CAP_SYS_ADMIN).
 */
int libaxhvc_list_channels(int axfd, struct axhvc_host_channel **chans,
			   __u64 **subscribers, __u32 *nr_subscribers)
{
	struct axhvc_host_channel_list cl;
	struct axhvc_host_channel *c = NULL;
	unsigned int room_c = 0, room_s = 0;
	__u64 *s = NULL;
	int tries, err;

	*chans = NULL;
	*subscribers = NULL;
	*nr_subscribers = 0;
	for (tries = 0; tries < LIST_TRIES; tries++) {
		memset(&cl, 0, sizeof(cl));
		cl.size = sizeof(cl);
		cl.channel_size = sizeof(*c);
		cl.channels = (__u64)(uintptr_t)c;
		cl.subscribers = (__u64)(uintptr_t)s;
		cl.nr_channels = room_c;
		cl.nr_subscribers = room_s;
		if (!xioctl(axfd, AXHVC_LIST_ALL_CHANNELS, &cl)) {
			if (!cl.nr_channels) {
				free(c);
				free(s);
				return 0;
			}
			*chans = c;
			*subscribers = s;
			*nr_subscribers = cl.nr_subscribers;
			return cl.nr_channels;
		}
		if (errno != E2BIG)
			break;
		free(c);
		free(s);
		room_c = cl.nr_channels + 4;
		room_s = cl.nr_subscribers + 16;
		c = calloc(room_c, sizeof(*c));
		s = calloc(room_s, sizeof(*s));
		if (!c || !s) {
			free(c);
			free(s);
			return fail(ENOMEM, "AXHVC_LIST_ALL_CHANNELS: room for %u channels",
				    room_c);
		}
	}
	err = errno;
	free(c);
	free(s);
	return list_failed(err, "AXHVC_LIST_ALL_CHANNELS", "channels");
}
