// SPDX-License-Identifier: GPL-2.0
/*
 * ivc_pong - VM 2 of the axhvc demo: subscribe to VM 1's channel (waiting
 * for it to be published), read VM 1's message, answer it and ring VM 1's
 * doorbell with HIVCNotify, unsubscribe. Built with DEMO_BOTH_DOORBELLS (the
 * QEMU build), it waits for VM 1 to ring its own doorbell back first.
 */
#include "rt.h"
#include "axhvc_guest.h"
#include "demo_io.h"

static __u64 chan_base, chan_size;

int main(void)
{
	__u64 ret, t0 = rt_now_us();
	int waited = 0;

#ifdef DEMO_BOTH_DOORBELLS
	int intid;

	/* Before VM 1 can ring it. */
	rt_gic_enable_spi(DEMO_DOORBELL_INTID);
#endif

	for (;;) {
		ret = axhvc_subscribe_at(DEMO_PUBLISHER, DEMO_KEY, &chan_base, &chan_size);
		if (!axhvc_failed(ret))
			break;
		if (axhvc_errno(ret) != 2 /* ENOENT */ || rt_now_us() - t0 > 120000000) {
			rt_printf("subscribe failed: errno %d\n", axhvc_errno(ret));
			return 1;
		}
		if (!waited++)
			rt_printf("channel (vm %u, key 0x%llx) not there yet (ENOENT): retrying\n",
				  DEMO_PUBLISHER, (__u64)DEMO_KEY);
		rt_delay_ms(100);
	}
	rt_printf("subscribed to channel (vm %u, key 0x%llx): GPA 0x%llx, %llu bytes, header %s\n",
		  DEMO_PUBLISHER, (__u64)DEMO_KEY, chan_base, chan_size,
		  axhvc_channel_header_ok((void *)chan_base, DEMO_PUBLISHER, DEMO_KEY) ?
		  "ok" : "WRONG");

	while (!demo_len(chan_base, DEMO_MSG_LEN))
		rt_delay_ms(10);
	rt_printf("VM 1 says: \"%s\"\n", (const char *)(chan_base + DEMO_MSG));

	rt_delay_ms(DEMO_THINK_S * 1000);
	demo_send(chan_base, DEMO_ANS_LEN, DEMO_ANS, "hello VM 1, VM 2 read you loud and clear");
	ret = axhvc_notify(DEMO_PUBLISHER, DEMO_KEY, DEMO_PUBLISHER);
	if (axhvc_failed(ret)) {
		rt_printf("notify failed: errno %d\n", axhvc_errno(ret));
		return 1;
	}
	rt_printf("wrote my answer and rang VM 1's doorbell (HIVCNotify)\n");

#ifdef DEMO_BOTH_DOORBELLS
	intid = rt_gic_wait_irq(120000);
	if (intid < 0) {
		rt_printf("no doorbell within 120 s\n");
		return 1;
	}
	rt_printf("woken by INTID %d: VM 1 rang back\n", intid);
	ret = axhvc_unsubscribe(DEMO_PUBLISHER, DEMO_KEY);
	/* VM 1 may have unpublished first, which ends the subscription too. */
	if (axhvc_failed(ret) && axhvc_errno(ret) == 2 /* ENOENT */) {
		rt_printf("unsubscribed: VM 1 unpublished first\n");
		return 0;
	}
	rt_printf("unsubscribed: %s\n", ret ? "FAILED" : "ok");
	return ret ? 1 : 0;
#endif

	ret = axhvc_unsubscribe(DEMO_PUBLISHER, DEMO_KEY);
	rt_printf("unsubscribed: %s\n", ret ? "FAILED" : "ok");
	return ret ? 1 : 0;
}
