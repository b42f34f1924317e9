/* SPDX-License-Identifier: GPL-2.0 */
/*
 * demo_channel.h - what the two demo guests agree on
 *
 * VM 1 (ivc_ping) publishes channel DEMO_KEY and writes a message; VM 2
 * (ivc_pong) subscribes, reads it, writes an answer and rings VM 1's
 * doorbell with HIVCNotify. The layout after the 16-byte header that the
 * host writes: a length word, then the text, for each direction. A writer
 * stores the text first and its length last, with a barrier in between,
 * so a reader that sees a length sees the whole text.
 */
#ifndef AXHVC_DEMO_CHANNEL_H
#define AXHVC_DEMO_CHANNEL_H

#define DEMO_PUBLISHER		1
#define DEMO_SUBSCRIBER		2
#define DEMO_KEY		0x64656d6f	/* "demo" */
#define DEMO_DOORBELL_INTID	64		/* axvmm --doorbell-spi */

#define DEMO_MSG_LEN		0x040	/* u32: length of VM 1's message */
#define DEMO_MSG		0x080	/* VM 1's message */
#define DEMO_ANS_LEN		0x400	/* u32: length of VM 2's answer */
#define DEMO_ANS		0x440	/* VM 2's answer */
#define DEMO_TEXT_MAX		0x300

#define wmb() asm volatile("dmb ishst" : : : "memory")
#define rmb() asm volatile("dmb ishld" : : : "memory")

static inline __u32 demo_r32(__u64 ch, unsigned long off)
{
	return *(volatile __u32 *)(ch + off);
}

static inline void demo_w32(__u64 ch, unsigned long off, __u32 v)
{
	*(volatile __u32 *)(ch + off) = v;
}

/* Store @text at @off and its length at @len_off, in that order. */
static inline void demo_send(__u64 ch, unsigned long len_off, unsigned long off,
			     const char *text)
{
	unsigned long n = rt_strlen(text);

	rt_memcpy((void *)(ch + off), text, n + 1);
	wmb();
	demo_w32(ch, len_off, n);
}

#endif /* AXHVC_DEMO_CHANNEL_H */
