// SPDX-License-Identifier: GPL-2.0
/*
 * ivc_ping - VM 1 of the axhvc demo: publish a channel, write a message,
 * sleep until VM 2's notify rings the doorbell, print VM 2's answer,
 * unpublish. Every call is a plain "hvc #0" through include/axhvc_guest.h.
 */
#include "rt.h"
#include "axhvc_guest.h"
#include "demo_io.h"

/* Out-parameters of the hypercalls: aligned u64s in guest RAM. */
static __u64 chan_base, chan_size;

int main(void)
{
	__u64 ret, t0;
	int intid;

	chan_size = 4096;
	ret = axhvc_publish_at(DEMO_KEY, &chan_base, &chan_size);
	if (axhvc_failed(ret)) {
		rt_printf("publish failed: errno %d\n", axhvc_errno(ret));
		return 1;
	}
	rt_printf("published channel (vm %u, key 0x%llx): GPA 0x%llx, %llu bytes\n",
		  DEMO_PUBLISHER, (__u64)DEMO_KEY, chan_base, chan_size);
	rt_printf("channel header written by the host: publisher %llu, key 0x%llx (%s)\n",
		  __atomic_load_n((__u64 *)chan_base, __ATOMIC_RELAXED),
		  __atomic_load_n((__u64 *)(chan_base + 8), __ATOMIC_RELAXED),
		  axhvc_channel_header_ok((void *)chan_base, DEMO_PUBLISHER, DEMO_KEY) ?
		  "ok" : "WRONG");

	rt_gic_enable_spi(DEMO_DOORBELL_INTID);
	demo_send(chan_base, DEMO_MSG_LEN, DEMO_MSG,
		  "hello VM 2, this is VM 1 over an axhvc channel");
	rt_printf("wrote my message; sleeping until my doorbell (INTID %u) rings\n",
		  DEMO_DOORBELL_INTID);

	t0 = rt_now_us();
	intid = rt_gic_wait_irq(120000);
	if (intid < 0) {
		rt_printf("no doorbell within 120 s\n");
		return 1;
	}
	rt_printf("woken by INTID %d after %llu ms\n", intid, (rt_now_us() - t0) / 1000);
	if (!demo_len(chan_base, DEMO_ANS_LEN)) {
		rt_printf("the doorbell rang but there is no answer\n");
		return 1;
	}
	rt_printf("VM 2 answered: \"%s\"\n", (const char *)(chan_base + DEMO_ANS));
#ifdef DEMO_BOTH_DOORBELLS
	ret = axhvc_notify(DEMO_PUBLISHER, DEMO_KEY, DEMO_SUBSCRIBER);
	rt_printf("rang VM 2's doorbell: %s\n", axhvc_failed(ret) ? "FAILED" : "ok");
	if (axhvc_failed(ret))
		return 1;
#endif

	ret = axhvc_unpublish(DEMO_KEY);
	rt_printf("unpublished the channel: %s\n", ret ? "FAILED" : "ok");
	return ret ? 1 : 0;
}
