// SPDX-License-Identifier: GPL-2.0
/*
 * axvmm: the device tree every guest gets (x0 at entry).
 *
 * Built with libfdt's sequential-write API (fdt_create(), fdt_begin_node(),
 * fdt_property*(), fdt_end_node(), fdt_finish()), the way kvmtool and QEMU
 * build theirs. In dts form, for --id 7 --cpus 1 --mem 64M
 * --doorbell-spi 40 and the default window:
 *
 *   / {
 *     compatible = "linux,dummy-virt"; #address-cells = <2>; #size-cells = <2>;
 *     interrupt-parent = <&gic>;
 *     memory@40000000 { device_type = "memory"; reg = <0 0x40000000 0 0x4000000>; };
 *     cpus { #address-cells = <1>; #size-cells = <0>;
 *       cpu@0 { device_type = "cpu"; compatible = "arm,arm-v8";
 *               enable-method = "psci"; reg = <0>; }; };
 *     psci { compatible = "arm,psci-0.2"; method = "hvc"; };
 *     timer { compatible = "arm,armv8-timer"; always-on;
 *             interrupts = <1 13 4>, <1 14 4>, <1 11 4>, <1 10 4>; };
 *     gic: intc@8000000 { compatible = "arm,gic-v3"; interrupt-controller;
 *             #interrupt-cells = <3>; reg = <GICD 64K>, <GICR 128K * cpus>; };
 *     uart@9000000 { compatible = "ns16550a"; reg = <0 0x9000000 0 0x1000>;
 *             clock-frequency = <1843200>; interrupts = <0 1 4>; };
 *     ivc@20000000 { compatible = "axhvc,ivc-window";
 *             reg = <0 0x20000000 0 0x1000000>; interrupts = <0 8 1>;
 *             axhvc,vm-id = <7>; };
 *     chosen { bootargs = "..."; stdout-path = "/uart@9000000";
 *              linux,initrd-start = <...>; linux,initrd-end = <...>;
 *              rng-seed = [...]; };
 *   };
 *
 * Interrupt specifiers are GICv3's three cells: type (0 SPI, 1 PPI), number
 * (INTID - 32 for an SPI, INTID - 16 for a PPI), flags (1 edge rising,
 * 4 level high).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include <libfdt.h>

#include "axvmm.h"

#define FDT_MAX_SIZE	0x10000		/* far more than we write */
#define GIC_PHANDLE	1

#define IRQ_TYPE_SPI	0
#define IRQ_TYPE_PPI	1
#define IRQ_EDGE_RISING	1
#define IRQ_LEVEL_HIGH	4

/* The architected timer's PPIs: secure, non-secure, virtual, hypervisor. */
static const __u32 timer_ppis[] = { 13, 14, 11, 10 };

/* A "reg" of one range with #address-cells = #size-cells = 2. */
static int prop_reg(void *fdt, __u64 base, __u64 size)
{
	fdt64_t reg[2] = { cpu_to_fdt64(base), cpu_to_fdt64(size) };

	return fdt_property(fdt, "reg", reg, sizeof(reg));
}

/* "interrupts" with one GICv3 specifier. */
static int prop_irq(void *fdt, __u32 type, __u32 nr, __u32 flags)
{
	fdt32_t irq[3] = { cpu_to_fdt32(type), cpu_to_fdt32(nr), cpu_to_fdt32(flags) };

	return fdt_property(fdt, "interrupts", irq, sizeof(irq));
}

static int node_cpus(void *fdt, struct vm *vm)
{
	char name[32];
	unsigned int i;
	int ret = 0;

	ret |= fdt_begin_node(fdt, "cpus");
	ret |= fdt_property_u32(fdt, "#address-cells", 1);
	ret |= fdt_property_u32(fdt, "#size-cells", 0);
	for (i = 0; i < vm->cfg->cpus; i++) {
		/* Named and addressed by MPIDR affinity, as KVM assigned it. */
		snprintf(name, sizeof(name), "cpu@%llx",
			 (unsigned long long)vm->vcpus[i].mpidr);
		ret |= fdt_begin_node(fdt, name);
		ret |= fdt_property_string(fdt, "device_type", "cpu");
		ret |= fdt_property_string(fdt, "compatible", "arm,arm-v8");
		/* Secondaries are started by PSCI CPU_ON, which KVM serves. */
		ret |= fdt_property_string(fdt, "enable-method", "psci");
		ret |= fdt_property_u32(fdt, "reg", vm->vcpus[i].mpidr);
		ret |= fdt_end_node(fdt);
	}
	ret |= fdt_end_node(fdt);
	return ret;
}

static int node_timer(void *fdt)
{
	fdt32_t irqs[3 * 4];
	unsigned int i;
	int ret = 0;

	for (i = 0; i < 4; i++) {
		irqs[3 * i] = cpu_to_fdt32(IRQ_TYPE_PPI);
		irqs[3 * i + 1] = cpu_to_fdt32(timer_ppis[i]);
		irqs[3 * i + 2] = cpu_to_fdt32(IRQ_LEVEL_HIGH);
	}
	ret |= fdt_begin_node(fdt, "timer");
	ret |= fdt_property_string(fdt, "compatible", "arm,armv8-timer");
	ret |= fdt_property(fdt, "interrupts", irqs, sizeof(irqs));
	ret |= fdt_property(fdt, "always-on", NULL, 0);
	ret |= fdt_end_node(fdt);
	return ret;
}

static int node_gic(void *fdt, struct vm *vm)
{
	fdt64_t reg[4] = {
		cpu_to_fdt64(GICD_BASE), cpu_to_fdt64(GICD_SIZE),
		cpu_to_fdt64(GICR_BASE),
		cpu_to_fdt64(GICR_SIZE_PER_CPU * vm->cfg->cpus),
	};
	char name[32];
	int ret = 0;

	snprintf(name, sizeof(name), "intc@%llx", (unsigned long long)GICD_BASE);
	ret |= fdt_begin_node(fdt, name);
	ret |= fdt_property_string(fdt, "compatible", "arm,gic-v3");
	ret |= fdt_property(fdt, "interrupt-controller", NULL, 0);
	ret |= fdt_property_u32(fdt, "#interrupt-cells", 3);
	ret |= fdt_property(fdt, "reg", reg, sizeof(reg));
	ret |= fdt_property_u32(fdt, "phandle", GIC_PHANDLE);
	ret |= fdt_end_node(fdt);
	return ret;
}

static int node_uart(void *fdt, const char *name)
{
	int ret = 0;

	ret |= fdt_begin_node(fdt, name);
	ret |= fdt_property_string(fdt, "compatible", "ns16550a");
	ret |= prop_reg(fdt, UART_BASE, UART_SIZE);
	ret |= fdt_property_u32(fdt, "clock-frequency", 1843200);
	ret |= prop_irq(fdt, IRQ_TYPE_SPI, UART_SPI, IRQ_LEVEL_HIGH);
	ret |= fdt_end_node(fdt);
	return ret;
}

/*
 * The axhvc node: where a guest driver finds its IVC window (channel GPAs
 * that hypercalls return fall inside it), its doorbell interrupt (edge:
 * each HIVCNotify is one event through an irqfd) and its own VM id, which
 * peers name as publisher or notify target.
 */
static int node_ivc(void *fdt, struct vm *vm)
{
	const struct config *cfg = vm->cfg;
	char name[32];
	int ret = 0;

	snprintf(name, sizeof(name), "ivc@%llx", (unsigned long long)cfg->window_base);
	ret |= fdt_begin_node(fdt, name);
	ret |= fdt_property_string(fdt, "compatible", "axhvc,ivc-window");
	ret |= prop_reg(fdt, cfg->window_base, cfg->window_size);
	if (cfg->doorbell_intid)
		ret |= prop_irq(fdt, IRQ_TYPE_SPI, cfg->doorbell_intid - SPI_FIRST,
				IRQ_EDGE_RISING);
	ret |= fdt_property_u32(fdt, "axhvc,vm-id", cfg->id);
	ret |= fdt_end_node(fdt);
	return ret;
}

static int node_chosen(void *fdt, struct vm *vm, const char *uart)
{
	char path[40], seed[64];
	int ret = 0;

	snprintf(path, sizeof(path), "/%s", uart);
	ret |= fdt_begin_node(fdt, "chosen");
	ret |= fdt_property_string(fdt, "bootargs", vm->cfg->cmdline);
	ret |= fdt_property_string(fdt, "stdout-path", path);
	if (vm->initrd_gpa) {
		ret |= fdt_property_u64(fdt, "linux,initrd-start", vm->initrd_gpa);
		ret |= fdt_property_u64(fdt, "linux,initrd-end",
					vm->initrd_gpa + vm->initrd_size);
	}
	/* Entropy for the guest's RNG from its first instruction on. */
	if (getrandom(seed, sizeof(seed), GRND_NONBLOCK) == sizeof(seed))
		ret |= fdt_property(fdt, "rng-seed", seed, sizeof(seed));
	ret |= fdt_end_node(fdt);
	return ret;
}

/**
 * fdt_build() - write the guest's device tree at vm->dtb_gpa
 * @vm: the VM, with its vCPUs created (their MPIDRs) and boot.c done
 *
 * Each libfdt call returns 0 or a negative error and, once the buffer is
 * in a bad state, keeps failing; so the results are OR-ed together and
 * checked once at the end.
 *
 * Return: 0, or -1 after logging what failed.
 */
int fdt_build(struct vm *vm)
{
	static char buf[FDT_MAX_SIZE];
	void *fdt = buf, *dst;
	char uart[32];
	int ret = 0;

	snprintf(uart, sizeof(uart), "uart@%llx", (unsigned long long)UART_BASE);

	ret |= fdt_create(fdt, sizeof(buf));
	ret |= fdt_finish_reservemap(fdt);
	ret |= fdt_begin_node(fdt, "");
	ret |= fdt_property_string(fdt, "compatible", "linux,dummy-virt");
	ret |= fdt_property_u32(fdt, "#address-cells", 2);
	ret |= fdt_property_u32(fdt, "#size-cells", 2);
	ret |= fdt_property_u32(fdt, "interrupt-parent", GIC_PHANDLE);

	ret |= fdt_begin_node(fdt, "memory@40000000");
	ret |= fdt_property_string(fdt, "device_type", "memory");
	ret |= prop_reg(fdt, RAM_BASE, vm->cfg->mem_size);
	ret |= fdt_end_node(fdt);

	ret |= node_cpus(fdt, vm);

	ret |= fdt_begin_node(fdt, "psci");
	ret |= fdt_property_string(fdt, "compatible", "arm,psci-0.2");
	ret |= fdt_property_string(fdt, "method", "hvc");
	ret |= fdt_end_node(fdt);

	ret |= node_timer(fdt);
	ret |= node_gic(fdt, vm);
	ret |= node_uart(fdt, uart);
	ret |= node_ivc(fdt, vm);
	ret |= node_chosen(fdt, vm, uart);

	ret |= fdt_end_node(fdt);	/* / */
	ret |= fdt_finish(fdt);
	if (ret) {
		vmm_log(vm, "building the device tree failed (a libfdt call returned an error)");
		return -1;
	}

	dst = gpa_to_hva(vm, vm->dtb_gpa, fdt_totalsize(fdt));
	if (!dst) {
		vmm_log(vm, "no room for the device tree at %#llx",
			(unsigned long long)vm->dtb_gpa);
		return -1;
	}
	memcpy(dst, fdt, fdt_totalsize(fdt));
	return 0;
}
