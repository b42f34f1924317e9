// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for axhvc, a module of its own (axhvc_kunit.ko) that runs when
 * loaded on a kernel with CONFIG_KUNIT.
 *
 * It covers the pure logic: argument checks, command decoding, the guest's
 * error encoding and the UAPI layout. Copying to and from user memory is covered by the
 * kselftests instead: 6.12's kunit_vm_mmap() leaks the mm it attaches
 * (kthread_use_mm() takes a second reference nobody drops), which would make
 * every kmemleak scan of the debug kernel fail.
 */
#include <kunit/test.h>
#include <linux/module.h>

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
	{ "reserved[0] must be zero", { .reserved = { 1 } }, -EINVAL },
	{ "reserved[3] must be zero", { .reserved = { 0, 0, 0, 1ULL << 63 } },
	  -EINVAL },
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
	KUNIT_EXPECT_EQ(test, ver.features & ~AXHVC_FEATURES_ALL, 0ULL);
	KUNIT_EXPECT_TRUE(test, ver.features & AXHVC_FEATURE_VM);
	KUNIT_EXPECT_EQ(test, ver.flags, 0U);
	KUNIT_EXPECT_TRUE(test, !memchr_inv(ver.reserved, 0, sizeof(ver.reserved)));
}

struct axhvc_cmd_case {
	const char *name;
	unsigned int cmd;
};

/* Commands that must be refused before any user memory is touched. */
static const struct axhvc_cmd_case axhvc_unknown_cmds[] = {
	{ "unknown number",
	  _IOWR(AXHVC_IOCTL_MAGIC, 0x7f, struct axhvc_api_version) },
	{ "right number, wrong size", _IOWR(AXHVC_IOCTL_MAGIC, 0x00, __u64) },
	{ "right number, wrong direction",
	  _IOR(AXHVC_IOCTL_MAGIC, 0x00, struct axhvc_api_version) },
	{ "foreign magic", _IOWR(0xAE, 0x00, struct axhvc_api_version) },
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
	{ "no window", { .vm_id = 1 }, 0 },
	{ "AxVisor's example window",
	  { .vm_id = 1, .ivc_base = 0xd0000000, .ivc_size = 0x10000000 }, 0 },
	{ "every flag", { .vm_id = ~0ULL, .flags = AXHVC_VM_F_ALL, .kvm_fd = 5 }, 0 },
	{ "intercept with fd 0", { .flags = AXHVC_VM_F_INTERCEPT }, 0 },
	{ "unknown flag", { .flags = 1U << 3 }, -EINVAL },
	{ "reserved", { .reserved = { 0, 1 } }, -EINVAL },
	{ "kvm_fd without intercept", { .kvm_fd = -1 }, -EINVAL },
	{ "base unaligned", { .ivc_base = 0x10, .ivc_size = 0x1000 }, -EINVAL },
	{ "size unaligned", { .ivc_base = 0x1000, .ivc_size = 0x10 }, -EINVAL },
	{ "window wraps", { .ivc_base = ~0xfffULL, .ivc_size = 0x2000 }, -EINVAL },
	{ "window ends at the top", { .ivc_base = ~0x1fffULL, .ivc_size = 0x1000 }, 0 },
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

#define RGN(g, s, u)	{ .gpa = (g), .size = (s), .uaddr = (u) }

static const struct axhvc_region_case axhvc_region_cases[] = {
	{ "after the first", RGN(0x40100000, 0x1000, 0x20000000), 0 },
	{ "right before the first", RGN(0x3ffff000, 0x1000, 0x20000000), 0 },
	{ "overlaps the first's end", RGN(0x400ff000, 0x2000, 0x20000000), -EINVAL },
	{ "overlaps the first's start", RGN(0x3ffff000, 0x2000, 0x20000000), -EINVAL },
	{ "inside the first", RGN(0x40001000, 0x1000, 0x20000000), -EINVAL },
	{ "covers the first", RGN(0x30000000, 0x20000000, 0x20000000), -EINVAL },
	{ "touches the window", RGN(0xcffff000, 0x2000, 0x20000000), -EINVAL },
	{ "right before the window", RGN(0xcffff000, 0x1000, 0x20000000), 0 },
	{ "size 0", RGN(0x50000000, 0, 0x20000000), -EINVAL },
	{ "gpa unaligned", RGN(0x50000008, 0x1000, 0x20000000), -EINVAL },
	{ "size unaligned", RGN(0x50000000, 0x1008, 0x20000000), -EINVAL },
	{ "uaddr unaligned", RGN(0x50000000, 0x1000, 0x20000008), -EINVAL },
	{ "gpa wraps", RGN(~0xfffULL, 0x2000, 0x20000000), -EINVAL },
	{ "uaddr wraps", RGN(0x50000000, 0x2000, ~0xfffULL), -EINVAL },
	{ "flags", { .gpa = 0x50000000, .size = 0x1000, .uaddr = 0x20000000,
		     .flags = 1 }, -EINVAL },
	{ "reserved", { .gpa = 0x50000000, .size = 0x1000, .uaddr = 0x20000000,
			.reserved = 1 }, -EINVAL },
};

static void axhvc_region_case_desc(const struct axhvc_region_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(axhvc_region, axhvc_region_cases, axhvc_region_case_desc);

static void axhvc_region_test(struct kunit *test)
{
	const struct axhvc_region_case *c = test->param_value;
	struct axhvc_vm *vm = kunit_kzalloc(test, sizeof(*vm), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, vm);
	vm->ivc_base = 0xd0000000;
	vm->ivc_size = 0x10000000;
	vm->regions[0] = (struct axhvc_mem_region)RGN(0x40000000, 0x100000, 0x10000000);
	vm->nr_regions = 1;
	KUNIT_EXPECT_EQ(test, axhvc_check_mem_region(vm, &c->r), c->expect_rc);
}

/* Layout is ABI: 32-bit and 64-bit userspace must agree on it. */
static void axhvc_uapi_layout_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, sizeof(struct axhvc_api_version), 48UL);
	KUNIT_EXPECT_EQ(test, offsetof(struct axhvc_api_version, features), 8UL);
	KUNIT_EXPECT_EQ(test, offsetof(struct axhvc_api_version, reserved), 16UL);
	KUNIT_EXPECT_EQ(test, _IOC_TYPE(AXHVC_GET_API_VERSION), 0xB9U);
	KUNIT_EXPECT_EQ(test, _IOC_SIZE(AXHVC_GET_API_VERSION),
			sizeof(struct axhvc_api_version));
	KUNIT_EXPECT_EQ(test, sizeof(struct axhvc_vm_config), 64UL);
	KUNIT_EXPECT_EQ(test, offsetof(struct axhvc_vm_config, kvm_fd), 28UL);
	KUNIT_EXPECT_EQ(test, sizeof(struct axhvc_mem_region), 32UL);
	KUNIT_EXPECT_EQ(test, sizeof(struct axhvc_hypercall), 88UL);
	KUNIT_EXPECT_EQ(test, offsetof(struct axhvc_hypercall, vcpu_id), 64UL);
	KUNIT_EXPECT_EQ(test, sizeof(struct axhvc_doorbell), 16UL);
}

static struct kunit_case axhvc_dev_test_cases[] = {
	KUNIT_CASE_PARAM(axhvc_version_test, axhvc_version_gen_params),
	KUNIT_CASE_PARAM(axhvc_unknown_cmd_test, axhvc_unknown_cmd_gen_params),
	KUNIT_CASE_PARAM(axhvc_encode_test, axhvc_encode_gen_params),
	KUNIT_CASE_PARAM(axhvc_config_test, axhvc_config_gen_params),
	KUNIT_CASE_PARAM(axhvc_region_test, axhvc_region_gen_params),
	KUNIT_CASE(axhvc_uapi_layout_test),
	{}
};

static struct kunit_suite axhvc_dev_test_suite = {
	.name = "axhvc_dev",
	.test_cases = axhvc_dev_test_cases,
};

kunit_test_suite(axhvc_dev_test_suite);

MODULE_DESCRIPTION("KUnit tests for axhvc");
MODULE_AUTHOR("The axhvc developers");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
