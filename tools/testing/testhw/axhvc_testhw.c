// SPDX-License-Identifier: GPL-2.0
/*
 * axhvc_testhw: a test-only module for axhvc's kselftests in the emulated
 * arm64 KVM host. It gives the tests what userspace cannot reach, through
 * debugfs (axhvc_testhw/):
 *
 * gic          read: "gicd <pa> gicr <pa> typer <hex> iidr <hex> version
 *              <2|3>", the firmware's GIC (gicr 0 for a GICv2) and the
 *              distributor's TYPER and IIDR read through a mapping of this
 *              module's own: what axhvc must report. The firmware's GIC is
 *              the device tree's node (arm,gic-v3, or the GICv2 of QEMU's
 *              virt machine with gic-version=2) or, on a host booted with
 *              ACPI, the MADT's first GIC distributor and GIC redistributor
 *              structures (QEMU's virt machine has one of each).
 * spi_pending  write "<spi> <0|1>": clear or set the pending state of GIC
 *              SPI <spi> (INTID spi + 32) in the distributor, as a device
 *              raising its interrupt would. The SPI must already be mapped
 *              to a Linux IRQ (axhvc does that when it forwards one): in the
 *              GIC's domain, or with ACPI as GSI spi + 32.
 * driver       write "lookup <spi>": find the SPI's Linux IRQ the way a
 *              driver probing the device would, and keep it; "request":
 *              request_irq() on the kept IRQ, counting interrupts; "free":
 *              free_irq(). read: "irq <n> requested <0|1> fired <count>".
 *              For the tests that a mapping axhvc made is still valid for
 *              a driver that looked it up before axhvc let the line go.
 *
 * Not for production kernels: it lets root raise any host interrupt.
 */
#include <linux/acpi.h>
#include <linux/debugfs.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#define GICD_TYPER	0x0004
#define GICD_IIDR	0x0008

static struct dentry *testhw_dir;

static const u32 testhw_v2 = 2, testhw_v3 = 3;

/* The GICs QEMU's virt machine describes (gic-version=3 and =2). */
static const struct of_device_id testhw_gic_match[] = {
	{ .compatible = "arm,gic-v3", .data = &testhw_v3 },
	{ .compatible = "arm,cortex-a15-gic", .data = &testhw_v2 },
	{ /* sentinel */ }
};

static struct device_node *testhw_gic_node(u32 *version)
{
	const struct of_device_id *match;
	struct device_node *np;

	np = of_find_matching_node_and_match(NULL, testhw_gic_match, &match);
	if (np && version)
		*version = *(const u32 *)match->data;
	return np;
}

/*
 * The GIC's domain of wired interrupts: the GICv3 driver tags it
 * DOMAIN_BUS_WIRED, the GICv2 driver leaves it DOMAIN_BUS_ANY.
 */
static struct irq_domain *testhw_gic_domain(void)
{
	struct device_node *np = testhw_gic_node(NULL);
	struct irq_domain *d;

	if (!np)
		return NULL;
	d = irq_find_matching_fwnode(of_fwnode_handle(np), DOMAIN_BUS_WIRED) ?:
	    irq_find_matching_fwnode(of_fwnode_handle(np), DOMAIN_BUS_ANY);
	of_node_put(np);
	return d;
}

/* The device tree's GIC: reg 0 the distributor, reg 1 a GICv3's redistributors. */
static int testhw_gic_from_dt(u64 *gicd, u64 *gicr, u32 *version)
{
	struct resource d, r = { };
	struct device_node *np;
	int ret = -ENODEV;

	np = testhw_gic_node(version);
	if (!np)
		return -ENODEV;
	if (!of_address_to_resource(np, 0, &d) &&
	    (*version == 2 || !of_address_to_resource(np, 1, &r))) {
		*gicd = d.start;
		*gicr = r.start;
		ret = 0;
	}
	of_node_put(np);
	return ret;
}

#ifdef CONFIG_ACPI
/* The MADT's first GIC distributor and GIC redistributor structures. */
static int testhw_gic_from_madt(u64 *gicd, u64 *gicr, u32 *version)
{
	struct acpi_madt_generic_redistributor *r;
	struct acpi_madt_generic_distributor *d;
	struct acpi_subtable_header *sub;
	struct acpi_table_header *hdr;
	u8 *p, *end;

	if (ACPI_FAILURE(acpi_get_table(ACPI_SIG_MADT, 0, &hdr)))
		return -ENODEV;
	*version = 0;
	*gicr = 0;
	end = (u8 *)hdr + hdr->length;
	for (p = (u8 *)hdr + sizeof(struct acpi_table_madt);
	     p + sizeof(*sub) <= end; p += sub->length) {
		sub = (void *)p;
		if (sub->length < sizeof(*sub) || sub->length > end - p)
			break;
		if (sub->type == ACPI_MADT_TYPE_GENERIC_DISTRIBUTOR && !*version &&
		    sub->length >= sizeof(*d)) {
			d = (void *)p;
			*gicd = d->base_address;
			*version = d->version;
		} else if (sub->type == ACPI_MADT_TYPE_GENERIC_REDISTRIBUTOR && !*gicr &&
			   sub->length >= sizeof(*r)) {
			r = (void *)p;
			*gicr = r->base_address;
		}
	}
	acpi_put_table(hdr);
	/* QEMU names the version; a GICv3's redistributors have a structure. */
	if (*version == 2 && !*gicr)
		return 0;
	return *version == 3 && *gicr ? 0 : -ENODEV;
}

/* With ACPI, an SPI's Linux IRQ is the GSI domain's mapping of its INTID. */
static int testhw_spi_irq_acpi(unsigned int spi)
{
	unsigned int irq;

	return acpi_gsi_to_irq(spi + 32, &irq) ? -ENOENT : irq;
}
#else
static int testhw_gic_from_madt(u64 *gicd, u64 *gicr, u32 *version)
{
	return -ENODEV;
}

static int testhw_spi_irq_acpi(unsigned int spi)
{
	return -ENODEV;
}
#endif

/* The Linux IRQ host SPI @spi is mapped to: -ENODEV without a GIC, -ENOENT unmapped. */
static int testhw_spi_irq(unsigned int spi)
{
	struct irq_domain *domain;
	unsigned int irq;

	if (!acpi_disabled)
		return testhw_spi_irq_acpi(spi);
	domain = testhw_gic_domain();
	if (!domain)
		return -ENODEV;
	irq = irq_find_mapping(domain, spi + 32);
	return irq ?: -ENOENT;
}

static int testhw_gic_show(struct seq_file *m, void *unused)
{
	void __iomem *base;
	u64 gicd, gicr;
	u32 version;
	int ret;

	ret = acpi_disabled ? testhw_gic_from_dt(&gicd, &gicr, &version) :
			      testhw_gic_from_madt(&gicd, &gicr, &version);
	if (ret)
		return ret;
	base = ioremap(gicd, SZ_4K);
	if (!base)
		return -ENOMEM;
	/* TYPER and IIDR are read-only identification registers. */
	seq_printf(m, "gicd %#llx gicr %#llx typer %#x iidr %#x version %u\n",
		   gicd, gicr, readl_relaxed(base + GICD_TYPER),
		   readl_relaxed(base + GICD_IIDR), version);
	iounmap(base);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(testhw_gic);

static ssize_t testhw_spi_pending_write(struct file *file,
					const char __user *ubuf, size_t len,
					loff_t *ppos)
{
	unsigned int spi, on;
	char buf[32];
	int irq, ret;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	if (sscanf(buf, "%u %u", &spi, &on) != 2 || on > 1)
		return -EINVAL;
	irq = testhw_spi_irq(spi);
	if (irq < 0)
		return irq;
	ret = irq_set_irqchip_state(irq, IRQCHIP_STATE_PENDING, on);
	return ret ?: len;
}

static const struct file_operations testhw_spi_pending_fops = {
	.owner	= THIS_MODULE,
	.write	= testhw_spi_pending_write,
};

/* The "driver": one kept IRQ, whether it is requested, and its count. */
static DEFINE_MUTEX(testhw_drv_lock);	/* protects the three below */
static unsigned int testhw_drv_irq;
static bool testhw_drv_requested;
static atomic_t testhw_drv_fired;

static irqreturn_t testhw_drv_handler(int irq, void *data)
{
	atomic_inc(&testhw_drv_fired);
	return IRQ_HANDLED;
}

static ssize_t testhw_driver_write(struct file *file, const char __user *ubuf,
				   size_t len, loff_t *ppos)
{
	unsigned int spi;
	char buf[32];
	int ret = 0;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	mutex_lock(&testhw_drv_lock);
	if (sscanf(buf, "lookup %u", &spi) == 1) {
		ret = testhw_spi_irq(spi);
		testhw_drv_irq = max(ret, 0);
		ret = ret < 0 ? -ENOENT : 0;
	} else if (sysfs_streq(buf, "request")) {
		ret = testhw_drv_requested ? -EBUSY :
		      request_irq(testhw_drv_irq, testhw_drv_handler, 0,
				  "axhvc-testhw", &testhw_drv_irq);
		if (!ret) {
			testhw_drv_requested = true;
			atomic_set(&testhw_drv_fired, 0);
		}
	} else if (sysfs_streq(buf, "free")) {
		if (testhw_drv_requested)
			free_irq(testhw_drv_irq, &testhw_drv_irq);
		testhw_drv_requested = false;
	} else {
		ret = -EINVAL;
	}
	mutex_unlock(&testhw_drv_lock);
	return ret ?: len;
}

static int testhw_driver_show(struct seq_file *m, void *unused)
{
	mutex_lock(&testhw_drv_lock);
	seq_printf(m, "irq %u requested %d fired %d\n", testhw_drv_irq,
		   testhw_drv_requested, atomic_read(&testhw_drv_fired));
	mutex_unlock(&testhw_drv_lock);
	return 0;
}

static int testhw_driver_open(struct inode *inode, struct file *file)
{
	return single_open(file, testhw_driver_show, NULL);
}

static const struct file_operations testhw_driver_fops = {
	.owner		= THIS_MODULE,
	.open		= testhw_driver_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.release	= single_release,
	.write		= testhw_driver_write,
};

static int __init testhw_init(void)
{
	testhw_dir = debugfs_create_dir("axhvc_testhw", NULL);
	debugfs_create_file("gic", 0400, testhw_dir, NULL, &testhw_gic_fops);
	debugfs_create_file("spi_pending", 0200, testhw_dir, NULL,
			    &testhw_spi_pending_fops);
	debugfs_create_file("driver", 0600, testhw_dir, NULL, &testhw_driver_fops);
	return 0;
}

static void __exit testhw_exit(void)
{
	debugfs_remove_recursive(testhw_dir);
	if (testhw_drv_requested)
		free_irq(testhw_drv_irq, &testhw_drv_irq);
}

module_init(testhw_init);
module_exit(testhw_exit);

MODULE_DESCRIPTION("Test-only helper for axhvc's kselftests (raises host interrupts)");
MODULE_AUTHOR("The axhvc developers");
MODULE_LICENSE("GPL");
