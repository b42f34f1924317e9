/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The GIC's numbers, in one place for the files that need them
 * (vgic_bridge.c, vgic_bridge_irq.c, ivc_chardev.c): the architecture's
 * INTID ranges, the same on GICv2 and GICv3.
 */
#ifndef _AXHVC_VGIC_BRIDGE_H
#define _AXHVC_VGIC_BRIDGE_H

#include <linux/types.h>

/* SPIs are INTIDs 32..1019; SPI number n (KVM's GSI n) is INTID n + 32. */
#define AXHVC_GIC_SPI_BASE	32U
#define AXHVC_GIC_SPI_END	1020U

/* Is @intid a shared peripheral interrupt? */
static inline bool axhvc_gic_is_spi(u32 intid)
{
	return intid >= AXHVC_GIC_SPI_BASE && intid < AXHVC_GIC_SPI_END;
}

#endif /* _AXHVC_VGIC_BRIDGE_H */
