/* SPDX-License-Identifier: GPL-2.0 */
/*
 * axhvc: the GIC numbers the module uses, from the GIC architecture
 * specification (IHI 0048 for GICv2, IHI 0069 for GICv3), in one place.
 */
#ifndef _AXHVC_GIC_H
#define _AXHVC_GIC_H

#include <linux/sizes.h>

/* SPI n is INTID n + 32; 1020..1023 are special. */
#define AXHVC_GIC_SPI_BASE	32
#define AXHVC_GIC_SPI_LAST	1019

/* GICD_TYPER.ITLinesNumber: the distributor has 32 * (N + 1) INTIDs. */
#define AXHVC_GICD_TYPER_ITLINES	0x1f

/* Frames: a GICv3 redistributor has two of 64 KiB, a GICv4's four (vLPIs). */
#define AXHVC_GICV2_DIST_SIZE	SZ_4K
#define AXHVC_GICV3_DIST_SIZE	SZ_64K
#define AXHVC_GICV3_FRAME_ALIGN	SZ_64K
#define AXHVC_GICV3_REDIST_SIZE	(2 * SZ_64K)
#define AXHVC_GICV4_REDIST_SIZE	(4 * SZ_64K)

/* The device tree's interrupt specifier: <type number flags>, type 0 = SPI. */
#define AXHVC_GIC_FWSPEC_SPI	0

static inline bool axhvc_gic_intid_is_spi(u32 intid)
{
	return intid >= AXHVC_GIC_SPI_BASE && intid <= AXHVC_GIC_SPI_LAST;
}

#endif /* _AXHVC_GIC_H */
