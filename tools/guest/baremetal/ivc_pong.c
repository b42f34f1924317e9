// SPDX-License-Identifier: GPL-2.0
/*
 * ivc_pong - VM 2 of the axhvc demo: subscribe to VM 1's channel (waiting
 * for it to be published), read VM 1's message, answer it and ring VM 1's
 * doorbell with HIVCNotify, unsubscribe.
 */
#include "rt.h"
#include "axhvc_guest.h"
#include "demo_io.h"

static __u64 chan_base, chan_size;

int main(void)
{
	__u64 ret, t0 = rt_now_us();
	int waited = 0;

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

	ret = axhvc_unsubscribe(DEMO_PUBLISHER, DEMO_KEY);
	rt_printf("unsubscribed: %s\n", ret ? "FAILED" : "ok");
	return ret ? 1 : 0;
}
