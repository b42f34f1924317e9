/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small test VMM for axhvc's kselftests: one KVM VM with guest RAM, an
 * in-kernel vgic-v3 (vgic-v2 on a GICv2 host), a few vCPUs, a guest-to-host "report" channel and a
 * watchdog, so that a guest which goes wrong becomes a failed test with
 * its registers printed instead of a hang.
 *
 * Guest memory map (GPAs, modelled on QEMU's "virt" machine):
 *
 *   0x08000000  vgic-v3 distributor (64 KiB), or vgic-v2 distributor (4 KiB)
 *   0x08010000  vgic-v2 CPU interface (8 KiB; only with a vgic-v2)
 *   0x080A0000  vgic-v3 redistributors (128 KiB per vCPU)
 *   0x0A000000  report page: MMIO, not backed by memory, see below
 *   0x40000000  guest RAM, memslot 0:
 *               [0, image size)  the guest image: every object's section
 *                                "guest_text", copied in at VM creation
 *               [image, ...)     free, handed out by vmm_guest_alloc()
 *               top of RAM       one VMM_STACK_SIZE stack per vCPU
 *
 * Guest code is position independent assembly placed in the section
 * "guest_text" (see lib/guest.S and the assembler macros in
 * lib/guest_asm.inc, which guest .S files include after this header). vCPUs run
 * at EL1h with DAIF masked and the MMU off, so every data access is a
 * Device access: keep accesses aligned and do not use exclusives. RAM the
 * host also writes after the start is only coherent with such accesses
 * where the CPU has FEAT_S2FWB: prefer passing values in registers.
 * VBAR_EL1 points at guest_vectors from the first instruction on: every
 * exception the guest takes is reported to the host as
 * VMM_REPORT_UNEXPECTED_EXCEPTION and the vCPU parks.
 *
 * KVM's SMCCC handler may write x0..x17 on return from an HVC (it writes
 * x0..x3 today), so guest code keeps its state in x19..x28 across HVCs.
 * The report macros clobber x16 and x17 only.
 *
 * Report protocol: the guest stores 64-bit arguments into the report
 * page's argument slots (VMM_REPORT_ARG_OFF(n)) and then a command into
 * VMM_REPORT_CMD_OFF. Each store is an MMIO exit; vmm_vcpu_run() latches
 * the arguments without returning and returns VMM_RUN_REPORT on the
 * command store, with the command and the latched arguments (then
 * cleared) in vcpu->report. After DONE, FAIL or UNEXPECTED_EXCEPTION the
 * guest parks in a WFI loop; after VALUE it goes on when run again.
 */
#ifndef AXHVC_SELFTEST_VMM_H
#define AXHVC_SELFTEST_VMM_H

#define VMM_GICD_GPA		0x08000000ULL
#define VMM_GICC_GPA		0x08010000ULL
#define VMM_GICR_GPA		0x080A0000ULL
#define VMM_GICR_SIZE		0x20000ULL	/* per vCPU */
#define VMM_REPORT_GPA		0x0A000000
#define VMM_REPORT_SIZE		0x1000
#define VMM_RAM_GPA		0x40000000ULL
#define VMM_RAM_SIZE_DEFAULT	(16ULL << 20)
#define VMM_STACK_SIZE		0x10000ULL
#define VMM_MAX_VCPUS		8
#define VMM_NR_IRQS_DEFAULT	128	/* 32 private + 96 SPIs */

/* Report page layout. */
#define VMM_REPORT_NR_ARGS	8
#define VMM_REPORT_ARG_OFF(n)	((n) * 8)
#define VMM_REPORT_CMD_OFF	0x100

/* Report commands, the value stored at VMM_REPORT_CMD_OFF. */
#define VMM_REPORT_DONE		1	/* args[0]: result; guest parks */
#define VMM_REPORT_FAIL		2	/* args[0]: code, args[1..]: details; parks */
#define VMM_REPORT_VALUE	3	/* args[0]: tag, args[1]: value; goes on */
#define VMM_REPORT_UNEXPECTED_EXCEPTION 4 /* VMM_EXC_ARG_*; parks */

/* Arguments of VMM_REPORT_UNEXPECTED_EXCEPTION. */
#define VMM_EXC_ARG_ESR		0
#define VMM_EXC_ARG_ELR		1
#define VMM_EXC_ARG_FAR		2
#define VMM_EXC_ARG_VECTOR	3	/* vector table entry, 0..15 */
#define VMM_EXC_ARG_SPSR	4

/* Vector table entries (VBAR_EL1 + 0x80 * n). */
#define VMM_VECTOR_SYNC_EL1T	0
#define VMM_VECTOR_SYNC_EL1H	4
#define VMM_VECTOR_IRQ_EL1H	5
#define VMM_VECTOR_SYNC_EL0_64	8

/* ESR_ELx fields and the exception classes tests look for. */
#define VMM_ESR_EC(esr)		(((esr) >> 26) & 0x3f)
#define VMM_ESR_ISS(esr)	((esr) & 0x1ffffff)
#define VMM_ESR_EC_UNKNOWN	0x00	/* e.g. UDF */
#define VMM_ESR_EC_HVC64	0x16
#define VMM_ESR_EC_DABT_CUR	0x25
#define VMM_ESR_EC_BRK64	0x3c

/* SMCCC values the tests use (include/linux/arm-smccc.h is not UAPI). */
#define VMM_SMCCC_VERSION	0x80000000
#define VMM_SMCCC_VERSION_1_1	0x10001
#define VMM_SMCCC_NOT_SUPPORTED	0xffffffffffffffffULL

#ifndef __ASSEMBLER__

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include <linux/kvm.h>

/*
 * ONE_REG ids. Core registers are addressed in 32-bit units of
 * struct kvm_regs; system registers by their op0/op1/CRn/CRm/op2.
 */
#define VMM_CORE_REG(x)		(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | \
				 KVM_REG_ARM_CORE | KVM_REG_ARM_CORE_REG(x))
#define VMM_REG_X(n)		(VMM_CORE_REG(regs.regs[0]) + 2 * (n))
#define VMM_REG_SP		VMM_CORE_REG(regs.sp)	/* SP_EL0 */
#define VMM_REG_PC		VMM_CORE_REG(regs.pc)
#define VMM_REG_PSTATE		VMM_CORE_REG(regs.pstate)
#define VMM_REG_SP_EL1		VMM_CORE_REG(sp_el1)
#define VMM_REG_ELR_EL1		VMM_CORE_REG(elr_el1)
#define VMM_REG_SPSR_EL1	VMM_CORE_REG(spsr[KVM_SPSR_EL1])
#define VMM_REG_SCTLR_EL1	ARM64_SYS_REG(3, 0, 1, 0, 0)
#define VMM_REG_ESR_EL1		ARM64_SYS_REG(3, 0, 5, 2, 0)
#define VMM_REG_FAR_EL1		ARM64_SYS_REG(3, 0, 6, 0, 0)
#define VMM_REG_VBAR_EL1	ARM64_SYS_REG(3, 0, 12, 0, 0)

/* EL1h, all of DAIF masked: the state every vCPU starts in. */
#define VMM_PSTATE_EL1H_DAIF	(PSR_MODE_EL1h | PSR_D_BIT | PSR_A_BIT | \
				 PSR_I_BIT | PSR_F_BIT)

/* The guest image: every object's "guest_text" section, in link order. */
extern const char __start_guest_text[], __stop_guest_text[];

/*
 * Guest entry points and labels in lib/guest.S. They are all guest_*: do
 * not name a kselftest FIXTURE "guest", its tests would clash with them.
 */
extern const char guest_vectors[];
extern const char guest_hvc_roundtrip[];	/* SMCCC_VERSION once; DONE(x0) */
extern const char guest_hvc_cost[];		/* x0 = N; see guest.S */
extern const char guest_forward_roundtrip[];	/* x0 = fn, x1 = arg */
extern const char guest_udf[], guest_udf_insn[];
extern const char guest_brk[], guest_brk_insn[];
extern const char guest_spin[], guest_spin_end[];

/**
 * struct vmm_report - a decoded guest report
 * @cmd: VMM_REPORT_* command
 * @args: arguments latched before the command; unset ones are 0
 */
struct vmm_report {
	__u64 cmd;
	__u64 args[VMM_REPORT_NR_ARGS];
};

/**
 * enum vmm_run_result - why vmm_vcpu_run() returned
 * @VMM_RUN_REPORT: the guest sent a report, see vcpu->report
 * @VMM_RUN_EXIT: any other KVM exit, left in vcpu->run for the caller
 * @VMM_RUN_STUCK: the watchdog expired (KVM_RUN returned EINTR)
 * @VMM_RUN_ERROR: KVM_RUN failed, errno in vcpu->run_errno
 */
enum vmm_run_result {
	VMM_RUN_REPORT,
	VMM_RUN_EXIT,
	VMM_RUN_STUCK,
	VMM_RUN_ERROR,
};

struct vmm_vm;
struct vmm_vcpu;

/*
 * Handles a VMM_RUN_EXIT for vmm_vcpu_run_to_done() (e.g. a forwarded
 * KVM_EXIT_HYPERCALL). Returns 0 to resume the guest, anything else to
 * stop the run as a failure.
 */
typedef int (*vmm_exit_handler_t)(struct vmm_vcpu *vcpu, void *opaque);

struct vmm_vcpu {
	struct vmm_vm *vm;
	unsigned int id;
	int fd;
	struct kvm_run *run;		/* the vCPU's mmap'ed kvm_run */
	struct vmm_report report;	/* last complete report */
	enum vmm_run_result last;	/* how the last vmm_vcpu_run() ended */
	int run_errno;			/* for VMM_RUN_ERROR */

	/* Private to the library. */
	__u64 latch[VMM_REPORT_NR_ARGS];
	vmm_exit_handler_t exit_handler;
	void *exit_opaque;
	timer_t wd_timer;
	bool wd_timer_valid;
	pid_t wd_tid;
	/* Set by the SIGALRM handler: the C idiom for that is volatile. */
	int wd_fired;	/* set by the SIGALRM handler; __atomic accesses */
};

struct vmm_vm {
	int kvm_fd;
	int fd;				/* VM fd */
	int gic_fd;			/* vgic device fd, -1 until created */
	int gic_version;		/* 3: vgic-v3, 2: vgic-v2 */
	void *ram;			/* host mapping of guest RAM */
	__u64 ram_gpa;
	size_t ram_size;
	size_t run_size;		/* KVM_GET_VCPU_MMAP_SIZE */
	__u64 alloc_next;		/* vmm_guest_alloc() cursor, a GPA */
	unsigned int nr_vcpus;
	struct vmm_vcpu *vcpus[VMM_MAX_VCPUS];
};

/*
 * Returns NULL when /dev/kvm is usable, else a reason to SKIP with.
 */
const char *vmm_kvm_unavailable(void);

/*
 * Creates a VM (default IPA size) with @ram_size bytes of RAM (0 means
 * VMM_RAM_SIZE_DEFAULT) as memslot 0 at VMM_RAM_GPA, and copies the guest
 * image to the start of RAM. No vCPUs, no vgic. NULL on error (logged).
 */
struct vmm_vm *vmm_vm_create(size_t ram_size);

/*
 * vmm_vm_create() + @nr_vcpus vCPUs + a vgic-v3 with VMM_NR_IRQS_DEFAULT
 * interrupts: the usual test VM. NULL on error (logged).
 */
struct vmm_vm *vmm_vm_create_with_vcpus(unsigned int nr_vcpus, size_t ram_size);

/* Closes every fd and frees everything; NULL is fine. */
void vmm_vm_destroy(struct vmm_vm *vm);

/*
 * Registers host memory @host_addr as memslot @slot covering
 * [@gpa, @gpa + @size); @flags are KVM_MEM_* flags. @size 0 deletes the
 * slot. Returns 0 or -errno.
 */
int vmm_add_memslot(struct vmm_vm *vm, __u32 slot, __u64 gpa, __u64 size,
		    void *host_addr, __u32 flags);

/* Host address of guest RAM at @gpa, NULL if @gpa is not in memslot 0. */
void *vmm_gpa_to_hva(struct vmm_vm *vm, __u64 gpa);

/*
 * Hands out @size bytes (in whole host pages, zeroed) of guest RAM between the
 * image and the stacks. Returns the GPA, 0 when RAM is exhausted.
 */
__u64 vmm_guest_alloc(struct vmm_vm *vm, size_t size);

/* GPA of @sym, a label in section guest_text; 0 (logged) if it is not. */
__u64 vmm_guest_sym(struct vmm_vm *vm, const void *sym);

/*
 * Creates vCPU @id (KVM_ARM_PREFERRED_TARGET + PSCI 0.2), maps its
 * kvm_run and sets PSTATE to EL1h with DAIF masked, SP_EL1 to its stack
 * and VBAR_EL1 to guest_vectors. Add every vCPU before vmm_vgic_create().
 */
struct vmm_vcpu *vmm_vcpu_add(struct vmm_vm *vm, unsigned int id);

/*
 * Creates and initialises the in-kernel vgic-v3 (distributor at
 * VMM_GICD_GPA, redistributors at VMM_GICR_GPA) with @nr_irqs interrupts,
 * a multiple of 32 in 64..1024 that counts the 32 private ones. Where KVM
 * has no vgic-v3 (a GICv2 host), a vgic-v2 instead (distributor at
 * VMM_GICD_GPA, CPU interface at VMM_GICC_GPA); vm->gic_version says which.
 * Call it after the last vmm_vcpu_add(). Returns 0 or -errno.
 */
int vmm_vgic_create(struct vmm_vm *vm, unsigned int nr_irqs);

/*
 * KVM_IRQFD: signalling @efd raises GSI @gsi (SPI INTID @gsi + 32).
 * Returns 0 or -errno.
 */
int vmm_irqfd_assign(struct vmm_vm *vm, unsigned int gsi, int efd);
int vmm_irqfd_deassign(struct vmm_vm *vm, unsigned int gsi, int efd);

/* 1 if the VM supports KVM_ARM_VM_SMCCC_FILTER (Linux >= 6.4), else 0. */
int vmm_smccc_filter_supported(struct vmm_vm *vm);

/*
 * Sets the SMCCC filter @action (KVM_SMCCC_FILTER_*) for function IDs
 * [@base, @base + @nr). Only before the first KVM_RUN of any vCPU.
 * Returns 0 or -errno (EEXIST: overlaps a range already set or reserved
 * by KVM).
 */
int vmm_smccc_filter(struct vmm_vm *vm, __u32 base, __u32 nr, __u8 action);

/* KVM_GET_ONE_REG / KVM_SET_ONE_REG with a VMM_REG_* id: 0 or -errno. */
int vmm_get_reg(struct vmm_vcpu *vcpu, __u64 id, __u64 *val);
int vmm_set_reg(struct vmm_vcpu *vcpu, __u64 id, __u64 val);

/*
 * Points @vcpu at guest code @entry (a guest_text label) with x0..x(n-1)
 * set from the @nargs (at most 8) __u64 arguments and PSTATE reset to
 * EL1h with DAIF masked. Every argument must really be a __u64: a plain
 * int literal leaves the upper half of the register undefined. A pending
 * MMIO exit is completed first, so the first instruction is not skipped.
 * Returns 0 or -errno.
 */
int vmm_vcpu_start(struct vmm_vcpu *vcpu, const void *entry,
		   unsigned int nargs, ...);

/* Sets the handler vmm_vcpu_run_to_done() calls for VMM_RUN_EXIT. */
void vmm_vcpu_set_exit_handler(struct vmm_vcpu *vcpu,
			       vmm_exit_handler_t handler, void *opaque);

/*
 * Arms a one-shot watchdog for @vcpu in the calling thread, which must be
 * the thread that runs it: @timeout_ms from now SIGALRM (handler installed
 * without SA_RESTART) makes KVM_RUN return EINTR, or return it at once via
 * kvm_run->immediate_exit if the signal lands outside KVM_RUN, and
 * vmm_vcpu_run() returns VMM_RUN_STUCK. Returns 0 or -errno.
 */
int vmm_watchdog_arm(struct vmm_vcpu *vcpu, unsigned int timeout_ms);
void vmm_watchdog_disarm(struct vmm_vcpu *vcpu);

/*
 * Runs @vcpu until the guest sends a report or makes another exit to
 * userspace, the watchdog expires or KVM_RUN fails. Does not arm the
 * watchdog: arm it around a whole sequence of runs (or use
 * vmm_vcpu_run_to_done()) so timing loops pay no timer syscalls.
 */
enum vmm_run_result vmm_vcpu_run(struct vmm_vcpu *vcpu);

/*
 * Runs @vcpu under a @timeout_ms watchdog until it reports DONE. VALUE
 * reports are logged and the guest resumed; VMM_RUN_EXIT goes to the exit
 * handler if one is set. Returns 0 on DONE (result in vcpu->report.args),
 * -1 on anything else, after logging the report or exit and the vCPU's
 * registers; vcpu->last and vcpu->report tell what happened.
 */
int vmm_vcpu_run_to_done(struct vmm_vcpu *vcpu, unsigned int timeout_ms);

/* Logs "# " lines: @why, PC, PSTATE, x0..x3, x19..x28 and the EL1 regs. */
void vmm_vcpu_dump(struct vmm_vcpu *vcpu, const char *why);

/* Logs vcpu->report decoded (exception class names and all). */
void vmm_report_print(const struct vmm_vcpu *vcpu);

/* "DONE", "FAIL", ... for a VMM_REPORT_* command. */
const char *vmm_report_name(__u64 cmd);

/* "REPORT", "EXIT", "STUCK" or "ERROR". */
const char *vmm_run_result_name(enum vmm_run_result result);

/* Generic counter ticks (at @freq Hz, CNTFRQ_EL0) to microseconds. */
static inline double vmm_ticks_to_us(__u64 ticks, __u64 freq)
{
	return freq ? (double)ticks * 1e6 / (double)freq : 0.0;
}

#endif /* !__ASSEMBLER__ */
#endif /* AXHVC_SELFTEST_VMM_H */
