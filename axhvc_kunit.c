// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for axhvc, a module of its own (axhvc_kunit.ko) that runs when
 * loaded on a kernel with CONFIG_KUNIT.
 *
 * It covers the logic: argument checks, command decoding, the guest's error
 * encoding, the host GIC's description, the IVC window allocator and the
 * channel registry (driven without guest memory: the registry reports a new
 * mapping through a callback, which here records it or fails on demand).
 * The UAPI's layout is checked when the module builds (axhvc_uapi.c).
 * Copying to and from user memory is covered by the kselftests instead:
 * 6.12's kunit_vm_mmap() leaks the mm it attaches (kthread_use_mm() takes a
 * second reference nobody drops), which would make every kmemleak scan of
 * the debug kernel fail.
 */
#include <kunit/test.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/wait.h>

#include "axhvc_drv.h"

struct axhvc_version_case {
	const char *name;
	struct axhvc_api_version in;
	int expect_rc;
};

static const struct axhvc_version_case axhvc_version_cases[] = {
	{ "all zero", {}, 0 },
	{ "flags must be zero", { .flags = 1 }, -EINVAL },
	{ "flags high bit", { .flags = 1U << 31 }, -EINVAL },
	{ "reserved must be zero", { .__reserved = 1 }, -EINVAL },
	{ "reserved high bit", { .__reserved = 1U << 31 }, -EINVAL },
	{ "out fields given by the caller are ignored",
	  { .api_version = 99, .features = ~0ULL }, 0 },
};

static void axhvc_version_case_desc(const struct axhvc_version_case *c,
				    char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(axhvc_version, axhvc_version_cases, axhvc_version_case_desc);

static void axhvc_version_test(struct kunit *test)
{
	const struct axhvc_version_case *c = test->param_value;
	struct axhvc_api_version ver = c->in;
	int rc;

	rc = axhvc_api_version_fill(&ver);
	KUNIT_ASSERT_EQ(test, rc, c->expect_rc);
	if (rc) {
		/* A refused request is left as it was: nothing is copied out. */
		KUNIT_EXPECT_MEMEQ(test, &ver, &c->in, sizeof(ver));
		return;
	}
	KUNIT_EXPECT_EQ(test, ver.api_version, (__u32)AXHVC_API_VERSION);
	KUNIT_EXPECT_TRUE(test, ver.features & AXHVC_FEATURE_VM);
	KUNIT_EXPECT_EQ(test, ver.flags, 0U);
	KUNIT_EXPECT_EQ(test, ver.__reserved, 0U);
	/* What the query reports is what the checks accept. */
	KUNIT_EXPECT_EQ(test, ver.vm_flags, (u32)AXHVC_VM_F_MASK);
	KUNIT_EXPECT_EQ(test, ver.fwd_flags, (u32)AXHVC_FWD_F_MASK);
	KUNIT_EXPECT_EQ(test, ver.grant_kinds, (u32)AXHVC_GRANT_KINDS);
	KUNIT_EXPECT_EQ(test, ver.max_mem_regions, (u32)AXHVC_MAX_MEM_REGIONS);
	KUNIT_EXPECT_EQ(test, ver.event_queue_len, (u32)AXHVC_EVENT_QUEUE_LEN);
	KUNIT_EXPECT_GT(test, ver.max_channels_per_vm, 0U);
}

struct axhvc_cmd_case {
	const char *name;
	unsigned int cmd;
};

/* Commands that must be refused before any user memory is touched. */
static const struct axhvc_cmd_case axhvc_unknown_cmds[] = {
	{ "unknown number",
	  _IOWR(AXHVC_IOCTL_MAGIC, 0x7f, struct axhvc_api_version) },
	{ "right number, with a size (API 1's)",
	  _IOWR(AXHVC_IOCTL_MAGIC, 0x00, struct axhvc_api_version) },
	{ "right number, wrong size", _IOWR(AXHVC_IOCTL_MAGIC, 0x00, __u64) },
	{ "right number, wrong direction",
	  _IOR(AXHVC_IOCTL_MAGIC, 0x00, struct axhvc_api_version) },
	{ "foreign magic", _IOWR(0xAE, 0x00, struct axhvc_api_version) },
	{ "host GIC number, wrong size", _IOWR(AXHVC_IOCTL_MAGIC, 0x02, __u64) },
	{ "list VMs number, wrong size", _IOWR(AXHVC_IOCTL_MAGIC, 0x03, __u64) },
	{ "list VMs number, wrong direction",
	  _IOR(AXHVC_IOCTL_MAGIC, 0x03, struct axhvc_vm_list) },
	{ "list channels number, wrong size",
	  _IOWR(AXHVC_IOCTL_MAGIC, 0x04, struct axhvc_vm_list) },
	{ "zero", 0 },
};

static void axhvc_cmd_case_desc(const struct axhvc_cmd_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(axhvc_unknown_cmd, axhvc_unknown_cmds, axhvc_cmd_case_desc);

static void axhvc_unknown_cmd_test(struct kunit *test)
{
	const struct axhvc_cmd_case *c = test->param_value;

	/* A NULL argument proves the command is refused before it is used. */
	KUNIT_EXPECT_EQ(test, axhvc_dev_ioctl(NULL, c->cmd, 0), (long)-ENOTTY);
}

struct axhvc_encode_case {
	const char *name;
	u32 vm_flags;
	long result;
	u64 x0;
};

static const struct axhvc_encode_case axhvc_encode_cases[] = {
	{ "success", 0, 0, 0 },
	{ "a value", 0, 0x1234, 0x1234 },
	{ "ENOENT as -errno", 0, -ENOENT, (u64)-2 },
	{ "EOPNOTSUPP as -errno", 0, -EOPNOTSUPP, (u64)-95 },
	{ "ENOSPC as -errno", 0, -ENOSPC, (u64)-28 },
	{ "success, AxVisor encoding", AXHVC_VM_F_ERR_AXVISOR, 0, 0 },
	{ "ENOENT as AxVisor's -1", AXHVC_VM_F_ERR_AXVISOR, -ENOENT, ~0ULL },
	{ "EFAULT as AxVisor's -1", AXHVC_VM_F_ERR_AXVISOR, -EFAULT, ~0ULL },
	{ "other flags do not matter", AXHVC_VM_F_LIFECYCLE_TO_VMM, -EEXIST,
	  (u64)-17 },
};

static void axhvc_encode_case_desc(const struct axhvc_encode_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(axhvc_encode, axhvc_encode_cases, axhvc_encode_case_desc);

static void axhvc_encode_test(struct kunit *test)
{
	const struct axhvc_encode_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, axhvc_encode_result(c->vm_flags, c->result), c->x0);
}

struct axhvc_config_case {
	const char *name;
	struct axhvc_vm_config conf;
	int expect_rc;
};

static const struct axhvc_config_case axhvc_config_cases[] = {
#define EV	.event_size = AXHVC_EVENT_SIZE_VER0
	{ "no window", { .vm_id = 1, EV }, 0 },
	{ "AxVisor's example window",
	  { .vm_id = 1, .ivc_base = 0xd0000000, .ivc_size = 0x10000000, EV }, 0 },
	{ "every flag", { .vm_id = ~0ULL, .flags = AXHVC_VM_F_MASK, .kvm_fd = 5, EV }, 0 },
	{ "intercept with fd 0", { .flags = AXHVC_VM_F_INTERCEPT, EV }, 0 },
	{ "unknown flag", { .flags = 1U << 3, EV }, -EINVAL },
	{ "kvm_fd without intercept", { .kvm_fd = -1, EV }, -EINVAL },
	{ "base unaligned", { .ivc_base = 0x10, .ivc_size = PAGE_SIZE, EV }, -EINVAL },
	{ "size unaligned", { .ivc_base = PAGE_SIZE, .ivc_size = 0x10, EV }, -EINVAL },
	{ "window wraps", { .ivc_base = -PAGE_SIZE, .ivc_size = 2 * PAGE_SIZE, EV }, -EINVAL },
	{ "window ends at the top",
	  { .ivc_base = -2 * PAGE_SIZE, .ivc_size = PAGE_SIZE, EV }, 0 },
#undef EV
	{ "no event size", { .vm_id = 1 }, -EINVAL },
	{ "event size below the first", { .event_size = 31 }, -EINVAL },
	{ "a bigger event", { .event_size = 4096 }, 0 },
	{ "event size above a page", { .event_size = 4097 }, -EINVAL },
};

static void axhvc_config_case_desc(const struct axhvc_config_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(axhvc_config, axhvc_config_cases, axhvc_config_case_desc);

static void axhvc_config_test(struct kunit *test)
{
	const struct axhvc_config_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, axhvc_check_vm_config(&c->conf), c->expect_rc);
}

/* Regions are checked against a VM with a window and one region already. */
struct axhvc_region_case {
	const char *name;
	struct axhvc_mem_region r;
	int expect_rc;
};

#define RGN(g, s, u)	{ .gpa = (g), .memory_size = (s), .uaddr = (u) }

/* In host pages (PG), so that the cases hold on 4, 16 and 64 KiB hosts. */
#define PG		PAGE_SIZE

static const struct axhvc_region_case axhvc_region_cases[] = {
	{ "after the first", RGN(0x40100000, PG, 0x20000000), 0 },
	{ "right before the first", RGN(0x40000000 - PG, PG, 0x20000000), 0 },
	{ "overlaps the first's end", RGN(0x40100000 - PG, 2 * PG, 0x20000000), -EINVAL },
	{ "overlaps the first's start", RGN(0x40000000 - PG, 2 * PG, 0x20000000), -EINVAL },
	{ "inside the first", RGN(0x40000000 + PG, PG, 0x20000000), -EINVAL },
	{ "covers the first", RGN(0x30000000, 0x20000000, 0x20000000), -EINVAL },
	{ "touches the window", RGN(0xd0000000 - PG, 2 * PG, 0x20000000), -EINVAL },
	{ "right before the window", RGN(0xd0000000 - PG, PG, 0x20000000), 0 },
	{ "size 0", RGN(0x50000000, 0, 0x20000000), -EINVAL },
	{ "gpa unaligned", RGN(0x50000008, PG, 0x20000000), -EINVAL },
	{ "size unaligned", RGN(0x50000000, PG + 8, 0x20000000), -EINVAL },
	{ "uaddr unaligned", RGN(0x50000000, PG, 0x20000008), -EINVAL },
	{ "gpa wraps", RGN(-PG, 2 * PG, 0x20000000), -EINVAL },
	{ "uaddr wraps", RGN(0x50000000, 2 * PG, -PG), -EINVAL },
	{ "flags", { .gpa = 0x50000000, .memory_size = PG, .uaddr = 0x20000000,
		     .flags = 1 }, -EINVAL },
};

/*
 * A VM as AXHVC_CREATE_VM builds it, with @flags and an IVC window of
 * @pages pages at 0xd0000000, but no fd, no guest memory and no registry entry;
 * axhvc_vm_destroy() ends it.
 */
static struct axhvc_vm *axhvc_test_vm_flags(struct kunit *test, u64 id,
					    unsigned long pages, u32 flags)
{
	struct axhvc_vm_config conf = {
		.vm_id = id, .flags = flags, .ivc_base = 0xd0000000,
		.ivc_size = pages << PAGE_SHIFT,
		.event_size = sizeof(struct axhvc_event),
	};
	struct axhvc_vm *vm;

	KUNIT_ASSERT_EQ(test, axhvc_check_vm_config(&conf), 0);
	vm = axhvc_vm_new(&conf, false);
	KUNIT_ASSERT_NOT_NULL(test, vm);
	return vm;
}

static struct axhvc_vm *axhvc_test_vm(struct kunit *test, u64 id,
				      unsigned long pages)
{
	return axhvc_test_vm_flags(test, id, pages, 0);
}

static void axhvc_region_case_desc(const struct axhvc_region_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(axhvc_region, axhvc_region_cases, axhvc_region_case_desc);

static void axhvc_region_test(struct kunit *test)
{
	const struct axhvc_region_case *c = test->param_value;
	const struct axhvc_mem_region ram = RGN(0x40000000, 0x100000, 0x10000000);
	struct axhvc_vm *vm = axhvc_test_vm(test, 998, 0x10000000 >> PAGE_SHIFT);

	KUNIT_ASSERT_EQ(test, axhvc_guest_add_region(vm, &ram), 0);
	KUNIT_EXPECT_EQ(test, axhvc_check_mem_region(vm, &c->r), c->expect_rc);
	axhvc_vm_destroy(vm);
}

struct axhvc_gic_case {
	const char *name;
	struct axhvc_gic_fw fw;
	u32 typer;
	u32 iidr;
	int expect_rc;
	u64 gicr_base;		/* expected on success */
};

#define GIC_MEM(start, size)	DEFINE_RES_MEM(start, size)
/* QEMU virt's GICv3: what the emulated test host has. */
#define VIRT_GICD		GIC_MEM(0x08000000, SZ_64K)
#define VIRT_GICR		GIC_MEM(0x080a0000, 0xf60000)
#define VIRT_TYPER		0x037a0007
#define VIRT_IIDR		0x0000043b

static const struct axhvc_gic_case axhvc_gic_cases[] = {
	{ "QEMU virt GICv3", { 3, VIRT_GICD, VIRT_GICR }, VIRT_TYPER, VIRT_IIDR,
	  0, 0x080a0000 },
	{ "GICv3 above 4 GiB",
	  { 3, GIC_MEM(0x40000000000ULL, SZ_64K), GIC_MEM(0x40000100000ULL, SZ_1M) },
	  1, 2, 0, 0x40000100000ULL },
	{ "GICv3 with one redistributor (ACPI GICC)",
	  { 3, VIRT_GICD, GIC_MEM(0x080a0000, 2 * SZ_64K) }, 1, 2, 0, 0x080a0000 },
	{ "GICv2 (gic-400): the GICC is not a GICR",
	  { 2, GIC_MEM(0x2c001000, SZ_4K), GIC_MEM(0x2c002000, SZ_8K) },
	  0x0000fc07, 0x0200143b, 0, 0 },
	{ "GICv2 without reg 1", { 2, GIC_MEM(0x2c001000, SZ_4K) }, 1, 2, 0, 0 },
	{ "version 0", { 0, VIRT_GICD, VIRT_GICR }, 1, 2, -EINVAL },
	{ "version 4 (a GICv4 is described as 3)", { 4, VIRT_GICD, VIRT_GICR }, 1, 2,
	  -EINVAL },
	{ "no distributor", { 3, {}, VIRT_GICR }, 1, 2, -EINVAL },
	{ "distributor is not memory",
	  { 3, DEFINE_RES_IO(0x08000000, SZ_64K), VIRT_GICR }, 1, 2, -EINVAL },
	{ "GICv3 distributor below 64 KiB",
	  { 3, GIC_MEM(0x08000000, SZ_4K), VIRT_GICR }, 1, 2, -EINVAL },
	{ "GICv3 distributor not 64 KiB aligned",
	  { 3, GIC_MEM(0x08001000, SZ_64K), VIRT_GICR }, 1, 2, -EINVAL },
	{ "GICv3 without a redistributor", { 3, VIRT_GICD }, 1, 2, -EINVAL },
	{ "GICv3 redistributor of one frame",
	  { 3, VIRT_GICD, GIC_MEM(0x080a0000, SZ_64K) }, 1, 2, -EINVAL },
	{ "GICv3 redistributor of length 0 (ACPI)",
	  { 3, VIRT_GICD, GIC_MEM(0x080a0000, 0) }, 1, 2, -EINVAL },
	{ "GICv3 redistributor not 64 KiB aligned",
	  { 3, VIRT_GICD, GIC_MEM(0x080a1000, SZ_128K) }, 1, 2, -EINVAL },
	{ "GICv2 distributor not 4 KiB aligned",
	  { 2, GIC_MEM(0x2c001800, SZ_4K) }, 1, 2, -EINVAL },
	{ "TYPER reads as all ones", { 3, VIRT_GICD, VIRT_GICR }, U32_MAX,
	  VIRT_IIDR, -EIO },
	{ "IIDR reads as all ones", { 3, VIRT_GICD, VIRT_GICR }, VIRT_TYPER,
	  U32_MAX, -EIO },
	{ "zero registers are fine", { 3, VIRT_GICD, VIRT_GICR }, 0, 0, 0,
	  0x080a0000 },
};

static void axhvc_gic_case_desc(const struct axhvc_gic_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(axhvc_gic, axhvc_gic_cases, axhvc_gic_case_desc);

static void axhvc_gic_describe_test(struct kunit *test)
{
	const struct axhvc_gic_case *c = test->param_value;
	struct axhvc_host_gic gic, untouched;
	int rc;

	memset(&gic, 0xa5, sizeof(gic));
	untouched = gic;
	rc = axhvc_vgic_describe(&c->fw, c->typer, c->iidr, &gic);
	KUNIT_ASSERT_EQ(test, rc, c->expect_rc);
	KUNIT_EXPECT_EQ(test, axhvc_vgic_check_fw(&c->fw),
			c->expect_rc == -EIO ? 0 : c->expect_rc);
	if (rc) {
		KUNIT_EXPECT_MEMEQ(test, &gic, &untouched, sizeof(gic));
		return;
	}
	KUNIT_EXPECT_EQ(test, gic.version, c->fw.version);
	KUNIT_EXPECT_EQ(test, gic.flags, 0U);
	KUNIT_EXPECT_EQ(test, gic.gicd_base, (u64)c->fw.gicd.start);
	KUNIT_EXPECT_EQ(test, gic.gicr_base, c->gicr_base);
	KUNIT_EXPECT_EQ(test, gic.typer, c->typer);
	KUNIT_EXPECT_EQ(test, gic.iidr, c->iidr);
	KUNIT_EXPECT_EQ(test, gic.__reserved, 0U);
}

/* The input rules hold whether or not this host's GIC was found. */
static void axhvc_host_gic_fill_test(struct kunit *test)
{
	struct axhvc_host_gic gic = { .flags = 1 };
	struct axhvc_api_version ver = {};
	int rc;

	KUNIT_EXPECT_EQ(test, axhvc_vgic_host_gic_fill(&gic), -EINVAL);
	KUNIT_EXPECT_EQ(test, gic.version, 0U);
	gic = (struct axhvc_host_gic){ .__reserved = 1U << 31 };
	KUNIT_EXPECT_EQ(test, axhvc_vgic_host_gic_fill(&gic), -EINVAL);

	/* The feature bit says whether the query answers. */
	KUNIT_ASSERT_EQ(test, axhvc_api_version_fill(&ver), 0);
	gic = (struct axhvc_host_gic){ .size = 40, .version = 99, .gicd_base = 1 };
	rc = axhvc_vgic_host_gic_fill(&gic);
	if (!(ver.features & AXHVC_FEATURE_HOST_GIC)) {
		KUNIT_EXPECT_EQ(test, rc, -ENODEV);
		return;
	}
	KUNIT_ASSERT_EQ(test, rc, 0);
	KUNIT_EXPECT_TRUE(test, gic.version == 2 || gic.version == 3);
	KUNIT_EXPECT_EQ(test, gic.flags, 0U);
	KUNIT_EXPECT_EQ(test, gic.size, 40U);
	KUNIT_EXPECT_EQ(test, !gic.gicr_base, gic.version == 2);
}

/* The host view's requests: only the room and the addresses are free. */
struct axhvc_list_case {
	const char *name;
	struct axhvc_vm_list vl;
	struct axhvc_host_channel_list cl;
	int expect_rc;
};

static const struct axhvc_list_case axhvc_list_cases[] = {
#define VI	.info_size = sizeof(struct axhvc_vm_info)
#define HC	.channel_size = sizeof(struct axhvc_host_channel)
	{ "record sizes only", { VI }, { HC }, 0 },
	{ "room and addresses", { .vms = 0x1000, .nr_vms = ~0U, VI },
	  { .channels = 0x1000, .subscribers = ~0ULL, .nr_channels = ~0U,
	    .nr_subscribers = 7, HC }, 0 },
	{ "bigger records", { .info_size = 4096 }, { .channel_size = 4096 }, 0 },
	{ "no record size", {}, {}, -EINVAL },
	{ "records below the first size",
	  { .info_size = AXHVC_VM_INFO_SIZE_VER0 - 8 },
	  { .channel_size = AXHVC_HOST_CHANNEL_SIZE_VER0 - 8 }, -EINVAL },
	{ "records above a page", { .info_size = 4097 }, { .channel_size = 4097 },
	  -EINVAL },
	{ "flags bit 0", { .flags = 1, VI }, { .flags = 1, HC }, -EINVAL },
	{ "flags bit 31", { .flags = 1U << 31, VI }, { .flags = 1U << 31, HC },
	  -EINVAL },
#undef VI
#undef HC
};

static void axhvc_list_case_desc(const struct axhvc_list_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(axhvc_list, axhvc_list_cases, axhvc_list_case_desc);

static void axhvc_list_check_test(struct kunit *test)
{
	const struct axhvc_list_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, axhvc_check_vm_list(&c->vl), c->expect_rc);
	KUNIT_EXPECT_EQ(test, axhvc_check_host_channel_list(&c->cl), c->expect_rc);
}

#define WIN_MAX_STEPS	8

/* Allocate @n pages (expect @rc, and @first on success), or free step @n's range. */
struct axhvc_window_step {
	bool free;
	unsigned long n;
	int rc;
	unsigned long first;
};

struct axhvc_window_case {
	const char *name;
	unsigned long pages;
	struct axhvc_window_step steps[WIN_MAX_STEPS];
};

#define ALLOC(n, rc, first)	{ false, n, rc, first }
#define FREE(step)		{ true, step, 0, 0 }

static const struct axhvc_window_case axhvc_window_cases[] = {
	{ "first fit from the window's start", 8,
	  { ALLOC(1, 0, 0), ALLOC(2, 0, 1), ALLOC(5, 0, 3), ALLOC(1, -ENOSPC, 0) } },
	{ "bigger than the window", 4,
	  { ALLOC(5, -ENOSPC, 0), ALLOC(4, 0, 0), ALLOC(1, -ENOSPC, 0) } },
	{ "no window at all", 0, { ALLOC(1, -ENOSPC, 0) } },
	{ "a freed range is reused", 4,
	  { ALLOC(2, 0, 0), ALLOC(2, 0, 2), FREE(0), ALLOC(1, 0, 0), ALLOC(1, 0, 1),
	    ALLOC(1, -ENOSPC, 0) } },
	{ "fragmented: free pages but no run", 4,
	  { ALLOC(1, 0, 0), ALLOC(1, 0, 1), ALLOC(1, 0, 2), ALLOC(1, 0, 3),
	    FREE(1), FREE(3), ALLOC(2, -ENOSPC, 0), ALLOC(1, 0, 1) } },
	{ "a run forms again when neighbours go", 4,
	  { ALLOC(1, 0, 0), ALLOC(1, 0, 1), ALLOC(2, 0, 2), FREE(0), FREE(1),
	    ALLOC(2, 0, 0) } },
};

static void axhvc_window_case_desc(const struct axhvc_window_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(axhvc_window, axhvc_window_cases, axhvc_window_case_desc);

static void axhvc_window_test(struct kunit *test)
{
	const struct axhvc_window_case *c = test->param_value;
	unsigned long first[WIN_MAX_STEPS] = { 0 };
	bool held[WIN_MAX_STEPS] = { false };
	struct axhvc_vm *vm = axhvc_test_vm(test, 999, c->pages);
	struct page *pages[1] = { };
	int i;

	for (i = 0; i < WIN_MAX_STEPS && (c->steps[i].n || c->steps[i].free); i++) {
		const struct axhvc_window_step *st = &c->steps[i];

		if (st->free) {
			KUNIT_ASSERT_TRUE(test, held[st->n]);
			axhvc_window_free(vm, first[st->n], c->steps[st->n].n);
			held[st->n] = false;
			continue;
		}
		KUNIT_EXPECT_EQ_MSG(test, axhvc_window_alloc(vm, st->n, pages, &first[i]),
				    st->rc, "step %d", i);
		if (!st->rc) {
			KUNIT_EXPECT_EQ_MSG(test, first[i], st->first, "step %d", i);
			held[i] = true;
		}
	}
	for (i = 0; i < WIN_MAX_STEPS; i++)
		if (held[i])
			axhvc_window_free(vm, first[i], c->steps[i].n);
	axhvc_vm_destroy(vm);
}

/* What the registry reported for the last mapping; or fail the report. */
struct axhvc_report_rec {
	bool fail;
	u64 gpa;
	u64 size;
};

static int axhvc_test_report(struct axhvc_vm *vm, u64 gpa, u64 size, void *ctx)
{
	struct axhvc_report_rec *rec = ctx;

	if (rec->fail)
		return -EFAULT;
	rec->gpa = gpa;
	rec->size = size;
	return 0;
}

enum axhvc_reg_op { REG_END, PUB, SUB, UNPUB, UNSUB, NOTIFY };

#define REG_VMS		3
#define REG_MAX_STEPS	8
#define REG_VM_ID(i)	(1001 + (i))

/*
 * One registry call by VM @vm: PUB(key, size), SUB(pub, key), UNPUB(key),
 * UNSUB(pub, key), NOTIFY(pub, key, target); @pub and @target are VM
 * indexes. Expect @rc, a granted @size on success, and @vm to hold @held
 * mappings afterwards.
 */
struct axhvc_reg_step {
	enum axhvc_reg_op op;
	int vm;
	int pub;
	u64 key;
	u64 size;
	int target;
	bool fail_report;
	int rc;
	u64 granted;
	u32 held;
};

struct axhvc_reg_case {
	const char *name;
	struct axhvc_reg_step steps[REG_MAX_STEPS];
};

#define P(v, k, sz, rc, g, h)	{ PUB, v, 0, k, sz, 0, false, rc, g, h }
#define PF(v, k, sz, h)		{ PUB, v, 0, k, sz, 0, true, -EFAULT, 0, h }
#define S(v, p, k, rc, g, h)	{ SUB, v, p, k, 0, 0, false, rc, g, h }
#define SF(v, p, k, h)		{ SUB, v, p, k, 0, 0, true, -EFAULT, 0, h }
#define UP(v, k, rc, h)		{ UNPUB, v, 0, k, 0, 0, false, rc, 0, h }
#define US(v, p, k, rc, h)	{ UNSUB, v, p, k, 0, 0, false, rc, 0, h }
#define N(v, p, k, t, rc, h)	{ NOTIFY, v, p, k, 0, t, false, rc, 0, h }

static const struct axhvc_reg_case axhvc_reg_cases[] = {
	{ "publish, subscribe, and their EEXIST and ENOENT",
	  { P(0, 1, 5000, 0, 8192, 1), S(1, 0, 1, 0, 8192, 1), S(1, 0, 1, -EEXIST, 0, 1),
	    P(0, 1, 4096, -EEXIST, 0, 1), S(1, 0, 2, -ENOENT, 0, 1),
	    S(2, 1, 1, -ENOENT, 0, 0) } },
	{ "unpublish keeps the channel for its subscribers",
	  { P(0, 1, 4096, 0, 4096, 1), S(1, 0, 1, 0, 4096, 1), UP(0, 1, 0, 0),
	    S(2, 0, 1, -ENOENT, 0, 0), UP(0, 1, -ENOENT, 0), US(1, 0, 1, 0, 0),
	    US(1, 0, 1, -ENOENT, 0) } },
	{ "a failed report undoes the call",
	  { PF(0, 1, 4096, 0), P(0, 1, 4096, 0, 4096, 1), SF(1, 0, 1, 0),
	    S(1, 0, 1, 0, 4096, 1), US(1, 0, 1, 0, 0) } },
	{ "size 0, and a full window (16 host pages)",
	  { P(0, 1, 0, -EINVAL, 0, 0), P(0, 1, 16 * PG, 0, 16 * PG, 1),
	    P(0, 2, 4096, -ENOSPC, 0, 1), S(1, 0, 1, 0, 16 * PG, 1),
	    P(1, 1, 1, -ENOSPC, 0, 1) } },
	{ "a VM subscribes to its own channel",
	  { P(0, 1, 4096, 0, 4096, 1), S(0, 0, 1, 0, 4096, 2), UP(0, 1, 0, 1),
	    S(0, 0, 1, -ENOENT, 0, 1), US(0, 0, 1, 0, 0) } },
	{ "notify needs members, and a doorbell",
	  { P(0, 1, 4096, 0, 4096, 1), S(1, 0, 1, 0, 4096, 1),
	    N(1, 0, 1, 2, -ENOENT, 1), N(2, 0, 1, 0, -ENOENT, 0),
	    N(1, 0, 1, 0, -EOPNOTSUPP, 1), N(0, 0, 1, 1, -EOPNOTSUPP, 1),
	    N(0, 0, 2, 1, -ENOENT, 1) } },
	{ "keys and publishers are both part of the name",
	  { P(0, 7, 4096, 0, 4096, 1), P(1, 7, 4096, 0, 4096, 1),
	    S(2, 0, 7, 0, 4096, 1), S(2, 1, 7, 0, 4096, 2), US(2, 0, 7, 0, 1),
	    S(2, 1, 7, -EEXIST, 0, 1) } },
};

static void axhvc_reg_case_desc(const struct axhvc_reg_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(axhvc_reg, axhvc_reg_cases, axhvc_reg_case_desc);

static void axhvc_registry_test(struct kunit *test)
{
	const struct axhvc_reg_case *c = test->param_value;
	struct axhvc_vm *vms[REG_VMS];
	int i, rc;

	for (i = 0; i < REG_VMS; i++)
		vms[i] = axhvc_test_vm(test, REG_VM_ID(i), 16);

	for (i = 0; i < REG_MAX_STEPS && c->steps[i].op != REG_END; i++) {
		const struct axhvc_reg_step *st = &c->steps[i];
		struct axhvc_report_rec rec = { .fail = st->fail_report };
		struct axhvc_vm *vm = vms[st->vm];
		/* Publishing and unpublishing name the caller's own channels. */
		u64 pub = REG_VM_ID(st->op == UNPUB ? st->vm : st->pub);

		switch (st->op) {
		case PUB:
			rc = axhvc_ivc_publish(vm, st->key, st->size,
					       axhvc_test_report, &rec);
			break;
		case SUB:
			rc = axhvc_ivc_subscribe(vm, pub, st->key,
						 axhvc_test_report, &rec);
			break;
		case UNPUB:
			rc = axhvc_ivc_drop(vm, pub, st->key, true);
			break;
		case UNSUB:
			rc = axhvc_ivc_drop(vm, pub, st->key, false);
			break;
		default:
			rc = axhvc_ivc_notify(vm, pub, st->key,
					      REG_VM_ID(st->target));
			break;
		}
		KUNIT_EXPECT_EQ_MSG(test, rc, st->rc, "step %d", i);
		if (!rc && (st->op == PUB || st->op == SUB)) {
			KUNIT_EXPECT_EQ_MSG(test, rec.size, st->granted, "step %d", i);
			/* Page aligned, inside the caller's window. */
			KUNIT_EXPECT_TRUE_MSG(test, rec.gpa >= vm->ivc_base &&
					      rec.gpa + rec.size <= vm->ivc_base + vm->ivc_size &&
					      PAGE_ALIGNED(rec.gpa), "step %d", i);
		}
		KUNIT_EXPECT_EQ_MSG(test, vm->ivc_nr_channels, st->held, "step %d", i);
	}
	/* Teardown ends everything: the next case starts from an empty registry. */
	for (i = 0; i < REG_VMS; i++) {
		axhvc_ivc_vm_release(vms[i]);
		KUNIT_EXPECT_EQ(test, vms[i]->ivc_nr_channels, 0U);
		KUNIT_EXPECT_EQ(test, vms[i]->ivc_bytes, 0ULL);
		axhvc_vm_destroy(vms[i]);
	}
}

/* Events: who hears about a subscription, an unsubscription, a departure. */
static void axhvc_events_test(struct kunit *test)
{
	struct axhvc_vm *a = axhvc_test_vm(test, REG_VM_ID(0), 16);
	struct axhvc_vm *b = axhvc_test_vm(test, REG_VM_ID(1), 16);
	struct axhvc_report_rec rec = { };

	KUNIT_ASSERT_EQ(test, axhvc_ivc_publish(a, 5, 4096, axhvc_test_report, &rec), 0);
	KUNIT_EXPECT_EQ(test, a->ev_count, 0U);
	KUNIT_ASSERT_EQ(test, axhvc_ivc_subscribe(b, a->vm_id, 5, axhvc_test_report,
						  &rec), 0);
	KUNIT_ASSERT_EQ(test, a->ev_count, 1U);
	KUNIT_EXPECT_EQ(test, a->events[0].type, (u32)AXHVC_EVENT_SUBSCRIBED);
	KUNIT_EXPECT_EQ(test, a->events[0].peer, b->vm_id);
	KUNIT_EXPECT_EQ(test, b->ev_count, 0U);
	KUNIT_ASSERT_EQ(test, axhvc_ivc_drop(a, a->vm_id, 5, true), 0);
	KUNIT_ASSERT_EQ(test, b->ev_count, 1U);
	KUNIT_EXPECT_EQ(test, b->events[0].type, (u32)AXHVC_EVENT_PUBLISHER_LEFT);
	KUNIT_EXPECT_EQ(test, b->events[0].key, 5ULL);
	KUNIT_EXPECT_EQ(test, a->ev_count, 1U);
	axhvc_vm_destroy(a);
	axhvc_vm_destroy(b);
}

/*
 * AXHVC_VM_GET_CHANNEL's room: what the channel has, whatever the caller
 * offers. Before, the room was capped at 65,536 ids, so a channel with more
 * subscribers was -E2BIG however much room the caller gave.
 */
static void axhvc_subscribers_room_test(struct kunit *test)
{
	struct axhvc_vm *a = axhvc_test_vm(test, REG_VM_ID(0), 16);
	struct axhvc_vm *b = axhvc_test_vm(test, REG_VM_ID(1), 16);
	struct axhvc_vm *c = axhvc_test_vm(test, REG_VM_ID(2), 16);
	struct axhvc_report_rec rec = { };
	struct axhvc_channel_info info;
	u64 subs[2];
	u32 room;

	KUNIT_EXPECT_EQ(test, axhvc_subscribers_room(70000, 70000), 70000U);
	KUNIT_EXPECT_EQ(test, axhvc_subscribers_room(U32_MAX, 65537), 65537U);
	KUNIT_EXPECT_EQ(test, axhvc_subscribers_room(U32_MAX, 0), 0U);
	KUNIT_EXPECT_EQ(test, axhvc_subscribers_room(3, 70000), 3U);

	KUNIT_ASSERT_EQ(test, axhvc_ivc_publish(a, 6, 4096, axhvc_test_report, &rec), 0);
	KUNIT_ASSERT_EQ(test, axhvc_ivc_subscribe(b, a->vm_id, 6, axhvc_test_report,
						  &rec), 0);
	KUNIT_ASSERT_EQ(test, axhvc_ivc_subscribe(c, a->vm_id, 6, axhvc_test_report,
						  &rec), 0);
	/* The ioctl's first look: the count, no ids. */
	KUNIT_EXPECT_EQ(test, axhvc_ivc_get(a, a->vm_id, 6, &info, NULL, 0), -E2BIG);
	KUNIT_EXPECT_EQ(test, info.nr_subscribers, 2U);
	room = axhvc_subscribers_room(U32_MAX, info.nr_subscribers);
	KUNIT_EXPECT_EQ(test, axhvc_ivc_get(a, a->vm_id, 6, &info, subs, room), 0);
	KUNIT_EXPECT_EQ(test, subs[0], b->vm_id);
	KUNIT_EXPECT_EQ(test, subs[1], c->vm_id);
	room = axhvc_subscribers_room(1, info.nr_subscribers);
	KUNIT_EXPECT_EQ(test, axhvc_ivc_get(a, a->vm_id, 6, &info, subs, room), -E2BIG);
	axhvc_vm_destroy(c);
	axhvc_vm_destroy(b);
	axhvc_vm_destroy(a);
}

/*
 * A size beyond the window is refused before anything is allocated: the
 * call would otherwise allocate (and zero) the whole channel first.
 */
static void axhvc_publish_checks_first_test(struct kunit *test)
{
	struct axhvc_vm *a = axhvc_test_vm(test, REG_VM_ID(0), 1);
	struct axhvc_report_rec rec = { };

	KUNIT_EXPECT_EQ(test, axhvc_ivc_publish(a, 1, SZ_1G, axhvc_test_report, &rec),
			-ENOSPC);
	KUNIT_EXPECT_EQ(test, axhvc_ivc_publish(a, 1, 2 * PAGE_SIZE,
						axhvc_test_report, &rec), -ENOSPC);
	KUNIT_EXPECT_EQ(test, axhvc_ivc_publish(a, 1, PAGE_SIZE, axhvc_test_report,
						&rec), 0);
	KUNIT_EXPECT_EQ(test, axhvc_ivc_publish(a, 2, PAGE_SIZE, axhvc_test_report,
						&rec), -ENOSPC);
	axhvc_vm_destroy(a);
}

/* The host page behind @gpa in @vm's window, or NULL for a hole. */
static struct page *axhvc_test_window_page(struct axhvc_vm *vm, u64 gpa)
{
	struct page *page;

	axhvc_window_lock(vm);
	page = axhvc_window_page(vm, (gpa - vm->ivc_base) >> PAGE_SHIFT);
	axhvc_window_unlock(vm);
	return page;
}

/*
 * Channels on a host of any page size (Documentation/ivc.rst, "Hosts with
 * 16 KiB or 64 KiB pages"): the size granted is the request in whole 4 KiB
 * pages; a channel takes whole host pages, all its own and zeroed past the
 * size granted; the next channel starts at the next host page; the VM's
 * byte limit is charged the host pages. On a 4 KiB host this is AxVisor's
 * rule as it always was.
 */
static void axhvc_page_size_test(struct kunit *test)
{
	const u64 one = round_up(SZ_4K, PAGE_SIZE), four = round_up(4 * SZ_4K, PAGE_SIZE);
	struct axhvc_vm *a = axhvc_test_vm(test, REG_VM_ID(0), 16);
	struct axhvc_vm *b = axhvc_test_vm(test, REG_VM_ID(1), 16);
	struct axhvc_report_rec r1 = { }, r2 = { }, rs = { };
	struct axhvc_vm_limits lim = { };
	struct axhvc_channel_info info;
	struct page *page;
	u8 *kaddr;

	KUNIT_ASSERT_EQ(test, axhvc_ivc_publish(a, 1, SZ_4K, axhvc_test_report, &r1), 0);
	KUNIT_ASSERT_EQ(test, axhvc_ivc_publish(a, 2, 3 * SZ_4K + 1, axhvc_test_report,
						&r2), 0);
	KUNIT_EXPECT_EQ(test, r1.size, (u64)SZ_4K);
	KUNIT_EXPECT_EQ(test, r2.size, 4ULL * SZ_4K);
	KUNIT_EXPECT_EQ(test, r1.gpa, a->ivc_base);
	KUNIT_EXPECT_EQ(test, r2.gpa - r1.gpa, one);
	KUNIT_EXPECT_EQ(test, a->ivc_bytes, one + four);
	/* The VMM is told the size granted, at the offset the guest got. */
	KUNIT_ASSERT_EQ(test, axhvc_ivc_get(a, a->vm_id, 2, &info, NULL, 0), 0);
	KUNIT_EXPECT_EQ(test, info.size, 4ULL * SZ_4K);
	KUNIT_EXPECT_EQ(test, info.offset, r2.gpa - a->ivc_base);

	/* A subscriber gets the size granted, and the same whole host page. */
	KUNIT_ASSERT_EQ(test, axhvc_ivc_subscribe(b, a->vm_id, 1, axhvc_test_report, &rs), 0);
	KUNIT_EXPECT_EQ(test, rs.size, (u64)SZ_4K);
	KUNIT_EXPECT_EQ(test, b->ivc_bytes, one);
	page = axhvc_test_window_page(a, r1.gpa);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_PTR_EQ(test, axhvc_test_window_page(b, rs.gpa), page);
	KUNIT_EXPECT_PTR_NE(test, axhvc_test_window_page(a, r2.gpa), page);
	/* Past the 16-byte header all of it is zero, up to the page's end. */
	kaddr = kmap_local_page(page);
	KUNIT_EXPECT_NULL(test, memchr_inv(kaddr + 16, 0, PAGE_SIZE - 16));
	kunmap_local(kaddr);

	/* B may hold the one host page it has: no room for more, even 1 byte's. */
	lim.max_bytes = one;
	KUNIT_ASSERT_EQ(test, axhvc_ivc_set_limits(b, &lim), 0);
	KUNIT_EXPECT_EQ(test, axhvc_ivc_subscribe(b, a->vm_id, 2, axhvc_test_report, &rs),
			-ENOSPC);
	KUNIT_EXPECT_EQ(test, axhvc_ivc_publish(b, 1, 1, axhvc_test_report, &rs), -ENOSPC);
	lim.max_bytes = one + four;
	KUNIT_ASSERT_EQ(test, axhvc_ivc_set_limits(b, &lim), 0);
	KUNIT_EXPECT_EQ(test, axhvc_ivc_subscribe(b, a->vm_id, 2, axhvc_test_report, &rs), 0);
	KUNIT_EXPECT_EQ(test, rs.size, 4ULL * SZ_4K);
	KUNIT_EXPECT_EQ(test, b->ivc_bytes, one + four);
	axhvc_vm_destroy(b);
	axhvc_vm_destroy(a);
}

/* Limits and allowlist, as a VMM sets them. */
static void axhvc_limits_test(struct kunit *test)
{
	struct axhvc_vm *a = axhvc_test_vm(test, REG_VM_ID(0), 16);
	struct axhvc_vm *b = axhvc_test_vm(test, REG_VM_ID(1), 16);
	struct axhvc_vm_limits lim = { .max_channels = 1 };
	struct axhvc_report_rec rec = { };
	u64 ids[] = { 42, 7 };

	KUNIT_ASSERT_EQ(test, axhvc_ivc_set_limits(a, &lim), 0);
	KUNIT_EXPECT_EQ(test, axhvc_ivc_publish(a, 1, 4096, axhvc_test_report, &rec), 0);
	KUNIT_EXPECT_EQ(test, axhvc_ivc_publish(a, 2, 4096, axhvc_test_report, &rec),
			-ENOSPC);
	/* One host page: a channel needing two does not fit, one needing one does. */
	lim = (struct axhvc_vm_limits){ .max_bytes = PAGE_SIZE };
	KUNIT_ASSERT_EQ(test, axhvc_ivc_set_limits(b, &lim), 0);
	KUNIT_EXPECT_EQ(test, lim.max_bytes, (u64)PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, axhvc_ivc_publish(b, 1, PAGE_SIZE + 1, axhvc_test_report, &rec),
			-ENOSPC);

	KUNIT_ASSERT_EQ(test, axhvc_ivc_set_allowlist(a, ids, ARRAY_SIZE(ids)), 0);
	KUNIT_EXPECT_EQ(test, axhvc_ivc_subscribe(b, a->vm_id, 1, axhvc_test_report,
						  &rec), -EACCES);
	ids[1] = b->vm_id;
	KUNIT_ASSERT_EQ(test, axhvc_ivc_set_allowlist(a, ids, ARRAY_SIZE(ids)), 0);
	KUNIT_EXPECT_EQ(test, axhvc_ivc_subscribe(b, a->vm_id, 1, axhvc_test_report,
						  &rec), 0);
	/* Limits above the module's are refused. */
	lim = (struct axhvc_vm_limits){ .max_channels = U32_MAX };
	KUNIT_EXPECT_EQ(test, axhvc_ivc_set_limits(a, &lim), -EINVAL);
	axhvc_vm_destroy(a);
	axhvc_vm_destroy(b);
}

/*
 * Two VM objects with one id, as when a VM is re-created while the old one
 * is going away: the new one finds none of the old one's mappings.
 */
static void axhvc_same_id_test(struct kunit *test)
{
	struct axhvc_vm *old = axhvc_test_vm(test, REG_VM_ID(0), 16);
	struct axhvc_vm *new = axhvc_test_vm(test, REG_VM_ID(0), 16);
	struct axhvc_report_rec rec = { };
	u64 id = old->vm_id;

	KUNIT_ASSERT_EQ(test, axhvc_ivc_publish(old, 1, 4096, axhvc_test_report, &rec), 0);
	KUNIT_ASSERT_EQ(test, axhvc_ivc_subscribe(old, id, 1, axhvc_test_report, &rec), 0);
	KUNIT_EXPECT_EQ(test, axhvc_ivc_drop(new, id, 1, true), -ENOENT);
	KUNIT_EXPECT_EQ(test, axhvc_ivc_drop(new, id, 1, false), -ENOENT);
	KUNIT_EXPECT_EQ(test, axhvc_ivc_notify(new, id, 1, id), -ENOENT);
	KUNIT_EXPECT_EQ(test, old->ivc_nr_channels, 2U);
	KUNIT_EXPECT_EQ(test, new->ivc_nr_channels, 0U);
	axhvc_vm_destroy(old);
	axhvc_vm_destroy(new);
}

/*
 * An allowlist entry names a tenant: another user's VM with the listed id
 * gets in only when the administrator bound the id to it.
 */
static void axhvc_allowlist_owner_test(struct kunit *test)
{
	struct axhvc_vm *a = axhvc_test_vm(test, REG_VM_ID(0), 16);
	struct axhvc_vm *b = axhvc_test_vm(test, REG_VM_ID(1), 16);
	struct axhvc_report_rec rec = { };
	u64 ids[] = { REG_VM_ID(1) };

	b->owner_uid = KUIDT_INIT(2000);
	KUNIT_ASSERT_EQ(test, axhvc_ivc_publish(a, 1, 4096, axhvc_test_report, &rec), 0);
	/* Without an allowlist, anyone may subscribe (AxVisor's rule). */
	KUNIT_ASSERT_EQ(test, axhvc_ivc_subscribe(b, a->vm_id, 1, axhvc_test_report,
						  &rec), 0);
	KUNIT_ASSERT_EQ(test, axhvc_ivc_drop(b, a->vm_id, 1, false), 0);
	KUNIT_ASSERT_EQ(test, axhvc_ivc_set_allowlist(a, ids, ARRAY_SIZE(ids)), 0);
	KUNIT_EXPECT_EQ(test, axhvc_ivc_subscribe(b, a->vm_id, 1, axhvc_test_report,
						  &rec), -EACCES);
	b->id_bound = true;
	KUNIT_EXPECT_EQ(test, axhvc_ivc_subscribe(b, a->vm_id, 1, axhvc_test_report,
						  &rec), 0);
	axhvc_vm_destroy(a);
	axhvc_vm_destroy(b);
}

#define GR(k, f, a, b, u, g, rc)	{ { .kind = k, .flags = f, .first = a, .last = b, \
					    .uid = u, .gid = g }, rc }

struct axhvc_grant_case {
	struct axhvc_grant g;
	int rc;
};

static const struct axhvc_grant_case axhvc_grant_cases[] = {
	GR(AXHVC_GRANT_VM_IDS, 0, 1, 9, 1000, AXHVC_GRANT_NOBODY, 0),
	GR(AXHVC_GRANT_VM_IDS, 0, 1, 1, AXHVC_GRANT_NOBODY, 36, 0),
	GR(AXHVC_GRANT_GIC_SPIS, AXHVC_GRANT_F_LEVEL, 0, 987, 0, 0, 0),
	GR(AXHVC_GRANT_GIC_SPIS, 0, 0, 988, 0, 0, -EINVAL),
	GR(AXHVC_GRANT_VM_IDS, AXHVC_GRANT_F_LEVEL, 1, 1, 0, 0, -EINVAL),
	GR(AXHVC_GRANT_VM_IDS, 1U << 2, 1, 1, 0, 0, -EINVAL),
	GR(AXHVC_GRANT_VM_IDS, 0, 2, 1, 0, 0, -EINVAL),
	GR(0, 0, 1, 1, 0, 0, -EINVAL),
	GR(3, 0, 1, 1, 0, 0, -EINVAL),
	GR(AXHVC_GRANT_VM_IDS, 0, 1, 1, AXHVC_GRANT_NOBODY, AXHVC_GRANT_NOBODY, -EINVAL),
	GR(AXHVC_GRANT_VM_IDS, AXHVC_GRANT_F_REVOKE, 1, 1, AXHVC_GRANT_NOBODY,
	   AXHVC_GRANT_NOBODY, 0),
};

static void axhvc_grant_case_desc(const struct axhvc_grant_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "kind %u flags %#x %llu..%llu uid %d gid %d",
		 c->g.kind, c->g.flags, c->g.first, c->g.last, (int)c->g.uid,
		 (int)c->g.gid);
}

KUNIT_ARRAY_PARAM(axhvc_grant, axhvc_grant_cases, axhvc_grant_case_desc);

static void axhvc_grant_check_test(struct kunit *test)
{
	const struct axhvc_grant_case *c = test->param_value;
	struct axhvc_grant g = c->g;

	KUNIT_EXPECT_EQ(test, axhvc_check_grant(&g), c->rc);
	g.__reserved = 1;
	KUNIT_EXPECT_EQ(test, axhvc_check_grant(&g), -EINVAL);
}

#define HV_VM_ID(i)	(3001 + (i))

/* The host's channels: published, unpublished but held, subscribers in order. */
static void axhvc_list_all_test(struct kunit *test)
{
	struct axhvc_vm *a = axhvc_test_vm(test, HV_VM_ID(0), 16);
	struct axhvc_vm *b = axhvc_test_vm(test, HV_VM_ID(1), 16);
	struct axhvc_vm *c = axhvc_test_vm(test, HV_VM_ID(2), 16);
	struct axhvc_report_rec rec = { };
	struct axhvc_host_channel *chans, *ch;
	u32 nr, nr_subs, i, found = 0;
	u64 *subs;

	KUNIT_ASSERT_EQ(test, axhvc_ivc_publish(a, 1, 4096, axhvc_test_report, &rec), 0);
	KUNIT_ASSERT_EQ(test, axhvc_ivc_publish(a, 2, 3 * 4096, axhvc_test_report, &rec), 0);
	KUNIT_ASSERT_EQ(test, axhvc_ivc_publish(b, 1, 4096, axhvc_test_report, &rec), 0);
	KUNIT_ASSERT_EQ(test, axhvc_ivc_subscribe(c, a->vm_id, 1, axhvc_test_report, &rec), 0);
	KUNIT_ASSERT_EQ(test, axhvc_ivc_subscribe(b, a->vm_id, 1, axhvc_test_report, &rec), 0);
	KUNIT_ASSERT_EQ(test, axhvc_ivc_subscribe(a, a->vm_id, 1, axhvc_test_report, &rec), 0);
	KUNIT_ASSERT_EQ(test, axhvc_ivc_subscribe(c, b->vm_id, 1, axhvc_test_report, &rec), 0);
	/* b's channel 1 lives on for c without its publisher. */
	KUNIT_ASSERT_EQ(test, axhvc_ivc_drop(b, b->vm_id, 1, true), 0);

	/* No room: the counts, and nothing written. */
	KUNIT_ASSERT_EQ(test, axhvc_ivc_list_all(NULL, 0, NULL, 0, &nr, &nr_subs), -E2BIG);
	KUNIT_ASSERT_GE(test, nr, 3U);
	KUNIT_ASSERT_GE(test, nr_subs, 4U);
	chans = kunit_kcalloc(test, nr, sizeof(*chans), GFP_KERNEL);
	subs = kunit_kcalloc(test, nr_subs, sizeof(*subs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, chans);
	KUNIT_ASSERT_NOT_NULL(test, subs);
	/* One subscriber short, then one channel short. */
	KUNIT_EXPECT_EQ(test, axhvc_ivc_list_all(chans, nr, subs, nr_subs - 1, &nr, &nr_subs),
			-E2BIG);
	KUNIT_EXPECT_EQ(test, axhvc_ivc_list_all(chans, nr - 1, subs, nr_subs, &nr, &nr_subs),
			-E2BIG);
	KUNIT_ASSERT_EQ(test, axhvc_ivc_list_all(chans, nr, subs, nr_subs, &nr, &nr_subs), 0);

	for (i = 0; i < nr; i++) {
		ch = &chans[i];
		if (ch->publisher < HV_VM_ID(0) || ch->publisher > HV_VM_ID(2))
			continue;
		KUNIT_ASSERT_LE(test, ch->first_subscriber + ch->nr_subscribers, nr_subs);
		KUNIT_EXPECT_EQ(test, ch->__reserved, 0U);
		if (ch->publisher == a->vm_id && ch->key == 1) {
			/* Subscribers in the order they came. */
			KUNIT_EXPECT_EQ(test, found, 0U);
			KUNIT_EXPECT_EQ(test, ch->size, 4096ULL);
			KUNIT_EXPECT_EQ(test, ch->flags, (u32)AXHVC_CHAN_F_PUBLISHED);
			KUNIT_ASSERT_EQ(test, ch->nr_subscribers, 3U);
			KUNIT_EXPECT_EQ(test, subs[ch->first_subscriber], c->vm_id);
			KUNIT_EXPECT_EQ(test, subs[ch->first_subscriber + 1], b->vm_id);
			KUNIT_EXPECT_EQ(test, subs[ch->first_subscriber + 2], a->vm_id);
		} else if (ch->publisher == a->vm_id && ch->key == 2) {
			KUNIT_EXPECT_EQ(test, found, 1U);
			KUNIT_EXPECT_EQ(test, ch->size, 3 * 4096ULL);
			KUNIT_EXPECT_EQ(test, ch->flags, (u32)AXHVC_CHAN_F_PUBLISHED);
			KUNIT_EXPECT_EQ(test, ch->nr_subscribers, 0U);
		} else if (ch->publisher == b->vm_id && ch->key == 1) {
			KUNIT_EXPECT_EQ(test, found, 2U);
			KUNIT_EXPECT_EQ(test, ch->flags, 0U);
			KUNIT_ASSERT_EQ(test, ch->nr_subscribers, 1U);
			KUNIT_EXPECT_EQ(test, subs[ch->first_subscriber], c->vm_id);
		} else {
			KUNIT_FAIL(test, "unexpected channel %llu/%llu", ch->publisher, ch->key);
		}
		found++;
	}
	KUNIT_EXPECT_EQ(test, found, 3U);

	/* The last subscriber gone, the unpublished channel is gone too. */
	KUNIT_ASSERT_EQ(test, axhvc_ivc_drop(c, b->vm_id, 1, false), 0);
	KUNIT_ASSERT_EQ(test, axhvc_ivc_list_all(chans, nr, subs, nr_subs, &nr, &nr_subs), 0);
	for (i = 0; i < nr; i++)
		KUNIT_EXPECT_FALSE(test, chans[i].publisher == b->vm_id);
	axhvc_vm_destroy(a);
	axhvc_vm_destroy(b);
	axhvc_vm_destroy(c);
}

/* One call on @route; returns the dispatcher's verdict. */
static int axhvc_test_call(struct axhvc_vm *vm, enum axhvc_route route,
			   u64 code, u64 x1, u64 *ret)
{
	struct axhvc_call call = {
		.vm = vm, .x = { code, x1 }, .route = route,
	};

	return axhvc_dispatch(&call, ret);
}

/* A VM's host view entry: limits, usage, doorbell, exact counters. */
static void axhvc_vm_info_test(struct kunit *test)
{
	struct axhvc_vm *vm = axhvc_test_vm_flags(test, HV_VM_ID(5), 16,
						  AXHVC_VM_F_LIFECYCLE_TO_VMM);
	struct axhvc_report_rec rec = { };
	struct axhvc_vm_info info;
	u64 ret, sum = 0;
	int i;

	KUNIT_ASSERT_EQ(test, axhvc_ivc_publish(vm, 9, 2 * 4096, axhvc_test_report, &rec), 0);
	axhvc_ivc_set_doorbell(vm, NULL, 40);

	/* Debug: fine; PrepareDisable: the VMM's; unpublish of nothing: ENOENT. */
	KUNIT_EXPECT_EQ(test, axhvc_test_call(vm, AXHVC_ROUTE_FORWARDED, 2, 0, &ret),
			AXHVC_CALL_DONE);
	KUNIT_EXPECT_EQ(test, axhvc_test_call(vm, AXHVC_ROUTE_INTERCEPT, 2, 0, &ret),
			AXHVC_CALL_DONE);
	KUNIT_EXPECT_EQ(test, axhvc_test_call(vm, AXHVC_ROUTE_FORWARDED, 1, 0, &ret),
			AXHVC_CALL_TO_VMM);
	KUNIT_EXPECT_EQ(test, axhvc_test_call(vm, AXHVC_ROUTE_INTERCEPT, 5, 77, &ret),
			AXHVC_CALL_DONE);
	KUNIT_EXPECT_EQ(test, ret, (u64)-ENOENT);
	/* Publish with unbacked pointers: EFAULT, and the code's count moves. */
	KUNIT_EXPECT_EQ(test, axhvc_test_call(vm, AXHVC_ROUTE_FORWARDED, 3, 1, &ret),
			AXHVC_CALL_DONE);
	KUNIT_EXPECT_EQ(test, ret, (u64)-EFAULT);
	/* Bits above the 32-bit code are ignored, as for the guest. */
	KUNIT_EXPECT_EQ(test, axhvc_test_call(vm, AXHVC_ROUTE_FORWARDED,
					      0x100000002ULL, 0, &ret), AXHVC_CALL_DONE);

	KUNIT_ASSERT_EQ(test, axhvc_ivc_registry_lock(), 0);
	axhvc_vm_info_fill(vm, &info);
	axhvc_ivc_registry_unlock();
	KUNIT_EXPECT_EQ(test, info.vm_id, HV_VM_ID(5));
	KUNIT_EXPECT_EQ(test, info.flags, (u32)AXHVC_VM_F_LIFECYCLE_TO_VMM);
	KUNIT_EXPECT_EQ(test, info.owner_tgid, task_tgid_vnr(current));
	KUNIT_EXPECT_EQ(test, info.ivc_base, 0xd0000000ULL);
	KUNIT_EXPECT_EQ(test, info.ivc_size, 16ULL << PAGE_SHIFT);
	KUNIT_EXPECT_EQ(test, info.nr_channels, 1U);
	/* The host pages behind the 8 KiB granted: one on a 16 or 64 KiB host. */
	KUNIT_EXPECT_EQ(test, info.bytes, (u64)PAGE_ALIGN(2 * SZ_4K));
	KUNIT_EXPECT_EQ(test, info.max_channels, vm->ivc_max_channels);
	KUNIT_EXPECT_EQ(test, info.max_bytes, vm->ivc_max_bytes);
	KUNIT_EXPECT_EQ(test, info.doorbell, (u32)AXHVC_VMI_DOORBELL_INTID);
	KUNIT_EXPECT_EQ(test, info.doorbell_intid, 40U);
	KUNIT_EXPECT_EQ(test, info.nr_irq_routes, 0U);
	KUNIT_EXPECT_EQ(test, info.nr_irq_forwards, 0U);
	KUNIT_EXPECT_EQ(test, info.nr_mem_regions, 0U);
	KUNIT_EXPECT_EQ(test, info.calls[0], 0ULL);
	KUNIT_EXPECT_EQ(test, info.calls[1], 1ULL);
	KUNIT_EXPECT_EQ(test, info.calls[2], 3ULL);
	KUNIT_EXPECT_EQ(test, info.calls[3], 1ULL);
	KUNIT_EXPECT_EQ(test, info.calls[4], 0ULL);
	KUNIT_EXPECT_EQ(test, info.calls[5], 1ULL);
	KUNIT_EXPECT_EQ(test, info.calls_forwarded, 4ULL);
	KUNIT_EXPECT_EQ(test, info.calls_intercept, 2ULL);
	KUNIT_EXPECT_EQ(test, info.errors, 2ULL);
	for (i = 0; i < AXHVC_HC_COUNT; i++)
		sum += info.calls[i];
	KUNIT_EXPECT_EQ(test, sum, info.calls_forwarded + info.calls_intercept);
	KUNIT_EXPECT_EQ(test, info.__reserved, 0U);

	axhvc_ivc_set_doorbell(vm, NULL, 0);
	KUNIT_ASSERT_EQ(test, axhvc_ivc_registry_lock(), 0);
	axhvc_vm_info_fill(vm, &info);
	axhvc_ivc_registry_unlock();
	KUNIT_EXPECT_EQ(test, info.doorbell, (u32)AXHVC_VMI_DOORBELL_NONE);
	KUNIT_EXPECT_EQ(test, info.doorbell_intid, 0U);
	axhvc_vm_destroy(vm);
}

/*
 * The dispatcher's verdicts: a code outside the table is not ours and
 * counts nothing; a lifecycle call of an intercepted VM whose VMM decides
 * it is handed over, and counted once, on the route that brought it.
 */
static void axhvc_dispatch_verdict_test(struct kunit *test)
{
	struct axhvc_vm *vm = axhvc_test_vm_flags(test, HV_VM_ID(6), 1,
						  AXHVC_VM_F_INTERCEPT |
						  AXHVC_VM_F_LIFECYCLE_TO_VMM);
	struct axhvc_vm_info info;
	u64 ret = 0x5a;

	KUNIT_EXPECT_EQ(test, axhvc_test_call(vm, AXHVC_ROUTE_FORWARDED,
					      AXHVC_HC_COUNT, 0, &ret),
			AXHVC_CALL_NOT_OURS);
	KUNIT_EXPECT_EQ(test, axhvc_test_call(vm, AXHVC_ROUTE_INTERCEPT,
					      0xffffffffULL, 0, &ret),
			AXHVC_CALL_NOT_OURS);
	KUNIT_EXPECT_EQ(test, ret, 0x5aULL);
	KUNIT_EXPECT_EQ(test, axhvc_test_call(vm, AXHVC_ROUTE_INTERCEPT,
					      AXHVC_HC_HYPERVISOR_DISABLE, 0, &ret),
			AXHVC_CALL_TO_VMM);
	/* The VMM passes the exit on to AXHVC_VM_HYPERCALL: same verdict. */
	KUNIT_EXPECT_EQ(test, axhvc_test_call(vm, AXHVC_ROUTE_FORWARDED,
					      AXHVC_HC_HYPERVISOR_DISABLE, 0, &ret),
			AXHVC_CALL_TO_VMM);
	KUNIT_EXPECT_EQ(test, ret, 0x5aULL);
	KUNIT_ASSERT_EQ(test, axhvc_ivc_registry_lock(), 0);
	axhvc_vm_info_fill(vm, &info);
	axhvc_ivc_registry_unlock();
	KUNIT_EXPECT_EQ(test, info.calls[AXHVC_HC_HYPERVISOR_DISABLE], 1ULL);
	KUNIT_EXPECT_EQ(test, info.calls_intercept, 1ULL);
	KUNIT_EXPECT_EQ(test, info.calls_forwarded, 0ULL);
	KUNIT_EXPECT_EQ(test, info.errors, 0ULL);
	axhvc_vm_destroy(vm);
}

static struct kunit_case axhvc_dev_test_cases[] = {
	KUNIT_CASE_PARAM(axhvc_version_test, axhvc_version_gen_params),
	KUNIT_CASE_PARAM(axhvc_unknown_cmd_test, axhvc_unknown_cmd_gen_params),
	KUNIT_CASE_PARAM(axhvc_encode_test, axhvc_encode_gen_params),
	KUNIT_CASE_PARAM(axhvc_config_test, axhvc_config_gen_params),
	KUNIT_CASE_PARAM(axhvc_region_test, axhvc_region_gen_params),
	KUNIT_CASE_PARAM(axhvc_gic_describe_test, axhvc_gic_gen_params),
	KUNIT_CASE(axhvc_host_gic_fill_test),
	KUNIT_CASE_PARAM(axhvc_list_check_test, axhvc_list_gen_params),
	KUNIT_CASE(axhvc_vm_info_test),
	KUNIT_CASE(axhvc_dispatch_verdict_test),
	KUNIT_CASE_PARAM(axhvc_grant_check_test, axhvc_grant_gen_params),
	{}
};

static struct kunit_case axhvc_ivc_test_cases[] = {
	KUNIT_CASE_PARAM(axhvc_window_test, axhvc_window_gen_params),
	KUNIT_CASE_PARAM(axhvc_registry_test, axhvc_reg_gen_params),
	KUNIT_CASE(axhvc_events_test),
	KUNIT_CASE(axhvc_limits_test),
	KUNIT_CASE(axhvc_subscribers_room_test),
	KUNIT_CASE(axhvc_publish_checks_first_test),
	KUNIT_CASE(axhvc_page_size_test),
	KUNIT_CASE(axhvc_list_all_test),
	KUNIT_CASE(axhvc_same_id_test),
	KUNIT_CASE(axhvc_allowlist_owner_test),
	{}
};

static struct kunit_suite axhvc_dev_test_suite = {
	.name = "axhvc_dev",
	.test_cases = axhvc_dev_test_cases,
};

static struct kunit_suite axhvc_ivc_test_suite = {
	.name = "axhvc_ivc",
	.test_cases = axhvc_ivc_test_cases,
};

kunit_test_suites(&axhvc_dev_test_suite, &axhvc_ivc_test_suite);

MODULE_DESCRIPTION("KUnit tests for axhvc");
MODULE_AUTHOR("The axhvc developers");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
