// SPDX-License-Identifier: GPL-2.0
/*
 * axhvc: the vgic bridge, AxVisor's ArchIf GIC operations on a Linux host.
 *
 * Identifies the host GIC once at load, from the device tree or the ACPI
 * MADT, reads GICD_TYPER and GICD_IIDR (read-only identification registers,
 * so the GIC driver never sees them touched) for AXHVC_GET_HOST_GIC, and
 * keeps how host SPIs are named, the one place vgic_bridge_irq.c asks (see
 * Documentation/vgic-bridge.rst). Without a usable GIC the module still
 * loads; AXHVC_GET_HOST_GIC and SPI forwarding fail with ENODEV.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/acpi.h>
#include <linux/cache.h>
#include <linux/err.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/irq.h>
#include <linux/irqchip/arm-gic-v3.h>
#include <linux/irqdomain.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "axhvc_drv.h"
#include "axhvc_gic.h"

/* Written once at load, before /dev/axhvc exists; version 0 until found. */
static struct axhvc_host_gic axhvc_host_gic __ro_after_init;
/* SPIs become Linux IRQs in the GIC driver's domain (DT) or as GSIs (ACPI). */
static struct irq_domain *axhvc_gic_domain __ro_after_init;
static bool axhvc_gic_acpi __ro_after_init;

/* @r is memory, @align aligned and at least @size bytes. */
static bool axhvc_gic_res_ok(const struct resource *r, resource_size_t align,
			     resource_size_t size)
{
	return resource_type(r) == IORESOURCE_MEM && r->end >= r->start &&
	       IS_ALIGNED(r->start, align) && resource_size(r) >= size;
}

/**
 * axhvc_vgic_check_fw() - check a firmware description of the host GIC
 * @fw: the GIC version and the resources the firmware gives
 *
 * Pure. A GICv3 needs a distributor of 64 KiB or more and a first
 * redistributor region of 128 KiB or more, both 64 KiB aligned; a GICv2 a
 * 4 KiB aligned distributor of 4 KiB or more (@fw->gicr is ignored).
 *
 * Return: 0 if the description can be used, -EINVAL otherwise.
 */
VISIBLE_IF_KUNIT int axhvc_vgic_check_fw(const struct axhvc_gic_fw *fw)
{
	if (fw->version == 2)
		return axhvc_gic_res_ok(&fw->gicd, SZ_4K, AXHVC_GICV2_DIST_SIZE) ? 0 : -EINVAL;
	if (fw->version == 3 &&
	    axhvc_gic_res_ok(&fw->gicd, AXHVC_GICV3_FRAME_ALIGN, AXHVC_GICV3_DIST_SIZE) &&
	    axhvc_gic_res_ok(&fw->gicr, AXHVC_GICV3_FRAME_ALIGN, AXHVC_GICV3_REDIST_SIZE))
		return 0;
	return -EINVAL;
}
EXPORT_SYMBOL_IF_KUNIT(axhvc_vgic_check_fw);

/**
 * axhvc_vgic_describe() - turn what discovery found into the UAPI answer
 * @fw: the firmware's description of the GIC
 * @typer: the distributor's GICD_TYPER
 * @iidr: the distributor's GICD_IIDR
 * @gic: filled in on success; left alone otherwise
 *
 * Pure. A register reading as all ones means nothing answered there: no
 * GICD_TYPER (reserved bits) or GICD_IIDR (invalid JEP106 code) is all ones.
 *
 * Return: 0, -EINVAL for an unusable @fw (axhvc_vgic_check_fw()), or -EIO
 * for registers that read as all ones.
 */
VISIBLE_IF_KUNIT int axhvc_vgic_describe(const struct axhvc_gic_fw *fw,
					 u32 typer, u32 iidr,
					 struct axhvc_host_gic *gic)
{
	int ret = axhvc_vgic_check_fw(fw);

	if (ret)
		return ret;
	if (typer == U32_MAX || iidr == U32_MAX)
		return -EIO;

	memset(gic, 0, sizeof(*gic));
	gic->version = fw->version;
	gic->gicd_base = fw->gicd.start;
	gic->gicr_base = fw->version == 3 ? fw->gicr.start : 0;
	gic->typer = typer;
	gic->iidr = iidr;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(axhvc_vgic_describe);

/* What the kernel's GIC drivers take (a GICv4 is an arm,gic-v3); data: version. */
static const struct of_device_id axhvc_gic_of_match[] __initconst = {
	{ .compatible = "arm,gic-v3", .data = (void *)3 },
	{ .compatible = "arm,gic-400" },
	{ .compatible = "arm,cortex-a15-gic" },
	{ .compatible = "arm,cortex-a9-gic" },
	{ .compatible = "arm,cortex-a7-gic" },
	{ .compatible = "arm,arm11mp-gic" },
	{ .compatible = "arm,arm1176jzf-devchip-gic" },
	{ .compatible = "arm,pl390" },
	{ .compatible = "qcom,msm-8660-qgic" },
	{ .compatible = "qcom,msm-qgic2" },
	{ /* sentinel */ }
};

/* reg 0 is the distributor; reg 1 a GICv3's first redistributor region. */
static int __init axhvc_gic_from_dt(struct axhvc_gic_fw *fw, const char **why)
{
	const struct of_device_id *match;
	struct device_node *np;
	int ret = -ENODEV;

	for_each_matching_node_and_match(np, axhvc_gic_of_match, &match)
		if (of_device_is_available(np))
			break;
	if (!np) {
		*why = "no GIC node in the device tree";
		return -ENODEV;
	}

	fw->version = (uintptr_t)match->data ?: 2;
	fw->source = "device tree";
	if (of_address_to_resource(np, 0, &fw->gicd))
		*why = "device tree GIC node has no distributor (reg 0)";
	else if (fw->version == 3 && of_address_to_resource(np, 1, &fw->gicr))
		*why = "device tree GICv3 node has no redistributor region (reg 1)";
	else
		ret = 0;
	/*
	 * GICv3's domain is DOMAIN_BUS_WIRED, GICv2's DOMAIN_BUS_ANY; a GIC no
	 * driver took has none. Used only once the GIC is found.
	 */
	axhvc_gic_domain = irq_find_matching_fwnode(of_fwnode_handle(np), DOMAIN_BUS_WIRED) ?:
			   irq_find_matching_fwnode(of_fwnode_handle(np), DOMAIN_BUS_ANY);
	of_node_put(np);
	return ret;
}

#ifdef CONFIG_ACPI
/*
 * The MADT's GIC distributor, then its first GIC redistributor or, without
 * one, the enabled GICCs' lowest. acpi_table_parse_madt() is not exported:
 * the same walk with the same bounds checks.
 */
static int __init axhvc_gic_from_madt(struct axhvc_gic_fw *fw, const char **why)
{
	u64 gicd = 0, gicr = 0, gicc_gicr = U64_MAX;
	bool have_gicd = false, have_gicr = false;
	struct acpi_table_header *hdr;
	u32 gicr_len = 0;
	u8 madt_ver = 0;
	u8 *p, *end;

	if (ACPI_FAILURE(acpi_get_table(ACPI_SIG_MADT, 0, &hdr))) {
		*why = "no ACPI MADT";
		return -ENODEV;
	}
	p = (u8 *)hdr + sizeof(struct acpi_table_madt);
	end = (u8 *)hdr + hdr->length;
	while (p + sizeof(struct acpi_subtable_header) <= end) {
		struct acpi_subtable_header *sub = (void *)p;
		struct acpi_madt_generic_distributor *d = (void *)p;
		struct acpi_madt_generic_redistributor *r = (void *)p;
		struct acpi_madt_generic_interrupt *c = (void *)p;

		if (sub->length < sizeof(*sub) || sub->length > end - p)
			break;	/* malformed: keep what came before */
		switch (sub->type) {
		case ACPI_MADT_TYPE_GENERIC_DISTRIBUTOR:
			if (!have_gicd && sub->length >= sizeof(*d)) {
				have_gicd = true;
				gicd = d->base_address;
				madt_ver = d->version;
			}
			break;
		case ACPI_MADT_TYPE_GENERIC_REDISTRIBUTOR:
			if (!have_gicr && sub->length >= sizeof(*r)) {
				have_gicr = true;
				gicr = r->base_address;
				gicr_len = r->length;
			}
			break;
		case ACPI_MADT_TYPE_GENERIC_INTERRUPT:
			if (sub->length >= offsetofend(typeof(*c), gicr_base_address) &&
			    (c->flags & ACPI_MADT_ENABLED) && c->gicr_base_address)
				gicc_gicr = min(gicc_gicr, c->gicr_base_address);
			break;
		}
		p += sub->length;
	}
	acpi_put_table(hdr);

	if (!have_gicd) {
		*why = "no GIC distributor structure in the ACPI MADT";
		return -ENODEV;
	}
	switch (madt_ver) {
	case ACPI_MADT_GIC_VERSION_V2:
		fw->version = 2;
		break;
	case ACPI_MADT_GIC_VERSION_V3:
	case ACPI_MADT_GIC_VERSION_V4:
		fw->version = 3;
		break;
	case ACPI_MADT_GIC_VERSION_NONE:
		/* Unspecified: only a GICv3 or later has redistributors. */
		fw->version = have_gicr || gicc_gicr != U64_MAX ? 3 : 2;
		break;
	default:
		*why = "ACPI MADT GIC version is neither 2, 3 nor 4";
		return -ENODEV;
	}
	fw->source = "ACPI MADT";
	/* The GIC driver that took this distributor registered the GSI domain. */
	axhvc_gic_acpi = true;
	fw->gicd = DEFINE_RES_MEM(gicd, fw->version == 3 ? AXHVC_GICV3_DIST_SIZE :
							   AXHVC_GICV2_DIST_SIZE);
	if (fw->version == 2)
		return 0;
	if (have_gicr)
		fw->gicr = DEFINE_RES_MEM(gicr, gicr_len);
	else if (gicc_gicr != U64_MAX)
		fw->gicr = DEFINE_RES_MEM(gicc_gicr, madt_ver == ACPI_MADT_GIC_VERSION_V4 ?
					  AXHVC_GICV4_REDIST_SIZE : AXHVC_GICV3_REDIST_SIZE);
	else
		*why = "no GIC redistributor in the ACPI MADT";
	return have_gicr || gicc_gicr != U64_MAX ? 0 : -ENODEV;
}

/*
 * GSI @gsi's Linux IRQ (an SPI's GSI is its INTID) if mapped; else, with
 * @map, mapped as acpi_register_gsi() maps a device's, and without, 0.
 */
static int axhvc_gsi_to_irq(u32 gsi, bool map, bool level)
{
	unsigned int irq;
	int ret;

	if (!acpi_gsi_to_irq(gsi, &irq) && irq)
		return irq;
	if (!map)
		return 0;
	ret = acpi_register_gsi(NULL, gsi, level ? ACPI_LEVEL_SENSITIVE :
				ACPI_EDGE_SENSITIVE, ACPI_ACTIVE_HIGH);
	return ret > 0 ? ret : -EINVAL;
}
#else
static int __init axhvc_gic_from_madt(struct axhvc_gic_fw *fw, const char **why)
{
	*why = "ACPI not built in";
	return -ENODEV;
}

/* Never called: axhvc_gic_acpi is set only by the MADT. */
static int axhvc_gsi_to_irq(u32 gsi, bool map, bool level)
{
	return -ENODEV;
}
#endif

/**
 * axhvc_vgic_init() - discover the host GIC
 *
 * Called once at module load, before /dev/axhvc is registered. Never fails;
 * logs what it found, or why nothing usable.
 */
void __init axhvc_vgic_init(void)
{
	struct axhvc_gic_fw fw = { };
	const char *why = NULL;
	void __iomem *base;
	u32 typer, iidr;
	int ret;

	ret = acpi_disabled ? axhvc_gic_from_dt(&fw, &why) : axhvc_gic_from_madt(&fw, &why);
	if (ret)
		goto none;
	why = "unusable GIC description (size or alignment)";
	ret = axhvc_vgic_check_fw(&fw);
	if (ret)
		goto none;
	why = "cannot map the distributor";
	ret = -ENOMEM;
	base = ioremap(fw.gicd.start, SZ_4K);
	if (!base)
		goto none;
	typer = readl(base + GICD_TYPER);
	iidr = readl(base + GICD_IIDR);
	iounmap(base);
	why = "the distributor's TYPER/IIDR read as all ones";
	ret = axhvc_vgic_describe(&fw, typer, iidr, &axhvc_host_gic);
	if (ret)
		goto none;
	pr_info("host GICv%u from the %s: GICD %#llx, GICR %#llx, TYPER %#010x, IIDR %#010x\n",
		axhvc_host_gic.version, fw.source, axhvc_host_gic.gicd_base,
		axhvc_host_gic.gicr_base, typer, iidr);
	return;

none:
	pr_info("no usable host GIC (%s: %pe); AXHVC_GET_HOST_GIC will fail with ENODEV\n",
		why, ERR_PTR(ret));
}

/**
 * axhvc_vgic_host_gic_found() - whether discovery found a usable host GIC
 *
 * Return: true when AXHVC_GET_HOST_GIC answers (%AXHVC_FEATURE_HOST_GIC).
 */
bool axhvc_vgic_host_gic_found(void)
{
	return axhvc_host_gic.version;
}

/**
 * axhvc_vgic_nr_spis() - how many SPIs the host distributor implements
 *
 * Return: the number of SPIs (GICD_TYPER.ITLinesNumber), 0 if no host GIC
 * was found.
 */
u32 axhvc_vgic_nr_spis(void)
{
	/* Without a GIC, typer is 0: 32 INTIDs, none an SPI. */
	u32 lines = 32 * ((axhvc_host_gic.typer & AXHVC_GICD_TYPER_ITLINES) + 1);

	return min(lines, AXHVC_GIC_SPI_LAST + 1U) - AXHVC_GIC_SPI_BASE;
}

/**
 * axhvc_vgic_spi_to_irq() - the Linux IRQ of host GIC SPI @spi
 * @spi: the SPI number (INTID - 32), below axhvc_vgic_nr_spis()
 * @level: the trigger to map the SPI with if nobody has mapped it yet
 *
 * Maps an unmapped SPI as the kernel maps a firmware interrupt, for good
 * (mappings have no reference count); an existing one is returned as it is.
 *
 * Return: the Linux IRQ; -ENODEV when no usable host GIC or GIC driver was
 * found; -EINVAL for an SPI the distributor lacks or that cannot be mapped.
 */
int axhvc_vgic_spi_to_irq(u32 spi, bool level)
{
	struct irq_fwspec fwspec = {
		.param_count = 3,
		.param = { AXHVC_GIC_FWSPEC_SPI, spi,
			   level ? IRQ_TYPE_LEVEL_HIGH : IRQ_TYPE_EDGE_RISING },
	};
	u32 intid = spi + AXHVC_GIC_SPI_BASE;
	unsigned int irq;

	if (!axhvc_host_gic.version || (!axhvc_gic_domain && !axhvc_gic_acpi))
		return -ENODEV;
	if (spi >= axhvc_vgic_nr_spis())
		return -EINVAL;
	if (axhvc_gic_acpi)
		return axhvc_gsi_to_irq(intid, true, level);
	fwspec.fwnode = axhvc_gic_domain->fwnode;
	irq = irq_find_mapping(axhvc_gic_domain, intid) ?: irq_create_fwspec_mapping(&fwspec);
	return irq ?: -EINVAL;
}

/**
 * axhvc_vgic_irq_to_spi() - the host GIC SPI behind Linux IRQ @irq
 * @irq: a Linux IRQ number
 *
 * Return: the SPI number (INTID - 32); -ENOENT when @irq does not exist;
 * -EACCES when it is not an SPI of the host GIC (another irqchip's line,
 * an SGI, PPI or LPI) or no usable host GIC was found.
 */
int axhvc_vgic_irq_to_spi(unsigned int irq)
{
	struct irq_data *d = irq_get_irq_data(irq);
	irq_hw_number_t intid;

	if (!d)
		return -ENOENT;
	intid = irqd_to_hwirq(d);
	if (!axhvc_host_gic.version || intid < AXHVC_GIC_SPI_BASE ||
	    intid > AXHVC_GIC_SPI_LAST)
		return -EACCES;
	/* With ACPI, the GSI domain's mapping of that INTID must be @irq itself. */
	if (axhvc_gic_acpi ? axhvc_gsi_to_irq(intid, false, false) != irq :
	    !axhvc_gic_domain || d->domain != axhvc_gic_domain)
		return -EACCES;
	return intid - AXHVC_GIC_SPI_BASE;
}

/**
 * axhvc_vgic_host_gic_fill() - answer a host GIC query
 * @gic: the caller's request, already copied into the kernel
 *
 * Return: 0 with @gic filled in (its size is the caller's still); -EINVAL
 * if @gic's flags or reserved field are not zero; -ENODEV if discovery found
 * no usable GIC. @gic is left alone on error.
 */
VISIBLE_IF_KUNIT int axhvc_vgic_host_gic_fill(struct axhvc_host_gic *gic)
{
	u32 size = gic->size;

	if (gic->flags || gic->__reserved)
		return -EINVAL;
	if (!axhvc_host_gic.version)
		return -ENODEV;
	*gic = axhvc_host_gic;
	gic->size = size;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(axhvc_vgic_host_gic_fill);

/**
 * axhvc_vgic_get_host_gic() - AXHVC_GET_HOST_GIC
 * @argp: the user's &struct axhvc_host_gic
 *
 * Return: 0, -EFAULT, -EINVAL, -E2BIG or -ENODEV (see
 * include/uapi/axhvc.h).
 */
long axhvc_vgic_get_host_gic(struct axhvc_host_gic __user *argp)
{
	struct axhvc_host_gic gic;
	int ret = axhvc_get_arg(gic, argp, AXHVC_HOST_GIC_SIZE_VER0) ?:
		  axhvc_vgic_host_gic_fill(&gic);

	return ret ?: axhvc_put_arg(argp, gic);
}
