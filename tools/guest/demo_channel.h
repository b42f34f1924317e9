/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the two demo guests agree on.
 *
 * VM 1 (ivc_ping) publishes channel DEMO_KEY and writes a message; VM 2
 * (ivc_pong) subscribes, reads it, writes an answer and rings VM 1's
 * doorbell with HIVCNotify. The bare-metal guests (baremetal/) and the
 * Linux guest program (linux/ivc_demo.c) play the same parts.
 *
 * The layout after the 16-byte header that the host writes: a length word,
 * then the text, for each direction. A writer stores the text first and its
 * length last (store-release), so a reader that sees a length (load-acquire)
 * sees the whole text.
 */
#ifndef AXHVC_DEMO_CHANNEL_H
#define AXHVC_DEMO_CHANNEL_H

#define DEMO_PUBLISHER		1
#define DEMO_SUBSCRIBER		2
#define DEMO_KEY		0x64656d6f	/* "demo" */
#ifndef DEMO_DOORBELL_INTID
#define DEMO_DOORBELL_INTID	64	/* VM 1's axvmm --doorbell-spi */
#endif

#define DEMO_MSG_LEN		0x040	/* u32: length of VM 1's message */
#define DEMO_MSG		0x080	/* VM 1's message */
#define DEMO_ANS_LEN		0x400	/* u32: length of VM 2's answer */
#define DEMO_ANS		0x440	/* VM 2's answer */
#define DEMO_TEXT_MAX		0x300

/* How long VM 2 thinks before answering: time for the operator to look. */
#define DEMO_THINK_S		3

#endif /* AXHVC_DEMO_CHANNEL_H */
