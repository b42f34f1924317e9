// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/axhvc: open and close, the API version ioctl and one negative test
 * per UAPI rule (unknown command, bad pointer, non-zero reserved fields,
 * root-only access).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include <axhvc.h>

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

TEST_F(dev, version)
{
	struct axhvc_api_version v;

	memset(&v, 0, sizeof(v));
	ASSERT_EQ(0, ioctl(self->fd, AXHVC_GET_API_VERSION, &v));
	EXPECT_EQ(AXHVC_API_VERSION, v.api_version);
	EXPECT_EQ(0, v.features & ~AXHVC_FEATURES_ALL);
	EXPECT_EQ(0, v.flags);
	TH_LOG("axhvc API %u, features %#llx", v.api_version,
	       (unsigned long long)v.features);
}

TEST_F(dev, unknown_ioctl_is_enotty)
{
	struct axhvc_api_version v = { 0 };

	EXPECT_EQ(-1, ioctl(self->fd, _IOWR(AXHVC_IOCTL_MAGIC, 0x7f, v), &v));
	EXPECT_EQ(ENOTTY, errno);
	/* The right number with the wrong size is another command. */
	EXPECT_EQ(-1, ioctl(self->fd, _IOWR(AXHVC_IOCTL_MAGIC, 0x00, __u32), &v));
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
	ro = mmap(NULL, getpagesize(), PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	EXPECT_EQ(-1, ioctl(self->fd, AXHVC_GET_API_VERSION, ro));
	EXPECT_EQ(EFAULT, errno);
	munmap(ro, getpagesize());
}

TEST_F(dev, reserved_fields_nonzero_is_einval)
{
	struct axhvc_api_version v;
	unsigned int i;

	memset(&v, 0, sizeof(v));
	v.flags = 1;
	EXPECT_EQ(-1, ioctl(self->fd, AXHVC_GET_API_VERSION, &v));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, v.api_version) TH_LOG("a refused call must write nothing");

	for (i = 0; i < ARRAY_SIZE(v.reserved); i++) {
		memset(&v, 0, sizeof(v));
		v.reserved[i] = 1ULL << (i * 13);
		EXPECT_EQ(-1, ioctl(self->fd, AXHVC_GET_API_VERSION, &v))
			TH_LOG("reserved[%u] accepted", i);
		EXPECT_EQ(EINVAL, errno);
	}
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

TEST_HARNESS_MAIN
