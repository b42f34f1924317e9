// SPDX-License-Identifier: GPL-2.0
/*
 * IVC against a hostile tenant (issue 15, findings 1 and 4).
 *
 * stall_*: a VMM backs its guest RAM with userfaultfd in write-protect mode
 * and never resolves the fault its guest's publish raises, so axhvc's write
 * of the result blocks for good. Another VMM, in another process, must
 * still publish, subscribe and notify and close its VMs within seconds, and
 * SIGKILL of the stalled VMM must release everything.
 *
 * publish_checks_before_allocating: with max_channel_size raised, a guest
 * whose window is two pages asks for huge channels in a small memory cgroup:
 * every call is ENOSPC and nothing is charged. Absurd parameter values are
 * refused.
 */
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "kselftest_harness.h"
#include "vmm.h"
#include "axhvc_host.h"
#include "guest_axhvc.h"
#include "hypercall_lib.h"

#define ID_STALL	31
#define ID_PUB		32
#define ID_SUB		33
#define ID_TINY		34
/* How long another tenant's work may take while one VMM is stalled. */
#define OTHERS_DEADLINE_MS	10000

/* One VM with its axhvc fd and its window mapped as a memslot. */
struct hvm {
	struct vmm_vm *vm;
	struct vmm_vcpu *vcpu;
	int vmfd;
	void *window;
	__u64 window_size;
	__u64 buf;		/* a page of guest RAM for pointer arguments */
};

static int hvm_create(struct hvm *v, int axfd, __u64 id, bool intercept,
		      __u64 window_size)
{
	memset(v, 0, sizeof(*v));
	v->vmfd = -1;
	v->vm = vmm_vm_create_with_vcpus(1, 0);
	if (!v->vm)
		return -ENOMEM;
	v->vcpu = v->vm->vcpus[0];
	v->window_size = window_size;
	v->vmfd = register_vm_mapped(axfd, v->vm, id, 0, intercept, window_size,
				     &v->window);
	if (v->vmfd < 0)
		return v->vmfd;
	v->buf = vmm_guest_alloc(v->vm, 4096);
	return v->buf ? 0 : -ENOMEM;
}

static void hvm_destroy(struct hvm *v)
{
	if (v->window)
		munmap(v->window, v->window_size);
	if (v->vmfd >= 0)
		close(v->vmfd);
	vmm_vm_destroy(v->vm);
	memset(v, 0, sizeof(*v));
	v->vmfd = -1;
}

/* Scratch u64 @n of a VM's pointer-argument page, by GPA and by address. */
#define PTR(v, n)	((v)->buf + 8 * (n))
#define VAL(v, n)	(*hvm_u64(v, n))
#define ON(v, res, ...)	({						\
	struct hvm *__v = (v);						\
	CALL_ON(__v->vcpu, __v->vmfd, res, __VA_ARGS__); })

static __u64 *hvm_u64(struct hvm *v, unsigned int n)
{
	return vmm_gpa_to_hva(v->vm, PTR(v, n));
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Wait up to @ms for child @pid: true with *@status when it ended. A child
 * stuck in the kernel (D state) is not reaped, and the caller fails.
 */
static int wait_errno;

static bool wait_deadline(pid_t pid, int *status, long ms)
{
	long end = now_ms() + ms;

	wait_errno = 0;
	do {
		pid_t r = waitpid(pid, status, WNOHANG);

		if (r == pid)
			return true;
		if (r < 0) {
			wait_errno = errno;
			return false;
		}
		usleep(10000);
	} while (now_ms() < end);
	return false;
}

/* Read one byte from @fd within @ms: the byte, or -1. */
static int read_deadline(int fd, long ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char c;

	if (poll(&p, 1, ms) != 1 || read(fd, &c, 1) != 1)
		return -1;
	return c;
}

#define NO_UFFD_UNPRIV	"kernel-fault userfaultfd is root's (vm.unprivileged_userfaultfd=0, no /dev/userfaultfd)"
#define NO_UFFD_WP	"no uffd-wp for guest RAM here (arm64 has it from Linux 6.10)"

/*
 * A userfaultfd that catches the kernel's own accesses (not
 * UFFD_USER_MODE_ONLY: axhvc writes guest memory from the kernel). Returns
 * the fd, or -errno; *@why says why write-protection cannot be had.
 */
static int uffd_wp_open(const char **why)
{
	struct uffdio_api api = {
		.api = UFFD_API,
		.features = UFFD_FEATURE_PAGEFAULT_FLAG_WP,
	};
	int fd = syscall(__NR_userfaultfd, O_CLOEXEC), dev;

	/*
	 * Without the sysctl, /dev/userfaultfd gives one to whoever may open
	 * it: a host that lets its VMMs do post-copy migration gives group
	 * kvm access to it (the test host does), and so the attack too.
	 */
	if (fd < 0 && errno == EPERM) {
		dev = open("/dev/userfaultfd", O_RDWR | O_CLOEXEC);
		if (dev >= 0) {
			fd = ioctl(dev, USERFAULTFD_IOC_NEW, O_CLOEXEC);
			close(dev);
		}
		errno = EPERM;
	}
	if (fd < 0) {
		*why = errno == EPERM ? NO_UFFD_UNPRIV : "no userfaultfd in this kernel";
		return -errno;
	}
	if (ioctl(fd, UFFDIO_API, &api)) {
		*why = "userfaultfd has no write-protect mode here";
		close(fd);
		return -EOPNOTSUPP;
	}
	return fd;
}

/*
 * Write-protect the page at @addr for @uffd: 0, or -errno (EINVAL: the
 * kernel cannot write-protect this memory, as arm64 before Linux 6.10).
 */
static int uffd_wp_page(int uffd, void *addr)
{
	struct uffdio_register reg = {
		.range = { .start = (unsigned long)addr, .len = 4096 },
		.mode = UFFDIO_REGISTER_MODE_WP,
	};
	struct uffdio_writeprotect wp = {
		.range = { .start = (unsigned long)addr, .len = 4096 },
		.mode = UFFDIO_WRITEPROTECT_MODE_WP,
	};

	if (ioctl(uffd, UFFDIO_REGISTER, &reg))
		return -errno;
	if (!(reg.ioctls & (1ULL << _UFFDIO_WRITEPROTECT)))
		return -EINVAL;
	return ioctl(uffd, UFFDIO_WRITEPROTECT, &wp) ? -errno : 0;
}

struct uffd_watch {
	int uffd;
	int report;	/* pipe: 'f' once a fault is pending */
};

/* Tell the test that the fault is pending, and never resolve it. */
static void *uffd_watcher(void *arg)
{
	struct uffd_watch *w = arg;
	struct uffd_msg msg;

	if (read(w->uffd, &msg, sizeof(msg)) == sizeof(msg) &&
	    msg.event == UFFD_EVENT_PAGEFAULT &&
	    write(w->report, "f", 1) == 1)
		pause();
	return NULL;
}

/*
 * The stalled VMM: its guest publishes with both pointers in a page the
 * VMM write-protected with userfaultfd, and nothing ever resolves the
 * fault. Writes 'r' to @up when the trap is set ('s' when it cannot be:
 * then *@skip_msg tells why), 'f' once the fault is pending.
 */
static void stalled_vmm(struct __test_metadata *_metadata, int axfd,
			bool intercept, int up)
{
	struct uffd_watch w = { .report = up };
	struct hc_result res;
	const char *why = NULL;
	pthread_t t;
	struct hvm v;
	void *page;

	if (hvm_create(&v, axfd, ID_STALL, intercept, IVC_SIZE))
		_exit(2);
	VAL(&v, 1) = 4096;		/* the size asked for; the page is populated */
	page = vmm_gpa_to_hva(v.vm, v.buf);
	w.uffd = uffd_wp_open(&why);
	if (w.uffd < 0 || uffd_wp_page(w.uffd, page)) {
		if (!why)
			why = NO_UFFD_WP;
		if (write(up, "s", 1) != 1 || write(up, why, strlen(why) + 1) < 0)
			_exit(3);
		_exit(0);
	}
	if (pthread_create(&t, NULL, uffd_watcher, &w) || write(up, "r", 1) != 1)
		_exit(4);
	/* Blocks until this process is killed. */
	ON(&v, &res, AXHVC_HC_IVC_PUBLISH, 1, PTR(&v, 0), PTR(&v, 1));
	_exit(5);
}

/*
 * Another tenant: two VMs publish, subscribe, notify, then close. Writes
 * 'h' to @up when the hypercalls are done and 'c' when the VMs are closed;
 * exits non-zero on a wrong result.
 */
static void other_vmm(struct __test_metadata *_metadata, int axfd,
		      bool intercept, int up)
{
	struct axhvc_doorbell db = { .size = sizeof(db), .eventfd = -1 };
	struct hvm p, s;
	struct hc_result res;
	__u64 n;

	if (hvm_create(&p, axfd, ID_PUB, intercept, IVC_SIZE) ||
	    hvm_create(&s, axfd, ID_SUB, intercept, IVC_SIZE))
		_exit(12);
	db.eventfd = eventfd(0, EFD_CLOEXEC);
	if (db.eventfd < 0 || ioctl(p.vmfd, AXHVC_VM_SET_DOORBELL, &db))
		_exit(13);
	VAL(&p, 1) = 4096;
	if (ON(&p, &res, AXHVC_HC_IVC_PUBLISH, 7, PTR(&p, 0), PTR(&p, 1)))
		_exit(14);
	if (ON(&s, &res, AXHVC_HC_IVC_SUBSCRIBE, ID_PUB, 7, PTR(&s, 0), PTR(&s, 1)))
		_exit(15);
	if (ON(&s, &res, AXHVC_HC_IVC_NOTIFY, ID_PUB, 7, ID_PUB))
		_exit(16);
	if (read(db.eventfd, &n, sizeof(n)) != sizeof(n) || n != 1)
		_exit(17);
	if (write(up, "h", 1) != 1)
		_exit(18);
	hvm_destroy(&s);
	hvm_destroy(&p);
	if (write(up, "c", 1) != 1)
		_exit(19);
	_exit(0);
}

/* Log where process @pid waits in the kernel (its stack needs root). */
static void log_wait(struct __test_metadata *_metadata, pid_t pid)
{
	char path[64], buf[2048];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stack", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(path, sizeof(path), "/proc/%d/wchan", pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	TH_LOG("%d waits in:\n%s", pid, buf);
}

static bool ivc_stats_settle(long c, long m, long p)
{
	long nc, nm, np;
	int i;

	for (i = 0; i < 250; i++) {
		if (!axhvc_ivc_stats(&nc, &nm, &np) && nc == c && nm == m && np == p)
			return true;
		usleep(20000);
	}
	return false;
}

static void stall_test(struct __test_metadata *_metadata, bool intercept)
{
	int axfd, sp[2], op[2], status = 0, ostatus = 0, c;
	pid_t stalled, other;
	char skip_msg[160] = "";
	long t0, hc_ms = -1, close_ms = -1;
	bool other_done;
	const char *why = axhvc_open_for_route(&axfd, intercept);

	if (why)
		SKIP(return, "%s", why);
	ASSERT_EQ(0, pipe(sp));
	ASSERT_EQ(0, pipe(op));

	stalled = fork();
	ASSERT_LE(0, stalled);
	if (!stalled)
		stalled_vmm(_metadata, axfd, intercept, sp[1]);
	c = read_deadline(sp[0], 20000);
	if (c == 's') {
		ssize_t n = read(sp[0], skip_msg, sizeof(skip_msg) - 1);

		skip_msg[n > 0 ? n : 0] = 0;
		waitpid(stalled, &status, 0);
		close(axfd);
		SKIP(return, "%s", skip_msg);
	}
	ASSERT_EQ('r', c) TH_LOG("the stalled VMM could not set its trap");
	c = read_deadline(sp[0], 10000);
	if (c != 'f') {
		kill(stalled, SIGKILL);
		waitpid(stalled, &status, 0);
		ASSERT_EQ('f', c) TH_LOG("the guest's publish raised no userfault");
	}
	/* Now the stalled VMM's thread waits on its userfault, for good. */

	t0 = now_ms();
	other = fork();
	if (!other)
		other_vmm(_metadata, axfd, intercept, op[1]);
	if (other > 0) {
		if (read_deadline(op[0], OTHERS_DEADLINE_MS) == 'h')
			hc_ms = now_ms() - t0;
		if (hc_ms >= 0 && read_deadline(op[0], OTHERS_DEADLINE_MS) == 'c')
			close_ms = now_ms() - t0;
	}
	other_done = other > 0 && wait_deadline(other, &ostatus, OTHERS_DEADLINE_MS / 2);
	if (other > 0 && !other_done) {
		TH_LOG("other VMM not reaped: %s", strerror(wait_errno));
		log_wait(_metadata, other);
	}

	/* Release the stalled VMM; the old module lets the others go only then. */
	ASSERT_EQ(0, kill(stalled, SIGKILL));
	t0 = now_ms();
	EXPECT_TRUE(wait_deadline(stalled, &status, 10000))
		TH_LOG("SIGKILL did not end the stalled VMM");
	TH_LOG("stalled VMM gone %ld ms after SIGKILL", now_ms() - t0);
	if (other > 0 && !other_done) {
		kill(other, SIGKILL);
		waitpid(other, &ostatus, 0);
	}
	ASSERT_LT(0, other);
	EXPECT_LE(0, hc_ms)
		TH_LOG("another VM's publish/subscribe/notify hung behind the stalled VMM");
	EXPECT_LE(0, close_ms) TH_LOG("another VMM could not close its VMs while one is stalled");
	EXPECT_TRUE(other_done && WIFEXITED(ostatus) && !WEXITSTATUS(ostatus))
		TH_LOG("other VMM: status %#x", ostatus);
	TH_LOG("other tenant: hypercalls done in %ld ms, VMs closed after %ld ms",
	       hc_ms, close_ms);
	if (!geteuid()) {
		long nc, nm, np;

		EXPECT_TRUE(ivc_stats_settle(0, 0, 0)) {
			axhvc_ivc_stats(&nc, &nm, &np);
			TH_LOG("left behind: %ld channels, %ld mappings, %ld pages",
			       nc, nm, np);
		}
	}
	close(sp[0]);
	close(sp[1]);
	close(op[0]);
	close(op[1]);
	close(axfd);
}

/* A fixture only for its timeout. */
FIXTURE(hostile) {
	int unused;
};

FIXTURE_SETUP(hostile)
{
}

FIXTURE_TEARDOWN(hostile)
{
}

TEST_F_TIMEOUT(hostile, stall_intercept, 120)
{
	stall_test(_metadata, true);
}

TEST_F_TIMEOUT(hostile, stall_forwarded, 120)
{
	stall_test(_metadata, false);
}

#define CGROUP_ROOT	"/sys/fs/cgroup"
#define CGROUP_TINY	CGROUP_ROOT "/axhvc-tiny-window-test"
#define TINY_MEMCG_MAX	(64L << 20)
#define TINY_CALLS	64
#define HUGE_CHANNEL	(1024ULL << 20)
/*
 * Two pages, not one: Linux 6.1's mtree_alloc_range() refuses (EINVAL) a
 * range that fills the whole window, which is not what this test is about.
 */
#define TINY_WINDOW	8192

static int cg_write(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static long cg_read(const char *dir, const char *file, const char *key)
{
	char path[160], line[128];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f)) {
		char k[64];
		long n;

		if (!key) {
			v = strtol(line, NULL, 10);
			break;
		}
		if (sscanf(line, "%63s %ld", k, &n) == 2 && !strcmp(k, key)) {
			v = n;
			break;
		}
	}
	if (f)
		fclose(f);
	return v;
}

/* Read a parameter of axhvc.ko, or -1. */
static long param_get(const char *name)
{
	char path[128];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/axhvc/parameters/%s", name);
	f = fopen(path, "r");
	if (f && fscanf(f, "%ld", &v) != 1)
		v = -1;
	if (f)
		fclose(f);
	return v;
}

/* Module parameters take only sane values. */
TEST(params_are_bounded)
{
	static const struct { const char *name; long bad; } bad[] = {
		{ "max_channel_size", 1L << 44 },
		{ "max_channel_size", 0 },
		{ "max_channel_size", 4097 },
		{ "max_channels_per_vm", 0 },
		{ "max_channels_per_vm", 1L << 31 },
		{ "max_bytes_per_vm", 1L << 50 },
		{ "max_bytes_per_vm", 0 },
	};
	unsigned int i;

	if (geteuid())
		SKIP(return, "module parameters are root's");
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		long old = param_get(bad[i].name), was;

		ASSERT_LE(0, old) TH_LOG("no parameter %s", bad[i].name);
		was = axhvc_set_param(bad[i].name, bad[i].bad);
		EXPECT_EQ(-1, was) TH_LOG("%s=%ld was taken", bad[i].name, bad[i].bad);
		if (param_get(bad[i].name) != old)
			axhvc_set_param(bad[i].name, old);
		EXPECT_EQ(old, param_get(bad[i].name));
	}
}

/*
 * A guest whose window is two pages asks for 1 GiB channels, with
 * max_channel_size raised to 1 GiB, from a VMM in a 64 MiB memory cgroup:
 * every call is ENOSPC, and the cgroup is charged nothing for them.
 */
TEST_F_TIMEOUT(hostile, publish_checks_before_allocating, 120)
{
	bool icpt = !smccc_filter_available();
	int axfd, up[2], status;
	long old, before, after, ooms;
	char buf[32];
	pid_t child;
	const char *why;

	if (geteuid())
		SKIP(return, "raising max_channel_size and a memory cgroup need root");
	why = axhvc_open_for_route(&axfd, icpt);
	if (why)
		SKIP(return, "%s", why);
	if (access(CGROUP_ROOT "/cgroup.controllers", F_OK) &&
	    mount("cgroup2", CGROUP_ROOT, "cgroup2", 0, NULL))
		SKIP(return, "no cgroup2");
	if (cg_write(CGROUP_ROOT "/cgroup.subtree_control", "+memory"))
		SKIP(return, "no memory controller");
	ASSERT_TRUE(!mkdir(CGROUP_TINY, 0755) || errno == EEXIST);
	snprintf(buf, sizeof(buf), "%ld", TINY_MEMCG_MAX);
	ASSERT_EQ(0, cg_write(CGROUP_TINY "/memory.max", buf));
	old = axhvc_set_param("max_channel_size", HUGE_CHANNEL);
	ASSERT_LT(0, old);
	ASSERT_EQ(0, pipe(up));

	child = fork();
	ASSERT_LE(0, child);
	if (!child) {
		struct hc_result res;
		struct hvm v;
		__u64 x0;
		int i;

		snprintf(buf, sizeof(buf), "%d", getpid());
		if (cg_write(CGROUP_TINY "/cgroup.procs", buf) ||
		    hvm_create(&v, axfd, ID_TINY, icpt, TINY_WINDOW))
			_exit(2);
		if (write(up[1], "r", 1) != 1)
			_exit(3);
		usleep(200000);	/* the parent reads memory.current */
		/* A page fits the window. */
		VAL(&v, 1) = 4096;
		x0 = ON(&v, &res, AXHVC_HC_IVC_PUBLISH, 999, PTR(&v, 0), PTR(&v, 1));
		if (x0 || ON(&v, &res, AXHVC_HC_IVC_UNPUBLISH, 999)) {
			ksft_print_msg("first publish of a page: %lld (size %llu)\n",
				       (long long)x0, (unsigned long long)VAL(&v, 1));
			_exit(9);
		}
		for (i = 0; i < TINY_CALLS; i++) {
			VAL(&v, 0) = 0;
			VAL(&v, 1) = HUGE_CHANNEL;
			x0 = ON(&v, &res, AXHVC_HC_IVC_PUBLISH, i, PTR(&v, 0), PTR(&v, 1));
			if (x0 != (__u64)-ENOSPC) {
				ksft_print_msg("publish of 1 GiB: %lld\n", (long long)x0);
				_exit(10);
			}
		}
		/* A page still fits. */
		VAL(&v, 1) = 4096;
		x0 = ON(&v, &res, AXHVC_HC_IVC_PUBLISH, 1000, PTR(&v, 0), PTR(&v, 1));
		if (x0) {
			ksft_print_msg("publish of a page: %lld (size %llu), again: %lld\n",
				       (long long)x0, (unsigned long long)VAL(&v, 1),
				       (long long)ON(&v, &res, AXHVC_HC_IVC_PUBLISH, 1001,
						     PTR(&v, 0), PTR(&v, 1)));
			_exit(11);
		}
		hvm_destroy(&v);
		_exit(0);
	}
	ASSERT_EQ('r', read_deadline(up[0], 20000));
	before = cg_read(CGROUP_TINY, "memory.current", NULL);
	ASSERT_TRUE(wait_deadline(child, &status, 100000));
	after = cg_read(CGROUP_TINY, "memory.peak", NULL);
	ooms = cg_read(CGROUP_TINY, "memory.events", "oom");
	axhvc_set_param("max_channel_size", old);
	rmdir(CGROUP_TINY);
	ksft_print_msg("tiny window: memory.current %ld KiB before, peak %ld KiB, %ld OOMs\n",
		       before / 1024, after / 1024, ooms);
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
		TH_LOG("child status %#x (exit 10: a huge publish was not ENOSPC)", status);
	EXPECT_EQ(0, ooms);
	/* The VMM's own memory moved with it; channels would show as 1 GiB each. */
	EXPECT_GT(16L << 20, after - before);
	close(up[0]);
	close(up[1]);
	close(axfd);
}

TEST_HARNESS_MAIN
