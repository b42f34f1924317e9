// SPDX-License-Identifier: GPL-2.0
/*
 * rt.c - console, timer and GIC for the bare-metal axhvc demo guests
 *
 * Just enough of a machine to show the hypercalls: polled 16550 output,
 * delays from the virtual counter, and one SPI taken from the GICv3 with
 * interrupts masked (WFI wakes on a pending interrupt whether or not
 * PSTATE.I masks it; ICC_IAR1_EL1 then acknowledges it), so the guests
 * need no interrupt handler. The virtual timer's PPI bounds each wait.
 */
#include <stdarg.h>
#include "rt.h"

#ifdef RT_UART_PL011
/* QEMU's virt machine: a PL011 (data register, flag register's TX FIFO full). */
#define UART_THR	0x0
#define UART_LSR	0x18
#define UART_READY(lsr)	(!((lsr) & 0x20))
#else
#define UART_THR	0x0
#define UART_LSR	0x5
#define UART_READY(lsr)	((lsr) & 0x20)	/* 16550 THRE */
#endif

/* Distributor and redistributor registers used here. */
#define GICD_CTLR		0x0000
#define GICD_CTLR_ENABLE_G1	BIT(1)
#define GICD_CTLR_ARE		BIT(4)
#define GICD_CTLR_RWP		BIT(31)
#define GICD_IGROUPR		0x0080
#define GICD_ISENABLER		0x0100
#define GICD_IPRIORITYR		0x0400
#define GICD_ICFGR		0x0c00
#define GICD_IROUTER		0x6000
#define GICR_WAKER		0x0014
#define GICR_SGI_BASE		0x10000	/* SGI/PPI frame, after RD_base */
#define GICR_WAKER_PSLEEP	BIT(1)
#define GICR_WAKER_CASLEEP	BIT(2)
#define GIC_SPURIOUS		1020
#define TIMER_PPI		27	/* the EL1 virtual timer */
#define GIC_PRIORITY		0xa0	/* below the PMR's 0xff: signalled */

/*
 * MMIO accessors as the kernel's __raw_*(): one single-copy-atomic access
 * of the register's width, which the compiler can neither merge nor split.
 */
static inline void mmio_w8(unsigned long a, __u8 v)
{
	asm volatile("strb %w0, [%1]" : : "rZ" (v), "r" (a) : "memory");
}

static inline __u8 mmio_r8(unsigned long a)
{
	__u8 v;

	asm volatile("ldrb %w0, [%1]" : "=r" (v) : "r" (a) : "memory");
	return v;
}

static inline void mmio_w32(unsigned long a, __u32 v)
{
	asm volatile("str %w0, [%1]" : : "rZ" (v), "r" (a) : "memory");
}

static inline __u32 mmio_r32(unsigned long a)
{
	__u32 v;

	asm volatile("ldr %w0, [%1]" : "=r" (v) : "r" (a) : "memory");
	return v;
}

static inline void mmio_w64(unsigned long a, __u64 v)
{
	asm volatile("str %x0, [%1]" : : "rZ" (v), "r" (a) : "memory");
}

#define read_sysreg(r) ({ __u64 __v; asm volatile("mrs %0, " #r : "=r" (__v)); __v; })
#define write_sysreg(v, r) ({ asm volatile("msr " #r ", %0" : : "r" ((__u64)(v))); })

static inline void isb(void)
{
	asm volatile("isb" : : : "memory");
}

static void uart_putc(char c)
{
	while (!UART_READY(mmio_r8(RT_UART_BASE + UART_LSR)))
		;
	mmio_w8(RT_UART_BASE + UART_THR, c);
}

void rt_puts(const char *s)
{
	while (*s) {
		if (*s == '\n')
			uart_putc('\r');
		uart_putc(*s++);
	}
}

static void put_num(__u64 v, unsigned int base, int width)
{
	char buf[24];
	int n = 0;

	do {
		buf[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (n < width)
		buf[n++] = '0';
	while (n)
		uart_putc(buf[--n]);
}

/* %s %c %d %u %x %lu %lx %llu %llx and a width for x: enough for the demo. */
void rt_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	for (; *fmt; fmt++) {
		int width = 0, longs = 0;
		__u64 v;

		if (*fmt != '%') {
			if (*fmt == '\n')
				uart_putc('\r');
			uart_putc(*fmt);
			continue;
		}
		fmt++;
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + *fmt++ - '0';
		while (*fmt == 'l') {
			longs++;
			fmt++;
		}
		switch (*fmt) {
		case 's':
			rt_puts(va_arg(ap, const char *));
			break;
		case 'c':
			uart_putc((char)va_arg(ap, int));
			break;
		case 'd': {
			long long d = longs ? va_arg(ap, long long) : va_arg(ap, int);

			if (d < 0) {
				uart_putc('-');
				d = -d;
			}
			put_num((__u64)d, 10, width);
			break;
		}
		case 'u':
		case 'x':
			v = longs ? va_arg(ap, __u64) : va_arg(ap, unsigned int);
			put_num(v, *fmt == 'x' ? 16 : 10, width);
			break;
		default:
			uart_putc('%');
			uart_putc(*fmt);
		}
	}
	va_end(ap);
}

__u64 rt_now_us(void)
{
	__u64 frq = read_sysreg(cntfrq_el0), cnt;

	isb();
	cnt = read_sysreg(cntvct_el0);
	return cnt / (frq / 1000000);
}

void rt_delay_ms(unsigned int ms)
{
	__u64 end = rt_now_us() + ms * 1000ULL;

	while (rt_now_us() < end)
		;
}

/*
 * Route SPI @intid to vCPU 0 as an edge-triggered group 1 interrupt (a
 * plain irqfd, which is what an axhvc doorbell is, only ever asserts the
 * line) and enable the CPU interface. Interrupts stay masked.
 */
void rt_gic_enable_spi(unsigned int intid)
{
	unsigned long word = (intid / 32) * 4;
	__u32 bit = 1U << (intid % 32);
	unsigned long cfg = RT_GICD_BASE + GICD_ICFGR + (intid / 16) * 4;
	unsigned long sgi;

	write_sysreg(read_sysreg(icc_sre_el1) | 1, icc_sre_el1);
	isb();
	write_sysreg(0xff, icc_pmr_el1);
	write_sysreg(read_sysreg(icc_ctlr_el1) & ~2ULL, icc_ctlr_el1);	/* EOImode 0 */
	write_sysreg(1, icc_igrpen1_el1);
	isb();

	mmio_w32(RT_GICD_BASE + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_G1);
	while (mmio_r32(RT_GICD_BASE + GICD_CTLR) & GICD_CTLR_RWP)
		;
	mmio_w32(RT_GICR_BASE + GICR_WAKER,
		 mmio_r32(RT_GICR_BASE + GICR_WAKER) & ~GICR_WAKER_PSLEEP);
	while (mmio_r32(RT_GICR_BASE + GICR_WAKER) & GICR_WAKER_CASLEEP)
		;

	mmio_w32(RT_GICD_BASE + GICD_IGROUPR + word,
		 mmio_r32(RT_GICD_BASE + GICD_IGROUPR + word) | bit);
	mmio_w8(RT_GICD_BASE + GICD_IPRIORITYR + intid, GIC_PRIORITY);
	mmio_w32(cfg, mmio_r32(cfg) | (2U << ((intid % 16) * 2)));
	mmio_w64(RT_GICD_BASE + GICD_IROUTER + intid * 8ULL, 0);
	mmio_w32(RT_GICD_BASE + GICD_ISENABLER + word, bit);

	/* The timer's PPI (level, as KVM presents it), for bounded waits. */
	sgi = RT_GICR_BASE + GICR_SGI_BASE;
	mmio_w32(sgi + GICD_IGROUPR, mmio_r32(sgi + GICD_IGROUPR) | 1U << TIMER_PPI);
	mmio_w8(sgi + GICD_IPRIORITYR + TIMER_PPI, GIC_PRIORITY);
	mmio_w32(sgi + GICD_ISENABLER, 1U << TIMER_PPI);
}

/*
 * Wait (WFI) until an SPI is pending, acknowledge and end it. The virtual
 * timer, armed for the deadline, wakes the vCPU if nothing else does.
 * Returns the SPI's INTID, or -1 after @timeout_ms.
 */
int rt_gic_wait_irq(unsigned int timeout_ms)
{
	__u64 end = rt_now_us() + timeout_ms * 1000ULL;
	__u64 intid;

	isb();
	write_sysreg(read_sysreg(cntvct_el0) +
		     read_sysreg(cntfrq_el0) / 1000 * timeout_ms, cntv_cval_el0);
	write_sysreg(1, cntv_ctl_el0);	/* enabled, not masked */
	isb();
	for (;;) {
		asm volatile("wfi" : : : "memory");
		intid = read_sysreg(icc_iar1_el1) & 0xffffff;
		if (intid >= GIC_SPURIOUS)
			continue;
		write_sysreg(intid, icc_eoir1_el1);
		isb();
		if (intid != TIMER_PPI)
			break;
		if (rt_now_us() >= end) {
			write_sysreg(0, cntv_ctl_el0);
			return -1;
		}
	}
	write_sysreg(0, cntv_ctl_el0);
	isb();
	return (int)intid;
}

/* A byte loop (built with -fno-tree-loop-distribute-patterns: no memcpy()). */
void *rt_memcpy(void *dst, const void *src, unsigned long n)
{
	char *d = dst;
	const char *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}

unsigned long rt_strlen(const char *s)
{
	unsigned long n = 0;

	while (s[n])
		n++;
	return n;
}

/* Called by start.S's vector table: a demo guest takes no exception. */
void rt_exception(__u64 vector, __u64 esr, __u64 elr, __u64 far);
void rt_exception(__u64 vector, __u64 esr, __u64 elr, __u64 far)
{
	rt_printf("unexpected exception: vector %llu ESR 0x%llx ELR 0x%llx FAR 0x%llx\n",
		  vector, esr, elr, far);
}
