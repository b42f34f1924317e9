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
#define HC_UNPUBLISH	5
#define PSCI_SYSTEM_OFF	0x84000008UL

#define FDT_MAGIC	0xd00dfeed
#define FDT_BEGIN_NODE	1
#define FDT_END_NODE	2
#define FDT_PROP	3
#define FDT_NOP		4

/* What the device tree told us. */
static __u64 vm_id, win_base, win_size;
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
static __u64 hypercall(__u64 a0, __u64 a1, __u64 a2, __u64 a3)
{
	register __u64 x0 asm("x0") = a0;
	register __u64 x1 asm("x1") = a1;
	register __u64 x2 asm("x2") = a2;
	register __u64 x3 asm("x3") = a3;

	asm volatile("hvc #0"
		     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
		     :
		     : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
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
	hypercall(PSCI_SYSTEM_OFF, 0, 0, 0);
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
	ret = hypercall(HC_PUBLISH, key, (unsigned long)&chan_base, (unsigned long)&chan_size);
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

	ret = hypercall(HC_UNPUBLISH, key, 0, 0);
	puts_uart("unpublish: x0=");
	put_dec(ret);
	puts_uart("\n");
	if (ret)
		fail("unpublish returned", ret);
	/* ENOENT now: -2, or -1 when the VMM asked for AxVisor's errors. */
	ret = hypercall(HC_UNPUBLISH, key, 0, 0);
	puts_uart("unpublish again: x0=");
	put_dec(ret);
	puts_uart("\n");
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

	ret = hypercall(HC_DEBUG, 0xa, 0xb, 0xc);
	puts_uart("debug hypercall: x0=");
	put_dec(ret);
	puts_uart("\n");
	if (ret)
		fail("HyperVisorDebug returned", ret);

	publish_channel();

	if (str_has(bootargs, "prepare")) {
		ret = hypercall(HC_PREPARE, 0, 0, 0);
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
		ret = hypercall(HC_DISABLE, 0, 0, 0);
		fail("HypervisorDisable returned", ret);
	}
	puts_uart("bye from vm ");
	put_dec(vm_id);
	puts_uart("\n");
	power_off();
}
