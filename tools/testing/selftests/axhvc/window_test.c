// SPDX-License-Identifier: GPL-2.0
/*
 * The IVC window's mapping rules (Documentation/ivc.rst, "The window in the
 * VMM"): what revocation cuts must stay cut. Two real VMs, A (VM id 1)
 * publishing and B (VM id 2) subscribing; B's VMM tries every way it has to
 * keep B's view of the channel past an unsubscribe: page pins (io_uring
 * fixed buffers, a FOLL_LONGTERM pin; vmsplice into a pipe), a child that
 * inherits the window (MADV_DOFORK, then fork()), and a window laid out so
 * that KVM could map it into stage 2 with blocks. Each VMM maps its window
 * at a 2 MiB aligned address, its memslot at a 2 MiB aligned GPA.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/io_uring.h>

#include "kselftest_harness.h"
#include "vmm.h"
#include "guest_axhvc.h"
#include "hypercall_lib.h"

#define ID_A		1
#define ID_B		2
#define BLOCK		(2ULL << 20)	/* a stage-2 PMD block (4 KiB granule) */
#define KEY		0x77
#define BEFORE		0x1111111111111111ULL
#define AFTER		0x2222222222222222ULL
#define DATA_OFF	64		/* past the channel header */

/* One VM with its axhvc fd and its mapping of the IVC window. */
struct win_vm {
	struct vmm_vm *vm;
	struct vmm_vcpu *vcpu;
	int vmfd;
	void *resv;		/* the reservation the window sits in */
	size_t resv_size;
	char *window;		/* BLOCK aligned */
	__u64 buf;		/* guest RAM for hypercall results */
};

/*
 * Create VM @id with one vCPU, register it with axhvc, and map its whole
 * window at a BLOCK aligned address as memslot IVC_SLOT at IVC_BASE.
 */
static int win_vm_create(struct win_vm *v, int axfd, __u64 id, bool intercept)
{
	char *at;

	memset(v, 0, sizeof(*v));
	v->vmfd = -1;
	v->resv = MAP_FAILED;
	v->vm = vmm_vm_create_with_vcpus(1, 0);
	if (!v->vm)
		return -ENOMEM;
	v->vcpu = v->vm->vcpus[0];
	v->buf = vmm_guest_alloc(v->vm, 4096);
	v->vmfd = register_vm(axfd, v->vm, id, 0, intercept, true);
	if (v->vmfd < 0)
		return v->vmfd;
	v->resv_size = IVC_SIZE + BLOCK;
	v->resv = mmap(NULL, v->resv_size, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (v->resv == MAP_FAILED)
		return -errno;
	at = (char *)(((unsigned long)v->resv + BLOCK - 1) & ~(BLOCK - 1));
	v->window = mmap(at, IVC_SIZE, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_FIXED, v->vmfd, 0);
	if (v->window == MAP_FAILED)
		return -errno;
	return libaxhvc_window_install(v->vm->fd, IVC_SLOT, IVC_BASE, IVC_SIZE, v->window);
}

static void win_vm_destroy(struct win_vm *v)
{
	if (v->resv != MAP_FAILED && v->resv)
		munmap(v->resv, v->resv_size);
	if (v->vmfd >= 0)
		close(v->vmfd);
	vmm_vm_destroy(v->vm);
	memset(v, 0, sizeof(*v));
	v->vmfd = -1;
}

/* The VMM's view of window GPA @gpa. */
static __u64 *win_u64(struct win_vm *v, __u64 gpa)
{
	return (__u64 *)(v->window + (gpa - IVC_BASE));
}

/*
 * Run guest_axhvc_peek or _poke on @v: 0 with the guest's DONE value in
 * @out, or -errno when KVM_RUN failed (a hole: EFAULT).
 */
static int guest_access(struct win_vm *v, const char *entry, __u64 gpa,
			__u64 val, __u64 *out)
{
	enum vmm_run_result r;
	int ret = -EIO;

	if (vmm_vcpu_start(v->vcpu, entry, 2, gpa, val) ||
	    vmm_watchdog_arm(v->vcpu, RUN_TIMEOUT_MS))
		return -EIO;
	r = vmm_vcpu_run(v->vcpu);
	if (r == VMM_RUN_REPORT && v->vcpu->report.cmd == VMM_REPORT_DONE) {
		if (out)
			*out = v->vcpu->report.args[0];
		ret = 0;
	} else if (r == VMM_RUN_ERROR) {
		ret = -v->vcpu->run_errno;
	} else {
		vmm_vcpu_dump(v->vcpu, vmm_run_result_name(r));
	}
	vmm_watchdog_disarm(v->vcpu);
	return ret;
}

static int peek(struct win_vm *v, __u64 gpa, __u64 *out)
{
	return guest_access(v, guest_axhvc_peek, gpa, 0, out);
}

static int poke(struct win_vm *v, __u64 gpa, __u64 val)
{
	return guest_access(v, guest_axhvc_poke, gpa, val, NULL);
}

FIXTURE(window) {
	int axfd;
	struct win_vm a, b;
	__u64 a_gpa, b_gpa;	/* the channel in each window */
};

FIXTURE_VARIANT(window) {
	bool intercept;
};

FIXTURE_VARIANT_ADD(window, forwarded) { .intercept = false };
FIXTURE_VARIANT_ADD(window, intercept) { .intercept = true };

#define A_VAL(n)	(*(__u64 *)vmm_gpa_to_hva(self->a.vm, self->a.buf + 8 * (n)))
#define B_VAL(n)	(*(__u64 *)vmm_gpa_to_hva(self->b.vm, self->b.buf + 8 * (n)))
#define ON_A(res, ...)	CALL_ON(self->a.vcpu, self->a.vmfd, res, __VA_ARGS__)
#define ON_B(res, ...)	CALL_ON(self->b.vcpu, self->b.vmfd, res, __VA_ARGS__)

/*
 * A publishes a one-page channel, B subscribes, A's guest writes BEFORE
 * into it and B's guest reads it back.
 */
FIXTURE_SETUP(window)
{
	const char *why = axhvc_open_for_route(&self->axfd, variant->intercept);
	struct hc_result res;
	__u64 v;
	int ret;

	self->a.vmfd = -1;
	self->b.vmfd = -1;
	if (why)
		SKIP(return, "%s", why);
	ret = win_vm_create(&self->a, self->axfd, ID_A, variant->intercept);
	ASSERT_EQ(0, ret) TH_LOG("VM A: %s", strerror(-ret));
	ret = win_vm_create(&self->b, self->axfd, ID_B, variant->intercept);
	ASSERT_EQ(0, ret) TH_LOG("VM B: %s", strerror(-ret));

	A_VAL(1) = 4096;
	ASSERT_EQ(0, ON_A(&res, AXHVC_HC_IVC_PUBLISH, KEY, self->a.buf,
			  self->a.buf + 8));
	self->a_gpa = A_VAL(0);
	ASSERT_EQ(0, ON_B(&res, AXHVC_HC_IVC_SUBSCRIBE, ID_A, KEY, self->b.buf,
			  self->b.buf + 8));
	self->b_gpa = B_VAL(0);
	/* The first range of an empty window: its first page, a block's start. */
	ASSERT_EQ(IVC_BASE, self->b_gpa);
	ASSERT_EQ(0, poke(&self->a, self->a_gpa + DATA_OFF, BEFORE));
	ASSERT_EQ(0, peek(&self->b, self->b_gpa + DATA_OFF, &v));
	ASSERT_EQ(BEFORE, v);
	ASSERT_EQ(BEFORE, *win_u64(&self->b, self->b_gpa + DATA_OFF));
}

FIXTURE_TEARDOWN(window)
{
	if (self->a.vm)
		win_vm_destroy(&self->a);
	if (self->b.vm)
		win_vm_destroy(&self->b);
	if (self->axfd >= 0)
		close(self->axfd);
}

/* B leaves the channel; A's guest then writes AFTER, which B must not see. */
static void unsubscribe_then_write(struct __test_metadata *_metadata,
				   struct _test_data_window *self)
{
	struct hc_result res;
	__u64 v;

	ASSERT_EQ(0, ON_B(&res, AXHVC_HC_IVC_UNSUBSCRIBE, ID_A, KEY));
	ASSERT_EQ(-EFAULT, peek(&self->b, self->b_gpa + DATA_OFF, &v));
	ASSERT_EQ(0, poke(&self->a, self->a_gpa + DATA_OFF, AFTER));
}

/* A raw io_uring with one SQE and its CQ ring (no liburing). */
struct uring {
	int fd;
	struct io_uring_params p;
	void *sq, *cq;
	size_t sq_size, cq_size;
	struct io_uring_sqe *sqes;
};

static int uring_setup(struct uring *u)
{
	memset(u, 0, sizeof(*u));
	u->sq = MAP_FAILED;
	u->cq = MAP_FAILED;
	u->sqes = MAP_FAILED;
	u->fd = syscall(__NR_io_uring_setup, 1, &u->p);
	if (u->fd < 0)
		return -errno;
	u->sq_size = u->p.sq_off.array + u->p.sq_entries * sizeof(__u32);
	u->cq_size = u->p.cq_off.cqes + u->p.cq_entries * sizeof(struct io_uring_cqe);
	u->sq = mmap(NULL, u->sq_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
		     u->fd, IORING_OFF_SQ_RING);
	u->cq = mmap(NULL, u->cq_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
		     u->fd, IORING_OFF_CQ_RING);
	u->sqes = mmap(NULL, u->p.sq_entries * sizeof(struct io_uring_sqe),
		       PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, u->fd,
		       IORING_OFF_SQES);
	if (u->sq == MAP_FAILED || u->cq == MAP_FAILED || u->sqes == MAP_FAILED)
		return -errno;
	return 0;
}

static void uring_close(struct uring *u)
{
	if (u->sqes != MAP_FAILED)
		munmap(u->sqes, u->p.sq_entries * sizeof(struct io_uring_sqe));
	if (u->cq != MAP_FAILED)
		munmap(u->cq, u->cq_size);
	if (u->sq != MAP_FAILED)
		munmap(u->sq, u->sq_size);
	if (u->fd >= 0)
		close(u->fd);
}

#define RING_U32(base, off)	((__u32 *)((char *)(base) + (off)))

/* Submit @sqe and wait for its completion; returns its res. */
static int uring_run(struct uring *u, const struct io_uring_sqe *sqe)
{
	__u32 tail = *RING_U32(u->sq, u->p.sq_off.tail);
	__u32 mask = *RING_U32(u->sq, u->p.sq_off.ring_mask);
	__u32 head, cmask = *RING_U32(u->cq, u->p.cq_off.ring_mask);
	struct io_uring_cqe *cqes;
	int res;

	u->sqes[tail & mask] = *sqe;
	RING_U32(u->sq, u->p.sq_off.array)[tail & mask] = tail & mask;
	__atomic_store_n(RING_U32(u->sq, u->p.sq_off.tail), tail + 1, __ATOMIC_RELEASE);
	if (syscall(__NR_io_uring_enter, u->fd, 1, 1, IORING_ENTER_GETEVENTS,
		    NULL, 0) < 0)
		return -errno;
	head = __atomic_load_n(RING_U32(u->cq, u->p.cq_off.head), __ATOMIC_ACQUIRE);
	if (head == __atomic_load_n(RING_U32(u->cq, u->p.cq_off.tail), __ATOMIC_ACQUIRE))
		return -EAGAIN;
	cqes = (struct io_uring_cqe *)((char *)u->cq + u->p.cq_off.cqes);
	res = cqes[head & cmask].res;
	__atomic_store_n(RING_U32(u->cq, u->p.cq_off.head), head + 1, __ATOMIC_RELEASE);
	return res;
}

/*
 * io_uring's fixed buffers are FOLL_LONGTERM pins: registering B's window
 * page must fail. If it ever succeeds, the pinned page must not show what
 * the channel holds after B left it (IORING_OP_WRITE_FIXED into a pipe
 * copies what the pin reaches).
 */
TEST_F(window, io_uring_fixed_buffer_is_refused)
{
	struct iovec iov = {
		.iov_base = (void *)win_u64(&self->b, self->b_gpa), .iov_len = 4096,
	};
	struct io_uring_sqe sqe = { .opcode = IORING_OP_WRITE_FIXED };
	__u64 page[512];
	struct uring u;
	int ret, n, pfd[2];

	/* Not built in, or kernel.io_uring_disabled: nothing to pin with. */
	ret = uring_setup(&u);
	if (ret) {
		uring_close(&u);
		SKIP(return, "no io_uring here: io_uring_setup: %s", strerror(-ret));
	}

	ret = syscall(__NR_io_uring_register, u.fd, IORING_REGISTER_BUFFERS, &iov, 1);
	if (ret) {
		/* GUP refuses the window's VM_IO mapping. */
		EXPECT_EQ(EFAULT, errno) TH_LOG("refused with %s", strerror(errno));
		uring_close(&u);
		return;
	}
	TH_LOG("IORING_REGISTER_BUFFERS pinned B's window page");
	ASSERT_EQ(0, pipe(pfd));
	unsubscribe_then_write(_metadata, self);
	sqe.fd = pfd[1];
	sqe.addr = (unsigned long)iov.iov_base;
	sqe.len = sizeof(page);
	sqe.buf_index = 0;
	n = uring_run(&u, &sqe);
	EXPECT_EQ(sizeof(page), n);
	if (n == sizeof(page)) {
		ASSERT_EQ(sizeof(page), read(pfd[0], page, sizeof(page)));
		EXPECT_NE(AFTER, page[DATA_OFF / 8])
			TH_LOG("the pin reads A's write after B unsubscribed");
	}
	close(pfd[0]);
	close(pfd[1]);
	uring_close(&u);
	EXPECT_NE(0, ret) TH_LOG("a long-term pin of a window page was accepted");
}

/*
 * vmsplice() takes references to the pages of the buffer it is given; a
 * pipe holding them would read the channel long after B left it.
 */
TEST_F(window, vmsplice_is_refused)
{
	struct iovec iov = {
		.iov_base = (void *)win_u64(&self->b, self->b_gpa), .iov_len = 4096,
	};
	__u64 page[512];
	int pfd[2];
	ssize_t n;

	ASSERT_EQ(0, pipe(pfd));
	n = vmsplice(pfd[1], &iov, 1, 0);
	if (n < 0) {
		EXPECT_EQ(EFAULT, errno) TH_LOG("refused with %s", strerror(errno));
	} else {
		TH_LOG("vmsplice took %zd bytes of B's window by reference", n);
		unsubscribe_then_write(_metadata, self);
		ASSERT_EQ(n, read(pfd[0], page, n));
		EXPECT_NE(AFTER, page[DATA_OFF / 8])
			TH_LOG("the pipe reads A's write after B unsubscribed");
	}
	EXPECT_GT(0, n) TH_LOG("vmsplice() must not take the window's pages");
	close(pfd[0]);
	close(pfd[1]);
}

static sigjmp_buf probe_env;

static void probe_signal(int sig)
{
	siglongjmp(probe_env, sig);
}

/*
 * In a child: read @addr; exit 0 if it faults with SIGSEGV (nothing mapped
 * there), 1 if the read works, 2 on SIGBUS (the window, but a hole).
 */
static void child_probe(const __u64 *addr)
{
	struct sigaction sa = { .sa_handler = probe_signal };
	int sig;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sig = sigsetjmp(probe_env, 1);
	if (!sig) {
		__atomic_load_n(addr, __ATOMIC_RELAXED);
		_exit(1);
	}
	_exit(sig == SIGSEGV ? 0 : 2);
}

/*
 * The window is not inherited: MADV_DOFORK cannot undo its VM_DONTCOPY, and
 * a child of the VMM has nothing at the window's address.
 */
TEST_F(window, fork_does_not_inherit_the_window)
{
	void *anon = (char *)self->b.resv + self->b.resv_size - 4096;
	int ret, err, want, status;
	pid_t pid;

	/* EINVAL, unless this kernel has no madvise() at all (the debug one). */
	want = madvise(anon, 4096, MADV_NORMAL) ? errno : EINVAL;
	ret = madvise(self->b.window, IVC_SIZE, MADV_DOFORK);
	err = ret ? errno : 0;
	EXPECT_EQ(-1, ret) TH_LOG("MADV_DOFORK must fail on the window");
	EXPECT_EQ(want, err) TH_LOG("MADV_DOFORK: %s", strerror(err));

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		child_probe(win_u64(&self->b, self->b_gpa + DATA_OFF));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("the child %s", WEXITSTATUS(status) == 1 ?
		       "reads the channel" : "has the window mapped");
}

/*
 * A window and memslot laid out for stage-2 blocks (BLOCK aligned in both
 * address spaces) still maps page by page: the page next to B's channel
 * page is a hole to B's guest, not the host page that follows the channel
 * page in RAM. Only reads: a hole that leads somewhere must not be written.
 */
TEST_F(window, aligned_window_maps_no_more_than_the_channel)
{
	__u64 v;

	EXPECT_EQ(0, peek(&self->b, self->b_gpa, &v));
	EXPECT_EQ(ID_A, v);
	EXPECT_EQ(-EFAULT, peek(&self->b, self->b_gpa + 4096, &v))
		TH_LOG("B's guest reads 0x%llx next to its channel", (unsigned long long)v);
	EXPECT_EQ(-EFAULT, peek(&self->b, self->b_gpa + BLOCK - 8, &v))
		TH_LOG("B's guest reads 0x%llx at the block's end", (unsigned long long)v);
	/* The same for the VMM, and the channel is still shared. */
	EXPECT_EQ(0, poke(&self->b, self->b_gpa + DATA_OFF, AFTER));
	EXPECT_EQ(0, peek(&self->a, self->a_gpa + DATA_OFF, &v));
	EXPECT_EQ(AFTER, v);
	EXPECT_EQ(AFTER, *win_u64(&self->a, self->a_gpa + DATA_OFF));
}

/*
 * Stage 2 maps channel pages as Normal memory, not Device: KVM refuses to
 * run code from a Device mapping (KVM_RUN fails with ENOEXEC), so A's guest
 * runs three instructions its VMM wrote into the channel page: x2 =
 * PROBE_GPA, a store there (an MMIO exit), and a branch to self.
 */
TEST_F(window, channel_pages_are_normal_memory)
{
	static const __u32 code[] = {
		0xd2a16002,	/* movz x2, #0x0b00, lsl #16 */
		0xf9000042,	/* str x2, [x2] */
		0x14000000,	/* b . */
	};
	__u64 entry = self->a_gpa + 2048;
	struct vmm_vcpu *vcpu = self->a.vcpu;
	enum vmm_run_result r;

	memcpy((void *)win_u64(&self->a, entry), code, sizeof(code));
	ASSERT_EQ(0, vmm_vcpu_start(vcpu, guest_spin, 0));
	ASSERT_EQ(0, vmm_set_reg(vcpu, VMM_REG_PC, entry));
	ASSERT_EQ(0, vmm_watchdog_arm(vcpu, RUN_TIMEOUT_MS));
	r = vmm_vcpu_run(vcpu);
	vmm_watchdog_disarm(vcpu);
	if (r == VMM_RUN_ERROR)
		TH_LOG("KVM_RUN: %s", strerror(vcpu->run_errno));
	ASSERT_EQ(VMM_RUN_EXIT, r);
	EXPECT_EQ(KVM_EXIT_MMIO, vcpu->run->exit_reason);
	EXPECT_EQ(PROBE_GPA, vcpu->run->mmio.phys_addr);
	EXPECT_TRUE(vcpu->run->mmio.is_write);
}

/*
 * Revocation reaches the VMM's mapping of an aligned window too. The VMM
 * reads its own window through /proc/self/mem, where a hole is an error
 * rather than a SIGBUS.
 */
TEST_F(window, unsubscribe_revokes_an_aligned_window)
{
	off_t at = (off_t)(unsigned long)win_u64(&self->b, self->b_gpa + DATA_OFF);
	int fd = open("/proc/self/mem", O_RDONLY | O_CLOEXEC);
	__u64 v = 0;

	ASSERT_LE(0, fd);
	EXPECT_EQ(sizeof(v), pread(fd, &v, sizeof(v), at));
	EXPECT_EQ(BEFORE, v);
	unsubscribe_then_write(_metadata, self);
	EXPECT_EQ(-1, pread(fd, &v, sizeof(v), at));
	close(fd);
}

TEST_HARNESS_MAIN
