// SPDX-License-Identifier: GPL-2.0
/*
 * Tenants of a shared host: /dev/axhvc at root:kvm 0660, each VMM a user of
 * group kvm who may be hostile. What only the administrator hands out (VM
 * ids bound to credentials, host interrupt lines) must not be taken by a
 * tenant, and a number a tenant can claim next must not be trusted.
 *
 * As root the tests act as the administrator and start tenants of their own
 * (children with other uids in group kvm); run as a tenant, they check what
 * a tenant alone can check and skip the rest, saying so. None of them needs
 * a guest: the VMs use the forwarded route, whose hypercalls the VMM issues
 * with AXHVC_VM_HYPERCALL.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <libaxhvc.h>

#include "kselftest_harness.h"

#define AXHVC_DEV	"/dev/axhvc"
#define TESTHW		"/sys/kernel/debug/axhvc_testhw/"
/* The test host's tenants (tools/testing/host/init.sh). */
#define KVM_GID		36
#define TENANT_UID	1000
#define OTHER_UID	2000

#define RAM_GPA		0x40000000ULL
#define RAM_SIZE	0x10000ULL
#define IVC_BASE	0xD0000000ULL
#define IVC_SIZE	0x100000ULL
/* Where the guest's hypercall results go, inside RAM. */
#define OUT_BASE	(RAM_GPA + 0x100)
#define OUT_SIZE	(RAM_GPA + 0x108)

/* Spare SPIs of QEMU's virt machine, none of them used by guest_irq_test. */
#define SPI_GRANTED	204
#define SPI_LEVEL	203
#define SPI_DRIVER	205
#define SPI_LINUX	206
#define ROUTE_INTID	41

static bool is_root(void)
{
	return geteuid() == 0;
}

/* A VM on the forwarded route with one RAM region (the VMM's own memory). */
struct tvm {
	int fd;
	__u64 *ram;
};

static int tvm_create(int axfd, __u64 id, struct tvm *v)
{
	/* No KVM VM: the test hands over the guest's calls itself. */
	struct libaxhvc_vm_opts opts = {
		.vm_id = id, .kvm_vm_fd = -1, .skip_filter = true,
		.ivc_base = IVC_BASE, .ivc_size = IVC_SIZE,
	};

	v->fd = -1;
	v->ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (v->ram == MAP_FAILED)
		return -errno;
	v->fd = libaxhvc_vm_create(axfd, &opts);
	if (v->fd < 0)
		return v->fd;
	return libaxhvc_vm_add_ram(v->fd, RAM_GPA, RAM_SIZE, v->ram);
}

static void tvm_destroy(struct tvm *v)
{
	if (v->fd >= 0)
		close(v->fd);
	if (v->ram != MAP_FAILED)
		munmap(v->ram, RAM_SIZE);
}

/* One hypercall of the VM's guest, as its VMM hands it over: x0 result. */
static __s64 tvm_call(struct tvm *v, __u64 x0, __u64 x1, __u64 x2, __u64 x3,
		      __u64 x4)
{
	struct axhvc_hypercall hc = { .size = sizeof(hc), .x = { x0, x1, x2, x3, x4 } };

	if (ioctl(v->fd, AXHVC_VM_HYPERCALL, &hc))
		return -1000 - errno;
	return (__s64)hc.ret;
}

static __s64 tvm_publish(struct tvm *v, __u64 key)
{
	v->ram[(OUT_SIZE - RAM_GPA) / 8] = 4096;
	return tvm_call(v, AXHVC_HC_IVC_PUBLISH, key, OUT_BASE, OUT_SIZE, 0);
}

static __s64 tvm_subscribe(struct tvm *v, __u64 pub, __u64 key)
{
	return tvm_call(v, AXHVC_HC_IVC_SUBSCRIBE, pub, key, OUT_BASE, OUT_SIZE);
}

static int set_allowlist(struct tvm *v, const __u64 *ids, __u32 nr)
{
	struct axhvc_allowlist al = {
		.size = sizeof(al),
		.ids = (__u64)(unsigned long)ids, .nr_ids = nr,
		.flags = AXHVC_ALLOW_F_ENABLE,
	};

	return ioctl(v->fd, AXHVC_VM_SET_ALLOWLIST, &al) ? -errno : 0;
}

static int grant(int axfd, __u32 kind, __u32 flags, __u64 first, __u64 last,
		 __u32 uid, __u32 gid)
{
	struct axhvc_grant g = {
		.size = sizeof(g),
		.kind = kind, .flags = flags, .first = first, .last = last,
		.uid = uid, .gid = gid,
	};

	return ioctl(axfd, AXHVC_SET_GRANT, &g) ? -errno : 0;
}

static int grant_revoke(int axfd, __u32 kind, __u64 first, __u64 last)
{
	return grant(axfd, kind, AXHVC_GRANT_F_REVOKE, first, last,
		     AXHVC_GRANT_NOBODY, AXHVC_GRANT_NOBODY);
}

/*
 * The device as the udev rule sets it on a shared host (udev/60-axhvc.rules):
 * root:kvm 0660. init.sh does this already; as root, make sure.
 */
static void share_device(void)
{
	if (is_root()) {
		chown(AXHVC_DEV, 0, KVM_GID);
		chmod(AXHVC_DEV, 0660);
	}
}

/* In a child: become tenant @uid of group kvm. 0 or -errno. */
static int become(uid_t uid)
{
	gid_t kvm = KVM_GID;

	if (setgroups(1, &kvm) || setgid(KVM_GID) || setuid(uid))
		return -errno;
	return 0;
}

/*
 * Run @fn(@arg) in a child that is tenant @uid with its own /dev/axhvc fd;
 * returns what it returned (a small value: 0 or an errno), or -1.
 */
static int as_tenant(uid_t uid, int (*fn)(int axfd, long arg), long arg)
{
	int status, axfd, ret;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid) {
		ret = become(uid);
		if (ret)
			_exit(200);
		axfd = open(AXHVC_DEV, O_RDWR | O_CLOEXEC);
		if (axfd < 0)
			_exit(201);
		_exit(fn(axfd, arg));
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static int open_dev(struct __test_metadata *_metadata)
{
	return open(AXHVC_DEV, O_RDWR | O_CLOEXEC);
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, s, strlen(s)) != (ssize_t)strlen(s))
		ret = -errno;
	close(fd);
	return ret;
}

static int host_spi(unsigned int spi, int on)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%u %d", spi, on);
	return write_str(TESTHW "spi_pending", buf);
}

static int proc_interrupts_irq(const char *what)
{
	FILE *f = fopen("/proc/interrupts", "r");
	char line[512];
	int irq = -1;

	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, what) && sscanf(line, " %d:", &irq) == 1)
			break;
	if (f)
		fclose(f);
	return irq;
}

/* Kernel log lines that are warnings or worse so far; -1 when unreadable. */
static int kernel_warnings(void)
{
	int len = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0), n = 0;
	char *buf, *p;

	if (len <= 0)
		return -1;
	buf = malloc(len + 1);
	if (!buf)
		return -1;
	len = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, len);
	if (len < 0) {
		free(buf);
		return -1;
	}
	buf[len] = '\0';
	for (p = buf; (p = strstr(p, "WARNING:")); p++)
		n++;
	free(buf);
	return n;
}

/* A VM with an edge route on ROUTE_INTID to a plain eventfd (no guest). */
struct fwd_vm {
	struct tvm v;
	int efd;
};

static int fwd_vm_create(int axfd, __u64 id, struct fwd_vm *f)
{
	struct axhvc_irq_route route = { .size = sizeof(route), .intid = ROUTE_INTID };
	int ret = tvm_create(axfd, id, &f->v);

	f->efd = -1;
	if (ret)
		return ret;
	f->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (f->efd < 0)
		return -errno;
	route.eventfd = f->efd;
	return ioctl(f->v.fd, AXHVC_VM_SET_IRQ_ROUTE, &route) ? -errno : 0;
}

static void fwd_vm_destroy(struct fwd_vm *f)
{
	tvm_destroy(&f->v);
	if (f->efd >= 0)
		close(f->efd);
}

static int forward(struct fwd_vm *f, __u32 host_irq, __u32 flags, int resamplefd)
{
	struct axhvc_irq_forward fw = {
		.size = sizeof(fw),
		.host_irq = host_irq, .flags = flags, .intid = ROUTE_INTID,
		.resamplefd = resamplefd,
	};

	return ioctl(f->v.fd, AXHVC_VM_FORWARD_IRQ, &fw) ? -errno : 0;
}

static int unforward(struct fwd_vm *f, __u32 host_irq, __u32 flags)
{
	struct axhvc_irq_forward fw = { .size = sizeof(fw), .host_irq = host_irq, .flags = flags };

	return ioctl(f->v.fd, AXHVC_VM_UNFORWARD_IRQ, &fw) ? -errno : 0;
}

/* AXHVC_SET_GRANT: the administrator's alone, and every rule of its request. */
TEST(grant_rules)
{
	int axfd = open_dev(_metadata);
	const __u32 ids = AXHVC_GRANT_VM_IDS, spis = AXHVC_GRANT_GIC_SPIS;
	struct axhvc_grant g = { .size = sizeof(g), .kind = ids, .first = 1, .last = 1,
				 .uid = 1, .__reserved = 1 };

	ASSERT_LE(0, axfd) TH_LOG("cannot open " AXHVC_DEV ": %s", strerror(errno));
	if (!is_root()) {
		/* A tenant can neither give nor take away. */
		EXPECT_EQ(-EPERM, grant(axfd, ids, 0, 500, 500, getuid(), AXHVC_GRANT_NOBODY));
		EXPECT_EQ(-EPERM, grant_revoke(axfd, ids, 500, 500));
		close(axfd);
		return;
	}
	EXPECT_EQ(-EINVAL, ioctl(axfd, AXHVC_SET_GRANT, &g) ? -errno : 0);
	EXPECT_EQ(-EINVAL, grant(axfd, 0, 0, 1, 1, 1, 1)) TH_LOG("no such kind");
	EXPECT_EQ(-EINVAL, grant(axfd, ids, 1U << 7, 1, 1, 1, 1)) TH_LOG("no such flag");
	EXPECT_EQ(-EINVAL, grant(axfd, ids, 0, 5, 4, 1, 1)) TH_LOG("last < first");
	EXPECT_EQ(-EINVAL, grant(axfd, ids, AXHVC_GRANT_F_LEVEL, 1, 1, 1, 1));
	EXPECT_EQ(-EINVAL, grant(axfd, spis, 0, 980, 988, 1, 1)) TH_LOG("INTID 1020");
	EXPECT_EQ(-EINVAL, grant(axfd, ids, 0, 1, 1, AXHVC_GRANT_NOBODY,
				 AXHVC_GRANT_NOBODY)) TH_LOG("for nobody");
	EXPECT_EQ(0, grant(axfd, ids, 0, 500, 509, TENANT_UID, AXHVC_GRANT_NOBODY));
	EXPECT_EQ(-EEXIST, grant(axfd, ids, 0, 509, 520, OTHER_UID, AXHVC_GRANT_NOBODY));
	/* Kinds do not overlap each other. */
	EXPECT_EQ(0, grant(axfd, spis, 0, 500, 509, TENANT_UID, AXHVC_GRANT_NOBODY));
	EXPECT_EQ(-ENOENT, grant_revoke(axfd, ids, 500, 508)) TH_LOG("only an exact range");
	EXPECT_EQ(0, grant_revoke(axfd, ids, 500, 509));
	EXPECT_EQ(0, grant_revoke(axfd, spis, 500, 509));
	EXPECT_EQ(-ENOENT, grant_revoke(axfd, ids, 500, 509));
	close(axfd);
}

static int try_create(int axfd, long id)
{
	struct tvm v;
	int ret = tvm_create(axfd, id, &v);

	tvm_destroy(&v);
	return -ret;
}

/* Subscribe VM @id (a tenant's) to channel (10, 1); the guest's errno. */
static int try_subscribe(int axfd, long id)
{
	struct tvm v;
	__s64 ret = tvm_create(axfd, id, &v);

	if (!ret)
		ret = tvm_subscribe(&v, 10, 1);
	tvm_destroy(&v);
	return ret < 0 ? (ret <= -1000 ? 150 : (int)-ret) : 0;
}

/*
 * A granted id is its grantee's: another tenant can neither take it while
 * its owner is down nor squat it beforehand, so an allowlist naming it
 * names that tenant.
 */
TEST(vm_id_grant)
{
	int axfd = open_dev(_metadata);
	const __u64 allowed = 11;
	struct tvm a;

	ASSERT_LE(0, axfd);
	if (!is_root()) {
		close(axfd);
		SKIP(return, "granting ids and starting other tenants needs root");
	}
	share_device();
	ASSERT_EQ(0, grant(axfd, AXHVC_GRANT_VM_IDS, 0, 11, 11, TENANT_UID,
			   AXHVC_GRANT_NOBODY));
	ASSERT_EQ(0, tvm_create(axfd, 10, &a));
	ASSERT_EQ(0, tvm_publish(&a, 1));
	ASSERT_EQ(0, set_allowlist(&a, &allowed, 1));

	EXPECT_EQ(EACCES, as_tenant(OTHER_UID, try_create, 11))
		TH_LOG("another tenant took a granted id");
	EXPECT_EQ(EACCES, as_tenant(OTHER_UID, try_subscribe, 11));
	EXPECT_EQ(0, as_tenant(TENANT_UID, try_create, 11));
	EXPECT_EQ(0, as_tenant(TENANT_UID, try_subscribe, 11))
		TH_LOG("the grantee's VM 11 is the one the allowlist names");
	/* Ids nobody was granted stay free for all. */
	EXPECT_EQ(0, as_tenant(OTHER_UID, try_create, 12));

	tvm_destroy(&a);
	EXPECT_EQ(0, grant_revoke(axfd, AXHVC_GRANT_VM_IDS, 11, 11));
	close(axfd);
}

/*
 * Without a grant, an allowlist entry trusts the id only for the
 * publisher's own user: whoever else claims the number gets EACCES.
 */
TEST(allowlist_names_a_tenant)
{
	int axfd = open_dev(_metadata);
	const __u64 allowed = 12;
	struct tvm a, b;

	ASSERT_LE(0, axfd);
	if (!is_root()) {
		close(axfd);
		SKIP(return, "starting another tenant needs root");
	}
	share_device();
	ASSERT_EQ(0, tvm_create(axfd, 10, &a));
	ASSERT_EQ(0, tvm_publish(&a, 1));
	ASSERT_EQ(0, set_allowlist(&a, &allowed, 1));

	EXPECT_EQ(EACCES, as_tenant(OTHER_UID, try_subscribe, 12))
		TH_LOG("a stranger's VM 12 got into a channel allowlisted for id 12");
	/* The publisher's own VM 12 is welcome. */
	ASSERT_EQ(0, tvm_create(axfd, 12, &b));
	EXPECT_EQ(0, tvm_subscribe(&b, 10, 1));
	tvm_destroy(&b);
	tvm_destroy(&a);
	close(axfd);
}

/* A VM created with the id of one just closed finds nothing of it. */
TEST(recreated_id_finds_nothing)
{
	struct axhvc_channel_list cl = {
		.size = sizeof(cl), .info_size = sizeof(struct axhvc_channel_info),
		.nr_channels = 0,
	};
	int axfd = open_dev(_metadata);
	struct tvm v;
	int i;

	ASSERT_LE(0, axfd);
	for (i = 0; i < 20; i++) {
		ASSERT_EQ(0, tvm_create(axfd, 20, &v));
		ASSERT_EQ(0, tvm_publish(&v, 1));
		ASSERT_EQ(0, tvm_subscribe(&v, 20, 1));
		tvm_destroy(&v);
		/* The old VM is gone once close() returns: the id is free. */
		ASSERT_EQ(0, tvm_create(axfd, 20, &v));
		EXPECT_EQ(-ENOENT, tvm_call(&v, AXHVC_HC_IVC_UNPUBLISH, 1, 0, 0, 0));
		EXPECT_EQ(-ENOENT, tvm_call(&v, AXHVC_HC_IVC_UNSUBSCRIBE, 20, 1, 0, 0));
		EXPECT_EQ(-ENOENT, tvm_subscribe(&v, 20, 1));
		EXPECT_EQ(0, ioctl(v.fd, AXHVC_VM_LIST_CHANNELS, &cl));
		EXPECT_EQ(0, cl.nr_channels);
		tvm_destroy(&v);
	}
	close(axfd);
}

/*
 * A per-CPU interrupt (the arch timer's PPI) is every CPU's own: refused
 * with EINVAL before anything touches it, without a kernel warning.
 */
TEST(forward_per_cpu_refused)
{
	int timer = proc_interrupts_irq("arch_timer");
	int axfd = open_dev(_metadata), warnings;
	struct fwd_vm f;

	ASSERT_LE(0, axfd);
	ASSERT_LT(0, timer) TH_LOG("no arch_timer in /proc/interrupts");
	ASSERT_EQ(0, fwd_vm_create(axfd, 30, &f));
	warnings = kernel_warnings();
	EXPECT_EQ(-EINVAL, forward(&f, timer, 0, -1));
	if (warnings < 0)
		TH_LOG("kernel log unreadable here: dmesg not checked");
	else
		EXPECT_EQ(warnings, kernel_warnings());
	EXPECT_EQ(-1, proc_interrupts_irq("axhvc-forward"));
	fwd_vm_destroy(&f);
	close(axfd);
}

/* A tenant forwards SPI @arg, then waits for one interrupt on its route. */
static int tenant_forward_and_wait(int axfd, long arg)
{
	struct pollfd p;
	struct fwd_vm f;
	__u64 n = 0;
	int ret;

	ret = fwd_vm_create(axfd, 40, &f);
	if (!ret)
		ret = forward(&f, arg, AXHVC_FWD_F_GIC_SPI, -1);
	if (ret) {
		fwd_vm_destroy(&f);
		return -ret;
	}
	/* Tell the parent, through stdout's pipe, that the line is ours. */
	if (write(STDOUT_FILENO, "F", 1) != 1)
		ret = 150;
	p = (struct pollfd){ .fd = f.efd, .events = POLLIN };
	if (!ret && (poll(&p, 1, 10000) != 1 || read(f.efd, &n, 8) != 8 || n != 1))
		ret = 151;
	fwd_vm_destroy(&f);
	return ret;
}

static int tenant_forward(int axfd, long arg)
{
	struct fwd_vm f;
	int ret = fwd_vm_create(axfd, 41, &f);

	if (!ret)
		ret = forward(&f, arg & 0xffff, arg >> 16, -1);
	fwd_vm_destroy(&f);
	return -ret;
}

/*
 * Host lines are the administrator's to hand out: a tenant cannot forward
 * a line nobody granted it (nor a driver's, by its Linux IRQ number), can
 * forward one granted to its group and gets its interrupts, and cannot
 * take a granted level line as an edge one.
 */
TEST(forward_needs_grant)
{
	int uart = proc_interrupts_irq("uart-pl011");
	int axfd = open_dev(_metadata), pipefd[2], status;
	struct fwd_vm f;
	char c;
	pid_t pid;

	ASSERT_LE(0, axfd);
	if (!is_root()) {
		/* Nothing is granted to a tenant by default. */
		ASSERT_EQ(0, fwd_vm_create(axfd, 42, &f));
		EXPECT_EQ(-EACCES, forward(&f, SPI_GRANTED, AXHVC_FWD_F_GIC_SPI, -1));
		if (uart > 0)
			EXPECT_EQ(-EACCES, forward(&f, uart, 0, -1));
		EXPECT_EQ(-1, proc_interrupts_irq("axhvc-forward"));
		fwd_vm_destroy(&f);
		close(axfd);
		return;
	}
	share_device();
	EXPECT_EQ(EACCES, as_tenant(TENANT_UID, tenant_forward, SPI_GRANTED |
				    (AXHVC_FWD_F_GIC_SPI << 16)));
	EXPECT_LT(0, uart);
	EXPECT_EQ(EACCES, as_tenant(TENANT_UID, tenant_forward, uart));
	EXPECT_EQ(-1, proc_interrupts_irq("axhvc-forward"));

	/* Granted to the group: the tenant gets the line and its interrupts. */
	ASSERT_EQ(0, grant(axfd, AXHVC_GRANT_GIC_SPIS, 0, SPI_GRANTED, SPI_GRANTED,
			   AXHVC_GRANT_NOBODY, KVM_GID));
	ASSERT_EQ(0, pipe(pipefd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		close(pipefd[0]);
		dup2(pipefd[1], STDOUT_FILENO);
		_exit(become(TENANT_UID) ? 200 :
		      tenant_forward_and_wait(open(AXHVC_DEV, O_RDWR), SPI_GRANTED));
	}
	close(pipefd[1]);
	if (read(pipefd[0], &c, 1) == 1)
		EXPECT_EQ(0, host_spi(SPI_GRANTED, 1));
	close(pipefd[0]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("the tenant's forward: %d",
						 WEXITSTATUS(status));

	/* A level line taken as edge would storm: refused. */
	ASSERT_EQ(0, grant(axfd, AXHVC_GRANT_GIC_SPIS, AXHVC_GRANT_F_LEVEL, SPI_LEVEL,
			   SPI_LEVEL, TENANT_UID, AXHVC_GRANT_NOBODY));
	EXPECT_EQ(EINVAL, as_tenant(TENANT_UID, tenant_forward, SPI_LEVEL |
				    (AXHVC_FWD_F_GIC_SPI << 16)));
	/* Another uid outside the group grant gets nothing either. */
	EXPECT_EQ(EACCES, as_tenant(OTHER_UID, tenant_forward, SPI_LEVEL |
				    (AXHVC_FWD_F_GIC_SPI << 16)));
	EXPECT_EQ(0, grant_revoke(axfd, AXHVC_GRANT_GIC_SPIS, SPI_LEVEL, SPI_LEVEL));
	EXPECT_EQ(0, grant_revoke(axfd, AXHVC_GRANT_GIC_SPIS, SPI_GRANTED, SPI_GRANTED));
	EXPECT_EQ(-1, proc_interrupts_irq("axhvc-forward"));
	close(axfd);
}

/*
 * The administrator too: a line whose trigger is known (here: mapped as
 * level by an earlier forward) cannot be forwarded with the other one.
 */
TEST(forward_trigger_must_match)
{
	int axfd = open_dev(_metadata);
	struct fwd_vm f;
	int rfd;

	ASSERT_LE(0, axfd);
	if (!is_root()) {
		close(axfd);
		SKIP(return, "needs a line the administrator may take");
	}
	ASSERT_EQ(0, fwd_vm_create(axfd, 43, &f));
	rfd = eventfd(0, EFD_CLOEXEC);
	ASSERT_LE(0, rfd);
	ASSERT_EQ(0, forward(&f, SPI_LEVEL, AXHVC_FWD_F_GIC_SPI | AXHVC_FWD_F_LEVEL, rfd));
	ASSERT_EQ(0, unforward(&f, SPI_LEVEL, AXHVC_FWD_F_GIC_SPI));
	EXPECT_EQ(-EINVAL, forward(&f, SPI_LEVEL, AXHVC_FWD_F_GIC_SPI, -1))
		TH_LOG("a level line was taken as edge");
	EXPECT_EQ(-1, proc_interrupts_irq("axhvc-forward"));
	close(rfd);
	fwd_vm_destroy(&f);
	close(axfd);
}

static int testhw_driver_fired(void)
{
	FILE *f = fopen(TESTHW "driver", "r");
	unsigned int irq;
	int req, fired = -1;

	if (f && fscanf(f, "irq %u requested %d fired %d", &irq, &req, &fired) != 3)
		fired = -1;
	if (f)
		fclose(f);
	return fired;
}

/*
 * A mapping axhvc created for a forward stays when the forward ends: a
 * driver that looked the line up meanwhile still has a valid IRQ.
 */
TEST(unforward_keeps_mapping)
{
	int axfd = open_dev(_metadata), i, fired = -1;
	char buf[32];
	struct fwd_vm f;

	ASSERT_LE(0, axfd);
	if (!is_root() || access(TESTHW "driver", W_OK)) {
		close(axfd);
		SKIP(return, "needs root and axhvc_testhw.ko");
	}
	ASSERT_EQ(0, fwd_vm_create(axfd, 44, &f));
	ASSERT_EQ(0, forward(&f, SPI_DRIVER, AXHVC_FWD_F_GIC_SPI, -1));
	snprintf(buf, sizeof(buf), "lookup %d", SPI_DRIVER);
	ASSERT_EQ(0, write_str(TESTHW "driver", buf));
	ASSERT_EQ(0, unforward(&f, SPI_DRIVER, AXHVC_FWD_F_GIC_SPI));
	EXPECT_EQ(0, write_str(TESTHW "driver", "request"))
		TH_LOG("the driver's IRQ was disposed of under it");
	if (!write_str(TESTHW "driver", "free") && !write_str(TESTHW "driver", "request")) {
		EXPECT_EQ(0, host_spi(SPI_DRIVER, 1));
		for (i = 0; i < 100 && fired < 1; i++) {
			fired = testhw_driver_fired();
			usleep(10000);
		}
		EXPECT_EQ(1, fired);
	}
	write_str(TESTHW "driver", "free");
	fwd_vm_destroy(&f);
	close(axfd);
}

/*
 * UNFORWARD names a line as FORWARD did: SPI 0xffffffff is no SPI and
 * does not match a forward named by Linux IRQ number.
 */
TEST(unforward_matches_like_with_like)
{
	struct axhvc_irq_state st = {
		.size = sizeof(st), .intid = ROUTE_INTID, .__reserved = 0xdead,
	};
	int axfd = open_dev(_metadata);
	struct fwd_vm f;

	ASSERT_LE(0, axfd);
	if (!is_root()) {
		close(axfd);
		SKIP(return, "needs a line the administrator may take");
	}
	ASSERT_EQ(0, fwd_vm_create(axfd, 45, &f));
	/* Map the SPI, learn its Linux IRQ, and forward it by that number. */
	ASSERT_EQ(0, forward(&f, SPI_LINUX, AXHVC_FWD_F_GIC_SPI, -1));
	EXPECT_EQ(-1, ioctl(f.v.fd, AXHVC_VM_GET_IRQ_STATE, &st));
	EXPECT_EQ(EINVAL, errno) TH_LOG("GET_IRQ_STATE took a non-zero __reserved");
	st.__reserved = 0;
	ASSERT_EQ(0, ioctl(f.v.fd, AXHVC_VM_GET_IRQ_STATE, &st));
	EXPECT_EQ(0, st.__reserved);
	ASSERT_EQ(0, unforward(&f, SPI_LINUX, AXHVC_FWD_F_GIC_SPI));
	ASSERT_EQ(0, forward(&f, st.host_irq, 0, -1));
	EXPECT_EQ(-ENOENT, unforward(&f, 0xffffffff, AXHVC_FWD_F_GIC_SPI));
	EXPECT_EQ(-ENOENT, unforward(&f, SPI_LINUX, AXHVC_FWD_F_GIC_SPI));
	EXPECT_EQ(0, unforward(&f, st.host_irq, 0));
	fwd_vm_destroy(&f);
	close(axfd);
}

/* The administrator's tool sets and takes grants; a tenant's call is refused. */
TEST(axhvcctl_grants)
{
	if (system("command -v axhvcctl >/dev/null"))
		SKIP(return, "axhvcctl is not installed");
	if (!is_root()) {
		EXPECT_EQ(4, WEXITSTATUS(system("axhvcctl grant ids 600 --gid kvm 2>/dev/null")));
		return;
	}
	EXPECT_EQ(0, WEXITSTATUS(system("axhvcctl grant ids 600-609 --gid kvm")));
	EXPECT_EQ(0, WEXITSTATUS(system("axhvcctl grant spis 210 --uid tenant --level")));
	EXPECT_EQ(1, WEXITSTATUS(system("axhvcctl grant ids 605 --uid 0 2>/dev/null")))
		TH_LOG("an overlapping grant was taken");
	EXPECT_EQ(2, WEXITSTATUS(system("axhvcctl grant ids 1 --gid nosuchgroup 2>/dev/null")));
	EXPECT_EQ(0, WEXITSTATUS(system("axhvcctl revoke ids 600-609")));
	EXPECT_EQ(0, WEXITSTATUS(system("axhvcctl revoke spis 210")));
	EXPECT_EQ(1, WEXITSTATUS(system("axhvcctl revoke spis 210 2>/dev/null")));
}

TEST_HARNESS_MAIN
