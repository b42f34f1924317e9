// SPDX-License-Identifier: GPL-2.0
/*
 * axhvc: the vgic bridge, AxVisor's ArchIf GIC operations on a Linux host.
 *
 * This part answers get_host_gicd_base(), get_host_gicr_base(),
 * read_vgicd_typer() and read_vgicd_iidr(): at module load it finds the host
 * GIC in the firmware's description (the device tree, or the ACPI MADT when
 * the host booted with ACPI), reads the distributor's GICD_TYPER and
 * GICD_IIDR once through a short-lived mapping of its own, and keeps the
 * result for AXHVC_GET_HOST_GIC. Both registers are read-only
 * identification registers: reading them has no side effect on the GIC
 * driver that owns the distributor.
 *
 * It is also the one place that knows how the host's interrupts are named:
 * vgic_bridge_irq.c turns SPIs into Linux IRQs and back only through
 * axhvc_vgic_spi_to_irq() and axhvc_vgic_irq_to_spi(), which use the GIC
 * driver's irq domain found here (device tree) or the kernel's ACPI GSI
 * mapping (ACPI, where an SPI's GSI is its INTID).
 *
 * Not finding a usable GIC does not fail the module load: the rest of axhvc
 * works without it, AXHVC_GET_HOST_GIC fails with ENODEV and so does
 * forwarding a host SPI.
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
#include <linux/uaccess.h>
#include <kunit/visibility.h>

#include "axhvc_drv.h"
#include "axhvc_gic.h"

/* What discovery found; written once at load, before /dev/axhvc exists. */
static struct axhvc_host_gic axhvc_host_gic __ro_after_init;
static bool axhvc_host_gic_found __ro_after_init;
/*
 * How SPIs become Linux IRQs: the GIC driver's domain of wired interrupts
 * (device tree), or the kernel's GSI mapping (ACPI).
 */
static struct irq_domain *axhvc_gic_domain __ro_after_init;
static bool axhvc_gic_acpi __ro_after_init;

/**
 * axhvc_vgic_check_fw() - check a firmware description of the host GIC
 * @fw: the GIC version and the resources the firmware gives
 *
 * Pure: looks at @fw only. A GICv3 needs a distributor of at least 64 KiB
 * and a first redistributor region of at least 128 KiB, both 64 KiB
 * aligned; a GICv2 needs a 4 KiB aligned distributor of at least 4 KiB and
 * has no redistributor (@fw->gicr is ignored).
 *
 * Return: 0 if the description can be used, -EINVAL otherwise.
 */
VISIBLE_IF_KUNIT int axhvc_vgic_check_fw(const struct axhvc_gic_fw *fw)
{
	const struct resource *d = &fw->gicd, *r = &fw->gicr;

	if (resource_type(d) != IORESOURCE_MEM || d->end < d->start)
		return -EINVAL;
	switch (fw->version) {
	case 2:
		if (!IS_ALIGNED(d->start, SZ_4K) ||
		    resource_size(d) < AXHVC_GICV2_DIST_SIZE)
			return -EINVAL;
		return 0;
	case 3:
		if (!IS_ALIGNED(d->start, AXHVC_GICV3_FRAME_ALIGN) ||
		    resource_size(d) < AXHVC_GICV3_DIST_SIZE)
			return -EINVAL;
		if (resource_type(r) != IORESOURCE_MEM || r->end < r->start ||
		    !IS_ALIGNED(r->start, AXHVC_GICV3_FRAME_ALIGN) ||
		    resource_size(r) < AXHVC_GICV3_REDIST_SIZE)
			return -EINVAL;
		return 0;
	default:
		return -EINVAL;
	}
}
EXPORT_SYMBOL_IF_KUNIT(axhvc_vgic_check_fw);

/**
 * axhvc_vgic_describe() - turn what discovery found into the UAPI answer
 * @fw: the firmware's description of the GIC
 * @typer: the distributor's GICD_TYPER
 * @iidr: the distributor's GICD_IIDR
 * @gic: filled in on success; left alone otherwise
 *
 * Pure: checks @fw (see axhvc_vgic_check_fw()) and the registers. A
 * register that reads as all ones means nothing answered at that address:
 * no GICD_TYPER has every bit set (bits [15:11] and [31:27] are reserved in
 * GICv2, and a GICv3 with every extension bit set has no 32-bit meaning),
 * nor does any GICD_IIDR (a JEP106 code of all ones is invalid).
 *
 * Return: 0, -EINVAL for an unusable description, or -EIO for registers
 * that read as all ones.
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

static const u32 axhvc_gic_v2 = 2, axhvc_gic_v3 = 3;

/*
 * The compatibles the kernel's GIC drivers take (IRQCHIP_DECLARE in
 * drivers/irqchip/irq-gic-v3.c and irq-gic.c); a GICv4 is an arm,gic-v3.
 */
static const struct of_device_id axhvc_gic_of_match[] __initconst = {
	{ .compatible = "arm,gic-v3", .data = &axhvc_gic_v3 },
	{ .compatible = "arm,gic-400", .data = &axhvc_gic_v2 },
	{ .compatible = "arm,cortex-a15-gic", .data = &axhvc_gic_v2 },
	{ .compatible = "arm,cortex-a9-gic", .data = &axhvc_gic_v2 },
	{ .compatible = "arm,cortex-a7-gic", .data = &axhvc_gic_v2 },
	{ .compatible = "arm,arm11mp-gic", .data = &axhvc_gic_v2 },
	{ .compatible = "arm,arm1176jzf-devchip-gic", .data = &axhvc_gic_v2 },
	{ .compatible = "arm,pl390", .data = &axhvc_gic_v2 },
	{ .compatible = "qcom,msm-8660-qgic", .data = &axhvc_gic_v2 },
	{ .compatible = "qcom,msm-qgic2", .data = &axhvc_gic_v2 },
	{ /* sentinel */ }
};

/*
 * The device tree: reg 0 is the distributor; for a GICv3, reg 1 is the first
 * redistributor region (for a GICv2 it is the CPU interface, not reported).
 */
static int __init axhvc_gic_from_dt(struct axhvc_gic_fw *fw, const char **why)
{
	const struct of_device_id *match;
	struct device_node *np;
	int ret = 0;

	for_each_matching_node_and_match(np, axhvc_gic_of_match, &match) {
		if (of_device_is_available(np))
			break;
	}
	if (!np) {
		*why = "no GIC node in the device tree";
		return -ENODEV;
	}

	fw->version = *(const u32 *)match->data;
	fw->source = "device tree";
	if (of_address_to_resource(np, 0, &fw->gicd)) {
		*why = "device tree GIC node has no distributor (reg 0)";
		ret = -ENODEV;
	} else if (fw->version == 3 && of_address_to_resource(np, 1, &fw->gicr)) {
		*why = "device tree GICv3 node has no redistributor region (reg 1)";
		ret = -ENODEV;
	} else {
		/*
		 * The GICv3 driver tags its domain DOMAIN_BUS_WIRED; the GICv2
		 * driver leaves it DOMAIN_BUS_ANY. A GIC no driver took has no
		 * domain: identified, but its SPIs cannot be forwarded.
		 */
		axhvc_gic_domain =
			irq_find_matching_fwnode(of_fwnode_handle(np), DOMAIN_BUS_WIRED) ?:
			irq_find_matching_fwnode(of_fwnode_handle(np), DOMAIN_BUS_ANY);
	}
	of_node_put(np);
	return ret;
}

#ifdef CONFIG_ACPI
/*
 * The ACPI MADT: the GIC distributor structure gives the distributor and the
 * version; the first GIC redistributor structure gives the first
 * redistributor region or, when there is none, the enabled GICC structures
 * give one redistributor each (the lowest is reported, as one redistributor).
 *
 * acpi_table_parse_madt() is __init and not exported, so the module walks
 * the table itself, with the same bounds checks.
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
	/*
	 * The GIC driver that took the MADT's distributor registered the GSI
	 * domain (acpi_set_irq_model()); an arm64 ACPI kernel without it has
	 * no interrupts at all.
	 */
	axhvc_gic_acpi = true;
	fw->gicd = DEFINE_RES_MEM(gicd, fw->version == 3 ? AXHVC_GICV3_DIST_SIZE :
						       AXHVC_GICV2_DIST_SIZE);
	if (fw->version == 2)
		return 0;
	if (have_gicr) {
		fw->gicr = DEFINE_RES_MEM(gicr, gicr_len);
	} else if (gicc_gicr != U64_MAX) {
		fw->gicr = DEFINE_RES_MEM(gicc_gicr,
					  madt_ver == ACPI_MADT_GIC_VERSION_V4 ?
					  AXHVC_GICV4_REDIST_SIZE :
					  AXHVC_GICV3_REDIST_SIZE);
	} else {
		*why = "no GIC redistributor in the ACPI MADT";
		return -ENODEV;
	}
	return 0;
}
#else
static int __init axhvc_gic_from_madt(struct axhvc_gic_fw *fw, const char **why)
{
	*why = "ACPI not built in";
	return -ENODEV;
}
#endif

/* Reads GICD_TYPER and GICD_IIDR through a mapping of the first 4 KiB. */
static int __init axhvc_gic_read_ids(const struct axhvc_gic_fw *fw, u32 *typer,
				     u32 *iidr)
{
	void __iomem *base = ioremap(fw->gicd.start, SZ_4K);

	if (!base)
		return -ENOMEM;
	*typer = readl(base + GICD_TYPER);
	*iidr = readl(base + GICD_IIDR);
	iounmap(base);
	return 0;
}

/**
 * axhvc_vgic_init() - discover the host GIC
 *
 * Called once at module load, before /dev/axhvc is registered. Never fails:
 * logs one line with what it found, or why it found nothing usable.
 */
void __init axhvc_vgic_init(void)
{
	struct axhvc_gic_fw fw = { };
	const char *why = NULL;
	u32 typer, iidr;
	int ret;

	if (acpi_disabled)
		ret = axhvc_gic_from_dt(&fw, &why);
	else
		ret = axhvc_gic_from_madt(&fw, &why);
	if (ret)
		goto none;

	ret = axhvc_vgic_check_fw(&fw);
	if (ret) {
		why = "unusable GIC description (size or alignment)";
		goto none;
	}
	ret = axhvc_gic_read_ids(&fw, &typer, &iidr);
	if (ret) {
		why = "cannot map the distributor";
		goto none;
	}
	ret = axhvc_vgic_describe(&fw, typer, iidr, &axhvc_host_gic);
	if (ret) {
		why = "the distributor's TYPER/IIDR read as all ones";
		goto none;
	}
	axhvc_host_gic_found = true;
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
	return axhvc_host_gic_found;
}

/**
 * axhvc_vgic_nr_spis() - how many SPIs the host distributor implements
 *
 * Return: the number of SPIs (GICD_TYPER.ITLinesNumber), 0 if no host GIC
 * was found. SPI n is INTID n + 32; a larger SPI is no interrupt at all.
 */
u32 axhvc_vgic_nr_spis(void)
{
	u32 lines;

	if (!axhvc_host_gic_found)
		return 0;
	lines = 32 * ((axhvc_host_gic.typer & AXHVC_GICD_TYPER_ITLINES) + 1);
	return min(lines, AXHVC_GIC_SPI_LAST + 1U) - AXHVC_GIC_SPI_BASE;
}

#ifdef CONFIG_ACPI
/* The Linux IRQ of GSI @gsi if the kernel has mapped it, else 0. */
static unsigned int axhvc_gsi_mapped(u32 gsi)
{
	unsigned int irq;

	return acpi_gsi_to_irq(gsi, &irq) ? 0 : irq;
}

/* GSI @gsi's Linux IRQ, mapped as acpi_register_gsi() maps a device's. */
static int axhvc_gsi_to_irq(u32 gsi, bool level)
{
	unsigned int irq = axhvc_gsi_mapped(gsi);
	int ret;

	if (irq)
		return irq;
	ret = acpi_register_gsi(NULL, gsi, level ? ACPI_LEVEL_SENSITIVE :
				ACPI_EDGE_SENSITIVE, ACPI_ACTIVE_HIGH);
	return ret > 0 ? ret : -EINVAL;
}
#else
/* Never called: axhvc_gic_acpi is set only by the MADT. */
static unsigned int axhvc_gsi_mapped(u32 gsi)
{
	return 0;
}

static int axhvc_gsi_to_irq(u32 gsi, bool level)
{
	return -ENODEV;
}
#endif

/**
 * axhvc_vgic_spi_to_irq() - the Linux IRQ of host GIC SPI @spi
 * @spi: the SPI number (INTID - 32), below axhvc_vgic_nr_spis()
 * @level: the trigger to map the SPI with if nobody has mapped it yet
 *
 * Finds the SPI's Linux IRQ, or maps it now the way the kernel maps a
 * firmware interrupt: in the GIC driver's domain with the device tree's
 * three-cell specifier, or with acpi_register_gsi() (an SPI's GSI is its
 * INTID). A mapping made here stays when the caller is done: mappings have
 * no reference count, and a driver may have looked it up meanwhile. An
 * existing mapping is returned as it is; the caller checks its trigger.
 *
 * Return: the Linux IRQ; -ENODEV when no usable host GIC or GIC driver was
 * found; -EINVAL for an SPI the distributor lacks or that cannot be mapped.
 */
int axhvc_vgic_spi_to_irq(u32 spi, bool level)
{
	u32 intid = spi + AXHVC_GIC_SPI_BASE;
	unsigned int irq = 0;

	if (!axhvc_host_gic_found || (!axhvc_gic_domain && !axhvc_gic_acpi))
		return -ENODEV;
	if (spi >= axhvc_vgic_nr_spis())
		return -EINVAL;
	if (axhvc_gic_acpi)
		return axhvc_gsi_to_irq(intid, level);
	irq = irq_find_mapping(axhvc_gic_domain, intid);
	if (!irq) {
		struct irq_fwspec fwspec = {
			.fwnode = axhvc_gic_domain->fwnode,
			.param_count = 3,
			.param = { AXHVC_GIC_FWSPEC_SPI, spi,
				   level ? IRQ_TYPE_LEVEL_HIGH : IRQ_TYPE_EDGE_RISING },
		};

		irq = irq_create_fwspec_mapping(&fwspec);
	}
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
	if (!axhvc_host_gic_found || intid < AXHVC_GIC_SPI_BASE ||
	    intid > AXHVC_GIC_SPI_LAST)
		return -EACCES;
	if (axhvc_gic_acpi) {
		/* The GSI domain's mapping of that INTID must be @irq itself. */
		if (axhvc_gsi_mapped(intid) != irq)
			return -EACCES;
	} else if (!axhvc_gic_domain || d->domain != axhvc_gic_domain) {
		return -EACCES;
	}
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
	if (!axhvc_host_gic_found)
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
	int ret;

	ret = axhvc_get_arg(gic, argp, AXHVC_HOST_GIC_SIZE_VER0);
	if (!ret)
		ret = axhvc_vgic_host_gic_fill(&gic);
	return ret ?: axhvc_put_arg(argp, gic);
}
