// SPDX-License-Identifier: GPL-2.0
/*
 * ivc_demo - use axhvc IVC channels from a Linux guest's userspace
 *
 * Through /dev/axhvc_guest (axhvc_guest.ko): the hypercalls by ioctl, the
 * channel's bytes through mmap() of the IVC window, the doorbell by read().
 *
 *   ivc_demo selftest   publish a channel, subscribe to it from this same
 *                       VM, check that the two mappings are the same pages,
 *                       unsubscribe, unpublish, check ENOENT afterwards
 *   ivc_demo ping       VM 1 of the demo (see ../demo_channel.h)
 *   ivc_demo pong       VM 2 of the demo
 *
 * Each step prints one line; the exit status is 0 only if all went well.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "axhvc_guest_uapi.h"
#include "../demo_channel.h"

#define SELFTEST_KEY	0x5e1f7e57

static int dev_fd = -1;

static int hc(unsigned long cmd, struct axhvc_guest_channel *ch)
{
	return ioctl(dev_fd, cmd, ch) ? -errno : 0;
}

static char *map_channel(const struct axhvc_guest_channel *ch)
{
	void *p = mmap(NULL, ch->size, PROT_READ | PROT_WRITE, MAP_SHARED, dev_fd,
		       ch->offset);

	if (p == MAP_FAILED) {
		printf("mmap of window offset 0x%llx: %s\n",
		       (unsigned long long)ch->offset, strerror(errno));
		return NULL;
	}
	return p;
}

static void put_text(char *ch, unsigned long len_off, unsigned long off,
		     const char *text)
{
	size_t n = strlen(text);

	memcpy((char *)ch + off, text, n + 1);
	__atomic_store_n((uint32_t *)(ch + len_off), (uint32_t)n, __ATOMIC_RELEASE);
}

static uint32_t get_len(char *ch, unsigned long len_off)
{
	return __atomic_load_n((uint32_t *)(ch + len_off), __ATOMIC_ACQUIRE);
}

static int header_ok(char *ch, uint64_t pub, uint64_t key)
{
	return __atomic_load_n((uint64_t *)ch, __ATOMIC_RELAXED) == pub &&
	       __atomic_load_n((uint64_t *)ch + 1, __ATOMIC_RELAXED) == key;
}

static int selftest(void)
{
	struct axhvc_guest_channel pub = { .key = SELFTEST_KEY, .size = 8192 };
	struct axhvc_guest_channel sub = { .key = SELFTEST_KEY };
	char *a, *b;
	int err, fails = 0;

	err = hc(AXHVC_GUEST_PUBLISH, &pub);
	printf("publish key 0x%x: %s, GPA 0x%llx, %llu bytes\n", SELFTEST_KEY,
	       err ? strerror(-err) : "ok", (unsigned long long)pub.gpa,
	       (unsigned long long)pub.size);
	if (err)
		return 1;
	sub.publisher = pub.publisher;
	err = hc(AXHVC_GUEST_SUBSCRIBE, &sub);
	printf("subscribe (vm %llu, key 0x%x) from the same VM: %s, GPA 0x%llx\n",
	       (unsigned long long)sub.publisher, SELFTEST_KEY,
	       err ? strerror(-err) : "ok", (unsigned long long)sub.gpa);
	if (err)
		return 1;
	a = map_channel(&pub);
	b = map_channel(&sub);
	if (!a || !b)
		return 1;
	fails += !header_ok(a, pub.publisher, SELFTEST_KEY) ||
		 !header_ok(b, pub.publisher, SELFTEST_KEY);
	printf("header on both mappings: %s\n", fails ? "WRONG" : "ok");
	put_text(a, DEMO_MSG_LEN, DEMO_MSG, "written through the publisher's GPA");
	printf("read through the subscriber's GPA: \"%s\"\n", (const char *)b + DEMO_MSG);
	fails += strcmp((const char *)b + DEMO_MSG, "written through the publisher's GPA") != 0;
	munmap((void *)a, pub.size);
	munmap((void *)b, sub.size);

	fails += hc(AXHVC_GUEST_UNSUBSCRIBE, &sub) != 0;
	fails += hc(AXHVC_GUEST_UNPUBLISH, &pub) != 0;
	err = hc(AXHVC_GUEST_SUBSCRIBE, &sub);
	printf("unsubscribed, unpublished; subscribing again: %s\n",
	       err ? strerror(-err) : "ok (WRONG)");
	fails += err != -ENOENT;
	printf("ivc self-test: %s\n", fails ? "FAILED" : "passed");
	return fails ? 1 : 0;
}

static int ping(void)
{
	struct axhvc_guest_channel ch = { .key = DEMO_KEY, .size = 4096 };
	struct pollfd pfd = { .fd = dev_fd, .events = POLLIN };
	char *p;
	uint64_t rings;
	int err;

	err = hc(AXHVC_GUEST_PUBLISH, &ch);
	if (err) {
		printf("publish failed: %s\n", strerror(-err));
		return 1;
	}
	printf("published channel (vm %llu, key 0x%x): GPA 0x%llx, %llu bytes\n",
	       (unsigned long long)ch.publisher, DEMO_KEY, (unsigned long long)ch.gpa,
	       (unsigned long long)ch.size);
	p = map_channel(&ch);
	if (!p)
		return 1;
	put_text(p, DEMO_MSG_LEN, DEMO_MSG, "hello VM 2, this is Linux in VM 1");
	printf("wrote my message; waiting for my doorbell\n");
	if (poll(&pfd, 1, 300000) != 1 || read(dev_fd, &rings, sizeof(rings)) != sizeof(rings)) {
		printf("no doorbell within 300 s\n");
		return 1;
	}
	if (!get_len(p, DEMO_ANS_LEN)) {
		printf("the doorbell rang but there is no answer\n");
		return 1;
	}
	printf("doorbell rang (%llu so far); VM 2 answered: \"%s\"\n",
	       (unsigned long long)rings, (const char *)p + DEMO_ANS);
	munmap((void *)p, ch.size);
	err = hc(AXHVC_GUEST_UNPUBLISH, &ch);
	printf("unpublished: %s\n", err ? strerror(-err) : "ok");
	return err ? 1 : 0;
}

static int pong(void)
{
	struct axhvc_guest_channel ch = { .publisher = DEMO_PUBLISHER, .key = DEMO_KEY };
	char *p;
	int err, tries = 0;

	while ((err = hc(AXHVC_GUEST_SUBSCRIBE, &ch)) == -ENOENT && tries++ < 3000) {
		if (tries == 1)
			printf("channel (vm %u, key 0x%x) not published yet: retrying\n",
			       DEMO_PUBLISHER, DEMO_KEY);
		usleep(100000);
	}
	if (err) {
		printf("subscribe failed: %s\n", strerror(-err));
		return 1;
	}
	printf("subscribed to channel (vm %u, key 0x%x): GPA 0x%llx, %llu bytes\n",
	       DEMO_PUBLISHER, DEMO_KEY, (unsigned long long)ch.gpa,
	       (unsigned long long)ch.size);
	p = map_channel(&ch);
	if (!p)
		return 1;
	printf("header: %s\n", header_ok(p, DEMO_PUBLISHER, DEMO_KEY) ? "ok" : "WRONG");
	while (!get_len(p, DEMO_MSG_LEN))
		usleep(10000);
	printf("VM 1 says: \"%s\"\n", (const char *)p + DEMO_MSG);
	sleep(DEMO_THINK_S);
	put_text(p, DEMO_ANS_LEN, DEMO_ANS, "hello VM 1, Linux in VM 2 read you");
	ch.target = DEMO_PUBLISHER;
	err = hc(AXHVC_GUEST_NOTIFY, &ch);
	printf("answered and rang VM 1's doorbell: %s\n", err ? strerror(-err) : "ok");
	munmap((void *)p, ch.size);
	if (err)
		return 1;
	err = hc(AXHVC_GUEST_UNSUBSCRIBE, &ch);
	printf("unsubscribed: %s\n", err ? strerror(-err) : "ok");
	return err ? 1 : 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc != 2) {
		fprintf(stderr, "usage: ivc_demo selftest|ping|pong\n");
		return 2;
	}
	dev_fd = open("/dev/axhvc_guest", O_RDWR);
	if (dev_fd < 0) {
		printf("/dev/axhvc_guest: %s (is axhvc_guest.ko loaded?)\n", strerror(errno));
		return 1;
	}
	if (!strcmp(argv[1], "selftest"))
		return selftest();
	if (!strcmp(argv[1], "ping"))
		return ping();
	if (!strcmp(argv[1], "pong"))
		return pong();
	fprintf(stderr, "usage: ivc_demo selftest|ping|pong\n");
	return 2;
}
