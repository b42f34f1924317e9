// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/axhvc: open and close, the API version ioctl and one negative test
 * per UAPI rule (unknown command, bad pointer, non-zero reserved fields,
 * root-only access); the host GIC query against the device tree.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include <axhvc.h>
#include <linux/kvm.h>

#define AXHVC_DEV	"/dev/axhvc"

FIXTURE(dev) {
	int fd;
};

FIXTURE_SETUP(dev)
{
	if (access(AXHVC_DEV, F_OK))
		SKIP(return, AXHVC_DEV " missing: is axhvc.ko loaded?");
	self->fd = open(AXHVC_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_GE(self->fd, 0) TH_LOG("open %s: %s", AXHVC_DEV, strerror(errno));
}

FIXTURE_TEARDOWN(dev)
{
	if (self->fd >= 0)
		EXPECT_EQ(0, close(self->fd));
}

TEST_F(dev, version)
{
	struct axhvc_api_version v;

	memset(&v, 0, sizeof(v));
	ASSERT_EQ(0, ioctl(self->fd, AXHVC_GET_API_VERSION, &v));
	EXPECT_EQ(AXHVC_API_VERSION, v.api_version);
	EXPECT_EQ(0, v.features & ~AXHVC_FEATURES_ALL);
	EXPECT_EQ(0, v.flags);
	TH_LOG("axhvc API %u, features %#llx", v.api_version,
	       (unsigned long long)v.features);
}

TEST_F(dev, unknown_ioctl_is_enotty)
{
	struct axhvc_api_version v = { 0 };

	EXPECT_EQ(-1, ioctl(self->fd, _IOWR(AXHVC_IOCTL_MAGIC, 0x7f, v), &v));
	EXPECT_EQ(ENOTTY, errno);
	/* The right number with the wrong size is another command. */
	EXPECT_EQ(-1, ioctl(self->fd, _IOWR(AXHVC_IOCTL_MAGIC, 0x00, __u32), &v));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->fd, 0, 0));
	EXPECT_EQ(ENOTTY, errno);
}

TEST_F(dev, bad_pointer_is_efault)
{
	struct axhvc_api_version *ro;

	EXPECT_EQ(-1, ioctl(self->fd, AXHVC_GET_API_VERSION, NULL));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(self->fd, AXHVC_GET_API_VERSION, (void *)-4096L));
	EXPECT_EQ(EFAULT, errno);

	/* Readable but not writable: the answer cannot be copied out. */
	ro = mmap(NULL, getpagesize(), PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	EXPECT_EQ(-1, ioctl(self->fd, AXHVC_GET_API_VERSION, ro));
	EXPECT_EQ(EFAULT, errno);
	munmap(ro, getpagesize());
}

TEST_F(dev, reserved_fields_nonzero_is_einval)
{
	struct axhvc_api_version v;
	unsigned int i;

	memset(&v, 0, sizeof(v));
	v.flags = 1;
	EXPECT_EQ(-1, ioctl(self->fd, AXHVC_GET_API_VERSION, &v));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, v.api_version) TH_LOG("a refused call must write nothing");

	for (i = 0; i < ARRAY_SIZE(v.reserved); i++) {
		memset(&v, 0, sizeof(v));
		v.reserved[i] = 1ULL << (i * 13);
		EXPECT_EQ(-1, ioctl(self->fd, AXHVC_GET_API_VERSION, &v))
			TH_LOG("reserved[%u] accepted", i);
		EXPECT_EQ(EINVAL, errno);
	}
}

TEST(open_close_many)
{
	int fds[64];
	unsigned int i;

	if (access(AXHVC_DEV, F_OK))
		SKIP(return, AXHVC_DEV " missing");
	for (i = 0; i < 64; i++) {
		fds[i] = open(AXHVC_DEV, O_RDWR | O_CLOEXEC);
		ASSERT_GE(fds[i], 0);
	}
	for (i = 0; i < 64; i++)
		ASSERT_EQ(0, close(fds[i]));
}

TEST(non_root_is_refused)
{
	pid_t pid;
	int status;

	if (access(AXHVC_DEV, F_OK))
		SKIP(return, AXHVC_DEV " missing");
	if (geteuid())
		SKIP(return, "needs root to drop privileges");
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		if (setgid(65534) || setuid(65534))
			_exit(2);
		_exit(open(AXHVC_DEV, O_RDWR) < 0 && errno == EACCES ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("uid 65534 could open " AXHVC_DEV);
}

#define WINDOW_BASE	0xd0000000ULL
#define WINDOW_SIZE	0x100000ULL

/* Returns the new VM fd, or -errno. */
static int create_vm(int fd, const struct axhvc_vm_config *conf)
{
	int vmfd = ioctl(fd, AXHVC_CREATE_VM, conf);

	return vmfd < 0 ? -errno : vmfd;
}

struct bad_config {
	const char *what;
	struct axhvc_vm_config conf;
	int err;
};

TEST_F(dev, create_vm_rules)
{
	const struct bad_config bad[] = {
		{ "unknown flag", { .vm_id = 1, .flags = 1U << 31 }, EINVAL },
		{ "reserved[0]", { .vm_id = 1, .reserved = { 1 } }, EINVAL },
		{ "reserved[3]", { .vm_id = 1, .reserved = { 0, 0, 0, 1 } }, EINVAL },
		{ "kvm_fd without intercept", { .vm_id = 1, .kvm_fd = 3 }, EINVAL },
		{ "window base not page aligned",
		  { .vm_id = 1, .ivc_base = 0x1800, .ivc_size = 0x1000 }, EINVAL },
		{ "window size not page aligned",
		  { .vm_id = 1, .ivc_base = 0x1000, .ivc_size = 0x1800 }, EINVAL },
		{ "window wraps", { .vm_id = 1, .ivc_base = ~0xfffULL,
				    .ivc_size = 0x2000 }, EINVAL },
		{ "intercept with a non-KVM fd",
		  { .vm_id = 1, .flags = AXHVC_VM_F_INTERCEPT, .kvm_fd = -1 }, EBADF },
	};
	struct axhvc_vm_config ok = {
		.vm_id = 7, .ivc_base = WINDOW_BASE, .ivc_size = WINDOW_SIZE,
		.flags = AXHVC_VM_F_ERR_AXVISOR | AXHVC_VM_F_LIFECYCLE_TO_VMM,
	};
	struct axhvc_vm_config self_fd = {
		.vm_id = 1, .flags = AXHVC_VM_F_INTERCEPT, .kvm_fd = self->fd,
	};
	unsigned int i;
	int vmfd, again;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		const char *what = bad[i].what;

		EXPECT_EQ(-bad[i].err, create_vm(self->fd, &bad[i].conf))
			TH_LOG("%s", what);
	}
	/* /dev/axhvc is not a KVM VM either. */
	EXPECT_EQ(-EBADF, create_vm(self->fd, &self_fd));
	EXPECT_EQ(-1, ioctl(self->fd, AXHVC_CREATE_VM, NULL));
	EXPECT_EQ(EFAULT, errno);

	vmfd = create_vm(self->fd, &ok);
	ASSERT_LE(0, vmfd) TH_LOG("create: %s", strerror(-vmfd));
	EXPECT_EQ(FD_CLOEXEC, fcntl(vmfd, F_GETFD));
	/* The id is taken, whatever the rest says. */
	EXPECT_EQ(-EEXIST, create_vm(self->fd, &ok));
	ok.flags = 0;
	EXPECT_EQ(-EEXIST, create_vm(self->fd, &ok));
	/* Closing the VM fd frees the id. */
	EXPECT_EQ(0, close(vmfd));
	again = create_vm(self->fd, &ok);
	EXPECT_LE(0, again);
	close(again);
}

TEST_F(dev, intercept_binding)
{
	struct axhvc_api_version v = { 0 };
	struct axhvc_vm_config conf = { .vm_id = 8, .flags = AXHVC_VM_F_INTERCEPT };
	int kvm, kvm_vm, vmfd;

	ASSERT_EQ(0, ioctl(self->fd, AXHVC_GET_API_VERSION, &v));
	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		SKIP(return, "/dev/kvm: %s", strerror(errno));
	kvm_vm = ioctl(kvm, KVM_CREATE_VM, 0);
	ASSERT_LE(0, kvm_vm);
	conf.kvm_fd = kvm_vm;
	vmfd = create_vm(self->fd, &conf);
	if (!(v.features & AXHVC_FEATURE_INTERCEPT)) {
		/* A kernel without intercept says so; the forwarded route stays. */
		EXPECT_EQ(-EOPNOTSUPP, vmfd);
		goto out;
	}
	ASSERT_LE(0, vmfd) TH_LOG("bind: %s", strerror(-vmfd));
	/* One KVM VM, one axhvc VM. */
	conf.vm_id = 9;
	EXPECT_EQ(-EEXIST, create_vm(self->fd, &conf));
	close(vmfd);
	vmfd = create_vm(self->fd, &conf);
	EXPECT_LE(0, vmfd) TH_LOG("rebind after close: %s", strerror(-vmfd));
	close(vmfd);
out:
	close(kvm_vm);
	close(kvm);
}

/*
 * A KVM VM fd handed to another process (inherited here; SCM_RIGHTS is the
 * same) does not let that process bind the VM: only the VM's own process,
 * the one whose mm KVM recorded, may.
 */
TEST_F(dev, intercept_binding_other_process_is_eperm)
{
	struct axhvc_api_version v = { 0 };
	struct axhvc_vm_config conf = { .vm_id = 10, .flags = AXHVC_VM_F_INTERCEPT };
	int kvm, kvm_vm, vmfd, status;
	pid_t pid;

	ASSERT_EQ(0, ioctl(self->fd, AXHVC_GET_API_VERSION, &v));
	if (!(v.features & AXHVC_FEATURE_INTERCEPT))
		SKIP(return, "no intercept on this kernel");
	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		SKIP(return, "/dev/kvm: %s", strerror(errno));
	kvm_vm = ioctl(kvm, KVM_CREATE_VM, 0);
	ASSERT_LE(0, kvm_vm);
	conf.kvm_fd = kvm_vm;

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		/* Its own /dev/axhvc, its own mm, the parent's KVM VM. */
		int fd = open(AXHVC_DEV, O_RDWR | O_CLOEXEC);

		if (fd < 0)
			_exit(2);
		vmfd = create_vm(fd, &conf);
		if (vmfd >= 0)
			_exit(3);
		_exit(vmfd == -EPERM ? 0 : 4);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("child: %s", WEXITSTATUS(status) == 3 ?
		       "bound another process's KVM VM" :
		       WEXITSTATUS(status) == 2 ? "cannot open " AXHVC_DEV :
		       "AXHVC_CREATE_VM failed, but not with EPERM");

	/* The VM's own process still can, with the same id: nothing was left. */
	vmfd = create_vm(self->fd, &conf);
	EXPECT_LE(0, vmfd) TH_LOG("parent's bind: %s", strerror(-vmfd));
	if (vmfd >= 0)
		close(vmfd);
	close(kvm_vm);
	close(kvm);
}

#define TESTHW_GIC	"/sys/kernel/debug/axhvc_testhw/gic"
/* QEMU virt: the emulated test host's GIC (gic-version=3, or 2: no GICR). */
#define VIRT_GICD	0x08000000ULL
#define VIRT_GICR	0x080a0000ULL

TEST_F(dev, host_gic_matches_the_device_tree)
{
	unsigned long long gicd, gicr;
	struct axhvc_api_version v = { 0 };
	struct axhvc_host_gic g;
	unsigned int typer, iidr, version;
	FILE *f;
	int n;

	f = fopen(TESTHW_GIC, "r");
	if (!f)
		SKIP(return, TESTHW_GIC ": %s (axhvc_testhw.ko not loaded?)",
		     strerror(errno));
	n = fscanf(f, "gicd %llx gicr %llx typer %x iidr %x version %u",
		   &gicd, &gicr, &typer, &iidr, &version);
	fclose(f);
	ASSERT_EQ(5, n) TH_LOG("cannot parse " TESTHW_GIC);

	ASSERT_EQ(0, ioctl(self->fd, AXHVC_GET_API_VERSION, &v));
	EXPECT_TRUE(v.features & AXHVC_FEATURE_HOST_GIC)
		TH_LOG("features %#llx lack AXHVC_FEATURE_HOST_GIC",
		       (unsigned long long)v.features);

	memset(&g, 0, sizeof(g));
	ASSERT_EQ(0, ioctl(self->fd, AXHVC_GET_HOST_GIC, &g))
		TH_LOG("AXHVC_GET_HOST_GIC: %s", strerror(errno));
	TH_LOG("GICv%u gicd %#llx gicr %#llx typer %#x iidr %#x", g.version,
	       (unsigned long long)g.gicd_base, (unsigned long long)g.gicr_base,
	       g.typer, g.iidr);
	EXPECT_EQ(version, g.version);
	EXPECT_EQ(0, g.flags);
	EXPECT_EQ(gicd, g.gicd_base);
	EXPECT_EQ(gicr, g.gicr_base);
	EXPECT_EQ(typer, g.typer);
	EXPECT_EQ(iidr, g.iidr);
	EXPECT_EQ(0, g.reserved[0]);
	EXPECT_EQ(0, g.reserved[1]);
	EXPECT_EQ(VIRT_GICD, g.gicd_base);
	EXPECT_EQ(version == 3 ? VIRT_GICR : 0, g.gicr_base);
}

TEST_F(dev, host_gic_rules)
{
	struct axhvc_api_version v = { 0 };
	struct axhvc_host_gic g, *ro;
	unsigned int i;

	memset(&g, 0, sizeof(g));
	g.flags = 1;
	EXPECT_EQ(-1, ioctl(self->fd, AXHVC_GET_HOST_GIC, &g));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, g.version) TH_LOG("a refused call must write nothing");
	memset(&g, 0, sizeof(g));
	g.flags = 1U << 31;
	EXPECT_EQ(-1, ioctl(self->fd, AXHVC_GET_HOST_GIC, &g));
	EXPECT_EQ(EINVAL, errno);
	for (i = 0; i < ARRAY_SIZE(g.reserved); i++) {
		memset(&g, 0, sizeof(g));
		g.reserved[i] = 1ULL << (i * 63);
		EXPECT_EQ(-1, ioctl(self->fd, AXHVC_GET_HOST_GIC, &g))
			TH_LOG("reserved[%u] accepted", i);
		EXPECT_EQ(EINVAL, errno);
		EXPECT_EQ(0, g.gicd_base);
	}

	EXPECT_EQ(-1, ioctl(self->fd, AXHVC_GET_HOST_GIC, NULL));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(self->fd, AXHVC_GET_HOST_GIC, (void *)-4096L));
	EXPECT_EQ(EFAULT, errno);

	/* Readable but not writable: the answer cannot be copied out. */
	ASSERT_EQ(0, ioctl(self->fd, AXHVC_GET_API_VERSION, &v));
	ro = mmap(NULL, getpagesize(), PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	EXPECT_EQ(-1, ioctl(self->fd, AXHVC_GET_HOST_GIC, ro));
	/* Without a host GIC there is nothing to copy out. */
	EXPECT_EQ(v.features & AXHVC_FEATURE_HOST_GIC ? EFAULT : ENODEV, errno);
	munmap(ro, getpagesize());
}

FIXTURE(vm) {
	int fd;
	int vmfd;
	void *mem;
};

#define MEM_SIZE	(64 * 4096)

FIXTURE_SETUP(vm)
{
	struct axhvc_vm_config conf = {
		.vm_id = 3, .ivc_base = WINDOW_BASE, .ivc_size = WINDOW_SIZE,
	};

	self->vmfd = -1;
	self->mem = MAP_FAILED;
	self->fd = open(AXHVC_DEV, O_RDWR | O_CLOEXEC);
	if (self->fd < 0)
		SKIP(return, AXHVC_DEV ": %s", strerror(errno));
	self->vmfd = create_vm(self->fd, &conf);
	ASSERT_LE(0, self->vmfd);
	self->mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->mem);
}

FIXTURE_TEARDOWN(vm)
{
	if (self->mem != MAP_FAILED)
		munmap(self->mem, MEM_SIZE);
	if (self->vmfd >= 0)
		close(self->vmfd);
	if (self->fd >= 0)
		close(self->fd);
}

static int add_region(int vmfd, __u64 gpa, __u64 size, __u64 uaddr)
{
	struct axhvc_mem_region r = { .gpa = gpa, .size = size, .uaddr = uaddr };

	return ioctl(vmfd, AXHVC_VM_ADD_MEM_REGION, &r) ? -errno : 0;
}

TEST_F(vm, mem_region_rules)
{
	__u64 ua = (unsigned long)self->mem;
	struct axhvc_mem_region flagged = {
		.gpa = 0x40000000, .size = 4096, .uaddr = ua, .flags = 1,
	};
	unsigned int i;

	EXPECT_EQ(-EINVAL, add_region(self->vmfd, 0x40000800, 4096, ua));
	EXPECT_EQ(-EINVAL, add_region(self->vmfd, 0x40000000, 0x800, ua));
	EXPECT_EQ(-EINVAL, add_region(self->vmfd, 0x40000000, 4096, ua + 8));
	EXPECT_EQ(-EINVAL, add_region(self->vmfd, 0x40000000, 0, ua));
	EXPECT_EQ(-EINVAL, add_region(self->vmfd, ~0xfffULL, 0x2000, ua));
	/* Not a user address. */
	EXPECT_EQ(-EINVAL, add_region(self->vmfd, 0x40000000, 4096, ~0xfffULL));
	/* The IVC window is not RAM. */
	EXPECT_EQ(-EINVAL, add_region(self->vmfd, WINDOW_BASE - 4096, 8192, ua));
	EXPECT_EQ(-1, ioctl(self->vmfd, AXHVC_VM_ADD_MEM_REGION, &flagged));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(self->vmfd, AXHVC_VM_ADD_MEM_REGION, NULL));
	EXPECT_EQ(EFAULT, errno);

	ASSERT_EQ(0, add_region(self->vmfd, 0x40000000, 8192, ua));
	/* Overlaps, from either side. */
	EXPECT_EQ(-EINVAL, add_region(self->vmfd, 0x40001000, 8192, ua));
	EXPECT_EQ(-EINVAL, add_region(self->vmfd, 0x3ffff000, 8192, ua));
	/* Up to AXHVC_MAX_MEM_REGIONS, then ENOSPC. */
	for (i = 1; i < AXHVC_MAX_MEM_REGIONS; i++)
		ASSERT_EQ(0, add_region(self->vmfd, 0x50000000 + i * 0x10000, 4096,
					ua + i * 4096));
	EXPECT_EQ(-ENOSPC, add_region(self->vmfd, 0x60000000, 4096, ua));
}

TEST_F(vm, hypercall_ioctl_rules)
{
	struct axhvc_hypercall hc = { .x = { AXHVC_HC_HYPERVISOR_DEBUG } };

	ASSERT_EQ(0, ioctl(self->vmfd, AXHVC_VM_HYPERCALL, &hc));
	EXPECT_EQ(0, hc.ret);
	EXPECT_EQ(0, hc.flags);

	hc.x[0] = AXHVC_HC_HYPERVISOR_DISABLE;
	ASSERT_EQ(0, ioctl(self->vmfd, AXHVC_VM_HYPERCALL, &hc));
	EXPECT_EQ((__u64)-EOPNOTSUPP, hc.ret) TH_LOG("the guest's error is a result");

	hc.x[0] = AXHVC_HC_COUNT;
	EXPECT_EQ(-1, ioctl(self->vmfd, AXHVC_VM_HYPERCALL, &hc));
	EXPECT_EQ(EINVAL, errno);
	hc.x[0] = 0x100000000ULL | AXHVC_HC_HYPERVISOR_DEBUG;
	EXPECT_EQ(0, ioctl(self->vmfd, AXHVC_VM_HYPERCALL, &hc)) TH_LOG("w0 is the code");
	hc.flags = 1;
	EXPECT_EQ(-1, ioctl(self->vmfd, AXHVC_VM_HYPERCALL, &hc));
	EXPECT_EQ(EINVAL, errno);
	hc.flags = 0;
	hc.reserved[1] = 1;
	EXPECT_EQ(-1, ioctl(self->vmfd, AXHVC_VM_HYPERCALL, &hc));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(self->vmfd, AXHVC_VM_HYPERCALL, NULL));
	EXPECT_EQ(EFAULT, errno);
	/* No RAM registered: pointer arguments reach nothing. */
	memset(&hc, 0, sizeof(hc));
	hc.x[0] = AXHVC_HC_IVC_PUBLISH;
	hc.x[2] = 0x40000000;
	hc.x[3] = 0x40000008;
	ASSERT_EQ(0, ioctl(self->vmfd, AXHVC_VM_HYPERCALL, &hc));
	EXPECT_EQ((__u64)-EFAULT, hc.ret);
}

TEST_F(vm, doorbell_rules)
{
	struct axhvc_doorbell db = { .eventfd = eventfd(0, EFD_CLOEXEC) };

	ASSERT_LE(0, db.eventfd);
	EXPECT_EQ(0, ioctl(self->vmfd, AXHVC_VM_SET_DOORBELL, &db));
	db.flags = 1;
	EXPECT_EQ(-1, ioctl(self->vmfd, AXHVC_VM_SET_DOORBELL, &db));
	EXPECT_EQ(EINVAL, errno);
	db.flags = 0;
	db.reserved = 1;
	EXPECT_EQ(-1, ioctl(self->vmfd, AXHVC_VM_SET_DOORBELL, &db));
	EXPECT_EQ(EINVAL, errno);
	db.reserved = 0;
	close(db.eventfd);
	db.eventfd = self->fd;
	EXPECT_EQ(-1, ioctl(self->vmfd, AXHVC_VM_SET_DOORBELL, &db));
	EXPECT_EQ(EBADF, errno);
	db.eventfd = -1;
	EXPECT_EQ(0, ioctl(self->vmfd, AXHVC_VM_SET_DOORBELL, &db));
	/* An INTID doorbell: an SPI, with the flag, without an eventfd. */
	db = (struct axhvc_doorbell){ .eventfd = -1, .flags = AXHVC_DOORBELL_F_INTID,
				      .intid = 41 };
	EXPECT_EQ(0, ioctl(self->vmfd, AXHVC_VM_SET_DOORBELL, &db));
	db.intid = 31;
	EXPECT_EQ(-1, ioctl(self->vmfd, AXHVC_VM_SET_DOORBELL, &db));
	EXPECT_EQ(EINVAL, errno);
	db.intid = 41;
	db.eventfd = 0;
	EXPECT_EQ(-1, ioctl(self->vmfd, AXHVC_VM_SET_DOORBELL, &db));
	EXPECT_EQ(EINVAL, errno);
	db = (struct axhvc_doorbell){ .eventfd = -1, .intid = 41 };
	EXPECT_EQ(-1, ioctl(self->vmfd, AXHVC_VM_SET_DOORBELL, &db));
	EXPECT_EQ(EINVAL, errno);
	db = (struct axhvc_doorbell){ .eventfd = -1, .flags = 2 };
	EXPECT_EQ(-1, ioctl(self->vmfd, AXHVC_VM_SET_DOORBELL, &db));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(vm, unknown_ioctl_is_enotty)
{
	struct axhvc_api_version v = { 0 };

	/* The device's commands are not the VM's. */
	EXPECT_EQ(-1, ioctl(self->vmfd, AXHVC_GET_API_VERSION, &v));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->vmfd, _IOW(AXHVC_IOCTL_MAGIC, 0x7f, __u64), &v));
	EXPECT_EQ(ENOTTY, errno);
}

/* A VM fd passed to another process is of no use there. */
TEST_F(vm, other_process_is_eperm)
{
	pid_t pid = fork();
	int status;

	ASSERT_LE(0, pid);
	if (!pid) {
		struct axhvc_hypercall hc = { .x = { AXHVC_HC_HYPERVISOR_DEBUG } };

		_exit(ioctl(self->vmfd, AXHVC_VM_HYPERCALL, &hc) == -1 &&
		      errno == EPERM ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

TEST_HARNESS_MAIN
