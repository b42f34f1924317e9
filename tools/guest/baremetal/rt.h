/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rt.h - the small runtime of the bare-metal axhvc demo guests
 *
 * The guests run with the MMU off, so every access is a Device access:
 * the code is built with -mstrict-align and keeps all accesses aligned;
 * no exclusives or atomics beyond plain loads and stores.
 *
 * The machine is the one axvmm builds (tools/axvmm/README.md): a 16550
 * UART, a GICv3 with vCPU 0's redistributor first, the generic timer.
 * Built with RT_UART_PL011 they run on QEMU's virt machine with
 * gic-version=3 instead, which has the same addresses but a PL011.
 */
#ifndef AXHVC_GUEST_RT_H
#define AXHVC_GUEST_RT_H

#include <linux/types.h>

#define BIT(n)		(1U << (n))

#define RT_UART_BASE	0x09000000UL
#define RT_GICD_BASE	0x08000000UL
#define RT_GICR_BASE	0x080A0000UL

void rt_printf(const char *fmt, ...);
void rt_puts(const char *s);

__u64 rt_now_us(void);
void rt_delay_ms(unsigned int ms);

void rt_gic_enable_spi(unsigned int intid);
int rt_gic_wait_irq(unsigned int timeout_ms);

void *rt_memcpy(void *dst, const void *src, unsigned long n);
unsigned long rt_strlen(const char *s);

void rt_power_off(void);

#endif /* AXHVC_GUEST_RT_H */
