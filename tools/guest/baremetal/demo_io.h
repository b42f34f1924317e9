/* SPDX-License-Identifier: GPL-2.0 */
/* The bare-metal guests' access to the demo channel. */
#ifndef AXHVC_DEMO_IO_H
#define AXHVC_DEMO_IO_H

#include "rt.h"
#include "demo_channel.h"

/*
 * The channel is shared with another VM: word loads and stores are single
 * accesses (relaxed atomics), and a length is stored with release and
 * loaded with acquire semantics, which orders the text it describes.
 */
static inline __u32 demo_len(__u64 ch, unsigned long off)
{
	return __atomic_load_n((__u32 *)(ch + off), __ATOMIC_ACQUIRE);
}

/* Store @text at @off and its length at @len_off, in that order. */
static inline void demo_send(__u64 ch, unsigned long len_off, unsigned long off,
			     const char *text)
{
	unsigned long n = rt_strlen(text);

	rt_memcpy((void *)(ch + off), text, n + 1);
	__atomic_store_n((__u32 *)(ch + len_off), n, __ATOMIC_RELEASE);
}

#endif /* AXHVC_DEMO_IO_H */
