// SPDX-License-Identifier: GPL-2.0
/*
 * axhvc stress tests: hostile guests, hostile VMMs, crashes and teardown.
 * Run on the debug kernel (KASAN, lockdep, kmemleak, DEBUG_ATOMIC_SLEEP),
 * whose log the runner scans afterwards. Every test prints its counts and
 * checks that axhvc's object counters (VMs, channels, mappings, pages) are
 * back to zero when it ends.
 *
 * The amounts are short by default (make check); make stress sets them
 * with these environment variables:
 *   AXHVC_STRESS_FUZZ_CALLS   guest hypercalls of guest_fuzz, in total
 *   AXHVC_STRESS_CONC_CALLS   guest hypercalls of concurrency, in total
 *   AXHVC_STRESS_KILLS        VMMs killed by teardown_kills
 *   AXHVC_STRESS_CLOSE_ROUNDS rounds of close_vm_fd_while_running
 *   AXHVC_STRESS_IOCTLS       ioctls of ioctl_fuzz
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <grp.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "kselftest_harness.h"
#include "vmm.h"
#include "hypercall_lib.h"
#include "stress_lib.h"

#define STRESS_TIMEOUT	7200

static __u64 env_u64(const char *name, __u64 def)
{
	const char *s = getenv(name);

	return s && *s ? strtoull(s, NULL, 0) : def;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The hypercall routes this kernel has. */
struct routes {
	bool intercept;		/* axhvc can intercept */
	bool forwarded;		/* KVM has the SMCCC filter (Linux >= 6.4) */
};

FIXTURE(stress) {
	int axfd;
	struct routes have;
};

/*
 * The route of a VM that takes the intercept route when it @wants to and
 * both routes exist; a kernel with only one route gives every VM that one.
 */
static bool pick_intercept(const struct routes *have, bool wants)
{
	return have->forwarded ? have->intercept && wants : true;
}

/* Do the VMs of a test all take the same route? */
static bool one_route(const struct routes *have)
{
	return !have->intercept || !have->forwarded;
}

FIXTURE_SETUP(stress)
{
	const char *why = axhvc_open_for_test(&self->axfd, false);

	if (why)
		SKIP(return, "%s", why);
	self->have.intercept = intercept_available(self->axfd);
	self->have.forwarded = smccc_filter_available();
	if (!self->have.intercept && !self->have.forwarded)
		SKIP(return, "this kernel has neither hypercall route");
	if (!self->have.intercept)
		TH_LOG("no intercept on this kernel: every VM uses the forwarded route");
	if (!self->have.forwarded)
		TH_LOG("%s: every VM uses the intercept route", NO_FORWARDED_ROUTE);
	ASSERT_TRUE(counters_zero(self->axfd, "before"));
}

FIXTURE_TEARDOWN(stress)
{
	if (self->axfd >= 0)
		close(self->axfd);
}

/* Sum of a VM's hypercall counters (AXHVC_LIST_VMS); -1 if not listed. */
static long long vm_calls(int axfd, __u64 id, struct axhvc_vm_info *out)
{
	struct axhvc_vm_info *info;
	long long sum = -1;
	int i, n, c;

	n = libaxhvc_list_vms(axfd, &info);
	for (i = 0; i < n; i++) {
		if (info[i].vm_id != id)
			continue;
		for (sum = 0, c = 0; c < AXHVC_HC_COUNT; c++)
			sum += info[i].calls[c];
		*out = info[i];
		break;
	}
	free(info);
	return sum;
}

/*
 * Guest fuzz: four VMs, two vCPUs each, both routes, both error encodings,
 * lifecycle calls answered by axhvc or by the VMM. Every call has a random
 * code among 0..7 (sometimes with high bits set, which the ABI truncates)
 * and arguments that are random or picked from boundary and adversarial
 * values: pointers into MMIO holes, the IVC window, the last byte of RAM,
 * past RAM, unaligned; keys 0 and ~0; sizes 0, 1, 2^63.
 */
#define FUZZ_VMS	4
#define FUZZ_VCPUS	2

TEST_F_TIMEOUT(stress, guest_fuzz, STRESS_TIMEOUT)
{
	__u64 total = env_u64("AXHVC_STRESS_FUZZ_CALLS", 16000);
	struct vcpu_job jobs[FUZZ_VMS][FUZZ_VCPUS];
	struct svm vms[FUZZ_VMS];
	__u64 calls = 0, nonzero = 0, exits = 0, route_calls[2] = { 0 };
	unsigned int v, i;
	double t0;

	for (v = 0; v < FUZZ_VMS; v++) {
		bool icpt = pick_intercept(&self->have, v < 2);
		__u32 flags = (v & 1) ? AXHVC_VM_F_ERR_AXVISOR | AXHVC_VM_F_LIFECYCLE_TO_VMM : 0;
		__u64 ram_end, codes[16] = {
			0, 1, 2, 3, 4, 5, 6, 7, 3, 4, 5, 6, 7,
			0x100000003ULL, 0xffffffff00000004ULL, 0x8000000000000007ULL,
		};
		__u64 args[TABLE_LEN];
		struct svm *s = &vms[v];
		int ret, n = 0;

		ret = svm_create(s, self->axfd, 201 + v, FUZZ_VCPUS, icpt, flags);
		ASSERT_EQ(0, ret) TH_LOG("VM %u: %s", v, strerror(-ret));
		ram_end = s->vm->ram_gpa + s->vm->ram_size;
		/* The u64s pointer arguments find in the scratch page. */
		{
			static const __u64 init[] = {
				0, 1, 4096, 1ULL << 63, 8192, ~0ULL, 4097, (4 << 20) + 1,
			};

			for (i = 0; i < 8; i++)
				gpa_u64(s, s->scratch)[i] = init[i];
		}
		for (i = 0; i < 8; i++)
			args[n++] = STRESS_RAW;
		args[n++] = 0;
		args[n++] = 1;
		args[n++] = 2;
		args[n++] = ~0ULL;
		args[n++] = 1ULL << 63;
		args[n++] = 4096;
		args[n++] = 0x7fffffffffffffffULL;
		for (i = 0; i < FUZZ_VMS; i++)
			args[n++] = 201 + i;			/* VM ids, keys */
		for (i = 0; i < 8; i++)
			args[n++] = s->scratch + 8 * i;		/* good pointers */
		args[n++] = s->scratch + 1;			/* unaligned */
		args[n++] = s->scratch + 4;
		args[n++] = s->scratch + 4095;
		args[n++] = ram_end - 1;			/* last byte of RAM */
		args[n++] = ram_end - 8;			/* last u64 of RAM */
		args[n++] = ram_end - 4;			/* straddles the end */
		args[n++] = ram_end;				/* just past RAM */
		args[n++] = s->vm->ram_gpa - 8;			/* just before RAM */
		args[n++] = VMM_GICD_GPA;			/* MMIO: the vgic */
		args[n++] = VMM_GICR_GPA + 8;
		args[n++] = VMM_REPORT_GPA + 0x800;		/* MMIO hole */
		args[n++] = 0x0B000000;				/* nothing at all */
		args[n++] = IVC_BASE;				/* the window */
		args[n++] = IVC_BASE + 8;
		args[n++] = IVC_BASE + IVC_SIZE - 8;
		args[n++] = IVC_BASE + IVC_SIZE;
		args[n++] = 1ULL << 48;				/* beyond the IPA space */
		args[n++] = 0xfffffffffffff000ULL;
		args[n++] = 0xfffffffffffffff8ULL;
		while (n < TABLE_LEN)
			args[n++] = STRESS_RAW;
		svm_params_uniform(s, svm_table(s, codes, 16), svm_table(s, args, TABLE_LEN));
	}

	t0 = now_s();
	for (v = 0; v < FUZZ_VMS; v++) {
		/* The forwarded route costs ~4x: give it a quarter of the calls. */
		__u64 share = vms[v].intercept ? total * 3 / 8 : total / 8;

		if (one_route(&self->have))
			share = total / 4;
		ASSERT_EQ(0, jobs_start(jobs[v], &vms[v], 0x1234567 * (v + 1),
					share / FUZZ_VCPUS + 1, STRESS_TIMEOUT * 1000 / 2));
	}
	for (v = 0; v < FUZZ_VMS; v++) {
		struct axhvc_vm_info info = { 0 };
		__u64 vm_sum = 0, vm_exits = 0;
		long long counted;

		for (i = 0; i < FUZZ_VCPUS; i++) {
			struct vcpu_job *j = &jobs[v][i];

			pthread_join(j->thread, NULL);
			EXPECT_TRUE(j->ok) TH_LOG("%s", j->why);
			EXPECT_TRUE(j->done);
			EXPECT_EQ(j->count, j->calls);
			EXPECT_EQ(0, j->weird) TH_LOG("results neither 0 nor -errno");
			EXPECT_EQ(0, j->clobbered) TH_LOG("x19..x28 changed by hypercalls");
			EXPECT_EQ(0, j->fwd_errors);
			vm_sum += j->calls;
			vm_exits += j->exits;
			nonzero += j->nonzero;
		}
		/* axhvc counted every call once, on the right route (root's view). */
		if (!geteuid()) {
			counted = vm_calls(self->axfd, vms[v].id, &info);
			EXPECT_EQ((long long)vm_sum, counted);
			EXPECT_EQ(vm_sum, vms[v].intercept ? info.calls_intercept :
							     info.calls_forwarded);
			EXPECT_GE(nonzero, info.errors);
			if (vms[v].intercept)
				EXPECT_EQ(0, info.calls_forwarded);
		}
		route_calls[vms[v].intercept] += vm_sum;
		calls += vm_sum;
		exits += vm_exits;
	}
	printf("# stress: guest_fuzz: %llu calls (%llu intercept, %llu forwarded), ",
	       (unsigned long long)calls, (unsigned long long)route_calls[1],
	       (unsigned long long)route_calls[0]);
	printf("%llu failed for the guest, %llu exits to the VMMs, %.1f s\n",
	       (unsigned long long)nonzero, (unsigned long long)exits, now_s() - t0);
	for (v = 0; v < FUZZ_VMS; v++)
		svm_destroy(&vms[v]);
	EXPECT_TRUE(counters_zero(self->axfd, "guest_fuzz"));
}

/*
 * Concurrency and teardown share a workload: VMs whose vCPUs publish,
 * subscribe, unsubscribe, unpublish and notify the same few keys of each
 * other in tight loops. Keys and VM ids are drawn from the same set.
 */
static void svm_params_ivc(struct svm *s, const __u64 *ids, unsigned int nr_ids)
{
	static const __u64 codes[] = { 3, 4, 5, 6, 7, 4, 6, 7 };
	struct stress_params *p = svm_params(s);
	__u64 keys, pub_base, pub_size, sub_base, sub_size, zero, t_ids;
	__u64 z = 0;
	__u64 v;
	int i;

	gpa_u64(s, s->scratch)[1] = 4096;	/* publish: the size wanted */
	keys = svm_table(s, ids, nr_ids);	/* keys are VM ids too */
	t_ids = keys;
	v = s->scratch;
	pub_base = svm_table(s, &v, 1);
	v = s->scratch + 8;
	pub_size = svm_table(s, &v, 1);
	v = s->scratch + 16;
	sub_base = svm_table(s, &v, 1);
	v = s->scratch + 24;
	sub_size = svm_table(s, &v, 1);
	zero = svm_table(s, &z, 1);

	p->codes = svm_table(s, codes, 8);
	p->code_mask = TABLE_LEN - 1;
	for (i = 0; i < 8; i++) {
		int a;

		for (a = 0; a < 6; a++)
			p->args[i][a] = (struct stress_table){ zero, TABLE_LEN - 1 };
	}
#define ARG(code, n, table)	(p->args[code][n] = (struct stress_table){ table, TABLE_LEN - 1 })
	ARG(3, 0, keys); ARG(3, 1, pub_base); ARG(3, 2, pub_size);
	ARG(4, 0, t_ids); ARG(4, 1, keys); ARG(4, 2, sub_base); ARG(4, 3, sub_size);
	ARG(5, 0, keys);
	ARG(6, 0, t_ids); ARG(6, 1, keys);
	ARG(7, 0, t_ids); ARG(7, 1, keys); ARG(7, 2, t_ids);
#undef ARG
}

/* What a VMM reader thread saw. */
struct reader {
	struct svm *s;
	int axfd;		/* >= 0: also take the host view */
	bool stop;		/* __atomic accesses */
	pthread_t thread;
	__u64 lists, channels, headers, events, doorbells, host_views, errors;
};

/* Read a u64 of this process through /proc/self/mem: a hole is an error. */
static bool read_own(int memfd, const void *addr, __u64 *val)
{
	return pread(memfd, val, sizeof(*val), (off_t)(unsigned long)addr) == sizeof(*val);
}

static void reader_pass(struct reader *r, int memfd)
{
	struct axhvc_channel_info ch[64], ci;
	struct axhvc_channel_list l = {
		.size = sizeof(l), .info_size = sizeof(ch[0]),
		.channels = (unsigned long)ch, .nr_channels = 64,
	};
	struct axhvc_event ev[8];
	__u64 subs[8], cnt, h[2];
	unsigned int i;
	ssize_t n;

	if (ioctl(r->s->vmfd, AXHVC_VM_LIST_CHANNELS, &l)) {
		if (errno != E2BIG)
			r->errors++;
		l.nr_channels = 0;
	}
	r->lists++;
	for (i = 0; i < l.nr_channels && i < 64; i++) {
		struct axhvc_channel_state st = {
			.size = sizeof(st),
			.publisher = ch[i].publisher, .key = ch[i].key,
			.subscribers = (unsigned long)subs, .nr_subscribers = 8,
			.info = (unsigned long)&ci, .info_size = sizeof(ci),
		};
		char *at = (char *)r->s->window + ch[i].offset;

		r->channels++;
		if (ioctl(r->s->vmfd, AXHVC_VM_GET_CHANNEL, &st) &&
		    errno != ENOENT && errno != E2BIG)
			r->errors++;
		/* The header, if the channel is still there. */
		if (ch[i].offset < IVC_SIZE && read_own(memfd, at, &h[0]) &&
		    read_own(memfd, at + 8, &h[1]))
			r->headers++;
	}
	while ((n = read(r->s->vmfd, ev, sizeof(ev))) > 0)
		r->events += n / sizeof(ev[0]);
	if (n < 0 && errno != EAGAIN)
		r->errors++;
	if (read(r->s->efd, &cnt, sizeof(cnt)) == sizeof(cnt))
		r->doorbells += cnt;
	if (r->axfd >= 0) {
		struct axhvc_host_channel hc[128];
		__u64 hs[256];
		struct axhvc_host_channel_list hl = {
			.size = sizeof(hl), .channel_size = sizeof(struct axhvc_host_channel),
			.channels = (unsigned long)hc, .subscribers = (unsigned long)hs,
			.nr_channels = 128, .nr_subscribers = 256,
		};
		struct axhvc_vm_info vi[16];
		struct axhvc_vm_list vl = {
			.size = sizeof(vl), .info_size = sizeof(vi[0]),
			.vms = (unsigned long)vi, .nr_vms = 16,
		};

		if (ioctl(r->axfd, AXHVC_LIST_ALL_CHANNELS, &hl) && errno != E2BIG)
			r->errors++;
		if (ioctl(r->axfd, AXHVC_LIST_VMS, &vl) && errno != E2BIG)
			r->errors++;
		r->host_views++;
	}
}

static void *reader_run(void *arg)
{
	struct reader *r = arg;
	int memfd = open("/proc/self/mem", O_RDONLY | O_CLOEXEC);

	fcntl(r->s->vmfd, F_SETFL, O_NONBLOCK);
	while (!__atomic_load_n(&r->stop, __ATOMIC_RELAXED))
		reader_pass(r, memfd);
	close(memfd);
	return NULL;
}

#define CONC_VMS	3
#define CONC_VCPUS	2

TEST_F_TIMEOUT(stress, concurrency, STRESS_TIMEOUT)
{
	__u64 total = env_u64("AXHVC_STRESS_CONC_CALLS", 12000);
	static const __u64 ids[] = { 301, 302, 303, 301, 302, 303, 301, 302 };
	struct vcpu_job jobs[CONC_VMS][CONC_VCPUS];
	struct reader readers[CONC_VMS];
	struct svm vms[CONC_VMS];
	__u64 calls = 0, ok = 0, lists = 0, chans = 0, headers = 0, events = 0;
	__u64 doorbells = 0, views = 0;
	unsigned int v, i;
	double t0;

	for (v = 0; v < CONC_VMS; v++) {
		int ret = svm_create(&vms[v], self->axfd, ids[v], CONC_VCPUS,
				     pick_intercept(&self->have, v != 1), 0);

		ASSERT_EQ(0, ret) TH_LOG("VM %u: %s", v, strerror(-ret));
		svm_params_ivc(&vms[v], ids, 8);
	}
	t0 = now_s();
	for (v = 0; v < CONC_VMS; v++) {
		__u64 share = vms[v].intercept ? total * 2 / 5 : total / 5;

		if (one_route(&self->have))
			share = total / CONC_VMS;
		memset(&readers[v], 0, sizeof(readers[v]));
		readers[v].s = &vms[v];
		/* The host view is root's: a tenant's readers list their own VM. */
		readers[v].axfd = v == 0 && !geteuid() ? self->axfd : -1;
		ASSERT_EQ(0, pthread_create(&readers[v].thread, NULL, reader_run, &readers[v]));
		ASSERT_EQ(0, jobs_start(jobs[v], &vms[v], 0xabcdef * (v + 1),
					share / CONC_VCPUS + 1, STRESS_TIMEOUT * 1000 / 2));
	}
	for (v = 0; v < CONC_VMS; v++)
		for (i = 0; i < CONC_VCPUS; i++) {
			struct vcpu_job *j = &jobs[v][i];

			pthread_join(j->thread, NULL);
			EXPECT_TRUE(j->ok) TH_LOG("%s", j->why);
			EXPECT_EQ(j->count, j->calls);
			EXPECT_EQ(0, j->weird);
			EXPECT_EQ(0, j->clobbered);
			calls += j->calls;
			ok += j->calls - j->nonzero;
		}
	for (v = 0; v < CONC_VMS; v++) {
		struct reader *r = &readers[v];

		__atomic_store_n(&r->stop, true, __ATOMIC_RELAXED);
		pthread_join(r->thread, NULL);
		EXPECT_EQ(0, r->errors);
		lists += r->lists;
		chans += r->channels;
		headers += r->headers;
		events += r->events;
		doorbells += r->doorbells;
		views += r->host_views;
	}
	/* Tight loops on three keys must have succeeded at times. */
	EXPECT_LT(0, ok);
	printf("# stress: concurrency: %llu calls (%llu succeeded), %.1f s\n",
	       (unsigned long long)calls, (unsigned long long)ok, now_s() - t0);
	printf("# stress: concurrency: %llu channel lists (%llu channels, %llu headers)\n",
	       (unsigned long long)lists, (unsigned long long)chans,
	       (unsigned long long)headers);
	printf("# stress: concurrency: %llu events, %llu doorbells, %llu host views\n",
	       (unsigned long long)events, (unsigned long long)doorbells,
	       (unsigned long long)views);
	for (v = 0; v < CONC_VMS; v++)
		svm_destroy(&vms[v]);
	EXPECT_TRUE(counters_zero(self->axfd, "concurrency"));
}

/*
 * A child VMM of teardown_kills: the concurrency workload on VM @id until
 * it is killed. Exits non-zero only when it fails before that.
 */
#define KILL_VMMS	3
/* Shared with the children: 1 while no KVM_CREATE_VM of theirs runs. */
static int *kill_ready;
static const __u64 kill_ids[] = { 401, 402, 403, 401, 402, 403, 401, 402 };

static void kill_child(int axfd, unsigned int slot, bool intercept)
{
	struct vcpu_job jobs[2];
	struct reader r = { 0 };
	struct svm s;
	int ret, tries;

	svm_kvm_ready = &kill_ready[slot];
	/* The previous VMM of this id may not be gone yet. */
	for (tries = 0; tries < 200; tries++) {
		ret = svm_create(&s, axfd, kill_ids[slot], 2, intercept, 0);
		if (ret != -EEXIST)
			break;
		svm_destroy(&s);
		usleep(10000);
	}
	if (ret)
		_exit(10);
	svm_params_ivc(&s, kill_ids, 8);
	if (jobs_start(jobs, &s, getpid() * 0x9e37ULL, 0, 600000))
		_exit(11);
	r.s = &s;
	r.axfd = -1;
	reader_run(&r);		/* never returns: r.stop is never set */
	_exit(12);
}

static pid_t spawn_kill_child(int axfd, unsigned int slot, bool intercept)
{
	pid_t pid;

	__atomic_store_n(&kill_ready[slot], 0, __ATOMIC_RELEASE);
	pid = fork();

	if (!pid)
		kill_child(axfd, slot, intercept);
	return pid;
}

TEST_F_TIMEOUT(stress, teardown_kills, STRESS_TIMEOUT)
{
	__u64 kills_wanted = env_u64("AXHVC_STRESS_KILLS", 24);
	pid_t pids[KILL_VMMS];
	__u64 kills = 0, early = 0;
	unsigned int i, wait;
	int status;
	double t0 = now_s();

	rnd_seed(getpid());
	kill_ready = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, kill_ready);
	for (i = 0; i < KILL_VMMS; i++) {
		pids[i] = spawn_kill_child(self->axfd, i, pick_intercept(&self->have, i != 1));
		ASSERT_LT(0, pids[i]);
	}
	while (kills < kills_wanted) {
		i = rnd() % KILL_VMMS;
		/* From "still setting up" to "deep in its loops". */
		usleep(rnd() % 400000);
		/*
		 * Not inside KVM_CREATE_VM: there KVM itself (6.12, arm64)
		 * leaks the stage-2 page table of a VM whose creation a
		 * SIGKILL interrupts (kvm_init_mmu_notifier() fails, and
		 * kvm_arch_destroy_vm() does not free the stage-2 MMU), which
		 * kmemleak reports. axhvc is not involved before the KVM VM
		 * exists; every later moment of the set-up stays a target.
		 */
		for (wait = 0; wait < 3000 &&
		     !__atomic_load_n(&kill_ready[i], __ATOMIC_ACQUIRE); wait++)
			usleep(1000);
		if (waitpid(pids[i], &status, WNOHANG) == pids[i]) {
			/* It died on its own: that is a failure of the child. */
			early++;
			TH_LOG("VMM %u ended by itself: status %#x", i, status);
		} else {
			ASSERT_EQ(0, kill(pids[i], SIGKILL));
			ASSERT_EQ(pids[i], waitpid(pids[i], &status, 0));
			if (!WIFSIGNALED(status)) {
				early++;
				TH_LOG("VMM %u exited %d before the kill", i, WEXITSTATUS(status));
			}
			kills++;
		}
		pids[i] = spawn_kill_child(self->axfd, i, pick_intercept(&self->have, i != 1));
		ASSERT_LT(0, pids[i]);
	}
	for (i = 0; i < KILL_VMMS; i++) {
		kill(pids[i], SIGKILL);
		waitpid(pids[i], &status, 0);
		kills++;
	}
	munmap(kill_ready, 4096);
	EXPECT_EQ(0, early);
	printf("# stress: teardown_kills: %llu VMMs killed by SIGKILL (%llu ended early), %.1f s\n",
	       (unsigned long long)kills, (unsigned long long)early, now_s() - t0);
	EXPECT_TRUE(counters_zero(self->axfd, "teardown_kills"));
}

/*
 * A VMM closes its VM fd (and unmaps the window, which holds the file too)
 * while its vCPUs keep calling: axhvc must let go of the VM under them.
 * The intercept route then answers as KVM does, the forwarded one gets
 * EBADF from the closed fd.
 */
TEST_F_TIMEOUT(stress, close_vm_fd_while_running, STRESS_TIMEOUT)
{
	__u64 rounds = env_u64("AXHVC_STRESS_CLOSE_ROUNDS", 2), r;
	__u64 calls = 0, after = 0;
	static const __u64 ids[] = { 501, 502 };
	double t0 = now_s();

	rnd_seed(getpid());
	for (r = 0; r < rounds; r++) {
		struct vcpu_job jobs[2][2];
		struct svm vms[2];
		unsigned int v, i;

		for (v = 0; v < 2; v++) {
			int ret = svm_create(&vms[v], self->axfd, ids[v], 2,
					     pick_intercept(&self->have, v == 0), 0);

			ASSERT_EQ(0, ret) TH_LOG("VM %u: %s", v, strerror(-ret));
			svm_params_ivc(&vms[v], ids, 2);
		}
		for (v = 0; v < 2; v++)
			ASSERT_EQ(0, jobs_start(jobs[v], &vms[v], rnd(),
						vms[v].intercept ? 3000 : 800, 600000));
		usleep(rnd() % 300000);
		for (v = 0; v < 2; v++) {
			close(vms[v].vmfd);
			vms[v].vmfd = -1;
			munmap(vms[v].window, IVC_SIZE);
			vms[v].window = NULL;
		}
		/* The VMs are gone while their guests still run. */
		EXPECT_TRUE(counters_zero(self->axfd, "closed, vCPUs running"));
		for (v = 0; v < 2; v++)
			for (i = 0; i < 2; i++) {
				struct vcpu_job *j = &jobs[v][i];

				pthread_join(j->thread, NULL);
				EXPECT_TRUE(j->ok) TH_LOG("%s", j->why);
				EXPECT_EQ(j->count, j->calls);
				EXPECT_EQ(0, j->weird);
				EXPECT_EQ(0, j->clobbered);
				calls += j->calls;
				after += j->fwd_errors;
			}
		for (v = 0; v < 2; v++)
			svm_destroy(&vms[v]);
	}
	printf("# stress: close_vm_fd_while_running: %llu rounds, %llu calls, ",
	       (unsigned long long)rounds, (unsigned long long)calls);
	printf("%llu forwarded after the close, %.1f s\n",
	       (unsigned long long)after, now_s() - t0);
	EXPECT_TRUE(counters_zero(self->axfd, "close_vm_fd_while_running"));
}

/* delete_module(), as rmmod does it; 0 or -errno. */
static int try_rmmod(void)
{
	return syscall(__NR_delete_module, "axhvc", O_NONBLOCK) ? -errno : 0;
}

/*
 * rmmod while VMs are registered and running, with /dev/axhvc closed: the
 * VM fds and the window mappings pin the module, so every attempt must be
 * refused and axhvc keep working.
 */
TEST_F_TIMEOUT(stress, rmmod_while_registered, STRESS_TIMEOUT)
{
	struct vcpu_job jobs[2][1];
	struct svm vms[2];
	static const __u64 ids[] = { 601, 602 };
	unsigned int v, attempts = 0, refused = 0;
	int ret, axfd;

	if (geteuid())
		SKIP(return, "unloading modules is root's");
	for (v = 0; v < 2; v++) {
		ret = svm_create(&vms[v], self->axfd, ids[v], 1,
				 pick_intercept(&self->have, v == 0), 0);
		ASSERT_EQ(0, ret) TH_LOG("VM %u: %s", v, strerror(-ret));
		svm_params_ivc(&vms[v], ids, 2);
	}
	close(self->axfd);
	self->axfd = -1;
	for (v = 0; v < 2; v++)
		ASSERT_EQ(0, jobs_start(jobs[v], &vms[v], 77 + v, 0, 3000));
	/* While they run; then with the fds closed but the windows mapped. */
	for (; attempts < 40; attempts++) {
		if (attempts == 30)
			for (v = 0; v < 2; v++) {
				close(vms[v].vmfd);
				vms[v].vmfd = -1;
			}
		ret = try_rmmod();
		if (ret == -EWOULDBLOCK || ret == -EBUSY)
			refused++;
		else
			TH_LOG("rmmod while registered: %s", ret ? strerror(-ret) : "done!");
		ASSERT_EQ(0, access("/sys/module/axhvc", F_OK));
		usleep(50000);
	}
	for (v = 0; v < 2; v++) {
		pthread_join(jobs[v][0].thread, NULL);
		EXPECT_TRUE(jobs[v][0].ok) TH_LOG("%s", jobs[v][0].why);
	}
	EXPECT_EQ(attempts, refused);
	for (v = 0; v < 2; v++)
		svm_destroy(&vms[v]);
	axfd = open(AXHVC_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, axfd);
	printf("# stress: rmmod_while_registered: %u rmmod attempts, %u refused\n",
	       attempts, refused);
	EXPECT_TRUE(counters_zero(axfd, "rmmod_while_registered"));
	close(axfd);
}

/*
 * ioctl fuzz on /dev/axhvc and VM fds: random commands (valid ones, the
 * axhvc magic with random numbers and sizes, anything) with random
 * argument structs whose fields are random or interesting values (fds,
 * VM ids, page-aligned addresses of our own buffers, window addresses).
 */
static const unsigned long axhvc_cmds[] = {
	AXHVC_GET_API_VERSION, AXHVC_CREATE_VM, AXHVC_GET_HOST_GIC,
	AXHVC_LIST_VMS, AXHVC_LIST_ALL_CHANNELS, AXHVC_VM_ADD_MEM_REGION,
	AXHVC_VM_HYPERCALL, AXHVC_VM_SET_DOORBELL, AXHVC_VM_SET_LIMITS,
	AXHVC_VM_SET_ALLOWLIST, AXHVC_VM_LIST_CHANNELS, AXHVC_VM_GET_CHANNEL,
	AXHVC_VM_SET_IRQ_ROUTE, AXHVC_VM_INJECT_IRQ, AXHVC_VM_FORWARD_IRQ,
	AXHVC_VM_UNFORWARD_IRQ, AXHVC_VM_GET_IRQ_STATE,
};

/* A field value for ioctl_fuzz: interesting ones, or random. */
static __u64 fuzz_value(__u64 x, char *buf2, const int *fds)
{
	__u64 y = x >> 8;

	switch (x % 16) {
	case 0:
		return 0;
	case 1:
		return ~0ULL;
	case 2:
		return (unsigned long)buf2;
	case 3:
		return (unsigned long)buf2 + 4096 - 8;
	case 4:
		return fds[x % 4] | ((__u64)fds[y % 4] << 32);
	case 5:
		return 701 + y % 3;
	case 6:
		return IVC_BASE + (y % 4) * 4096;
	case 7:
		return 4096ULL << (y % 12);
	case 8:
		return y % 1100;
	case 9:
		return 1ULL << 63;
	case 10:
		return y & 0xffffffffULL;
	case 11:
		return VMM_RAM_GPA;
	case 12:
		return y % 8 ? 0 : x;
	default:
		return x % 4 ? 0 : x;
	}
}

/* Errnos the UAPI documents for axhvc's ioctls. */
static bool errno_documented(int e)
{
	switch (e) {
	case ENOTTY: case EINVAL: case EFAULT: case EPERM: case EBADF:
	case EEXIST: case ENOENT: case E2BIG: case ENOSPC: case EBUSY:
	case ENOMEM: case ENODEV: case EOPNOTSUPP: case EMFILE: case ENFILE:
	case EACCES:
		return true;
	}
	return false;
}

TEST_F_TIMEOUT(stress, ioctl_fuzz, STRESS_TIMEOUT)
{
	__u64 n = env_u64("AXHVC_STRESS_IOCTLS", 20000), k;
	__u64 ok = 0, enotty = 0, other = 0, bad = 0, created = 0, reads = 0;
	__u64 by_errno[256] = { 0 };
	struct svm vms[2];
	char *buf, *buf2;
	int fds[4], ret;
	unsigned int v;
	double t0 = now_s();

	rnd_seed(0xfeedULL + getpid());
	for (v = 0; v < 2; v++) {
		ret = svm_create(&vms[v], self->axfd, 701 + v, 1,
				 pick_intercept(&self->have, v == 0), 0);
		ASSERT_EQ(0, ret) TH_LOG("VM %u: %s", v, strerror(-ret));
	}
	fds[0] = self->axfd;
	fds[1] = vms[0].vmfd;
	fds[2] = vms[1].vmfd;
	fds[3] = vms[0].vm->fd;		/* a KVM VM fd, for kvm_fd fields */
	/* Two pages of argument, then a guard page. */
	buf = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, buf);
	ASSERT_EQ(0, mprotect(buf + 2 * 4096, 4096, PROT_NONE));
	buf2 = buf + 4096;

	for (k = 0; k < n; k++) {
		int fd = fds[rnd() % 3];
		unsigned long cmd;
		unsigned int i, r = rnd() % 10;
		bool sparse;
		void *arg;
		__u64 *w = (__u64 *)buf;

		if (r < 5) {
			cmd = axhvc_cmds[rnd() % ARRAY_SIZE(axhvc_cmds)];
		} else if (r < 8) {
			static const unsigned int dirs[] = {
				_IOC_NONE, _IOC_READ, _IOC_WRITE, _IOC_READ | _IOC_WRITE,
			};

			unsigned long like = axhvc_cmds[rnd() % ARRAY_SIZE(axhvc_cmds)];

			cmd = _IOC(dirs[rnd() % 4], AXHVC_IOCTL_MAGIC, rnd() % 0x20,
				   rnd() % 2 ? rnd() % 256 : _IOC_SIZE(like));
		} else {
			cmd = (__u32)rnd();
		}
		/* The argument: interesting u64s, with smaller fields mixed in. */
		/* A valid command gets a mostly zero struct half of the time. */
		sparse = r < 5 && rnd() % 2;
		for (i = 0; i < 512; i++)
			w[i] = sparse && rnd() % 4 ? 0 : fuzz_value(rnd(), buf2, fds);
		memcpy(buf2, buf, 4096);
		r = rnd() % 20;
		if (r < 15)
			arg = buf;
		else if (r < 17)
			arg = buf + 2 * 4096 - rnd() % 64;	/* runs into the guard */
		else if (r < 18)
			arg = NULL;
		else if (r < 19)
			arg = (void *)0xffff800008000000UL;	/* a kernel address */
		else
			arg = (void *)(unsigned long)rnd();

		if (rnd() % 64 == 0) {
			/* Now and then, read the VM fd's events with odd lengths. */
			if (fd != self->axfd) {
				fcntl(fd, F_SETFL, O_NONBLOCK);
				read(fd, buf, rnd() % 128);
				reads++;
			}
		}
		ret = ioctl(fd, cmd, arg);
		if (ret >= 0) {
			ok++;
			/* A new fd (AXHVC_CREATE_VM): close it, the VM goes away. */
			if (ret > 0 && ret != fds[0] && ret != fds[1] && ret != fds[2] &&
			    ret != fds[3] && fcntl(ret, F_GETFD) >= 0) {
				close(ret);
				created++;
			}
			continue;
		}
		if (errno < 256)
			by_errno[errno]++;
		if (errno == ENOTTY) {
			enotty++;
		} else if (!errno_documented(errno)) {
			bad++;
			TH_LOG("ioctl %#lx on fd %d: undocumented %s", cmd, fd, strerror(errno));
		} else {
			other++;
		}
		/* Outside axhvc's magic (and the VFS's own), ENOTTY only. */
		if (_IOC_TYPE(cmd) != AXHVC_IOCTL_MAGIC && _IOC_TYPE(cmd) != 'T' &&
		    _IOC_TYPE(cmd) != 'f' && _IOC_TYPE(cmd) != 'X' &&
		    _IOC_TYPE(cmd) != 0x94 && _IOC_TYPE(cmd) != 0x15 &&
		    errno != ENOTTY) {
			bad++;
			TH_LOG("ioctl %#lx (not axhvc's) on fd %d: %s", cmd, fd, strerror(errno));
		}
	}
	EXPECT_EQ(0, bad);
	printf("# stress: ioctl_fuzz: %llu ioctls: %llu succeeded (%llu new VM fds), %llu ENOTTY, ",
	       (unsigned long long)n, (unsigned long long)ok, (unsigned long long)created,
	       (unsigned long long)enotty);
	printf("%llu others (EINVAL %llu, EFAULT %llu, EPERM %llu, EBADF %llu, ENOENT %llu), ",
	       (unsigned long long)other, (unsigned long long)by_errno[EINVAL],
	       (unsigned long long)by_errno[EFAULT], (unsigned long long)by_errno[EPERM],
	       (unsigned long long)by_errno[EBADF], (unsigned long long)by_errno[ENOENT]);
	printf("%llu undocumented; %llu reads, %.1f s\n",
	       (unsigned long long)bad, (unsigned long long)reads, now_s() - t0);
	munmap(buf, 3 * 4096);
	for (v = 0; v < 2; v++)
		svm_destroy(&vms[v]);
	EXPECT_TRUE(counters_zero(self->axfd, "ioctl_fuzz"));
}

/* A VM without KVM behind it: guest RAM is an anonymous mapping. */
struct plain_vm {
	int fd;
	__u64 *ram;
};

#define PLAIN_RAM_GPA	0x40000000ULL
#define RAM(off)	(PLAIN_RAM_GPA + (off))

static int plain_vm(int axfd, __u64 id, struct plain_vm *p)
{
	/* No KVM VM: the test hands over the guest's calls itself. */
	struct libaxhvc_vm_opts opts = {
		.vm_id = id, .kvm_vm_fd = -1, .skip_filter = true,
		.ivc_base = IVC_BASE, .ivc_size = IVC_SIZE,
	};

	p->ram = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p->ram == MAP_FAILED)
		return -errno;
	p->fd = libaxhvc_vm_create(axfd, &opts);
	if (p->fd < 0)
		return p->fd;
	return libaxhvc_vm_add_ram(p->fd, PLAIN_RAM_GPA, 4096, p->ram);
}

static void plain_vm_destroy(struct plain_vm *p)
{
	close(p->fd);
	munmap(p->ram, 4096);
}

/* A forwarded hypercall of @p: the guest's x0. */
static __s64 plain_call(struct plain_vm *p, __u64 x0, __u64 x1, __u64 x2,
			__u64 x3, __u64 x4)
{
	struct axhvc_hypercall hc = { .size = sizeof(hc), .x = { x0, x1, x2, x3, x4 } };

	if (ioctl(p->fd, AXHVC_VM_HYPERCALL, &hc))
		return -1000 - errno;
	return hc.ret;
}

/*
 * Everything a process that did not create VM fd @fd tries on it; returns
 * how many attempts were not refused with EPERM (0 is right).
 */
static int foreign_attempts(int fd, int *tried)
{
	struct axhvc_mem_region ram = {
		.size = sizeof(ram), .gpa = 0x80000000ULL, .memory_size = 4096,
	};
	struct axhvc_hypercall hc = { .size = sizeof(hc), .x = { AXHVC_HC_IVC_UNPUBLISH, 5 } };
	struct axhvc_doorbell db = { .size = sizeof(db), .eventfd = -1 };
	struct axhvc_vm_limits lim = { .size = sizeof(lim) };
	struct axhvc_allowlist al = { .size = sizeof(al) };
	struct axhvc_channel_list cl = {
		.size = sizeof(cl), .info_size = sizeof(struct axhvc_channel_info),
	};
	struct axhvc_channel_info ci;
	struct axhvc_channel_state cs = {
		.size = sizeof(cs), .publisher = 801, .key = 5,
		.info = (unsigned long)&ci, .info_size = sizeof(ci),
	};
	struct axhvc_irq_route rt = { .size = sizeof(rt), .intid = 40, .eventfd = -1 };
	struct axhvc_irq irq = { .size = sizeof(irq), .intid = 40 };
	struct axhvc_irq_forward fw = { .size = sizeof(fw), .host_irq = 1, .resamplefd = -1 };
	struct axhvc_irq_state is = { .size = sizeof(is), .intid = 40 };
	struct axhvc_event ev;
	const struct {
		unsigned long cmd;
		void *arg;
	} calls[] = {
		{ AXHVC_VM_ADD_MEM_REGION, &ram }, { AXHVC_VM_HYPERCALL, &hc },
		{ AXHVC_VM_SET_DOORBELL, &db }, { AXHVC_VM_SET_LIMITS, &lim },
		{ AXHVC_VM_SET_ALLOWLIST, &al }, { AXHVC_VM_LIST_CHANNELS, &cl },
		{ AXHVC_VM_GET_CHANNEL, &cs }, { AXHVC_VM_SET_IRQ_ROUTE, &rt },
		{ AXHVC_VM_INJECT_IRQ, &irq }, { AXHVC_VM_FORWARD_IRQ, &fw },
		{ AXHVC_VM_UNFORWARD_IRQ, &fw }, { AXHVC_VM_GET_IRQ_STATE, &is },
	};
	unsigned int i;
	int bad = 0;
	ssize_t n;
	void *p;

	ram.uaddr = (unsigned long)mmap(NULL, 4096, PROT_READ | PROT_WRITE,
					MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	for (i = 0; i < ARRAY_SIZE(calls); i++) {
		(*tried)++;
		if (ioctl(fd, calls[i].cmd, calls[i].arg) == 0 || errno != EPERM) {
			printf("# foreign VM fd: ioctl %#lx: %s\n", calls[i].cmd, strerror(errno));
			bad++;
		}
	}
	(*tried)++;
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p != MAP_FAILED || errno != EPERM) {
		printf("# foreign VM fd: mmap of the window: %s\n",
		       p != MAP_FAILED ? "mapped" : strerror(errno));
		bad++;
	}
	/* The creator's channel events are not another process's to take. */
	(*tried)++;
	fcntl(fd, F_SETFL, O_NONBLOCK);
	n = read(fd, &ev, sizeof(ev));
	if (n >= 0 || errno != EPERM) {
		printf("# foreign VM fd: read() of the events: %s\n",
		       n >= 0 ? "took an event" : strerror(errno));
		bad++;
	}
	return bad;
}

static int send_fd(int sock, int fd)
{
	char c = 'f', cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

static int recv_fd(int sock)
{
	char c, cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;
	int fd;

	if (recvmsg(sock, &msg, 0) != 1)
		return -1;
	cm = CMSG_FIRSTHDR(&msg);
	if (!cm || cm->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

/* Exit status of child @pid, or -1 if it did not exit normally. */
static int child_status(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

TEST_F_TIMEOUT(stress, access, STRESS_TIMEOUT)
{
	struct plain_vm a, b, c;
	struct stat st;
	int sv[2], fd, tried = 0, checks = 0;
	__s64 ret;
	__u64 allow;
	struct axhvc_allowlist al = { .size = sizeof(al), .ids = (unsigned long)&allow, .nr_ids = 1,
				      .flags = AXHVC_ALLOW_F_ENABLE };
	pid_t pid;

	/*
	 * /dev/axhvc: root's, or shared with group kvm as udev/60-axhvc.rules
	 * does on a shared host (the test host does the same).
	 */
	ASSERT_EQ(0, stat(AXHVC_DEV, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0, st.st_uid);
	EXPECT_TRUE(((st.st_mode & 07777) == 0600 && st.st_gid == 0) ||
		    ((st.st_mode & 07777) == 0660 && st.st_gid == 36))
		TH_LOG("mode %o, group %u", st.st_mode & 07777, st.st_gid);
	checks++;

	/*
	 * An unprivileged process outside the group cannot open it, nor take
	 * the host view; a tenant (this test as kvm-group user) is such a
	 * process for the host view.
	 */
	if (geteuid()) {
		struct axhvc_vm_list l = {
			.size = sizeof(l), .info_size = sizeof(struct axhvc_vm_info),
		};

		EXPECT_EQ(-1, ioctl(self->axfd, AXHVC_LIST_VMS, &l));
		EXPECT_EQ(EPERM, errno);
		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid)
			_exit(0);
	} else {
		pid = fork();
		ASSERT_LE(0, pid);
	}
	if (!pid) {
		struct axhvc_vm_list l = {
			.size = sizeof(l), .info_size = sizeof(struct axhvc_vm_info),
		};

		if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
			_exit(20);
		if (open(AXHVC_DEV, O_RDWR) >= 0 || errno != EACCES)
			_exit(21);
		if (open(AXHVC_DEV, O_RDONLY) >= 0 || errno != EACCES)
			_exit(22);
		/* An fd inherited from root: the device works, the host view does not. */
		if (!ioctl(self->axfd, AXHVC_LIST_VMS, &l) || errno != EPERM)
			_exit(23);
		_exit(0);
	}
	EXPECT_EQ(0, child_status(pid));
	checks += 3;

	/* An allowlist forbids subscribing. */
	ASSERT_EQ(0, plain_vm(self->axfd, 801, &a));
	ASSERT_EQ(0, plain_vm(self->axfd, 802, &b));
	ASSERT_EQ(0, plain_vm(self->axfd, 803, &c));
	a.ram[1] = 4096;
	EXPECT_EQ(0, plain_call(&a, AXHVC_HC_IVC_PUBLISH, 5, PLAIN_RAM_GPA, PLAIN_RAM_GPA + 8, 0));
	allow = 802;
	ASSERT_EQ(0, ioctl(a.fd, AXHVC_VM_SET_ALLOWLIST, &al));
	ret = plain_call(&c, AXHVC_HC_IVC_SUBSCRIBE, 801, 5, PLAIN_RAM_GPA, PLAIN_RAM_GPA + 8);
	EXPECT_EQ(-EACCES, ret);
	EXPECT_EQ(0, c.ram[0]) TH_LOG("a refused subscribe wrote its output");
	EXPECT_EQ(0, plain_call(&b, AXHVC_HC_IVC_SUBSCRIBE, 801, 5, RAM(0), RAM(8)));
	/* The publisher itself may always subscribe. */
	EXPECT_EQ(0, plain_call(&a, AXHVC_HC_IVC_SUBSCRIBE, 801, 5, RAM(16), RAM(24)));
	/* An empty enabled list keeps everybody else out, the listed one too. */
	al.nr_ids = 0;
	al.ids = 0;
	ASSERT_EQ(0, ioctl(a.fd, AXHVC_VM_SET_ALLOWLIST, &al));
	EXPECT_EQ(0, plain_call(&b, AXHVC_HC_IVC_UNSUBSCRIBE, 801, 5, 0, 0));
	EXPECT_EQ(-EACCES, plain_call(&b, AXHVC_HC_IVC_SUBSCRIBE, 801, 5, RAM(0), RAM(8)));
	checks += 5;

	/*
	 * A VM fd passed to another process by SCM_RIGHTS, or (kernels
	 * without AF_UNIX) taken from us with pidfd_getfd(): EPERM for
	 * everything.
	 */
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) {
		TH_LOG("no AF_UNIX (%s): the fd moves by pidfd_getfd()", strerror(errno));
		sv[0] = -1;
		sv[1] = -1;
	}
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		if (sv[1] >= 0) {
			close(sv[0]);
			fd = recv_fd(sv[1]);
		} else {
			int pfd = syscall(SYS_pidfd_open, getppid(), 0);

			fd = pfd < 0 ? -1 : syscall(SYS_pidfd_getfd, pfd, a.fd, 0);
		}
		if (fd < 0)
			_exit(30);
		_exit(foreign_attempts(fd, &tried) ? 31 : 0);
	}
	if (sv[1] >= 0) {
		close(sv[1]);
		ASSERT_EQ(0, send_fd(sv[0], a.fd));
		close(sv[0]);
	}
	EXPECT_EQ(0, child_status(pid));
	/* And one inherited by fork(). */
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(foreign_attempts(a.fd, &tried) ? 32 : 0);
	EXPECT_EQ(0, child_status(pid));
	/* Nothing of that reached the VM: its channel is as it was. */
	EXPECT_EQ(0, plain_call(&a, AXHVC_HC_IVC_UNPUBLISH, 5, 0, 0, 0));
	EXPECT_EQ(0, plain_call(&a, AXHVC_HC_IVC_UNSUBSCRIBE, 801, 5, 0, 0));
	checks += 2 * 14;

	plain_vm_destroy(&a);
	plain_vm_destroy(&b);
	plain_vm_destroy(&c);
	printf("# stress: access: %d checks (device mode, unprivileged open, host view, ", checks);
	printf("allowlist, a foreign VM fd passed on and inherited by fork)\n");
	EXPECT_TRUE(counters_zero(self->axfd, "access"));
}

TEST_HARNESS_MAIN
