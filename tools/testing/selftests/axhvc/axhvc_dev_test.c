// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/axhvc: open and close, the API version ioctl and one negative test
 * per UAPI rule (unknown command, bad pointer, non-zero reserved fields,
 * root-only access); the size rules of growing structures and records
 * (older and smaller, newer and bigger, a non-zero tail), and the masks and
 * limits the query reports against what the ioctls accept; the host GIC
 * query against the device tree.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
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

/* Every feature, flag, kind and event type this header names. */
#define KNOWN_FEATURES	(AXHVC_FEATURE_VM | AXHVC_FEATURE_INTERCEPT | \
			 AXHVC_FEATURE_IVC_WINDOW | AXHVC_FEATURE_HOST_GIC | \
			 AXHVC_FEATURE_HOST_VIEW | AXHVC_FEATURE_GRANTS)
#define KNOWN_VM_FLAGS	(AXHVC_VM_F_ERR_AXVISOR | AXHVC_VM_F_LIFECYCLE_TO_VMM | \
			 AXHVC_VM_F_INTERCEPT)

TEST_F(dev, version)
{
	struct axhvc_api_version v;

	memset(&v, 0, sizeof(v));
	v.size = sizeof(v);
	ASSERT_EQ(0, ioctl(self->fd, AXHVC_GET_API_VERSION, &v));
	EXPECT_EQ(AXHVC_API_VERSION, v.api_version);
	EXPECT_TRUE(v.features & AXHVC_FEATURE_VM);
	EXPECT_EQ(0, v.flags);
	EXPECT_EQ(sizeof(v), v.size) TH_LOG("the caller's size is left as it was");
	/* This module is the one this header describes: the same names. */
	EXPECT_EQ(0, v.features & ~KNOWN_FEATURES);
	EXPECT_EQ(KNOWN_VM_FLAGS, v.vm_flags);
	EXPECT_EQ(AXHVC_DOORBELL_F_INTID, v.doorbell_flags);
	EXPECT_EQ(AXHVC_ALLOW_F_ENABLE, v.allow_flags);
	EXPECT_EQ(AXHVC_FWD_F_GIC_SPI | AXHVC_FWD_F_LEVEL, v.fwd_flags);
	EXPECT_EQ(AXHVC_GRANT_F_REVOKE | AXHVC_GRANT_F_LEVEL, v.grant_flags);
	EXPECT_EQ(1U << AXHVC_GRANT_VM_IDS | 1U << AXHVC_GRANT_GIC_SPIS,
		  v.grant_kinds);
	EXPECT_EQ(1U << AXHVC_EVENT_SUBSCRIBED | 1U << AXHVC_EVENT_UNSUBSCRIBED |
		  1U << AXHVC_EVENT_PUBLISHER_LEFT | 1U << AXHVC_EVENT_OVERFLOW,
		  v.event_types);
	EXPECT_LT(0, v.max_mem_regions);
	EXPECT_LT(0, v.max_allowlist);
	EXPECT_LT(0, v.max_grants);
	EXPECT_LT(0, v.event_queue_len);
	EXPECT_LT(0, v.max_channels_per_vm);
	EXPECT_LT(0, v.max_bytes_per_vm);
	EXPECT_LT(0, v.max_channel_size);
	TH_LOG("axhvc API %u, features %#llx", v.api_version,
	       (unsigned long long)v.features);
	TH_LOG("%u regions, %u allowlist ids, %u grants, %u events",
	       v.max_mem_regions, v.max_allowlist, v.max_grants, v.event_queue_len);
	TH_LOG("per VM %u channels, %llu bytes; channels up to %llu bytes",
	       v.max_channels_per_vm, (unsigned long long)v.max_bytes_per_vm,
	       (unsigned long long)v.max_channel_size);
}

/* An older, smaller query: the first 24 bytes, and not a byte more. */
TEST_F(dev, version_ver0_size)
{
	struct axhvc_api_version v;

	memset(&v, 0xa5, sizeof(v));
	v.size = AXHVC_API_VERSION_SIZE_VER0;
	v.flags = 0;
	v.__reserved = 0;
	ASSERT_EQ(0, ioctl(self->fd, AXHVC_GET_API_VERSION, &v));
	EXPECT_EQ(AXHVC_API_VERSION, v.api_version);
	EXPECT_TRUE(v.features & AXHVC_FEATURE_VM);
	EXPECT_EQ(AXHVC_API_VERSION_SIZE_VER0, v.size);
	EXPECT_EQ(0xa5a5a5a5, v.vm_flags) TH_LOG("written past the caller's size");
	EXPECT_EQ(0xa5a5a5a5a5a5a5a5ULL, v.max_channel_size);

	/* Below the first published size: refused, nothing written. */
	memset(&v, 0, sizeof(v));
	v.size = AXHVC_API_VERSION_SIZE_VER0 - 8;
	EXPECT_EQ(-1, ioctl(self->fd, AXHVC_GET_API_VERSION, &v));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, v.api_version);
	v.size = 0;
	EXPECT_EQ(-1, ioctl(self->fd, AXHVC_GET_API_VERSION, &v));
	EXPECT_EQ(EINVAL, errno);
}

/* A newer, bigger query: a zero tail is fine, a non-zero one is E2BIG. */
TEST_F(dev, version_bigger_size)
{
	struct {
		struct axhvc_api_version v;
		__u64 tail[4];
	} big;
	unsigned int i;

	memset(&big, 0, sizeof(big));
	big.v.size = sizeof(big);
	ASSERT_EQ(0, ioctl(self->fd, AXHVC_GET_API_VERSION, &big));
	EXPECT_EQ(AXHVC_API_VERSION, big.v.api_version);
	EXPECT_EQ(sizeof(big), big.v.size);
	for (i = 0; i < ARRAY_SIZE(big.tail); i++)
		EXPECT_EQ(0, big.tail[i]) TH_LOG("tail[%u] written", i);

	for (i = 0; i < ARRAY_SIZE(big.tail); i++) {
		memset(&big, 0, sizeof(big));
		big.v.size = sizeof(big);
		big.tail[i] = 1ULL << (i * 21);
		EXPECT_EQ(-1, ioctl(self->fd, AXHVC_GET_API_VERSION, &big))
			TH_LOG("tail[%u] non-zero accepted", i);
		EXPECT_EQ(E2BIG, errno);
		EXPECT_EQ(0, big.v.api_version) TH_LOG("a refused call must write nothing");
	}
	/* Bigger than a page is never a structure of this API. */
	{
		char *page = calloc(1, 8192);

		ASSERT_NE(NULL, page);
		((struct axhvc_api_version *)page)->size = 4097;
		EXPECT_EQ(-1, ioctl(self->fd, AXHVC_GET_API_VERSION, page));
		EXPECT_EQ(E2BIG, errno);
		free(page);
	}
}

TEST_F(dev, unknown_ioctl_is_enotty)
{
	struct axhvc_api_version v = { .size = sizeof(v) };

	EXPECT_EQ(-1, ioctl(self->fd, _IO(AXHVC_IOCTL_MAGIC, 0x7f), &v));
	EXPECT_EQ(ENOTTY, errno);
	/*
	 * The commands carry no size (the structure does): the right number
	 * with a size or a direction is another command, API 1's among them.
	 */
	EXPECT_EQ(-1, ioctl(self->fd, _IOWR(AXHVC_IOCTL_MAGIC, 0x00, __u32), &v));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->fd, _IOWR(AXHVC_IOCTL_MAGIC, 0x00, v), &v));
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
	ro = mmap(NULL, getpagesize(), PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	ro->size = sizeof(*ro);
	ASSERT_EQ(0, mprotect(ro, getpagesize(), PROT_READ));
	EXPECT_EQ(-1, ioctl(self->fd, AXHVC_GET_API_VERSION, ro));
	EXPECT_EQ(EFAULT, errno);
	munmap(ro, getpagesize());
}

TEST_F(dev, reserved_fields_nonzero_is_einval)
{
	struct axhvc_api_version v;

	memset(&v, 0, sizeof(v));
	v.size = sizeof(v);
	v.flags = 1;
	EXPECT_EQ(-1, ioctl(self->fd, AXHVC_GET_API_VERSION, &v));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, v.api_version) TH_LOG("a refused call must write nothing");
	v.flags = 1U << 31;
	EXPECT_EQ(-1, ioctl(self->fd, AXHVC_GET_API_VERSION, &v));
	EXPECT_EQ(EINVAL, errno);
	v.flags = 0;
	v.__reserved = 1;
	EXPECT_EQ(-1, ioctl(self->fd, AXHVC_GET_API_VERSION, &v));
	EXPECT_EQ(EINVAL, errno);
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
#define CONF(...)	{ .size = sizeof(struct axhvc_vm_config), \
			  .event_size = sizeof(struct axhvc_event), __VA_ARGS__ }
	const struct bad_config bad[] = {
		{ "unknown flag", CONF(.vm_id = 1, .flags = 1U << 31), EINVAL },
		{ "size 0", { .vm_id = 1, .event_size = 32 }, EINVAL },
		{ "size below VER0",
		  { .size = AXHVC_VM_CONFIG_SIZE_VER0 - 8, .vm_id = 1,
		    .event_size = 32 }, EINVAL },
		{ "event_size 0", { .size = sizeof(struct axhvc_vm_config), .vm_id = 1 },
		  EINVAL },
		{ "event_size below VER0",
		  { .size = sizeof(struct axhvc_vm_config), .vm_id = 1,
		    .event_size = AXHVC_EVENT_SIZE_VER0 - 1 }, EINVAL },
		{ "event_size above 4096",
		  { .size = sizeof(struct axhvc_vm_config), .vm_id = 1,
		    .event_size = 4097 }, EINVAL },
		{ "kvm_fd without intercept", CONF(.vm_id = 1, .kvm_fd = 3), EINVAL },
		{ "window base not page aligned",
		  CONF(.vm_id = 1, .ivc_base = 0x1800, .ivc_size = 0x1000), EINVAL },
		{ "window size not page aligned",
		  CONF(.vm_id = 1, .ivc_base = 0x1000, .ivc_size = 0x1800), EINVAL },
		{ "window wraps", CONF(.vm_id = 1, .ivc_base = ~0xfffULL,
				       .ivc_size = 0x2000), EINVAL },
		{ "intercept with a non-KVM fd",
		  CONF(.vm_id = 1, .flags = AXHVC_VM_F_INTERCEPT, .kvm_fd = -1), EBADF },
	};
#undef CONF
	struct axhvc_vm_config ok = {
		.size = sizeof(ok),
		.event_size = sizeof(struct axhvc_event),
		.vm_id = 7, .ivc_base = WINDOW_BASE, .ivc_size = WINDOW_SIZE,
		.flags = AXHVC_VM_F_ERR_AXVISOR | AXHVC_VM_F_LIFECYCLE_TO_VMM,
	};
	struct axhvc_vm_config self_fd = {
		.size = sizeof(self_fd),
		.event_size = sizeof(struct axhvc_event),
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
	struct axhvc_api_version v = { .size = sizeof(v) };
	struct axhvc_vm_config conf = {
		.size = sizeof(conf), .event_size = sizeof(struct axhvc_event),
		.vm_id = 8, .flags = AXHVC_VM_F_INTERCEPT,
	};
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
	struct axhvc_api_version v = { .size = sizeof(v) };
	struct axhvc_vm_config conf = {
		.size = sizeof(conf), .event_size = sizeof(struct axhvc_event),
		.vm_id = 10, .flags = AXHVC_VM_F_INTERCEPT,
	};
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

/* The device tree's or the ACPI MADT's GIC, as the test helper module reads it. */
#define TESTHW_GIC	"/sys/kernel/debug/axhvc_testhw/gic"
/* QEMU virt: the emulated test host's GIC (gic-version=3, or 2: no GICR). */
#define VIRT_GICD	0x08000000ULL
#define VIRT_GICR	0x080a0000ULL

TEST_F(dev, host_gic_matches_the_firmware)
{
	unsigned long long gicd, gicr;
	struct axhvc_api_version v = { .size = sizeof(v) };
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
	g.size = sizeof(g);
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
	EXPECT_EQ(0, g.__reserved);
	EXPECT_EQ(VIRT_GICD, g.gicd_base);
	EXPECT_EQ(version == 3 ? VIRT_GICR : 0, g.gicr_base);
}

TEST_F(dev, host_gic_rules)
{
	struct axhvc_api_version v = { .size = sizeof(v) };
	struct axhvc_host_gic g, *ro;

	memset(&g, 0, sizeof(g));
	g.size = sizeof(g);
	g.flags = 1;
	EXPECT_EQ(-1, ioctl(self->fd, AXHVC_GET_HOST_GIC, &g));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, g.version) TH_LOG("a refused call must write nothing");
	g.flags = 1U << 31;
	EXPECT_EQ(-1, ioctl(self->fd, AXHVC_GET_HOST_GIC, &g));
	EXPECT_EQ(EINVAL, errno);
	g.flags = 0;
	g.__reserved = 1;
	EXPECT_EQ(-1, ioctl(self->fd, AXHVC_GET_HOST_GIC, &g));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, g.gicd_base);
	g.__reserved = 0;
	g.size = 0;
	EXPECT_EQ(-1, ioctl(self->fd, AXHVC_GET_HOST_GIC, &g));
	EXPECT_EQ(EINVAL, errno);

	EXPECT_EQ(-1, ioctl(self->fd, AXHVC_GET_HOST_GIC, NULL));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(self->fd, AXHVC_GET_HOST_GIC, (void *)-4096L));
	EXPECT_EQ(EFAULT, errno);

	/* Readable but not writable: the answer cannot be copied out. */
	ASSERT_EQ(0, ioctl(self->fd, AXHVC_GET_API_VERSION, &v));
	ro = mmap(NULL, getpagesize(), PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	ro->size = sizeof(*ro);
	ASSERT_EQ(0, mprotect(ro, getpagesize(), PROT_READ));
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
		.size = sizeof(conf),
		.event_size = sizeof(struct axhvc_event),
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
	struct axhvc_mem_region r = {
		.size = sizeof(r), .gpa = gpa, .memory_size = size, .uaddr = uaddr,
	};

	return ioctl(vmfd, AXHVC_VM_ADD_MEM_REGION, &r) ? -errno : 0;
}

TEST_F(vm, mem_region_rules)
{
	__u64 ua = (unsigned long)self->mem;
	struct axhvc_mem_region flagged = {
		.size = sizeof(flagged),
		.gpa = 0x40000000, .memory_size = 4096, .uaddr = ua, .flags = 1,
	};
	struct axhvc_api_version v = { .size = sizeof(v) };
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
	/* Up to the reported max_mem_regions, then ENOSPC. */
	ASSERT_EQ(0, ioctl(self->fd, AXHVC_GET_API_VERSION, &v));
	ASSERT_GE(32, v.max_mem_regions) TH_LOG("the test's RAM has 32 pages");
	for (i = 1; i < v.max_mem_regions; i++)
		ASSERT_EQ(0, add_region(self->vmfd, 0x50000000 + i * 0x10000, 4096,
					ua + i * 4096));
	EXPECT_EQ(-ENOSPC, add_region(self->vmfd, 0x60000000, 4096, ua));
}

TEST_F(vm, hypercall_ioctl_rules)
{
	struct axhvc_hypercall hc = {
		.size = sizeof(hc), .x = { AXHVC_HC_HYPERVISOR_DEBUG },
	};

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
	hc.__reserved = 1;
	EXPECT_EQ(-1, ioctl(self->vmfd, AXHVC_VM_HYPERCALL, &hc));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(self->vmfd, AXHVC_VM_HYPERCALL, NULL));
	EXPECT_EQ(EFAULT, errno);
	/* No RAM registered: pointer arguments reach nothing. */
	memset(&hc, 0, sizeof(hc));
	hc.size = sizeof(hc);
	hc.x[0] = AXHVC_HC_IVC_PUBLISH;
	hc.x[2] = 0x40000000;
	hc.x[3] = 0x40000008;
	ASSERT_EQ(0, ioctl(self->vmfd, AXHVC_VM_HYPERCALL, &hc));
	EXPECT_EQ((__u64)-EFAULT, hc.ret);
}

TEST_F(vm, doorbell_rules)
{
	struct axhvc_doorbell db = {
		.size = sizeof(db), .eventfd = eventfd(0, EFD_CLOEXEC),
	};

	ASSERT_LE(0, db.eventfd);
	EXPECT_EQ(0, ioctl(self->vmfd, AXHVC_VM_SET_DOORBELL, &db));
	db.flags = 1;
	EXPECT_EQ(-1, ioctl(self->vmfd, AXHVC_VM_SET_DOORBELL, &db));
	EXPECT_EQ(EINVAL, errno);
	db.flags = 0;
	close(db.eventfd);
	db.eventfd = self->fd;
	EXPECT_EQ(-1, ioctl(self->vmfd, AXHVC_VM_SET_DOORBELL, &db));
	EXPECT_EQ(EBADF, errno);
	db.eventfd = -1;
	EXPECT_EQ(0, ioctl(self->vmfd, AXHVC_VM_SET_DOORBELL, &db));
	/* An INTID doorbell: an SPI, with the flag, without an eventfd. */
	db = (struct axhvc_doorbell){ .size = sizeof(db), .eventfd = -1,
				      .flags = AXHVC_DOORBELL_F_INTID, .intid = 41 };
	EXPECT_EQ(0, ioctl(self->vmfd, AXHVC_VM_SET_DOORBELL, &db));
	db.intid = 31;
	EXPECT_EQ(-1, ioctl(self->vmfd, AXHVC_VM_SET_DOORBELL, &db));
	EXPECT_EQ(EINVAL, errno);
	db.intid = 41;
	db.eventfd = 0;
	EXPECT_EQ(-1, ioctl(self->vmfd, AXHVC_VM_SET_DOORBELL, &db));
	EXPECT_EQ(EINVAL, errno);
	db = (struct axhvc_doorbell){ .size = sizeof(db), .eventfd = -1, .intid = 41 };
	EXPECT_EQ(-1, ioctl(self->vmfd, AXHVC_VM_SET_DOORBELL, &db));
	EXPECT_EQ(EINVAL, errno);
	db = (struct axhvc_doorbell){ .size = sizeof(db), .eventfd = -1, .flags = 2 };
	EXPECT_EQ(-1, ioctl(self->vmfd, AXHVC_VM_SET_DOORBELL, &db));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(vm, unknown_ioctl_is_enotty)
{
	struct axhvc_api_version v = { .size = sizeof(v) };

	/* The device's commands are not the VM's. */
	EXPECT_EQ(-1, ioctl(self->vmfd, AXHVC_GET_API_VERSION, &v));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->vmfd, _IO(AXHVC_IOCTL_MAGIC, 0x7f), &v));
	EXPECT_EQ(ENOTTY, errno);
	/* API 1's command for a doorbell, with its size in the number. */
	EXPECT_EQ(-1, ioctl(self->vmfd, _IOW(AXHVC_IOCTL_MAGIC, 0x12, __u64[2]), &v));
	EXPECT_EQ(ENOTTY, errno);
}

/* A VM fd passed to another process is of no use there. */
TEST_F(vm, other_process_is_eperm)
{
	pid_t pid = fork();
	int status;

	ASSERT_LE(0, pid);
	if (!pid) {
		struct axhvc_hypercall hc = {
			.size = sizeof(hc), .x = { AXHVC_HC_HYPERVISOR_DEBUG },
		};

		_exit(ioctl(self->vmfd, AXHVC_VM_HYPERCALL, &hc) == -1 &&
		      errno == EPERM ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/*
 * Two VMs of this process whose hypercalls the test serves itself
 * (AXHVC_VM_HYPERCALL, no guest): A publishes a channel and reads its
 * events with records bigger than the module's, B subscribes and reads
 * them with the first published size.
 */
FIXTURE(sized) {
	int fd;
	int a, b;
	__u64 *mem;	/* A's RAM page, then B's */
};

#define SZ_A		21
#define SZ_B		22
#define SZ_KEY		5
#define SZ_RAM		0x40000000ULL
#define EV_BIG		(sizeof(struct axhvc_event) + 16)

static int sized_vm(int fd, __u64 id, __u32 event_size, void *ram)
{
	struct axhvc_vm_config conf = {
		.size = sizeof(conf), .event_size = event_size, .vm_id = id,
		.ivc_base = WINDOW_BASE, .ivc_size = WINDOW_SIZE,
	};
	int vmfd = create_vm(fd, &conf), err;

	if (vmfd < 0)
		return vmfd;
	err = add_region(vmfd, SZ_RAM, 4096, (unsigned long)ram);
	if (err) {
		close(vmfd);
		return err;
	}
	return vmfd;
}

/* The guest's x0 after a hypercall of @vmfd's guest, served here. */
static __u64 sized_call(int vmfd, __u64 x0, __u64 x1, __u64 x2, __u64 x3,
			__u64 x4)
{
	struct axhvc_hypercall hc = {
		.size = sizeof(hc), .x = { x0, x1, x2, x3, x4 },
	};

	if (ioctl(vmfd, AXHVC_VM_HYPERCALL, &hc))
		return 0xdead;
	return hc.ret;
}

FIXTURE_SETUP(sized)
{
	self->a = -1;
	self->b = -1;
	self->mem = MAP_FAILED;
	self->fd = open(AXHVC_DEV, O_RDWR | O_CLOEXEC);
	if (self->fd < 0)
		SKIP(return, AXHVC_DEV ": %s", strerror(errno));
	self->mem = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->mem);
	self->a = sized_vm(self->fd, SZ_A, EV_BIG, self->mem);
	ASSERT_LE(0, self->a) TH_LOG("VM A: %s", strerror(-self->a));
	self->b = sized_vm(self->fd, SZ_B, AXHVC_EVENT_SIZE_VER0,
			   self->mem + 512);
	ASSERT_LE(0, self->b) TH_LOG("VM B: %s", strerror(-self->b));

	/* A publishes 4096 bytes as SZ_KEY, B subscribes. */
	self->mem[1] = 4096;
	ASSERT_EQ(0, sized_call(self->a, AXHVC_HC_IVC_PUBLISH, SZ_KEY, SZ_RAM,
				SZ_RAM + 8, 0));
	ASSERT_EQ(0, sized_call(self->b, AXHVC_HC_IVC_SUBSCRIBE, SZ_A, SZ_KEY,
				SZ_RAM, SZ_RAM + 8));
}

FIXTURE_TEARDOWN(sized)
{
	if (self->b >= 0)
		close(self->b);
	if (self->a >= 0)
		close(self->a);
	if (self->mem != MAP_FAILED)
		munmap(self->mem, 2 * 4096);
	if (self->fd >= 0)
		close(self->fd);
}

/* Every byte of @p, @len long, is @c. */
static bool all_bytes(const void *p, size_t len, unsigned char c)
{
	const unsigned char *b = p;

	while (len--)
		if (*b++ != c)
			return false;
	return true;
}

/* An argument structure of this header, followed by a tail of 16 bytes. */
struct limits_big {
	struct axhvc_vm_limits lim;
	__u64 tail[2];
};

TEST_F(sized, argument_sizes)
{
	struct limits_big big = { .lim = { .size = sizeof(big) } };
	struct axhvc_vm_limits lim = { .size = sizeof(lim) };
	struct {
		struct axhvc_irq irq;
		__u32 tail;
	} irq = { .irq = { .size = sizeof(irq), .intid = 40 } };

	/* Exactly this header's size: the usual call. */
	ASSERT_EQ(0, ioctl(self->a, AXHVC_VM_SET_LIMITS, &lim));
	EXPECT_EQ(1, lim.nr_channels);
	EXPECT_EQ(4096, lim.bytes);

	/* Bigger with a zero tail: accepted, the tail left as it was. */
	ASSERT_EQ(0, ioctl(self->a, AXHVC_VM_SET_LIMITS, &big));
	EXPECT_EQ(1, big.lim.nr_channels);
	EXPECT_EQ(lim.max_bytes, big.lim.max_bytes);
	EXPECT_EQ(sizeof(big), big.lim.size);
	EXPECT_EQ(0, big.tail[0]);
	EXPECT_EQ(0, big.tail[1]);

	/* Bigger with a non-zero tail: E2BIG, nothing written or changed. */
	big = (struct limits_big){ .lim = { .size = sizeof(big), .max_channels = 1 },
				   .tail = { 0, 1ULL << 63 } };
	EXPECT_EQ(-1, ioctl(self->a, AXHVC_VM_SET_LIMITS, &big));
	EXPECT_EQ(E2BIG, errno);
	EXPECT_EQ(0, big.lim.nr_channels);
	ASSERT_EQ(0, ioctl(self->a, AXHVC_VM_SET_LIMITS, &lim));
	EXPECT_NE(1, lim.max_channels) TH_LOG("a refused call changed the limit");

	/* An odd size (a field cut in two) is fine when the tail is zero. */
	EXPECT_EQ(-1, ioctl(self->a, AXHVC_VM_INJECT_IRQ, &irq));
	EXPECT_EQ(ENOENT, errno) TH_LOG("size %zu: %s", sizeof(irq), strerror(errno));
	irq.tail = 1;
	EXPECT_EQ(-1, ioctl(self->a, AXHVC_VM_INJECT_IRQ, &irq));
	EXPECT_EQ(E2BIG, errno);

	/* Smaller than the first published size: EINVAL. */
	lim.size = AXHVC_VM_LIMITS_SIZE_VER0 - 8;
	EXPECT_EQ(-1, ioctl(self->a, AXHVC_VM_SET_LIMITS, &lim));
	EXPECT_EQ(EINVAL, errno);
	irq.irq.size = 4;
	EXPECT_EQ(-1, ioctl(self->a, AXHVC_VM_INJECT_IRQ, &irq));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(sized, channel_records)
{
	alignas(8) unsigned char rec[2][AXHVC_CHANNEL_INFO_SIZE_VER0 + 24];
	struct axhvc_channel_info *info = (void *)rec[0];
	__u64 subs[2];
	struct axhvc_channel_list cl = {
		.size = sizeof(cl), .channels = (unsigned long)rec,
		.nr_channels = 2, .info_size = sizeof(rec[0]),
	};
	struct axhvc_channel_state st = {
		.size = sizeof(st), .publisher = SZ_A, .key = SZ_KEY,
		.info = (unsigned long)rec[1], .info_size = sizeof(rec[1]),
	};

	/* Bigger records: the module's fields, then zeros, at the stated stride. */
	memset(rec, 0xa5, sizeof(rec));
	ASSERT_EQ(0, ioctl(self->a, AXHVC_VM_LIST_CHANNELS, &cl));
	ASSERT_EQ(1, cl.nr_channels);
	EXPECT_EQ(SZ_A, info->publisher);
	EXPECT_EQ(SZ_KEY, info->key);
	EXPECT_EQ(4096, info->size);
	EXPECT_TRUE(all_bytes(rec[0] + sizeof(*info), sizeof(rec[0]) - sizeof(*info), 0))
		TH_LOG("the record's tail is not zero");
	EXPECT_TRUE(all_bytes(rec[1], sizeof(rec[1]), 0xa5))
		TH_LOG("written past the one record");

	/* No room for the subscriber: E2BIG, and the record tells how many. */
	memset(rec, 0xa5, sizeof(rec));
	EXPECT_EQ(-1, ioctl(self->b, AXHVC_VM_GET_CHANNEL, &st));
	EXPECT_EQ(E2BIG, errno);
	info = (void *)rec[1];
	EXPECT_EQ(SZ_A, info->publisher);
	EXPECT_EQ(1, info->nr_subscribers);
	EXPECT_EQ(0, info->flags & AXHVC_CHAN_F_PUBLISHER);
	EXPECT_TRUE(all_bytes(rec[1] + sizeof(*info), sizeof(rec[1]) - sizeof(*info), 0));
	EXPECT_TRUE(all_bytes(rec[0], sizeof(rec[0]), 0xa5));
	st.subscribers = (unsigned long)subs;
	st.nr_subscribers = 2;
	ASSERT_EQ(0, ioctl(self->b, AXHVC_VM_GET_CHANNEL, &st));
	EXPECT_EQ(1, st.nr_subscribers);
	EXPECT_EQ(SZ_B, subs[0]);

	/* The first published size: exactly that many bytes. */
	memset(rec, 0xa5, sizeof(rec));
	cl.info_size = AXHVC_CHANNEL_INFO_SIZE_VER0;
	cl.nr_channels = 1;
	ASSERT_EQ(0, ioctl(self->b, AXHVC_VM_LIST_CHANNELS, &cl));
	info = (void *)rec[0];
	EXPECT_EQ(SZ_KEY, info->key);
	EXPECT_TRUE(all_bytes(rec[0] + AXHVC_CHANNEL_INFO_SIZE_VER0,
			      sizeof(rec[0]) - AXHVC_CHANNEL_INFO_SIZE_VER0, 0xa5));

	/* Record sizes below the first published one or above 4096. */
	cl.info_size = AXHVC_CHANNEL_INFO_SIZE_VER0 - 8;
	EXPECT_EQ(-1, ioctl(self->b, AXHVC_VM_LIST_CHANNELS, &cl));
	EXPECT_EQ(EINVAL, errno);
	cl.info_size = 0;
	EXPECT_EQ(-1, ioctl(self->b, AXHVC_VM_LIST_CHANNELS, &cl));
	EXPECT_EQ(EINVAL, errno);
	cl.info_size = 4097;
	EXPECT_EQ(-1, ioctl(self->b, AXHVC_VM_LIST_CHANNELS, &cl));
	EXPECT_EQ(EINVAL, errno);
	st.info_size = 8;
	EXPECT_EQ(-1, ioctl(self->b, AXHVC_VM_GET_CHANNEL, &st));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(sized, event_records)
{
	alignas(8) unsigned char buf[2 * EV_BIG];
	struct axhvc_event *ev = (void *)buf;
	ssize_t n;

	/* A asked for bigger records: its own size is too small a buffer. */
	EXPECT_EQ(-1, read(self->a, buf, sizeof(struct axhvc_event)));
	EXPECT_EQ(EINVAL, errno);
	memset(buf, 0xa5, sizeof(buf));
	n = read(self->a, buf, sizeof(buf));
	ASSERT_EQ(EV_BIG, n) TH_LOG("read: %zd (%s)", n, strerror(errno));
	EXPECT_EQ(AXHVC_EVENT_SUBSCRIBED, ev->type);
	EXPECT_EQ(SZ_B, ev->peer);
	EXPECT_TRUE(all_bytes(buf + sizeof(*ev), EV_BIG - sizeof(*ev), 0));
	EXPECT_TRUE(all_bytes(buf + EV_BIG, EV_BIG, 0xa5));

	/* B reads the first published size: 32-byte records. */
	ASSERT_EQ(0, sized_call(self->a, AXHVC_HC_IVC_UNPUBLISH, SZ_KEY, 0, 0, 0));
	memset(buf, 0xa5, sizeof(buf));
	n = read(self->b, buf, sizeof(buf));
	ASSERT_EQ(AXHVC_EVENT_SIZE_VER0, n) TH_LOG("read: %zd (%s)", n, strerror(errno));
	EXPECT_EQ(AXHVC_EVENT_PUBLISHER_LEFT, ev->type);
	EXPECT_EQ(SZ_A, ev->peer);
	EXPECT_TRUE(all_bytes(buf + AXHVC_EVENT_SIZE_VER0,
			      sizeof(buf) - AXHVC_EVENT_SIZE_VER0, 0xa5));
}

/* The host view's records, bigger than the module's (root: CAP_SYS_ADMIN). */
TEST_F(sized, host_view_records)
{
	alignas(8) unsigned char vms[4][sizeof(struct axhvc_vm_info) + 8];
	alignas(8) unsigned char chans[4][sizeof(struct axhvc_host_channel) + 8];
	__u64 subs[8];
	struct axhvc_vm_list vl = {
		.size = sizeof(vl), .vms = (unsigned long)vms, .nr_vms = 4,
		.info_size = sizeof(vms[0]),
	};
	struct axhvc_host_channel_list hl = {
		.size = sizeof(hl), .channels = (unsigned long)chans,
		.subscribers = (unsigned long)subs, .nr_channels = 4,
		.nr_subscribers = 8, .channel_size = sizeof(chans[0]),
	};
	struct axhvc_host_channel *hc;
	struct axhvc_vm_info *vi;
	unsigned int i, found = 0;

	if (geteuid())
		SKIP(return, "the host view is the administrator's");
	memset(vms, 0xa5, sizeof(vms));
	ASSERT_EQ(0, ioctl(self->fd, AXHVC_LIST_VMS, &vl)) TH_LOG("%s", strerror(errno));
	ASSERT_GE(4, vl.nr_vms);
	for (i = 0; i < vl.nr_vms; i++) {
		vi = (void *)vms[i];
		found += vi->vm_id == SZ_A || vi->vm_id == SZ_B;
		EXPECT_TRUE(all_bytes(vms[i] + sizeof(*vi), 8, 0));
	}
	EXPECT_EQ(2, found);
	if (vl.nr_vms < 4)
		EXPECT_TRUE(all_bytes(vms[vl.nr_vms], sizeof(vms[0]), 0xa5));
	vl.info_size = AXHVC_VM_INFO_SIZE_VER0 - 8;
	EXPECT_EQ(-1, ioctl(self->fd, AXHVC_LIST_VMS, &vl));
	EXPECT_EQ(EINVAL, errno);

	memset(chans, 0xa5, sizeof(chans));
	ASSERT_EQ(0, ioctl(self->fd, AXHVC_LIST_ALL_CHANNELS, &hl));
	ASSERT_GE(4, hl.nr_channels);
	found = 0;
	for (i = 0; i < hl.nr_channels; i++) {
		hc = (void *)chans[i];
		found += hc->publisher == SZ_A && hc->key == SZ_KEY;
		EXPECT_TRUE(all_bytes(chans[i] + sizeof(*hc), 8, 0));
	}
	EXPECT_EQ(1, found);
	hl.channel_size = 4097;
	EXPECT_EQ(-1, ioctl(self->fd, AXHVC_LIST_ALL_CHANNELS, &hl));
	EXPECT_EQ(EINVAL, errno);
}

/* What AXHVC_GET_API_VERSION reports is what the ioctls accept. */
TEST_F(sized, query_is_what_ioctls_accept)
{
	struct axhvc_api_version v = { .size = sizeof(v) };
	struct axhvc_vm_limits lim = { .size = sizeof(lim) };
	struct axhvc_allowlist al = { .size = sizeof(al) };
	__u64 *ids;
	unsigned int bit;

	ASSERT_EQ(0, ioctl(self->fd, AXHVC_GET_API_VERSION, &v));
	for (bit = 0; bit < 32; bit++) {
		struct axhvc_vm_config conf = {
			.size = sizeof(conf), .event_size = sizeof(struct axhvc_event),
			.vm_id = 23, .flags = 1U << bit,
		};
		struct axhvc_doorbell db = {
			.size = sizeof(db), .flags = 1U << bit, .eventfd = -1,
		};
		struct axhvc_irq_forward fw = {
			.size = sizeof(fw), .flags = 1U << bit, .resamplefd = -1,
		};

		if (!(v.vm_flags & 1U << bit)) {
			EXPECT_EQ(-EINVAL, create_vm(self->fd, &conf))
				TH_LOG("VM flag bit %u", bit);
		}
		if (!(v.doorbell_flags & 1U << bit)) {
			EXPECT_EQ(-1, ioctl(self->a, AXHVC_VM_SET_DOORBELL, &db));
			EXPECT_EQ(EINVAL, errno) TH_LOG("doorbell flag bit %u", bit);
		}
		if (!(v.allow_flags & 1U << bit)) {
			al.flags = 1U << bit;
			EXPECT_EQ(-1, ioctl(self->a, AXHVC_VM_SET_ALLOWLIST, &al));
			EXPECT_EQ(EINVAL, errno) TH_LOG("allowlist flag bit %u", bit);
		}
		if (!(v.fwd_flags & 1U << bit)) {
			EXPECT_EQ(-1, ioctl(self->a, AXHVC_VM_FORWARD_IRQ, &fw));
			EXPECT_EQ(EINVAL, errno) TH_LOG("forward flag bit %u", bit);
		}
	}

	/* The module's limits, and not one more. */
	lim.max_channels = v.max_channels_per_vm;
	lim.max_bytes = v.max_bytes_per_vm;
	EXPECT_EQ(0, ioctl(self->a, AXHVC_VM_SET_LIMITS, &lim));
	EXPECT_EQ(v.max_channels_per_vm, lim.max_channels);
	EXPECT_EQ(v.max_bytes_per_vm, lim.max_bytes);
	lim = (struct axhvc_vm_limits){ .size = sizeof(lim),
					.max_channels = v.max_channels_per_vm + 1 };
	EXPECT_EQ(-1, ioctl(self->a, AXHVC_VM_SET_LIMITS, &lim));
	EXPECT_EQ(EINVAL, errno);
	lim = (struct axhvc_vm_limits){ .size = sizeof(lim),
					.max_bytes = v.max_bytes_per_vm + 4096 };
	EXPECT_EQ(-1, ioctl(self->a, AXHVC_VM_SET_LIMITS, &lim));
	EXPECT_EQ(EINVAL, errno);

	ids = calloc(v.max_allowlist + 1, sizeof(*ids));
	ASSERT_NE(NULL, ids);
	al = (struct axhvc_allowlist){ .size = sizeof(al), .flags = AXHVC_ALLOW_F_ENABLE,
				       .ids = (unsigned long)ids,
				       .nr_ids = v.max_allowlist };
	EXPECT_EQ(0, ioctl(self->a, AXHVC_VM_SET_ALLOWLIST, &al));
	al.nr_ids++;
	EXPECT_EQ(-1, ioctl(self->a, AXHVC_VM_SET_ALLOWLIST, &al));
	EXPECT_EQ(E2BIG, errno);
	free(ids);
}

/* The administrator's grants: kinds and flags as reported (root only). */
TEST_F(sized, query_grants)
{
	struct axhvc_api_version v = { .size = sizeof(v) };
	unsigned int bit;

	if (geteuid())
		SKIP(return, "grants are the administrator's");
	ASSERT_EQ(0, ioctl(self->fd, AXHVC_GET_API_VERSION, &v));
	for (bit = 0; bit < 32; bit++) {
		struct axhvc_grant g = {
			.size = sizeof(g), .kind = bit, .first = 900000,
			.last = 900000, .uid = 0, .gid = AXHVC_GRANT_NOBODY,
		};

		if (!(v.grant_kinds & 1U << bit)) {
			EXPECT_EQ(-1, ioctl(self->fd, AXHVC_SET_GRANT, &g));
			EXPECT_EQ(EINVAL, errno) TH_LOG("grant kind %u", bit);
		}
		g.kind = AXHVC_GRANT_VM_IDS;
		g.flags = 1U << bit;
		if (!(v.grant_flags & 1U << bit)) {
			EXPECT_EQ(-1, ioctl(self->fd, AXHVC_SET_GRANT, &g));
			EXPECT_EQ(EINVAL, errno) TH_LOG("grant flag bit %u", bit);
		}
	}
}

TEST_HARNESS_MAIN
