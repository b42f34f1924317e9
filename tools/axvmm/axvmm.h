/* SPDX-License-Identifier: GPL-2.0 */
/*
 * axvmm: a small reference arm64 VMM on /dev/kvm and /dev/axhvc.
 *
 * One process runs one VM. The guest-physical memory map is fixed:
 *
 *   0x08000000  GICv3 distributor, 64 KiB (KVM's in-kernel vgic-v3)
 *   0x080A0000  GICv3 redistributors, 128 KiB per vCPU
 *   0x09000000  16550 UART, 4 KiB, 8-bit registers (reg-shift 0),
 *               SPI 1 (INTID 33), level-high; output goes to our stdout
 *   0x20000000  IVC window (default; --window BASE:SIZE moves it)
 *   0x40000000  RAM (--mem bytes)
 *
 * Inside RAM, the boot files are placed like this:
 *
 *   RAM + 0                  --raw FILE (entry point), or
 *   RAM + text_offset        --kernel IMAGE (arm64 Image, 2 MiB aligned base)
 *   ...                      --initrd FILE, ending just below the DTB
 *   RAM end - 2 MiB          the device tree (x0 at entry), 2 MiB aligned
 *
 * Source files, by concern:
 *   main.c    what happens in which order, and how the VM stops
 *   config.c  the command line and its validation (before KVM is touched)
 *   vm.c      KVM VM, RAM, vgic-v3, axhvc registration, IVC window, route,
 *             doorbell
 *   vcpu.c    vCPU creation and the per-vCPU run loop (exits, hypercalls)
 *   uart.c    the 16550 UART
 *   boot.c    loading the raw binary or the Linux Image and the initrd
 *   fdt.c     the device tree every guest gets
 */
#ifndef AXVMM_H
#define AXVMM_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <linux/kvm.h>
#include <linux/types.h>

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define BIT_ULL(n)		(1ULL << (n))

/* The memory map above. */
#define GICD_BASE		0x08000000ULL
#define GICD_SIZE		0x10000ULL
#define GICR_BASE		0x080A0000ULL
#define GICR_SIZE_PER_CPU	0x20000ULL
#define UART_BASE		0x09000000ULL
#define UART_SIZE		0x1000ULL
#define UART_SPI		1		/* INTID 33 */
#define RAM_BASE		0x40000000ULL
#define WINDOW_BASE_DEFAULT	0x20000000ULL
#define WINDOW_SIZE_DEFAULT	(16ULL << 20)

/*
 * KVM_CREATE_VM with type 0 gives the default 40-bit IPA space: every
 * guest-physical range must end below this.
 */
#define IPA_LIMIT		BIT_ULL(40)

#define MAX_VCPUS		8
#define MIN_RAM_SIZE		(4ULL << 20)	/* the DTB's 2 MiB and some */
#define DTB_SLOT_SIZE		(2ULL << 20)	/* arm64 boot protocol: <= 2 MiB */
#define SZ_2M			(2ULL << 20)

/* Guest interrupts: SPIs are INTIDs 32..1019; GSI n of KVM_IRQFD is SPI n. */
#define SPI_FIRST		32
#define SPI_LAST		1019
#define NR_IRQS_MIN		128		/* 32 private + 96 SPIs */

/* PSCI function ids, for the messages of a system event. */
#define PSCI_SYSTEM_OFF		0x84000008

enum route {
	ROUTE_FORWARDED,	/* KVM's SMCCC filter sends codes 0..7 to us */
	ROUTE_INTERCEPT,	/* axhvc serves them inside KVM */
};

/* What the command line asked for, validated. */
struct config {
	__u64 id;		/* AxVisor VM id */
	__u64 mem_size;		/* RAM bytes */
	unsigned int cpus;
	__u64 window_base;	/* IVC window */
	__u64 window_size;
	enum route route;
	unsigned int doorbell_intid;	/* 0: no doorbell */
	const char *raw;	/* --raw FILE, or NULL */
	const char *kernel;	/* --kernel IMAGE, or NULL */
	const char *initrd;
	const char *cmdline;
	bool err_axvisor;	/* errors reach the guest as -1 */
	bool input;		/* stdin feeds the UART's receiver */
	unsigned int timeout_s;	/* 0: none */
};

/* The 16550 UART's state; see uart.c. */
#define UART_RX_FIFO		16	/* a 16550A's receive FIFO */

struct uart {
	pthread_mutex_t lock;
	__u8 ier, lcr, mcr, scr, dll, dlm, fcr;
	bool thr_ipending;	/* "transmitter empty" interrupt pending */
	bool irq_level;		/* what we last told KVM */
	char line[256];		/* output line being assembled */
	size_t len;
	/* Receiver, fed from stdin with --input. */
	pthread_cond_t rx_space;	/* the guest read a byte */
	__u8 rx[UART_RX_FIFO];
	unsigned int rx_head, rx_count;
};

struct vm;

struct vcpu {
	struct vm *vm;
	unsigned int id;
	int fd;
	struct kvm_run *run;
	__u64 mpidr;		/* for the DT's cpu@ nodes */
	pthread_t thread;
	bool started;		/* thread is running (or not joined yet) */
};

struct vm {
	const struct config *cfg;
	int kvm_fd;		/* /dev/kvm */
	int vm_fd;		/* KVM VM */
	int gic_fd;		/* vgic-v3 device */
	int axhvc_fd;		/* /dev/axhvc */
	int axvm_fd;		/* the axhvc VM (AXHVC_CREATE_VM) */
	int doorbell_fd;	/* eventfd, -1 without --doorbell-spi */
	void *ram;		/* our mapping of guest RAM */
	void *window;		/* our mapping of the IVC window */
	size_t run_size;	/* KVM_GET_VCPU_MMAP_SIZE */
	unsigned int nr_irqs;	/* vgic interrupts, private ones included */
	struct vcpu vcpus[MAX_VCPUS];
	struct uart uart;

	/* Boot: filled in by boot.c, consumed by fdt.c and vcpu.c. */
	__u64 entry;		/* PC of vCPU 0 */
	__u64 dtb_gpa;		/* x0 of vCPU 0 */
	__u64 initrd_gpa;	/* 0: none */
	__u64 initrd_size;

	/* Stopping: the first vm_stop() wins; see main.c. */
	pthread_mutex_t stop_lock;
	pthread_cond_t stop_cond;
	bool stopping;
	int exit_status;
};

/* config.c */
int config_parse(struct config *cfg, int argc, char **argv);

/* vm.c */
int vm_create(struct vm *vm, const struct config *cfg);
int vm_setup_after_vcpus(struct vm *vm);
void vm_destroy(struct vm *vm);
void *gpa_to_hva(struct vm *vm, __u64 gpa, __u64 size);
int vm_irq_line(struct vm *vm, unsigned int intid, int level);

/* vcpu.c */
int vcpu_create(struct vm *vm, unsigned int id);
int vcpu_set_boot_regs(struct vcpu *vcpu);
int vcpus_start(struct vm *vm);
void vcpus_kick(struct vm *vm);
void vcpus_join(struct vm *vm);
void vcpu_destroy(struct vcpu *vcpu, size_t run_size);

/* uart.c */
void uart_init(struct uart *uart);
void uart_mmio(struct vm *vm, __u64 offset, __u8 *data, __u32 len, bool is_write);
void uart_flush(struct vm *vm);
int uart_input_start(struct vm *vm);

/* boot.c */
int boot_load(struct vm *vm);

/* fdt.c */
int fdt_build(struct vm *vm);

/* main.c */
void vm_stop(struct vm *vm, int status);
bool vm_stopping(struct vm *vm);
void vmm_log(const struct vm *vm, const char *fmt, ...);

#endif /* AXVMM_H */
