// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for axhvc, a module of its own (axhvc_kunit.ko) that runs when
 * loaded on a kernel with CONFIG_KUNIT.
 *
 * It covers the pure logic. Copying to and from user memory is covered by the
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

/* Layout is ABI: 32-bit and 64-bit userspace must agree on it. */
static void axhvc_uapi_layout_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, sizeof(struct axhvc_api_version), 48UL);
	KUNIT_EXPECT_EQ(test, offsetof(struct axhvc_api_version, features), 8UL);
	KUNIT_EXPECT_EQ(test, offsetof(struct axhvc_api_version, reserved), 16UL);
	KUNIT_EXPECT_EQ(test, _IOC_TYPE(AXHVC_GET_API_VERSION), 0xB9U);
	KUNIT_EXPECT_EQ(test, _IOC_SIZE(AXHVC_GET_API_VERSION),
			sizeof(struct axhvc_api_version));
}

static struct kunit_case axhvc_dev_test_cases[] = {
	KUNIT_CASE_PARAM(axhvc_version_test, axhvc_version_gen_params),
	KUNIT_CASE_PARAM(axhvc_unknown_cmd_test, axhvc_unknown_cmd_gen_params),
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
