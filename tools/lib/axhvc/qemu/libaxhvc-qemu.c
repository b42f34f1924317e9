// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libaxhvc-qemu.so - AxVisor hypercalls and IVC channels for an unmodified
 * QEMU, through LD_PRELOAD:
 *
 *   LD_PRELOAD=libaxhvc-qemu.so AXHVC_VM_ID=1 qemu-system-aarch64 -accel kvm -M virt ...
 *
 * It wraps ioctl() in the QEMU process and adds, with libaxhvc, what axvmm
 * does for its VMs (Documentation/vmm-guide.rst, "QEMU", has the settings
 * and their defaults):
 *
 * - at the first writable memslot of a KVM VM it registers that VM with
 *   axhvc on the configured route (scratch VMs QEMU makes to probe the CPU
 *   never get one), and puts the IVC window in memslot
 *   KVM_CAP_NR_MEMSLOTS - 1 (QEMU takes the lowest free ids);
 * - it mirrors each writable memslot as axhvc RAM (read-only ones, the
 *   flash, are not RAM for axhvc: a hypercall cannot write through them);
 * - at the first KVM_RUN, when QEMU has made and initialised its vGIC, it
 *   binds the doorbell to the configured SPI with KVM_IRQFD;
 * - inside KVM_RUN it serves each KVM_EXIT_HYPERCALL of an AxVisor code
 *   and enters the guest again, so QEMU never sees one; HypervisorDisable
 *   comes back to QEMU as a PSCI-like KVM_EXIT_SYSTEM_EVENT SHUTDOWN.
 *
 * A mistake in the settings, axhvc missing, a window over QEMU's memory or
 * an SPI QEMU drives ends the process with one line on stderr and status
 * 1 before the guest runs (an SPI QEMU drives only later: when it does); a
 * failure once the guest runs fails the wrapped ioctl.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdnoreturn.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/kvm.h>

#include <libaxhvc.h>

#define PFX		"libaxhvc-qemu: "
#define MAX_VCPUS	512
#define MAX_RAM		64
#define SPI_FIRST	32
#define SPI_LAST	1019
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * Defaults for QEMU's virt machine (hw/arm/virt.c, 7.2): the window sits
 * in the gap between the secure memory (0x0e000000, 16 MiB, only with
 * secure=on) and the PCIe MMIO window (0x10000000); the doorbell SPI is
 * above every SPI virt wires (the platform bus ends at SPI 175, INTID 207)
 * and just below the end of the 256 SPIs of its GIC (INTID 287).
 */
#define DEF_WINDOW_GPA	0x0f000000ULL
#define DEF_WINDOW_SIZE	0x01000000ULL
#define DEF_DOORBELL	280U

/*
 * What virt itself wires, checked before QEMU creates its VM: QEMU's
 * devices are no memslots, and a device raises its SPI only once the guest
 * drives it, so neither would be seen in time otherwise. Below RAM
 * (0x40000000) the window may use only the gaps of base_memmap; the SPIs
 * are a15irqmap's (GICv2m only with gic-version=2, the SMMU only with
 * iommu=smmuv3: reserved either way, as QEMU reserves them).
 */
static const struct virt_range {
	__u64 first, last;		/* inclusive */
	const char *what;
} virt_mmio[] = {
	{ 0x00000000, 0x07ffffff, "virt's flash" },
	{ 0x08000000, 0x0a003fff, "virt's GIC, UARTs, RTC, fw_cfg, GPIOs and virtio-mmio" },
	{ 0x0c000000, 0x0dffffff, "virt's platform bus" },
	{ 0x0e000000, 0x0effffff, "virt's secure memory (secure=on)" },
	{ 0x10000000, 0x3fffffff, "virt's PCIe MMIO, I/O and ECAM windows" },
}, virt_spis[] = {
	{ 1, 1, "the UART" },
	{ 2, 2, "the RTC" },
	{ 3, 6, "the PCIe INTx lines" },
	{ 7, 7, "the GPIO controller" },
	{ 8, 8, "the secure UART" },
	{ 9, 9, "the ACPI GED" },
	{ 16, 47, "the virtio-mmio transports" },
	{ 48, 111, "the GICv2m MSI frame" },
	{ 74, 77, "the SMMUv3" },
	{ 112, 175, "the platform bus" },
};

/* The first of @n ranges that [@first, @last] meets, or NULL. */
static const struct virt_range *virt_conflict(const struct virt_range *r, size_t n,
					      __u64 first, __u64 last)
{
	for (; n; n--, r++)
		if (first <= r->last && r->first <= last)
			return r;
	return NULL;
}

struct settings {
	__u64 vm_id;
	enum libaxhvc_route route;
	__u64 win_gpa;
	__u64 win_size;
	__u32 intid;			/* 0: no doorbell */
	__u32 flags;			/* AXHVC_VM_F_* */
	const char *dev;
	bool verbose;
};

/* A vCPU QEMU created, on whichever VM. */
struct vcpu {
	int fd;
	int vm_fd;
	__u32 id;
};

/* A writable memslot mirrored as axhvc RAM. */
struct ram {
	__u64 gpa;
	__u64 size;
	__u64 hva;
};

/*
 * The process's state. @lock protects all of it; @set and @vmfd are
 * written once, before any vCPU of the VM runs, so the KVM_RUN path reads
 * them without it (it took @lock once in vcpu_lookup() after the writes).
 */
static struct {
	pthread_mutex_t lock;
	bool configured;
	struct settings set;
	int axfd;
	int kvm_vm_fd;			/* the registered VM, -1 before */
	int vmfd;			/* its axhvc fd */
	__u32 window_slot;
	bool running;			/* a vCPU of it entered KVM_RUN */
	bool routing_seen;		/* QEMU set a GSI routing table */
	bool route_ok;			/* ...that routes the doorbell's GSI to it */
	const char *spi_user;		/* how QEMU drives the doorbell SPI, or NULL */
	struct vcpu vcpus[MAX_VCPUS];
	unsigned int nr_vcpus;
	struct ram ram[MAX_RAM];
	unsigned int nr_ram;
} st = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.axfd = -1,
	.kvm_vm_fd = -1,
	.vmfd = -1,
};

/* libaxhvc's own ioctls pass through the wrapper untouched. */
static __thread bool in_lib;
/* The vCPU this thread runs, once it is known to be of the registered VM. */
static __thread int tl_fd = -1;
static __thread __u32 tl_id;
static __thread struct kvm_run *tl_run;

static long sys_ioctl(int fd, unsigned long req, void *arg)
{
	return syscall(SYS_ioctl, fd, req, arg);
}

/* One line on stderr and status 1: the guest has not run (or must not). */
static noreturn void fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs(PFX, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	fflush(stderr);
	/* Not exit(): QEMU's atexit handlers may not run from any thread. */
	_exit(1);
}

static void verbose(const char *fmt, ...)
{
	va_list ap;

	if (!st.set.verbose)
		return;
	va_start(ap, fmt);
	fputs(PFX, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* An unsigned number from the environment, or @def when it is unset. */
static __u64 env_u64(const char *name, __u64 def, __u64 max)
{
	const char *s = getenv(name);
	unsigned long long v;
	char *end;

	if (!s || !*s)
		return def;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || *s == '-' || v > max)
		fatal(max > 0xffff ? "%s=%s: not a number in 0..%#llx" :
		      "%s=%s: not a number in 0..%llu", name, s, (unsigned long long)max);
	return v;
}

/* Reads the settings once; a bad one or a missing axhvc ends the process. */
static void configure(void)
{
	struct settings *set = &st.set;
	const struct virt_range *r;
	const char *s;

	if (st.configured)
		return;
	st.configured = true;
	set->verbose = env_u64("AXHVC_QEMU_VERBOSE", 0, 1);
	set->vm_id = env_u64("AXHVC_VM_ID", getpid(), UINT64_MAX);
	if (!set->vm_id)
		fatal("AXHVC_VM_ID=0: VM ids start at 1");
	s = getenv("AXHVC_ROUTE");
	if (!s || !*s || !strcmp(s, "intercept"))
		set->route = LIBAXHVC_ROUTE_INTERCEPT;
	else if (!strcmp(s, "forwarded"))
		set->route = LIBAXHVC_ROUTE_FORWARDED;
	else
		fatal("AXHVC_ROUTE=%s: intercept or forwarded", s);
	set->win_gpa = env_u64("AXHVC_WINDOW_GPA", DEF_WINDOW_GPA, UINT64_MAX);
	set->win_size = env_u64("AXHVC_WINDOW_SIZE", DEF_WINDOW_SIZE, UINT64_MAX);
	if ((set->win_gpa | set->win_size) & (getpagesize() - 1))
		fatal("AXHVC_WINDOW_GPA %#llx, AXHVC_WINDOW_SIZE %#llx: not page aligned",
		      (unsigned long long)set->win_gpa, (unsigned long long)set->win_size);
	if (set->win_gpa + set->win_size < set->win_gpa)
		fatal("window %#llx, size %#llx: wraps around",
		      (unsigned long long)set->win_gpa, (unsigned long long)set->win_size);
	r = set->win_size ? virt_conflict(virt_mmio, ARRAY_SIZE(virt_mmio), set->win_gpa,
					  set->win_gpa + set->win_size - 1) : NULL;
	if (r)
		fatal("window [%#llx, +%#llx) meets %s at %#llx: move AXHVC_WINDOW_GPA",
		      (unsigned long long)set->win_gpa, (unsigned long long)set->win_size,
		      r->what, (unsigned long long)r->first);
	set->intid = env_u64("AXHVC_DOORBELL_SPI", DEF_DOORBELL, SPI_LAST);
	if (set->intid && set->intid < SPI_FIRST)
		fatal("AXHVC_DOORBELL_SPI=%u: not an SPI INTID (%u..%u, or 0 for none)",
		      set->intid, SPI_FIRST, SPI_LAST);
	r = set->intid ? virt_conflict(virt_spis, ARRAY_SIZE(virt_spis),
				       set->intid - SPI_FIRST, set->intid - SPI_FIRST) : NULL;
	if (r)
		fatal("AXHVC_DOORBELL_SPI=%u: virt wires it to %s: use a free SPI (%u)",
		      set->intid, r->what, DEF_DOORBELL);
	if (env_u64("AXHVC_ERR_AXVISOR", 0, 1))
		set->flags |= AXHVC_VM_F_ERR_AXVISOR;
	/* HypervisorDisable ends the QEMU VM: see hand_over(). */
	set->flags |= AXHVC_VM_F_LIFECYCLE_TO_VMM;
	set->dev = getenv("AXHVC_DEVICE");
	if (!set->dev || !*set->dev)
		set->dev = LIBAXHVC_DEV;

	in_lib = true;
	st.axfd = libaxhvc_open(set->dev);
	in_lib = false;
	if (st.axfd < 0)
		fatal("%s", libaxhvc_errmsg());
}

static bool overlaps(__u64 a, __u64 alen, __u64 b, __u64 blen)
{
	return alen && blen && a < b + blen && b < a + alen;
}

/* Registers @kvm_vm_fd with axhvc and gives it the window. Lock held. */
static void register_vm(int kvm_vm_fd)
{
	const struct settings *set = &st.set;
	struct libaxhvc_vm_opts opts = {
		.vm_id = set->vm_id,
		.flags = set->flags,
		.route = set->route,
		.kvm_vm_fd = kvm_vm_fd,
		.ivc_base = set->win_gpa,
		.ivc_size = set->win_size,
	};
	void *window;
	long nr;

	nr = sys_ioctl(kvm_vm_fd, KVM_CHECK_EXTENSION, (void *)(uintptr_t)KVM_CAP_NR_MEMSLOTS);
	if (nr < 2)
		fatal("KVM_CAP_NR_MEMSLOTS: %ld, no memslot to spare for the IVC window", nr);
	st.window_slot = nr - 1;

	in_lib = true;
	st.vmfd = libaxhvc_vm_create(st.axfd, &opts);
	if (st.vmfd < 0)
		fatal("%s", libaxhvc_errmsg());
	if (set->win_size &&
	    (libaxhvc_window_map(st.vmfd, set->win_size, &window) ||
	     libaxhvc_window_install(kvm_vm_fd, st.window_slot, set->win_gpa,
				     set->win_size, window)))
		fatal("%s", libaxhvc_errmsg());
	in_lib = false;
	st.kvm_vm_fd = kvm_vm_fd;
	verbose("VM %llu registered (%s route), IVC window [%#llx, +%#llx) in memslot %u",
		(unsigned long long)set->vm_id,
		set->route == LIBAXHVC_ROUTE_INTERCEPT ? "intercept" : "forwarded",
		(unsigned long long)set->win_gpa, (unsigned long long)set->win_size,
		st.window_slot);
}

/*
 * Mirrors a writable memslot as axhvc RAM, once per range (QEMU removes and
 * adds a slot again when its flags change). Lock held. Return: 0 or -errno.
 */
static int mirror_ram(__u64 gpa, __u64 size, __u64 hva)
{
	unsigned int i;
	int ret;

	for (i = 0; i < st.nr_ram; i++)
		if (st.ram[i].gpa == gpa && st.ram[i].size == size && st.ram[i].hva == hva)
			return 0;
	if (st.nr_ram == MAX_RAM) {
		fprintf(stderr, PFX "more than %u RAM memslots\n", MAX_RAM);
		return -ENOSPC;
	}
	in_lib = true;
	ret = libaxhvc_vm_add_ram(st.vmfd, gpa, size, (void *)(uintptr_t)hva);
	in_lib = false;
	if (ret) {
		if (!st.running)
			fatal("%s", libaxhvc_errmsg());
		fprintf(stderr, PFX "%s\n", libaxhvc_errmsg());
		return ret;
	}
	st.ram[st.nr_ram++] = (struct ram){ gpa, size, hva };
	verbose("RAM [%#llx, +%#llx) mirrored", (unsigned long long)gpa,
		(unsigned long long)size);
	return 0;
}

/* KVM_SET_USER_MEMORY_REGION and ..._REGION2: the fields both share. */
static int set_memslot(int fd, unsigned long req, void *arg, __u32 slot, __u32 flags,
		       __u64 gpa, __u64 size, __u64 hva)
{
	const struct settings *set = &st.set;
	long ret;

	pthread_mutex_lock(&st.lock);
	configure();
	if (st.kvm_vm_fd >= 0 && fd != st.kvm_vm_fd) {
		pthread_mutex_unlock(&st.lock);
		return sys_ioctl(fd, req, arg);
	}
	if (overlaps(gpa, size, set->win_gpa, set->win_size))
		fatal("QEMU's slot %u [%#llx, +%#llx) overlaps the window: move AXHVC_WINDOW_GPA",
		      slot, (unsigned long long)gpa, (unsigned long long)size);
	if (st.kvm_vm_fd >= 0 && slot == st.window_slot)
		fatal("QEMU takes slot %u, which holds the IVC window", slot);
	ret = sys_ioctl(fd, req, arg);
	if (!ret && size && !(flags & KVM_MEM_READONLY)) {
		if (st.kvm_vm_fd < 0)
			register_vm(fd);
		ret = mirror_ram(gpa, size, hva);
		if (ret) {
			errno = -ret;
			ret = -1;
		}
	}
	pthread_mutex_unlock(&st.lock);
	return ret;
}

/*
 * QEMU drives the doorbell's SPI itself. Before the guest runs, noted for
 * bind_doorbell(); once it runs (a device that raises its line only then),
 * the end too: QEMU would abort on a failed KVM_IRQ_LINE anyway.
 */
static void spi_conflict(const char *how)
{
	if (st.running)
		fatal("QEMU raises INTID %u (%s) while the guest runs: set AXHVC_DOORBELL_SPI",
		      st.set.intid, how);
	st.spi_user = how;
}

/* KVM_IRQ_LINE{,_STATUS}, KVM_IRQFD: is the doorbell's SPI QEMU's? Lock held. */
static void check_irq(unsigned int req, void *arg)
{
	__u32 intid = st.set.intid;

	if (!intid)
		return;
	if (req == KVM_IRQ_LINE || req == KVM_IRQ_LINE_STATUS) {
		const struct kvm_irq_level *l = arg;
		__u32 type = (l->irq >> KVM_ARM_IRQ_TYPE_SHIFT) & KVM_ARM_IRQ_TYPE_MASK;

		if (type == KVM_ARM_IRQ_TYPE_SPI && (l->irq & KVM_ARM_IRQ_NUM_MASK) == intid)
			spi_conflict("KVM_IRQ_LINE");
	} else if (req == KVM_IRQFD) {
		const struct kvm_irqfd *f = arg;

		if (!(f->flags & KVM_IRQFD_FLAG_DEASSIGN) && f->gsi == intid - SPI_FIRST)
			spi_conflict("KVM_IRQFD");
	}
}

/* After a KVM_SET_GSI_ROUTING: does it route the doorbell's GSI to its SPI? */
static void note_routing(const struct kvm_irq_routing *r)
{
	__u32 gsi = st.set.intid - SPI_FIRST;
	unsigned int i;

	st.routing_seen = true;
	st.route_ok = false;
	for (i = 0; i < r->nr; i++) {
		const struct kvm_irq_routing_entry *e = &r->entries[i];

		if (e->gsi != gsi)
			continue;
		if (e->type != KVM_IRQ_ROUTING_IRQCHIP || e->u.irqchip.pin != gsi) {
			st.route_ok = false;
			return;
		}
		st.route_ok = true;
	}
}

/* At the first KVM_RUN: QEMU's vGIC and routes are complete. Lock held. */
static void bind_doorbell(void)
{
	__u32 intid = st.set.intid;
	int efd;

	if (!intid)
		return;
	if (st.spi_user)
		fatal("QEMU uses INTID %u (%s): set AXHVC_DOORBELL_SPI to a free SPI",
		      intid, st.spi_user);
	if (st.routing_seen && !st.route_ok)
		fatal("QEMU's GIC has no INTID %u (no GSI route): set AXHVC_DOORBELL_SPI",
		      intid);
	in_lib = true;
	efd = libaxhvc_doorbell_setup(st.kvm_vm_fd, st.vmfd, intid);
	in_lib = false;
	if (efd < 0)
		fatal("%s", libaxhvc_errmsg());
	verbose("doorbell rings INTID %u", intid);
}

/*
 * The first KVM_RUN of a vCPU in this thread: is it of the registered VM?
 * Then maps its kvm_run, and at the VM's first run binds the doorbell.
 */
static bool vcpu_lookup(int fd)
{
	struct kvm_run *run;
	unsigned int i;
	bool ours = false;

	pthread_mutex_lock(&st.lock);
	for (i = 0; i < st.nr_vcpus; i++) {
		if (st.vcpus[i].fd != fd)
			continue;
		ours = st.kvm_vm_fd >= 0 && st.vcpus[i].vm_fd == st.kvm_vm_fd;
		break;
	}
	if (ours) {
		/* A second mapping of the page QEMU maps: we read the exit there. */
		run = mmap(NULL, getpagesize(), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (run == MAP_FAILED)
			fatal("mmap of vCPU %u's kvm_run: %s", st.vcpus[i].id, strerror(errno));
		if (!st.running)
			bind_doorbell();
		st.running = true;
		tl_fd = fd;
		tl_id = st.vcpus[i].id;
		tl_run = run;
	}
	pthread_mutex_unlock(&st.lock);
	return ours;
}

/*
 * A lifecycle call axhvc left to us. HyperVisorPrepareDisable: nothing to
 * prepare, 0. HypervisorDisable: 0, and QEMU sees the guest power off.
 * Return: 0 to enter the guest again, 1 to return to QEMU, or -errno.
 */
static int hand_over(int fd, __u32 code)
{
	int ret;

	if (code != AXHVC_HC_HYPERVISOR_DISABLE && code != AXHVC_HC_HYPERVISOR_PREPARE_DISABLE) {
		fprintf(stderr, PFX "vCPU %u: axhvc handed over code %u: no VM life call\n",
			tl_id, code);
		return -EPROTO;
	}
	ret = libaxhvc_set_x0(fd, 0);
	if (ret || code == AXHVC_HC_HYPERVISOR_PREPARE_DISABLE)
		return ret;
	verbose("vCPU %u: HypervisorDisable: the guest powers off", tl_id);
	/* What PSCI SYSTEM_OFF gives: kvm_cpu_exec() requests a shutdown. */
	memset(&tl_run->system_event, 0, sizeof(tl_run->system_event));
	tl_run->system_event.type = KVM_SYSTEM_EVENT_SHUTDOWN;
	tl_run->exit_reason = KVM_EXIT_SYSTEM_EVENT;
	return 1;
}

/* KVM_RUN of a vCPU of the registered VM: AxVisor calls never reach QEMU. */
static int run_vcpu(int fd, unsigned long req, void *arg)
{
	struct axhvc_hypercall hc;
	long ret;
	int r;

	for (;;) {
		ret = sys_ioctl(fd, req, arg);
		if (ret || tl_run->exit_reason != KVM_EXIT_HYPERCALL ||
		    tl_run->hypercall.nr >= AXHVC_HC_COUNT)
			return ret;
		in_lib = true;
		r = libaxhvc_serve_hypercall(st.vmfd, fd, tl_id, tl_run, &hc);
		if (r == LIBAXHVC_TO_VMM)
			r = hand_over(fd, (__u32)hc.x[0]);
		in_lib = false;
		if (!r)
			continue;
		if (r > 0)
			return 0;
		/* QEMU stops the VM on a failed KVM_RUN: say why first. */
		if (r != -EPROTO)
			fprintf(stderr, PFX "%s\n", libaxhvc_errmsg());
		errno = -r;
		return -1;
	}
}

/* KVM_CREATE_VCPU: which VM the new vCPU fd belongs to, and its id. */
static void note_vcpu(int vm_fd, int fd, __u32 id)
{
	unsigned int i;

	pthread_mutex_lock(&st.lock);
	for (i = 0; i < st.nr_vcpus; i++)
		if (st.vcpus[i].fd == fd)
			break;
	if (i == MAX_VCPUS)
		fatal("more than %u vCPUs", MAX_VCPUS);
	if (i == st.nr_vcpus)
		st.nr_vcpus++;
	st.vcpus[i] = (struct vcpu){ .fd = fd, .vm_fd = vm_fd, .id = id };
	pthread_mutex_unlock(&st.lock);
}

/**
 * ioctl() - the QEMU process's ioctl(), with axhvc added to KVM's
 * @fd: the file
 * @req: the request; QEMU 7.2 passes it through an int, sign-extended, so
 *	only its low 32 bits are compared
 *
 * Return: what the ioctl returns (-1 with errno on failure).
 */
__attribute__((visibility("default"))) int ioctl(int fd, unsigned long req, ...)
{
	const struct kvm_userspace_memory_region2 *m2;
	const struct kvm_userspace_memory_region *m;
	unsigned int r = req;
	void *arg;
	va_list ap;
	long ret;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (in_lib)
		return sys_ioctl(fd, req, arg);

	switch (r) {
	case KVM_RUN:
		if (fd == tl_fd || vcpu_lookup(fd))
			return run_vcpu(fd, req, arg);
		break;
	case KVM_CREATE_VM:
		pthread_mutex_lock(&st.lock);
		configure();
		pthread_mutex_unlock(&st.lock);
		break;
	case KVM_CREATE_VCPU:
		ret = sys_ioctl(fd, req, arg);
		if (ret >= 0)
			note_vcpu(fd, ret, (__u32)(uintptr_t)arg);
		return ret;
	case KVM_SET_USER_MEMORY_REGION:
		m = arg;
		return set_memslot(fd, req, arg, m->slot, m->flags, m->guest_phys_addr,
			       m->memory_size, m->userspace_addr);
	case KVM_SET_USER_MEMORY_REGION2:
		m2 = arg;
		return set_memslot(fd, req, arg, m2->slot, m2->flags, m2->guest_phys_addr,
			       m2->memory_size, m2->userspace_addr);
	case KVM_IRQ_LINE:
	case KVM_IRQ_LINE_STATUS:	/* QEMU's choice with KVM_CAP_IRQ_INJECT_STATUS */
	case KVM_IRQFD:
	case KVM_SET_GSI_ROUTING:
		pthread_mutex_lock(&st.lock);
		configure();
		/* Before registration: scratch VMs drive no interrupts. */
		if (st.kvm_vm_fd >= 0 && fd != st.kvm_vm_fd) {
			pthread_mutex_unlock(&st.lock);
			break;
		}
		if (r != KVM_SET_GSI_ROUTING) {
			check_irq(r, arg);
			ret = sys_ioctl(fd, req, arg);
		} else {
			ret = sys_ioctl(fd, req, arg);
			if (!ret && st.set.intid)
				note_routing(arg);
		}
		pthread_mutex_unlock(&st.lock);
		return ret;
	}
	return sys_ioctl(fd, req, arg);
}

/* Says it is loaded: a statically linked VMM never prints this line. */
static void __attribute__((constructor)) loaded(void)
{
	const char *v = getenv("AXHVC_QEMU_VERBOSE");

	if (v && !strcmp(v, "1"))
		fprintf(stderr, PFX "loaded\n");
}
