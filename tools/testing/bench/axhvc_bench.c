// SPDX-License-Identifier: GPL-2.0
/*
 * axhvc_bench: what axhvc costs, against KVM's own fast path, measured side
 * by side in one run inside the (emulated) arm64 KVM host. Not a test: it
 * prints a table of min/median/max over interleaved rounds and the ratios
 * the goals are stated in (Documentation/testing.rst, "Benchmarks").
 *
 *   axhvc_bench [-r ROUNDS] [-s SECTIONS]   SECTIONS: a subset of "1234567"
 *
 * Section 2 unloads and reloads axhvc.ko (AXHVC_BENCH_KO, default
 * /axhvc/axhvc.ko): run it as root with nothing else using the module.
 *
 * Every guest time is counter-timer ticks (CNTVCT_EL0) read by the guest.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <libaxhvc.h>

#include "vmm.h"
#include "axhvc_host.h"
#include "guest_gic.h"
#include "guest_bench.h"

#define AXHVC_DEV	"/dev/axhvc"
#define IVC_BASE	0xD0000000ULL
#define IVC_SLOT	1
#define TIMEOUT_MS	120000
#define MAX_ROUNDS	100
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static unsigned int rounds = 9;

static void die(const char *what)
{
	fprintf(stderr, "axhvc_bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

#define CHECK(cond, what)	do { if (!(cond)) die(what); } while (0)

/* A libaxhvc call that failed: its message says what and why. */
static void die_lib(void)
{
	fprintf(stderr, "axhvc_bench: %s\n", libaxhvc_errmsg());
	exit(1);
}

#define LIBCHECK(ret)	do { if ((ret) < 0) die_lib(); } while (0)

/* One row of the table: a sample per round. */
struct row {
	const char *section;
	const char *name;
	const char *unit;
	double v[MAX_ROUNDS];
	unsigned int n;
	double ref_med;		/* ratio's denominator (median), 0: none */
	bool higher_better;
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double row_median(const struct row *r)
{
	double s[MAX_ROUNDS];

	if (!r->n)
		return 0;
	memcpy(s, r->v, r->n * sizeof(double));
	qsort(s, r->n, sizeof(double), cmp_double);
	return r->n % 2 ? s[r->n / 2] : (s[r->n / 2 - 1] + s[r->n / 2]) / 2;
}

static void row_minmax(const struct row *r, double *mn, double *mx)
{
	unsigned int i;

	*mn = *mx = r->n ? r->v[0] : 0;
	for (i = 1; i < r->n; i++) {
		if (r->v[i] < *mn)
			*mn = r->v[i];
		if (r->v[i] > *mx)
			*mx = r->v[i];
	}
}

static void row_add(struct row *r, double v)
{
	if (r->n < MAX_ROUNDS)
		r->v[r->n++] = v;
}

static void print_header(const char *title)
{
	printf("\n%s\n", title);
	printf("  %-46s %-9s %9s %9s %9s %7s %7s\n", "case", "unit", "min",
	       "median", "max", "r(min)", "r(pair)");
}

/*
 * The ratio of @r to @ref: the median of the per-round ratios, each of two
 * samples taken next to each other, which cancels the drift of a shared,
 * emulated host better than a ratio of medians.
 */
static double row_ratio(const struct row *r, const struct row *ref)
{
	struct row q = { .n = 0 };
	unsigned int i;

	for (i = 0; i < r->n && i < ref->n; i++)
		if (ref->v[i] > 0)
			row_add(&q, r->v[i] / ref->v[i]);
	return row_median(&q);
}

/*
 * The ratio of the best samples: other tenants of a shared host only ever
 * add time (or take bandwidth), so each case's best round is the closest to
 * its own cost. For rates (higher is better) the best is the max.
 */
static double row_best_ratio(const struct row *r, const struct row *ref)
{
	double a, b, c, d;

	row_minmax(r, &a, &b);
	row_minmax(ref, &c, &d);
	if (r->higher_better)
		return d > 0 ? b / d : 0;
	return c > 0 ? a / c : 0;
}

/* Ratios of the last row printed, for add_goal(). */
static double last_min_ratio, last_pair_ratio;

/* Prints @r with its ratios to @ref (none if @ref is NULL). */
static void print_row(const struct row *r, const struct row *ref)
{
	double mn, mx, med = row_median(r);
	char rb[16] = "", rp[16] = "";

	row_minmax(r, &mn, &mx);
	last_min_ratio = 0;
	last_pair_ratio = 0;
	if (ref) {
		last_min_ratio = row_best_ratio(r, ref);
		last_pair_ratio = row_ratio(r, ref);
		snprintf(rb, sizeof(rb), "%.3fx", last_min_ratio);
		snprintf(rp, sizeof(rp), "%.3fx", last_pair_ratio);
	}
	printf("  %-46s %-9s %9.2f %9.2f %9.2f %7s %7s\n", r->name, r->unit, mn,
	       med, mx, rb, rp);
	fflush(stdout);
}

/* Goals, stated at the end. */
static char goals[4096];

/*
 * The last row printed against a goal of @limit (0: reported, no goal),
 * judged on its r(pair) if @on_pair, else on its r(min).
 */
static void add_goal(const char *what, double limit, bool at_most, bool on_pair)
{
	double mn = last_min_ratio, pr = last_pair_ratio, ratio;
	size_t len = strlen(goals);
	bool met;

	ratio = on_pair ? pr : mn;
	met = at_most ? ratio <= limit : ratio >= limit;
	len += snprintf(goals + len, sizeof(goals) - len,
			"  %-48s r(min) %6.3fx  r(pair) %6.3fx  ", what, mn, pr);
	if (!limit)
		snprintf(goals + len, sizeof(goals) - len, "reported\n");
	else
		snprintf(goals + len, sizeof(goals) - len, "goal r(%s) %s %.2fx: %s\n",
			 on_pair ? "pair" : "min", at_most ? "<=" : ">=", limit,
			 met ? "MET" : "MISSED");
}

/* ---- guest runs ---- */

/* Runs @entry with x0..x7 until DONE; returns the ticks it reported. */
static double run_ticks(struct vmm_vcpu *vcpu, const void *entry, __u64 a0,
			__u64 a1, __u64 a2, __u64 a3, __u64 a4, __u64 a5,
			__u64 a6, __u64 a7, __u64 *freq)
{
	if (vmm_vcpu_start(vcpu, entry, 8, a0, a1, a2, a3, a4, a5, a6, a7) ||
	    vmm_vcpu_run_to_done(vcpu, TIMEOUT_MS)) {
		fprintf(stderr, "axhvc_bench: guest run failed\n");
		exit(1);
	}
	*freq = vcpu->report.args[2];
	return (double)vcpu->report.args[0];
}

/* ---- VMs ---- */

struct bvm {
	struct vmm_vm *vm;
	struct vmm_vcpu *vcpu;
	int vmfd;		/* axhvc VM fd, -1 if not registered */
	void *window;
	__u64 window_size;
	__u64 rec;		/* GPA of the timed loops' records */
};

/* Per call: { ticks, x0 } (bench_hvc_timed), twice that per pair. */
#define MAX_CALLS	2000
#define REC_BYTES	(MAX_CALLS * 4 * sizeof(__u64))

static void bvm_create(struct bvm *b, size_t ram)
{
	memset(b, 0, sizeof(*b));
	b->vmfd = -1;
	b->vm = vmm_vm_create_with_vcpus(1, ram);
	CHECK(b->vm, "creating a VM");
	b->vcpu = b->vm->vcpus[0];
	b->rec = vmm_guest_alloc(b->vm, REC_BYTES);
	CHECK(b->rec, "guest RAM for the call records");
}

/* Register @b with axhvc; with @window, map its IVC window as a memslot. */
static void bvm_register(struct bvm *b, int axfd, __u64 id, bool intercept,
			 bool filter, __u64 window)
{
	struct libaxhvc_vm_opts opts = {
		.vm_id = id, .kvm_vm_fd = b->vm->fd,
		.route = intercept ? LIBAXHVC_ROUTE_INTERCEPT : LIBAXHVC_ROUTE_FORWARDED,
		.skip_filter = !filter,
		.ivc_base = IVC_BASE, .ivc_size = window,
	};

	b->vmfd = libaxhvc_vm_create(axfd, &opts);
	LIBCHECK(b->vmfd);
	LIBCHECK(libaxhvc_vm_add_ram(b->vmfd, b->vm->ram_gpa, b->vm->ram_size, b->vm->ram));
	if (window) {
		LIBCHECK(libaxhvc_window_map(b->vmfd, window, &b->window));
		b->window_size = window;
		LIBCHECK(libaxhvc_window_install(b->vm->fd, IVC_SLOT, IVC_BASE, window, b->window));
	}
}

static void bvm_unregister(struct bvm *b)
{
	if (b->window) {
		libaxhvc_window_install(b->vm->fd, IVC_SLOT, IVC_BASE, 0, b->window);
		munmap(b->window, b->window_size);
		b->window = NULL;
	}
	if (b->vmfd >= 0)
		close(b->vmfd);
	b->vmfd = -1;
}

static void bvm_destroy(struct bvm *b)
{
	bvm_unregister(b);
	vmm_vm_destroy(b->vm);
}

static __u64 *guest_u64(struct bvm *b, __u64 gpa)
{
	return vmm_gpa_to_hva(b->vm, gpa);
}

/*
 * The median, in us, of @n calls' times in the records at @rec (@step u64s
 * apart, each { ticks, x0 }); each call must have returned @expect.
 */
/* The median us of @n tick counts, one every @step u64s of @rec. */
static double ticks_median_us(const __u64 *rec, unsigned int n, unsigned int step,
			      __u64 freq)
{
	static double t[MAX_CALLS];
	unsigned int i;

	for (i = 0; i < n; i++, rec += step)
		t[i] = vmm_ticks_to_us(rec[0], freq);
	qsort(t, n, sizeof(t[0]), cmp_double);
	return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

/* The same for records { ticks, x0 }, each x0 checked against @expect. */
static double calls_median_us(const __u64 *rec, unsigned int n, unsigned int step,
			      __u64 freq, __u64 code, __u64 expect)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (rec[i * step + 1] != expect) {
			fprintf(stderr, "axhvc_bench: code %#llx, call %u: x0 %#llx (want %#llx)\n",
				(unsigned long long)code, i,
				(unsigned long long)rec[i * step + 1],
				(unsigned long long)expect);
			exit(1);
		}
	return ticks_median_us(rec, n, step, freq);
}

/* Median us per call of code(x1..x4) over @n calls, each returning @expect. */
static double hvc_us(struct bvm *b, __u64 code, __u64 x1, __u64 x2, __u64 x3,
		     __u64 x4, unsigned int n, __u64 expect)
{
	__u64 freq;

	CHECK(n && n <= MAX_CALLS, "calls per sample");
	run_ticks(b->vcpu, bench_hvc_timed, code, x1, x2, x3, x4, n, b->rec, 0, &freq);
	return calls_median_us(guest_u64(b, b->rec), n, 2, freq, code, expect);
}

/*
 * @n pairs of SMCCC_VERSION (the floor) and code(x1..x4) alternating call by
 * call: the median us per call of each, into @floor_us and @case_us.
 */
static void hvc_pair_us(struct bvm *b, __u64 code, __u64 x1, __u64 x2, __u64 x3,
			__u64 x4, unsigned int n, __u64 expect, double *floor_us,
			double *case_us)
{
	__u64 freq, *rec;

	CHECK(n && 2 * n <= MAX_CALLS, "pairs per sample");
	run_ticks(b->vcpu, bench_hvc_pair, VMM_SMCCC_VERSION, code, x1, x2, x3, x4,
		  n, b->rec, &freq);
	rec = guest_u64(b, b->rec);
	*floor_us = calls_median_us(rec, n, 4, freq, VMM_SMCCC_VERSION,
				    VMM_SMCCC_VERSION_1_1);
	*case_us = calls_median_us(rec + 2, n, 4, freq, code, expect);
}

static int open_axhvc(void)
{
	int fd = open(AXHVC_DEV, O_RDWR | O_CLOEXEC);

	CHECK(fd >= 0, "open " AXHVC_DEV);
	return fd;
}

/* ---- 1: hypercall round trip ---- */

#define RT_CALLS	200

/*
 * Each case alternates, call by call, with KVM's own SMCCC_VERSION on the
 * same VM (its floor: the intercept's callback turns it away at once, on
 * every VM alike), so that the pair meets one and the same host; r(pair) is
 * the median over rounds of case / floor from one guest run, and the goals
 * are judged on it. The floor row pairs SMCCC_VERSION with itself: its
 * r(pair) shows what the method reads for two equal costs.
 */
static void bench_roundtrip(void)
{
	struct bvm plain, icpt, fwd, user;
	int axfd = open_axhvc();
	__u64 sub;
	unsigned int r, i;
	struct {
		struct row row, floor;
		struct bvm *b;
		__u64 code, x1, x2, expect;
	} c[] = {
		{ { .name = "KVM SMCCC_VERSION (floor)" }, {}, &plain,
		  VMM_SMCCC_VERSION, 0, 0, VMM_SMCCC_VERSION_1_1 },
		{ { .name = "axhvc intercept: Debug" }, {}, &icpt,
		  AXHVC_HC_HYPERVISOR_DEBUG, 0, 0, 0 },
		{ { .name = "axhvc intercept: failing subscribe (ENOENT)" }, {}, &icpt,
		  AXHVC_HC_IVC_SUBSCRIBE, 9, 9, (__u64)-ENOENT },
		{ { .name = "axhvc forwarded: Debug" }, {}, &fwd,
		  AXHVC_HC_HYPERVISOR_DEBUG, 0, 0, 0 },
		{ { .name = "KVM_EXIT_HYPERCALL, VMM answers (no module)" }, {}, &user,
		  AXHVC_HC_HYPERVISOR_DEBUG, 0, 0, 0 },
	};
	struct row icpt_floor = { .name = "axhvc intercept VM: SMCCC_VERSION",
				  .unit = "us/call" };

	bvm_create(&plain, 0);
	bvm_create(&icpt, 0);
	bvm_create(&fwd, 0);
	bvm_create(&user, 0);
	bvm_register(&icpt, axfd, 1, true, false, 0);
	bvm_register(&fwd, axfd, 2, false, true, 0);
	LIBCHECK(libaxhvc_smccc_filter(user.vm->fd, 0, AXHVC_HC_COUNT,
				       KVM_SMCCC_FILTER_FWD_TO_USER));
	vmm_vcpu_set_exit_handler(fwd.vcpu, axhvc_forward_exit, &fwd.vmfd);
	vmm_vcpu_set_exit_handler(user.vcpu, axhvc_answer_exit, NULL);
	sub = vmm_guest_alloc(icpt.vm, 4096);

	/* One warm-up round, not counted; then the cases interleaved. */
	for (r = 0; r <= 3 * rounds; r++)
		for (i = 0; i < ARRAY_SIZE(c); i++) {
			double fl, cs;

			hvc_pair_us(c[i].b, c[i].code, c[i].x1, c[i].x2, sub, sub + 8,
				    r ? RT_CALLS : 20, c[i].expect, &fl, &cs);
			if (!r)
				continue;
			row_add(&c[i].row, cs);
			row_add(&c[i].floor, fl);
			if (c[i].b == &icpt && i == 1)
				row_add(&icpt_floor, fl);
		}

	print_header("1. hypercall round trip, guest-observed (median us per call; ratio to\n"
		     "   SMCCC_VERSION called next to it)");
	for (i = 0; i < ARRAY_SIZE(c); i++) {
		c[i].row.unit = "us/call";
		print_row(&c[i].row, &c[i].floor);
		if (i == 1)
			add_goal("intercept round trip, Debug", 1.15, true, true);
		if (i == 2) {
			add_goal("intercept round trip, failing subscribe", 1.15, true, true);
			/* The callback's cost to KVM's own calls, across VMs. */
			print_row(&icpt_floor, &c[0].floor);
		}
		if (i == 3)
			add_goal("forwarded round trip, Debug", 0, true, true);
	}
	bvm_destroy(&plain);
	bvm_destroy(&icpt);
	bvm_destroy(&fwd);
	bvm_destroy(&user);
	close(axfd);
}

/* ---- 2: the tax on a VM not registered with axhvc ---- */

/* Runs @cmd, then lets the host settle (RCU, ftrace, the module loader). */
static void module_cmd(const char *cmd)
{
	if (system(cmd)) {
		fprintf(stderr, "axhvc_bench: '%s' failed\n", cmd);
		exit(1);
	}
	usleep(300000);
}

/*
 * @n pairs of a guest-only spin of @spins iterations and code (no
 * arguments) alternating: the median us of each, into @spin_us and
 * @call_us.
 */
static void spin_pair_us(struct bvm *b, __u64 code, __u64 spins, unsigned int n,
			 __u64 expect, double *spin_us, double *call_us)
{
	__u64 freq, *rec;

	CHECK(n && 2 * n <= MAX_CALLS && spins, "pairs per sample");
	run_ticks(b->vcpu, bench_loop_pair, code, spins, n, b->rec, 0, 0, 0, 0, &freq);
	rec = guest_u64(b, b->rec);
	*spin_us = ticks_median_us(rec, n, 4, freq);
	*call_us = calls_median_us(rec + 2, n, 4, freq, code, expect);
}

/* One sample of SMCCC_VERSION, after a warm-up: in spins, and in us. */
static void tax_sample(struct bvm *b, __u64 spins, struct row *in_spins,
		       struct row *in_us)
{
	double sp, call;

	spin_pair_us(b, VMM_SMCCC_VERSION, spins, 50, VMM_SMCCC_VERSION_1_1, &sp, &call);
	spin_pair_us(b, VMM_SMCCC_VERSION, spins, RT_CALLS, VMM_SMCCC_VERSION_1_1, &sp, &call);
	row_add(in_spins, call / sp);
	row_add(in_us, call);
}

/*
 * The module is reloaded between the loaded and the unloaded samples, so
 * they cannot alternate call by call, and the emulated host's speed can
 * change by 2x between them. So each SMCCC_VERSION is timed next to a
 * guest-only spin of about the same length, which meets the same host but
 * never leaves the guest, and a sample is the call in units of the spin.
 */
static void bench_tax(void)
{
	const char *ko = getenv("AXHVC_BENCH_KO") ?: "/axhvc/axhvc.ko";
	struct row loaded = { .name = "SMCCC_VERSION, axhvc loaded, intercepting VM 1",
			      .unit = "spins" };
	struct row unloaded = { .name = "SMCCC_VERSION, axhvc unloaded", .unit = "spins" };
	struct row loaded_us = { .name = "the same in us, loaded", .unit = "us/call" };
	struct row unloaded_us = { .name = "the same in us, unloaded", .unit = "us/call" };
	struct bvm plain, other;
	double sp, call;
	__u64 spins;
	char cmd[256];
	unsigned int r;
	int axfd;

	bvm_create(&plain, 0);
	bvm_create(&other, 0);
	/* A spin about as long as the call. */
	spin_pair_us(&plain, VMM_SMCCC_VERSION, 1000, 50, VMM_SMCCC_VERSION_1_1, &sp, &call);
	spins = sp > 0 ? (__u64)(1000 * call / sp) : 1000;
	spins = spins ?: 1;
	snprintf(cmd, sizeof(cmd), "insmod %s", ko);
	for (r = 0; r < 3 * rounds; r++) {
		/* Loaded, with another VM's hypercalls intercepted. */
		axfd = open_axhvc();
		bvm_register(&other, axfd, 1, true, false, 0);
		usleep(300000);
		tax_sample(&plain, spins, &loaded, &loaded_us);
		bvm_unregister(&other);
		close(axfd);
		module_cmd("rmmod axhvc");
		tax_sample(&plain, spins, &unloaded, &unloaded_us);
		module_cmd(cmd);
	}
	snprintf(cmd, sizeof(cmd),
		 "2. tax on a VM not registered with axhvc (SMCCC_VERSION in units of a\n"
		 "   guest-only spin of %llu iterations timed next to each call; ratio to\n"
		 "   unloaded)", (unsigned long long)spins);
	print_header(cmd);
	print_row(&unloaded_us, &unloaded_us);
	print_row(&loaded_us, &unloaded_us);
	print_row(&unloaded, &unloaded);
	print_row(&loaded, &unloaded);
	add_goal("tax on an unregistered VM (loaded / unloaded)", 1.05, true, true);
	bvm_destroy(&plain);
	bvm_destroy(&other);
}

/* ---- 3: scale with the number of channels ---- */

#define MANY		10000
#define SCALE_CALLS	500	/* pairs with the floor per sample */
#define PAIRS		500	/* publish+unpublish pairs per sample */
#define ID_SCALE	1
#define ID_ABSENT	2

static void publish_keys(struct bvm *b, __u64 first, __u64 n, __u64 buf,
			 __u64 code)
{
	__u64 freq;

	if (!n)
		return;
	*guest_u64(b, buf + 8) = 4096;
	/* publish(key, base, size) or unpublish(key), key counting up. */
	run_ticks(b->vcpu, bench_hvc_keys, code, first, buf, buf + 8, n, 0, 0, 0, &freq);
}

/* code(x1..x4) in units of KVM's SMCCC_VERSION, called next to it. */
static double hvc_floors(struct bvm *b, __u64 code, __u64 x1, __u64 x2, __u64 x3,
			 __u64 x4, __u64 expect)
{
	double fl, cs;

	hvc_pair_us(b, code, x1, x2, x3, x4, SCALE_CALLS, expect, &fl, &cs);
	return cs / fl;
}

/* A publish+unpublish pair of @key in units of SMCCC_VERSION, as above. */
static double pub_unpub_floors(struct bvm *b, __u64 key, __u64 buf)
{
	__u64 freq, *rec;

	*guest_u64(b, buf + 8) = 4096;
	run_ticks(b->vcpu, bench_pub_unpub, key, buf, buf + 8, PAIRS, b->rec, 0, 0, 0,
		  &freq);
	rec = guest_u64(b, b->rec);
	return calls_median_us(rec + 2, PAIRS, 4, freq, AXHVC_HC_IVC_PUBLISH, 0) /
	       calls_median_us(rec, PAIRS, 4, freq, VMM_SMCCC_VERSION,
			       VMM_SMCCC_VERSION_1_1);
}

/*
 * How the registry's size moves a call's cost. The registry cannot hold 1
 * and 10,000 channels at once, so the samples of different sizes are
 * seconds apart, and the emulated host's speed moves by 2x in that time
 * when the machine is busy. So each call is timed next to KVM's own
 * SMCCC_VERSION, call by call as in section 1, and a sample is the median
 * call in units of the median SMCCC_VERSION: the host's speed cancels out.
 */
static void bench_scale(void)
{
	static const unsigned int counts[] = { 1, 100, MANY };
	struct row notify[3], miss[3], pairs[3];
	struct bvm a;
	int axfd = open_axhvc();
	long old_max = axhvc_set_param("max_channels_per_vm", 2 * MANY);
	__u64 buf, live = 0;
	unsigned int r, i;

	CHECK(old_max > 0, "max_channels_per_vm");
	memset(notify, 0, sizeof(notify));
	memset(miss, 0, sizeof(miss));
	memset(pairs, 0, sizeof(pairs));
	bvm_create(&a, 0);
	bvm_register(&a, axfd, ID_SCALE, true, false, 64ULL << 20);
	buf = vmm_guest_alloc(a.vm, 4096);
	/* Key 0 is the channel notify finds; warm up. */
	publish_keys(&a, 0, 1, buf, AXHVC_HC_IVC_PUBLISH);
	live = 1;
	hvc_us(&a, AXHVC_HC_IVC_NOTIFY, ID_SCALE, 0, ID_SCALE, 0, 50,
	       (__u64)-EOPNOTSUPP);

	for (r = 0; r < rounds; r++) {
		for (i = 0; i < ARRAY_SIZE(counts); i++) {
			/* Channels 0..count-1, published by the measuring VM. */
			publish_keys(&a, live, counts[i] - live, buf, AXHVC_HC_IVC_PUBLISH);
			live = counts[i];
			/* Notify a channel the VM holds (its own, no doorbell). */
			row_add(&notify[i], hvc_floors(&a, AXHVC_HC_IVC_NOTIFY, ID_SCALE,
						       counts[i] / 2, ID_SCALE, 0,
						       (__u64)-EOPNOTSUPP));
			/* Subscribe to a channel nobody published. */
			row_add(&miss[i], hvc_floors(&a, AXHVC_HC_IVC_SUBSCRIBE, ID_ABSENT,
						     1, buf, buf + 8, (__u64)-ENOENT));
			row_add(&pairs[i], pub_unpub_floors(&a, 1000000, buf));
		}
		/* Back to one channel for the next round. */
		publish_keys(&a, 1, live - 1, buf, AXHVC_HC_IVC_UNPUBLISH);
		live = 1;
	}

	print_header("3. scale: intercepted calls with 1, 100, 10,000 channels, in units of\n"
		     "   KVM's SMCCC_VERSION called next to them (ratio to 1 channel)");
	for (i = 0; i < 3; i++) {
		static char names[3][3][64];

		snprintf(names[0][i], 64, "notify, %u channel%s", counts[i],
			 counts[i] > 1 ? "s" : "");
		notify[i].name = names[0][i];
		notify[i].unit = "floors";
		print_row(&notify[i], &notify[0]);
		if (i == 2)
			add_goal("notify, 10,000 vs 1 channel", 1.1, true, false);
	}
	for (i = 0; i < 3; i++) {
		static char names[3][64];

		snprintf(names[i], 64, "subscribe miss, %u channel%s", counts[i],
			 counts[i] > 1 ? "s" : "");
		miss[i].name = names[i];
		miss[i].unit = "floors";
		print_row(&miss[i], &miss[0]);
		if (i == 2)
			add_goal("subscribe miss, 10,000 vs 1 channel", 1.1, true, false);
	}
	for (i = 0; i < 3; i += 2) {
		static char names[3][64];

		snprintf(names[i], 64, "publish+unpublish, %u live", counts[i]);
		pairs[i].name = names[i];
		pairs[i].unit = "floors";
		print_row(&pairs[i], &pairs[0]);
		if (i == 2)
			add_goal("publish+unpublish time, 10,000 vs 1 live channel", 1.1,
				 true, false);
	}
	bvm_destroy(&a);
	axhvc_set_param("max_channels_per_vm", old_max);
	close(axfd);
}

/* ---- 4: the IVC data path ---- */

#define ID_PUB		11
#define ID_SUB		12
#define KEY_SMALL	0x64
#define KEY_BIG		0x1000
#define SMALL		(64 * 1024)
#define BIG		(1024 * 1024)
#define COPY_BYTES	(16 * 1024 * 1024)	/* moved per sample */

/*
 * A stage-1 table for the guest's copies: 4 KiB granule, 32-bit VA, four
 * 1 GiB level-1 blocks mapping the first 4 GiB of IPA space 1:1. The first
 * (GIC, report page: MMIO) is Device-nGnRnE; RAM at 1 GiB and the IVC
 * window at 3 GiB are Normal write-back, inner shareable: a guest OS's
 * memcpy sees its RAM exactly like that.
 */
static __u64 build_stage1(struct bvm *b)
{
	__u64 gpa = vmm_guest_alloc(b->vm, 4096), *t = guest_u64(b, gpa);
	const __u64 af = 1ULL << 10, ish = 3ULL << 8, normal = 1ULL << 2;

	CHECK(gpa, "page table");
	t[0] = 0x00000000ULL | af | 1;
	t[1] = 0x40000000ULL | af | ish | normal | 1;
	t[2] = 0x80000000ULL | af | 1;
	t[3] = 0xC0000000ULL | af | ish | normal | 1;
	return gpa;
}

/* MB/s of one copy sample. */
static double copy_mbs(struct bvm *b, __u64 src, __u64 dst, __u64 size,
		       __u64 ttbr)
{
	__u64 freq, reps = COPY_BYTES / size;
	double t = run_ticks(b->vcpu, bench_copy, src, dst, size, reps, ttbr, 0,
			     0, 0, &freq);

	return (double)size * reps / (t / freq) / 1e6;
}

/*
 * MB/s of copy A (@sa to @da) and copy B (@sb to @db), from one guest run in
 * which they alternate copy by copy: each the median of its copies.
 */
static void copy_pair_mbs(struct bvm *b, __u64 sa, __u64 da, __u64 sb, __u64 db,
			  __u64 size, double *a_mbs, double *b_mbs)
{
	unsigned int n = COPY_BYTES / size;
	__u64 freq, *rec;

	CHECK(n && 2 * n <= 4 * MAX_CALLS, "copies per sample");
	run_ticks(b->vcpu, bench_copy_pair, sa, da, sb, db, size, n, b->rec, 0, &freq);
	rec = guest_u64(b, b->rec);
	*a_mbs = size / ticks_median_us(rec, n, 2, freq);
	*b_mbs = size / ticks_median_us(rec + 1, n, 2, freq);
}

/* Publish (@pub) or subscribe: the mapping's GPA in the VM's window. */
static __u64 ivc_join(struct bvm *b, bool pub, __u64 key, __u64 size)
{
	__u64 buf = vmm_guest_alloc(b->vm, 4096);
	__u64 code = pub ? AXHVC_HC_IVC_PUBLISH : AXHVC_HC_IVC_SUBSCRIBE;

	*guest_u64(b, buf + 8) = size;
	if (pub)
		hvc_us(b, code, key, buf, buf + 8, 0, 1, 0);
	else
		hvc_us(b, code, ID_PUB, key, buf, buf + 8, 1, 0);
	CHECK(*guest_u64(b, buf + 8) == size, "channel size");
	return *guest_u64(b, buf);
}

/*
 * Where the guest's own buffer sits changes what the emulated host makes of
 * a copy, apart from any channel: measured here with the same channel, a
 * publisher's copy from one RAM buffer ran at 0.64x its memcpy and from
 * another at 1.20x. So the goals are judged on PLACES placements of the
 * RAM side of the copy, each against a memcpy with that same buffer; the
 * two copies alternate copy by copy in one guest run (bench_copy_pair), so
 * that the host's changes of speed meet both alike.
 */
#define PLACES		8
#define PLACE_STRIDE	(BIG + 5 * 4096)

/* The ratio of @ch to @ram over every placement: min, median, max. */
struct place_ratio {
	double min, med, max, pair_med;
};

static struct place_ratio place_ratios(const struct row *ch, const struct row *ram)
{
	struct row best = { .n = 0 }, pair = { .n = 0 };
	struct place_ratio pr;
	unsigned int j;

	for (j = 0; j < PLACES; j++) {
		row_add(&best, row_best_ratio(&ch[j], &ram[j]));
		row_add(&pair, row_ratio(&ch[j], &ram[j]));
	}
	row_minmax(&best, &pr.min, &pr.max);
	pr.med = row_median(&best);
	pr.pair_med = row_median(&pair);
	return pr;
}

static void print_places(const char *name, const struct place_ratio *pr)
{
	printf("  %-46s %-9s %9.3f %9.3f %9.3f %6.3fx %6.3fx\n", name, "ratio",
	       pr->min, pr->med, pr->max, pr->med, pr->pair_med);
}

static void bench_ivc(struct bvm *p, struct bvm *s)
{
	static const __u64 sizes[] = { SMALL, BIG };
	static const char *const names[2][5] = {
		{ "64 KiB: memcpy, publisher's own RAM",
		  "64 KiB: publisher RAM -> channel",
		  "64 KiB: channel -> subscriber RAM",
		  "64 KiB: memcpy, subscriber's own RAM",
		  "64 KiB: memcpy to own RAM without THP (4K)" },
		{ "1 MiB: memcpy, publisher's own RAM",
		  "1 MiB: publisher RAM -> channel",
		  "1 MiB: channel -> subscriber RAM",
		  "1 MiB: memcpy, subscriber's own RAM",
		  "1 MiB: memcpy to own RAM without THP (4K)" },
	};
	struct row rows[2][5];
	__u64 psrc, pdst, p4k, ssrc, sdst, pch[2], sch[2], pt, st;
	void *p4k_hva;
	unsigned int r, i, k;
	__u8 *src;
	/* [size][placement]: publisher's buffer -> RAM, -> channel; subscriber's. */
	static struct row pram[2][PLACES], pchan[2][PLACES];
	static struct row sram[2][PLACES], schan[2][PLACES];
	struct place_ratio pw[2], sr[2];
	__u64 ppool, spool, pplace, splace;
	unsigned int j;
	double a, b;

	memset(rows, 0, sizeof(rows));
	psrc = vmm_guest_alloc(p->vm, BIG);
	pdst = vmm_guest_alloc(p->vm, BIG);
	ssrc = vmm_guest_alloc(s->vm, BIG);
	sdst = vmm_guest_alloc(s->vm, BIG);
	/*
	 * The VMM's RAM is THP-backed (KVM maps it with 2 MiB blocks), a
	 * channel is 4 KiB pages: a destination in RAM with 4 KiB pages only
	 * tells which of the two a difference comes from.
	 */
	p4k = vmm_guest_alloc(p->vm, BIG);
	ppool = vmm_guest_alloc(p->vm, PLACES * PLACE_STRIDE);
	spool = vmm_guest_alloc(s->vm, PLACES * PLACE_STRIDE);
	CHECK(psrc && pdst && p4k && ssrc && sdst && ppool && spool, "guest buffers");
	p4k_hva = vmm_gpa_to_hva(p->vm, p4k);
	CHECK(!madvise(p4k_hva, BIG, MADV_NOHUGEPAGE) &&
	      !madvise(p4k_hva, BIG, MADV_DONTNEED), "madvise");
	src = vmm_gpa_to_hva(p->vm, psrc);
	for (i = 0; i < BIG; i++)
		src[i] = (__u8)(i * 7 + 1);
	memcpy(vmm_gpa_to_hva(s->vm, ssrc), src, BIG);
	for (j = 0; j < PLACES; j++)
		memcpy(vmm_gpa_to_hva(p->vm, ppool + j * PLACE_STRIDE), src, BIG);
	pch[0] = ivc_join(p, true, KEY_SMALL, SMALL);
	pch[1] = ivc_join(p, true, KEY_BIG, BIG);
	sch[0] = ivc_join(s, false, KEY_SMALL, SMALL);
	sch[1] = ivc_join(s, false, KEY_BIG, BIG);
	pt = build_stage1(p);
	st = build_stage1(s);
	/* MMU and caches on (they stay on for the guests' later runs). */
	copy_mbs(p, psrc, pdst, SMALL, pt);
	copy_mbs(s, ssrc, sdst, SMALL, st);

	for (r = 0; r < rounds; r++)
		for (k = 0; k < 2; k++) {
			__u64 size = sizes[k];

			row_add(&rows[k][0], copy_mbs(p, psrc, pdst, size, 0));
			row_add(&rows[k][1], copy_mbs(p, psrc, pch[k], size, 0));
			row_add(&rows[k][2], copy_mbs(s, sch[k], sdst, size, 0));
			row_add(&rows[k][3], copy_mbs(s, ssrc, sdst, size, 0));
			row_add(&rows[k][4], copy_mbs(p, psrc, p4k, size, 0));
			for (j = 0; j < PLACES; j++) {
				pplace = ppool + j * PLACE_STRIDE;
				splace = spool + j * PLACE_STRIDE;
				copy_pair_mbs(p, pplace, pdst, pplace, pch[k], size, &a, &b);
				row_add(&pram[k][j], a);
				row_add(&pchan[k][j], b);
				copy_pair_mbs(s, ssrc, splace, sch[k], splace, size, &a, &b);
				row_add(&sram[k][j], a);
				row_add(&schan[k][j], b);
			}
		}
	for (k = 0; k < 2; k++) {
		pw[k] = place_ratios(pchan[k], pram[k]);
		sr[k] = place_ratios(schan[k], sram[k]);
	}
	/* What the publisher wrote is what the other VM read. */
	for (k = 0; k < 2; k++) {
		CHECK(!memcmp((char *)s->window + (sch[k] - IVC_BASE), src, sizes[k]),
		      "the subscriber's view of the channel");
		CHECK(!memcmp(vmm_gpa_to_hva(s->vm, sdst), src, sizes[k]),
		      "what the subscriber copied out");
	}

	print_header("4. IVC data path, guest MMU on, Normal WB (MB/s; ratio to memcpy)");
	for (k = 0; k < 2; k++) {
		for (i = 0; i < 5; i++) {
			rows[k][i].name = names[k][i];
			rows[k][i].unit = "MB/s";
			rows[k][i].higher_better = true;
		}
		print_row(&rows[k][0], &rows[k][0]);
		print_row(&rows[k][1], &rows[k][0]);
		print_row(&rows[k][2], &rows[k][3]);
		print_row(&rows[k][3], &rows[k][3]);
		print_row(&rows[k][4], &rows[k][0]);
	}
	printf("  ratio to memcpy with the same RAM buffer, copy by copy, over %u\n"
	       "  placements of it (min / median / max of the best-sample ratios, their\n"
	       "  median; then the median of the paired ratios, which the goals judge):\n",
	       PLACES);
	for (k = 0; k < 2; k++) {
		print_places(k ? "1 MiB: publisher RAM -> channel" :
			     "64 KiB: publisher RAM -> channel", &pw[k]);
		last_min_ratio = pw[k].med;
		last_pair_ratio = pw[k].pair_med;
		add_goal(k ? "IVC 1 MiB: publisher writes channel vs memcpy" :
			 "IVC 64 KiB: publisher writes channel vs memcpy", 0.9, false, true);
		print_places(k ? "1 MiB: channel -> subscriber RAM" :
			     "64 KiB: channel -> subscriber RAM", &sr[k]);
		last_min_ratio = sr[k].med;
		last_pair_ratio = sr[k].pair_med;
		add_goal(k ? "IVC 1 MiB: subscriber reads channel vs memcpy" :
			 "IVC 64 KiB: subscriber reads channel vs memcpy", 0.9, false, true);
	}
}

/* ---- 5: doorbell ---- */

#define DOORBELL_GSI	9
#define DOORBELL_INTID	(DOORBELL_GSI + 32)
#define KEY_BELL	0xbe11
#define BELL_IRQS	300

struct waiter {
	struct vmm_vcpu *vcpu;
	pthread_t thread;
	enum vmm_run_result result;
	int finished;
};

static void *waiter_run(void *arg)
{
	struct waiter *w = arg;

	if (!vmm_watchdog_arm(w->vcpu, TIMEOUT_MS)) {
		w->result = vmm_vcpu_run(w->vcpu);
		vmm_watchdog_disarm(w->vcpu);
	} else {
		w->result = VMM_RUN_ERROR;
	}
	__atomic_store_n(&w->finished, 1, __ATOMIC_RELEASE);
	return NULL;
}

/*
 * us per interrupt taken by the subscriber's handler, one at a time: the
 * next is raised only once the handler has counted the last, either by
 * the publisher's guest (HIVCNotify) or by this VMM (eventfd write, that
 * is KVM_IRQFD alone).
 */
static double bell_us(struct bvm *p, struct bvm *s, int efd, __u64 pcount,
		      __u64 scount, bool notify)
{
	__u64 *taken = (__u64 *)((char *)s->window + (scount - IVC_BASE));
	struct vmm_vcpu *rx = s->vcpu;
	struct waiter w = { .vcpu = rx };
	const __u64 one = 1;
	__u64 i, freq;

	if (vmm_vcpu_start(rx, guest_gic_count_irqs, 3, (__u64)DOORBELL_INTID,
			   (__u64)BELL_IRQS, scount) ||
	    vmm_watchdog_arm(rx, TIMEOUT_MS) || vmm_vcpu_run(rx) != VMM_RUN_REPORT ||
	    rx->report.cmd != VMM_REPORT_VALUE || rx->report.args[0] != GUEST_GIC_READY) {
		vmm_vcpu_dump(rx, "doorbell receiver");
		exit(1);
	}
	vmm_watchdog_disarm(rx);
	CHECK(!pthread_create(&w.thread, NULL, waiter_run, &w), "thread");
	if (notify) {
		run_ticks(p->vcpu, bench_notify_paced, ID_PUB, KEY_BELL, ID_SUB,
			  pcount, BELL_IRQS, 0, 0, 0, &freq);
	} else {
		for (i = 0; i < BELL_IRQS; i++) {
			CHECK(write(efd, &one, sizeof(one)) == sizeof(one), "eventfd");
			while (__atomic_load_n(taken, __ATOMIC_ACQUIRE) <= i &&
			       !__atomic_load_n(&w.finished, __ATOMIC_ACQUIRE))
				;
		}
	}
	pthread_join(w.thread, NULL);
	if (w.result != VMM_RUN_REPORT || rx->report.cmd != VMM_REPORT_DONE ||
	    rx->report.args[1] != BELL_IRQS) {
		vmm_report_print(rx);
		vmm_vcpu_dump(rx, "doorbell receiver");
		exit(1);
	}
	return vmm_ticks_to_us(rx->report.args[0], rx->report.args[2]) / BELL_IRQS;
}

static void bench_doorbell(struct bvm *p, struct bvm *s)
{
	struct row irqfd = { .name = "KVM_IRQFD signal from the VMM (eventfd write)",
			     .unit = "us/irq" };
	struct row notify = { .name = "HIVCNotify from the other VM (intercept)",
			      .unit = "us/irq" };
	__u64 pch, sch;
	unsigned int r;
	int efd = eventfd(0, EFD_CLOEXEC);

	CHECK(efd >= 0, "eventfd");
	LIBCHECK(libaxhvc_irqfd(s->vm->fd, DOORBELL_INTID, efd, true));
	LIBCHECK(libaxhvc_set_doorbell(s->vmfd, efd));
	pch = ivc_join(p, true, KEY_BELL, 4096);
	sch = ivc_join(s, false, KEY_BELL, 4096);
	/* The handler count lives in the channel: the sender paces on it. */
	for (r = 0; r < rounds; r++) {
		row_add(&irqfd, bell_us(p, s, efd, pch + 64, sch + 64, false));
		row_add(&notify, bell_us(p, s, efd, pch + 64, sch + 64, true));
	}
	print_header("5. doorbell: raise -> other guest's handler, paced (us/IRQ; ratio to irqfd)");
	print_row(&irqfd, &irqfd);
	print_row(&notify, &irqfd);
	libaxhvc_set_doorbell(s->vmfd, -1);
	libaxhvc_irqfd(s->vm->fd, DOORBELL_INTID, efd, false);
	close(efd);
}

static void bench_pair(bool ivc, bool bell)
{
	struct bvm p, s;
	int axfd = open_axhvc();

	bvm_create(&p, 32 << 20);
	bvm_create(&s, 32 << 20);
	bvm_register(&p, axfd, ID_PUB, true, false, 8 << 20);
	bvm_register(&s, axfd, ID_SUB, true, false, 8 << 20);
	/* The doorbell runs first: its receiver sets up the GIC with the MMU off. */
	if (bell)
		bench_doorbell(&p, &s);
	if (ivc)
		bench_ivc(&p, &s);
	bvm_destroy(&p);
	bvm_destroy(&s);
	close(axfd);
}

/* ---- 6: create/close of a VM bound with the intercept ---- */

#define CHURN_MS	1000
#define ID_CHURN	6

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * KVM VMs created and closed per second for CHURN_MS, each bound to axhvc
 * with the intercept (AXHVC_CREATE_VM, then close) when @axfd >= 0.
 */
static double churn_rate(int kvm, int axfd)
{
	struct libaxhvc_vm_opts opts = {
		.vm_id = ID_CHURN, .route = LIBAXHVC_ROUTE_INTERCEPT,
	};
	double t0 = now_s(), t;
	unsigned long n = 0;
	int vm, vmfd;

	do {
		do
			vm = ioctl(kvm, KVM_CREATE_VM, 0);
		while (vm < 0 && errno == EINTR);
		CHECK(vm >= 0, "KVM_CREATE_VM");
		if (axfd >= 0) {
			opts.kvm_vm_fd = vm;
			vmfd = libaxhvc_vm_create(axfd, &opts);
			LIBCHECK(vmfd);
			close(vmfd);
		}
		close(vm);
		n++;
		t = now_s() - t0;
	} while (t < CHURN_MS / 1e3);
	return n / t;
}

static void bench_churn(void)
{
	struct row plain = { .name = "KVM_CREATE_VM + close (no axhvc)",
			     .unit = "VMs/s", .higher_better = true };
	struct row bound = { .name = "... + AXHVC_CREATE_VM intercept + close",
			     .unit = "VMs/s", .higher_better = true };
	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	int axfd = open_axhvc();
	unsigned int r;

	CHECK(kvm >= 0, "open /dev/kvm");
	/* One warm-up round, not counted; then the cases interleaved. */
	for (r = 0; r <= rounds; r++) {
		double a = churn_rate(kvm, -1), b = churn_rate(kvm, axfd);

		if (r) {
			row_add(&plain, a);
			row_add(&bound, b);
		}
	}
	print_header("6. create/close of a KVM VM, with and without an intercept binding (VMs/s)");
	print_row(&plain, &plain);
	print_row(&bound, &plain);
	close(axfd);
	close(kvm);
}

/* ---- 7: the same guest under axvmm and under QEMU with the preload ---- */

#define VMM_GUEST_DIR	"/axhvc/guest"
#define QEMU_DIR	"/axhvc/qemu"
#define QEMU_BIN	"/usr/bin/qemu-system-aarch64"

/*
 * Runs @cmd (hvc_cost in a VMM) and reads its last line: the guest's ratio
 * of an intercepted Debug to SMCCC_VERSION, each the median of calls that
 * alternate call by call. 0 if the run failed (its output is shown).
 */
static double vmm_ratio(const char *cmd)
{
	unsigned long long r = 0;
	char line[512], out[4096] = "";
	FILE *f = popen(cmd, "r");
	size_t len = 0;

	CHECK(f, "popen");
	while (fgets(line, sizeof(line), f)) {
		const char *p = strstr(line, "hvc_cost: ratio_x1000 ");

		if (p)
			sscanf(p, "hvc_cost: ratio_x1000 %llu", &r);
		if (len < sizeof(out) - 1)
			len += snprintf(out + len, sizeof(out) - len, "%s", line);
	}
	if (pclose(f) || !r) {
		fprintf(stderr, "axhvc_bench: '%s' failed:\n%s", cmd, out);
		return 0;
	}
	return r / 1000.0;
}

/*
 * One guest image (tools/guest's hvc_cost) under each VMM, alternating
 * run by run; each run gives the guest's own paired ratio, and a row is
 * min/median/max over runs.
 */
static void bench_vmms(void)
{
	struct row axvmm = { .name = "axvmm (intercept): Debug / SMCCC_VERSION",
			     .unit = "x floor" };
	struct row qemu = { .name = "QEMU + libaxhvc-qemu.so (intercept): the same",
			    .unit = "x floor" };
	bool with_qemu = !access(QEMU_BIN, X_OK) && !access(QEMU_DIR "/hvc_cost.elf", R_OK);
	static const char *const qemu_words[] = {
		"env", "LD_PRELOAD=" QEMU_DIR "/libaxhvc-qemu.so", "AXHVC_VM_ID=12",
		"timeout", "300", QEMU_BIN, "-accel", "kvm", "-M", "virt,gic-version=3",
		"-cpu", "host", "-m", "64", "-nodefaults", "-display", "none",
		"-serial", "stdio", "-kernel", QEMU_DIR "/hvc_cost.elf", "2>&1",
	};
	char qemu_cmd[512] = "";
	unsigned int r;
	double v, q;

	for (r = 0; r < ARRAY_SIZE(qemu_words); r++)
		snprintf(qemu_cmd + strlen(qemu_cmd), sizeof(qemu_cmd) - strlen(qemu_cmd),
			 "%s%s", r ? " " : "", qemu_words[r]);

	for (r = 0; r < rounds; r++) {
		v = vmm_ratio("axvmm --id 11 --mem 16M --route intercept --timeout 300 --raw "
			      VMM_GUEST_DIR "/hvc_cost.bin 2>&1");
		q = with_qemu ? vmm_ratio(qemu_cmd) : 0;
		/* r(pair) pairs the rows run by run: a failed run drops both. */
		if (!v || (with_qemu && !q))
			continue;
		row_add(&axvmm, v);
		if (with_qemu)
			row_add(&qemu, q);
	}
	print_header("7. one guest under two VMMs: an intercepted Debug in units of\n"
		     "   SMCCC_VERSION, each the median of calls alternating in the guest;\n"
		     "   r(pair): QEMU's runs / axvmm's, run by run");
	print_row(&axvmm, NULL);
	if (!with_qemu) {
		printf("  QEMU: not in this host (bench.sh puts it in unless AXHVC_WITH_QEMU=0)\n");
		return;
	}
	print_row(&qemu, &axvmm);
	last_min_ratio = row_median(&axvmm);
	last_pair_ratio = last_min_ratio;
	add_goal("axvmm's guest: intercepted Debug / floor", 0, true, true);
	last_min_ratio = row_median(&qemu);
	last_pair_ratio = last_min_ratio;
	add_goal("QEMU's guest: intercepted Debug / floor", 0, true, true);
}

int main(int argc, char **argv)
{
	const char *sections = "1234567", *why;
	struct utsname u;
	time_t t0 = time(NULL);
	int opt;

	while ((opt = getopt(argc, argv, "r:s:")) != -1) {
		switch (opt) {
		case 'r':
			rounds = strtoul(optarg, NULL, 0);
			break;
		case 's':
			sections = optarg;
			break;
		default:
			fprintf(stderr, "usage: %s [-r ROUNDS] [-s SECTIONS]\n", argv[0]);
			return 2;
		}
	}
	if (!rounds || 3 * rounds + 1 > MAX_ROUNDS) {
		fprintf(stderr, "rounds: 1..%d\n", (MAX_ROUNDS - 1) / 3);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	why = vmm_kvm_unavailable();
	if (why) {
		fprintf(stderr, "axhvc_bench: %s\n", why);
		return 1;
	}
	uname(&u);
	printf("axhvc bench: kernel %s, %u rounds interleaved (x3 for sections 1, 2);\n"
	       "a hypercall sample is the median of its calls, each timed by the guest;\n"
	       "min/median/max over rounds; r(min): best sample / reference's best sample\n"
	       "(other tenants only add time); r(pair): median over rounds of case /\n"
	       "reference measured next to each other (in section 1, call by call in one\n"
	       "guest run). Each goal says which it is judged on. Emulated, shared host:\n"
	       "only ratios from one run mean something.\n",
	       u.release, rounds);
	/* The tax first: it unloads the module, so nothing else may hold it. */
	if (strchr(sections, '2'))
		bench_tax();
	if (strchr(sections, '1'))
		bench_roundtrip();
	if (strchr(sections, '3'))
		bench_scale();
	if (strchr(sections, '4') || strchr(sections, '5'))
		bench_pair(strchr(sections, '4'), strchr(sections, '5'));
	if (strchr(sections, '6'))
		bench_churn();
	if (strchr(sections, '7'))
		bench_vmms();
	printf("\ngoals\n%s", goals);
	printf("axhvc bench: done in %ld s\n", (long)(time(NULL) - t0));
	return 0;
}
