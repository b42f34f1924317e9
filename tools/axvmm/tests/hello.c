// SPDX-License-Identifier: GPL-2.0
/*
 * axvmm's raw test guest (freestanding, MMU off, -mstrict-align).
 *
 * It finds its VM id, IVC window and command line in the device tree that
 * axvmm passed in x0, and prints over the 16550 UART:
 *
 *   hello from vm <id>
 *   debug hypercall: x0=0                     HyperVisorDebug (code 2)
 *   ivc channel at <gpa>, <n> bytes: header ok     publish (3), in the window
 *   unpublish: x0=0                           unpublish (5)
 *   unpublish again: x0=<-2, or -1 with --err-axvisor>
 *   prepare-disable: x0=0                     code 1 (bootargs "prepare")
 *   got: <line>                               a line read from the UART
 *                                             (bootargs "echo"; axvmm --input)
 *   calling HypervisorDisable                 code 0 (bootargs "disable")
 *
 * and with bootargs "ivc-wait" or "ivc-ring=<id>", two VMs share a channel
 * (see ivc_wait() and ivc_ring()):
 *
 *   waiting for a doorbell on INTID <n>       publisher of key IVC_KEY
 *   doorbell: INTID <n>, message <hex>        its doorbell rang, and the
 *                                             subscriber's word is there
 *   subscribed to vm <id>: channel at <gpa>   subscriber
 *   rang vm <id>: x0=0                        HIVCNotify
 *   bye from vm <id>
 *
 * then powers off with PSCI SYSTEM_OFF. Any check that fails prints a line
 * starting "FAIL:", and so does an unexpected exception.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdnoreturn.h>
#include <linux/types.h>

#define UART_BASE	0x09000000UL
#define UART_THR	0
#define UART_LSR	5
#define UART_LSR_DR	0x01
#define UART_LSR_THRE	0x20

#define HC_DISABLE	0
#define HC_PREPARE	1
#define HC_DEBUG	2
#define HC_PUBLISH	3
#define HC_SUBSCRIBE	4
#define HC_UNPUBLISH	5
#define HC_UNSUBSCRIBE	6
#define HC_NOTIFY	7
#define PSCI_SYSTEM_OFF	0x84000008UL

#define FDT_MAGIC	0xd00dfeed
#define FDT_BEGIN_NODE	1
#define FDT_END_NODE	2
#define FDT_PROP	3
#define FDT_NOP		4

/* What the device tree told us. */
static __u64 vm_id, win_base, win_size;
static unsigned int doorbell_intid;	/* 0: none in the DT */
static bool have_id;
static const char *bootargs = "";

/* Hypercall outputs: GPAs of these go to axhvc, which writes them. */
static __u64 chan_base, chan_size;

/*
 * Device and shared-memory accesses, one instruction each, never merged,
 * split or elided by the compiler.
 */
static __u8 readb(unsigned long addr)
{
	__u8 v;

	asm volatile("ldrb %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static void writeb(__u8 v, unsigned long addr)
{
	asm volatile("strb %w0, [%1]" : : "r"(v), "r"(addr) : "memory");
}

static __u64 readq(unsigned long addr)
{
	__u64 v;

	asm volatile("ldr %0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static void writeq(__u64 v, unsigned long addr)
{
	asm volatile("str %0, [%1]" : : "r"(v), "r"(addr) : "memory");
}

static void putc_uart(char c)
{
	while (!(readb(UART_BASE + UART_LSR) & UART_LSR_THRE))
		;
	writeb(c, UART_BASE + UART_THR);
}

static char getc_uart(void)
{
	while (!(readb(UART_BASE + UART_LSR) & UART_LSR_DR))
		;
	return readb(UART_BASE + UART_THR);
}

static void puts_uart(const char *s)
{
	while (*s)
		putc_uart(*s++);
}

static void put_hex(__u64 v)
{
	int i;

	puts_uart("0x");
	for (i = 60; i > 0 && !(v >> i); i -= 4)
		;
	for (; i >= 0; i -= 4)
		putc_uart("0123456789abcdef"[(v >> i) & 0xf]);
}

static void put_dec(__s64 v)
{
	char buf[24];
	__u64 u = v < 0 ? -(__u64)v : (__u64)v;
	int n = 0;

	do {
		buf[n++] = '0' + u % 10;
		u /= 10;
	} while (u);
	if (v < 0)
		putc_uart('-');
	while (n)
		putc_uart(buf[--n]);
}

/*
 * hvc #0 with the SMCCC register convention: x0..x17 may come back
 * changed (KVM writes x0..x3), so all of them are outputs or clobbers.
 */
static __u64 hypercall(__u64 a0, __u64 a1, __u64 a2, __u64 a3, __u64 a4)
{
	register __u64 x0 asm("x0") = a0;
	register __u64 x1 asm("x1") = a1;
	register __u64 x2 asm("x2") = a2;
	register __u64 x3 asm("x3") = a3;
	register __u64 x4 asm("x4") = a4;

	asm volatile("hvc #0"
		     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4)
		     :
		     : "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
		       "x13", "x14", "x15", "x16", "x17", "memory");
	return x0;
}

/*
 * With the MMU off our accesses do not look in the caches, but the host
 * wrote through a cacheable mapping: clean and invalidate the line to the
 * point of coherency first, so we read what it wrote.
 */
static __u64 read_u64(unsigned long addr)
{
	asm volatile("dc civac, %0\n\tdsb sy" : : "r"(addr) : "memory");
	return readq(addr);
}

static noreturn void power_off(void)
{
	hypercall(PSCI_SYSTEM_OFF, 0, 0, 0, 0);
	for (;;)
		asm volatile("wfi");
}

static noreturn void fail(const char *what, __u64 val)
{
	puts_uart("FAIL: ");
	puts_uart(what);
	puts_uart(" ");
	put_hex(val);
	puts_uart("\n");
	power_off();
}

void hello_exception(__u64 esr, __u64 elr, __u64 far)
{
	puts_uart("FAIL: exception esr=");
	put_hex(esr);
	puts_uart(" elr=");
	put_hex(elr);
	puts_uart(" far=");
	put_hex(far);
	puts_uart("\n");
	power_off();
}

static __u32 be32(const __u8 *p)
{
	return (__u32)p[0] << 24 | (__u32)p[1] << 16 |
	       (__u32)p[2] << 8 | p[3];
}

static __u64 be64(const __u8 *p)
{
	return (__u64)be32(p) << 32 | be32(p + 4);
}

static bool str_eq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static bool str_starts(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return false;
	return true;
}

static bool str_has(const char *s, const char *word)
{
	for (; *s; s++)
		if (str_starts(s, word))
			return true;
	return false;
}

static unsigned long str_len(const char *s)
{
	unsigned long n = 0;

	while (s[n])
		n++;
	return n;
}

/* Walks the flattened tree for the few properties we want. */
static void parse_dtb(const __u8 *dtb)
{
	const __u8 *p, *strings;
	int depth = 0, ivc_depth = -1;

	if (be32(dtb) != FDT_MAGIC)
		fail("no device tree at x0:", (unsigned long)dtb);
	p = dtb + be32(dtb + 8);
	strings = (const __u8 *)dtb + be32(dtb + 12);
	for (;;) {
		__u32 tok = be32(p), len;
		const char *name;

		p += 4;
		switch (tok) {
		case FDT_BEGIN_NODE:
			name = (const char *)p;
			depth++;
			if (str_starts(name, "ivc@"))
				ivc_depth = depth;
			p += (str_len(name) + 1 + 3) & ~3UL;
			break;
		case FDT_END_NODE:
			if (depth == ivc_depth)
				ivc_depth = -1;
			depth--;
			break;
		case FDT_PROP:
			len = be32(p);
			name = (const char *)strings + be32(p + 4);
			if (depth == ivc_depth && str_eq(name, "axhvc,vm-id") && len == 4) {
				vm_id = be32(p + 8);
				have_id = true;
			} else if (depth == ivc_depth && str_eq(name, "reg") && len == 16) {
				win_base = be64(p + 8);
				win_size = be64(p + 16);
			} else if (depth == ivc_depth && str_eq(name, "interrupts") && len == 12) {
				/* <0 (INTID - 32) flags>: an SPI */
				doorbell_intid = be32(p + 12) + 32;
			} else if (str_eq(name, "bootargs")) {
				bootargs = (const char *)p + 8;
			}
			p += 8 + ((len + 3) & ~3U);
			break;
		case FDT_NOP:
			break;
		default:	/* FDT_END, or garbage */
			return;
		}
	}
}

static void publish_channel(void)
{
	__u64 key = 0x61786d7600000000ULL | vm_id;	/* "axmv" + id */
	__u64 ret, base, size;

	writeq(0, (unsigned long)&chan_base);
	writeq(4096, (unsigned long)&chan_size);
	ret = hypercall(HC_PUBLISH, key, (unsigned long)&chan_base, (unsigned long)&chan_size, 0);
	if (ret)
		fail("publish returned", ret);
	base = read_u64((unsigned long)&chan_base);
	size = read_u64((unsigned long)&chan_size);
	if (base < win_base || size < 4096 || base - win_base > win_size - size)
		fail("channel outside the IVC window:", base);
	/* axhvc wrote { publisher id, key } at the start of the channel. */
	if (read_u64(base) != vm_id || read_u64(base + 8) != key)
		fail("bad channel header, publisher", read_u64(base));
	puts_uart("ivc channel at ");
	put_hex(base);
	puts_uart(", ");
	put_dec(size);
	puts_uart(" bytes: header ok\n");

	ret = hypercall(HC_UNPUBLISH, key, 0, 0, 0);
	puts_uart("unpublish: x0=");
	put_dec(ret);
	puts_uart("\n");
	if (ret)
		fail("unpublish returned", ret);
	/* ENOENT now: -2, or -1 when the VMM asked for AxVisor's errors. */
	ret = hypercall(HC_UNPUBLISH, key, 0, 0, 0);
	puts_uart("unpublish again: x0=");
	put_dec(ret);
	puts_uart("\n");
}

/*
 * Two VMs, one channel: the publisher ("ivc-wait") publishes IVC_KEY and
 * waits for its doorbell; the subscriber ("ivc-ring=<publisher id>")
 * subscribes (retrying until the channel exists), writes IVC_MESSAGE | its
 * id at offset 16 of the channel and rings the publisher's doorbell
 * (HIVCNotify); the publisher takes the SPI and reads the word.
 */
#define IVC_KEY		0xd00dbe11ULL
#define IVC_MESSAGE	0x6d73670000000000ULL	/* "msg" */
#define IVC_MSG_OFF	16

#define GICD_BASE		0x08000000UL
#define GICR_BASE		0x080A0000UL	/* vCPU 0's redistributor */
#define GICD_CTLR		0x0000
#define GICD_IGROUPR		0x0080
#define GICD_ISENABLER		0x0100
#define GICD_IPRIORITYR		0x0400
#define GICD_ICFGR		0x0c00
#define GICD_IROUTER		0x6000
#define BIT(n)			(1U << (n))
#define GICD_CTLR_ENABLE_G1	BIT(1)
#define GICD_CTLR_ARE		BIT(4)
#define GICD_CTLR_RWP		BIT(31)
#define GICR_WAKER		0x0014
#define GICR_WAKER_PSLEEP	BIT(1)
#define GICR_WAKER_CASLEEP	BIT(2)
#define GIC_SPECIAL_INTID	1020

static __u32 readl(unsigned long addr)
{
	__u32 v;

	asm volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static void writel(__u32 v, unsigned long addr)
{
	asm volatile("str %w0, [%1]" : : "r"(v), "r"(addr) : "memory");
}

static __u64 counter_seconds(void)
{
	__u64 cnt, frq;

	asm volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(cnt));
	asm volatile("mrs %0, cntfrq_el0" : "=r"(frq));
	return cnt / frq;
}

/*
 * vCPU 0 takes SPI @intid, edge-triggered (an irqfd doorbell), group 1;
 * interrupts stay masked in PSTATE: we poll ICC_IAR1_EL1 instead.
 */
static void gic_setup(unsigned int intid)
{
	unsigned long word = intid / 32 * 4;
	__u32 bit = 1U << (intid % 32), v;

	/* CPU interface: system registers, every priority, group 1 on. */
	asm volatile("mrs %0, icc_sre_el1" : "=r"(v));
	asm volatile("msr icc_sre_el1, %0\n\tisb" : : "r"((__u64)(v | 1)));
	asm volatile("msr icc_pmr_el1, %0" : : "r"(0xffUL));
	asm volatile("msr icc_igrpen1_el1, %0\n\tisb" : : "r"(1UL));

	writel(GICD_CTLR_ARE | GICD_CTLR_ENABLE_G1, GICD_BASE + GICD_CTLR);
	while (readl(GICD_BASE + GICD_CTLR) & GICD_CTLR_RWP)
		;
	writel(readl(GICR_BASE + GICR_WAKER) & ~GICR_WAKER_PSLEEP, GICR_BASE + GICR_WAKER);
	while (readl(GICR_BASE + GICR_WAKER) & GICR_WAKER_CASLEEP)
		;

	writel(readl(GICD_BASE + GICD_IGROUPR + word) | bit, GICD_BASE + GICD_IGROUPR + word);
	writeb(0xa0, GICD_BASE + GICD_IPRIORITYR + intid);
	/* Two bits per INTID; the upper one set is edge-triggered. */
	v = readl(GICD_BASE + GICD_ICFGR + intid / 16 * 4);
	writel(v | 2U << (intid % 16 * 2), GICD_BASE + GICD_ICFGR + intid / 16 * 4);
	writeq(0, GICD_BASE + GICD_IROUTER + intid * 8UL);	/* vCPU 0 */
	writel(bit, GICD_BASE + GICD_ISENABLER + word);
}

static void ivc_wait(void)
{
	__u64 ret, base, deadline;
	__u32 iar;

	if (!doorbell_intid)
		fail("ivc-wait: no doorbell interrupt in the DT (--doorbell-spi)", 0);
	gic_setup(doorbell_intid);
	writeq(0, (unsigned long)&chan_base);
	writeq(4096, (unsigned long)&chan_size);
	ret = hypercall(HC_PUBLISH, IVC_KEY, (unsigned long)&chan_base,
			(unsigned long)&chan_size, 0);
	if (ret)
		fail("ivc-wait: publish returned", ret);
	base = read_u64((unsigned long)&chan_base);
	puts_uart("waiting for a doorbell on INTID ");
	put_dec(doorbell_intid);
	puts_uart("\n");

	/* WFI wakes up for a pending interrupt even while it is masked. */
	deadline = counter_seconds() + 60;
	for (;;) {
		asm volatile("mrs %0, icc_iar1_el1" : "=r"(ret));
		iar = ret & 0xffffff;
		if (iar < GIC_SPECIAL_INTID)
			break;
		if (counter_seconds() > deadline)
			fail("ivc-wait: no doorbell within 60 s, IAR", iar);
		asm volatile("wfi");
	}
	asm volatile("msr icc_eoir1_el1, %0\n\tisb" : : "r"((__u64)iar));
	puts_uart("doorbell: INTID ");
	put_dec(iar);
	puts_uart(", message ");
	put_hex(read_u64(base + IVC_MSG_OFF));
	puts_uart("\n");
	hypercall(HC_UNPUBLISH, IVC_KEY, 0, 0, 0);
}

static void ivc_ring(__u64 publisher)
{
	__u64 ret, base, deadline = counter_seconds() + 60;
	unsigned long msg;

	/* The publisher may not be up yet: ENOENT until it is. */
	do {
		writeq(0, (unsigned long)&chan_base);
		writeq(0, (unsigned long)&chan_size);
		ret = hypercall(HC_SUBSCRIBE, publisher, IVC_KEY,
				(unsigned long)&chan_base, (unsigned long)&chan_size);
		if (ret && counter_seconds() > deadline)
			fail("ivc-ring: subscribe still failing after 60 s:", ret);
	} while (ret);
	base = read_u64((unsigned long)&chan_base);
	puts_uart("subscribed to vm ");
	put_dec(publisher);
	puts_uart(": channel at ");
	put_hex(base);
	puts_uart("\n");

	/*
	 * Our store does not go through the caches (MMU off), but the host
	 * zeroed the page through them: clean and invalidate the line first,
	 * or a dirty line written back later could undo our store.
	 */
	msg = base + IVC_MSG_OFF;
	asm volatile("dc civac, %0\n\tdsb sy" : : "r"(msg) : "memory");
	writeq(IVC_MESSAGE | vm_id, msg);
	asm volatile("dsb sy" : : : "memory");

	ret = hypercall(HC_NOTIFY, publisher, IVC_KEY, publisher, 0);
	puts_uart("rang vm ");
	put_dec(publisher);
	puts_uart(": x0=");
	put_dec(ret);
	puts_uart("\n");
	if (ret)
		fail("notify returned", ret);
	ret = hypercall(HC_UNSUBSCRIBE, publisher, IVC_KEY, 0, 0);
	if (ret)
		fail("unsubscribe returned", ret);
}

/* The decimal number after @key in the bootargs, or -1. */
static __s64 bootarg_number(const char *key)
{
	const char *s;
	__s64 v = -1;

	for (s = bootargs; *s; s++) {
		if (!str_starts(s, key))
			continue;
		s += str_len(key);
		for (v = 0; *s >= '0' && *s <= '9'; s++)
			v = v * 10 + (*s - '0');
		break;
	}
	return v;
}

void hello_main(const __u8 *dtb)
{
	__u64 ret;

	parse_dtb(dtb);
	if (!have_id)
		fail("no axhvc,vm-id in the device tree at", (unsigned long)dtb);
	puts_uart("hello from vm ");
	put_dec(vm_id);
	puts_uart("\n");

	ret = hypercall(HC_DEBUG, 0xa, 0xb, 0xc, 0);
	puts_uart("debug hypercall: x0=");
	put_dec(ret);
	puts_uart("\n");
	if (ret)
		fail("HyperVisorDebug returned", ret);

	publish_channel();

	if (str_has(bootargs, "ivc-wait"))
		ivc_wait();
	if (bootarg_number("ivc-ring=") >= 0)
		ivc_ring(bootarg_number("ivc-ring="));

	if (str_has(bootargs, "prepare")) {
		ret = hypercall(HC_PREPARE, 0, 0, 0, 0);
		puts_uart("prepare-disable: x0=");
		put_dec(ret);
		puts_uart("\n");
	}
	if (str_has(bootargs, "echo")) {
		char c;

		puts_uart("got: ");
		while ((c = getc_uart()) != '\n')
			putc_uart(c);
		putc_uart('\n');
	}
	if (str_has(bootargs, "disable")) {
		puts_uart("calling HypervisorDisable\n");
		ret = hypercall(HC_DISABLE, 0, 0, 0, 0);
		fail("HypervisorDisable returned", ret);
	}
	puts_uart("bye from vm ");
	put_dec(vm_id);
	puts_uart("\n");
	power_off();
}
