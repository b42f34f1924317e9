// SPDX-License-Identifier: GPL-2.0
/*
 * Everything in axhvc that depends on KVM's internals, kept in one file so
 * that a kernel which changes them costs one file's change: turning a KVM VM
 * fd into a struct kvm, and the in-kernel intercept of guest hypercalls.
 *
 * KVM/arm64 sends every guest HVC through handle_hvc() to
 * kvm_smccc_call_handler(), which is neither exported nor hookable by API.
 * An ftrace_ops with FTRACE_OPS_FL_IPMODIFY on that function decides, for
 * each call, whether it is ours: an HVC64 from a VM bound to axhvc, with a
 * code (x0, truncated to 32 bits) in 0..7. Only then does it redirect the call
 * to axhvc_intercept_hvc(), which has the same prototype and return
 * convention (1: resume the guest, 0: exit to userspace with vcpu->run
 * filled in). Every other call, and every call of every other VM, runs KVM's
 * own handler unchanged. The ops is registered only while a VM is bound.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/arm-smccc.h>
#include <linux/file.h>
#include <linux/ftrace.h>
#include <linux/hashtable.h>
#include <linux/kvm_host.h>
#include <linux/wait_bit.h>
#include <asm/esr.h>
#include <asm/kvm_emulate.h>

#include "axhvc_drv.h"

/* AXHVC_INTERCEPT_TARGET and the ftrace accessors: see axhvc_compat.h. */
#if IS_ENABLED(CONFIG_KVM) && AXHVC_HAVE_FTRACE_IPMODIFY
#define AXHVC_HAVE_INTERCEPT	1
#else
#define AXHVC_HAVE_INTERCEPT	0
#endif

/*
 * axhvc_kvm_lock protects additions to and removals from axhvc_kvm_bound,
 * axhvc_nr_bound, and the registration of axhvc_intercept_ops.
 */
static DEFINE_MUTEX(axhvc_kvm_lock);
/* Bound VMs by struct kvm; read under RCU (sched) by the ftrace callback. */
static DEFINE_HASHTABLE(axhvc_kvm_bound, 6);
static unsigned int axhvc_nr_bound;
/* Set at load when the kernel has a traceable AXHVC_INTERCEPT_TARGET. */
static bool axhvc_intercept_ok;

bool axhvc_kvm_intercept_supported(void)
{
	return axhvc_intercept_ok;
}

/**
 * axhvc_kvm_get_from_fd() - the KVM VM behind a file descriptor
 * @fd: a descriptor returned by KVM_CREATE_VM
 *
 * Return: the VM with a reference held, or ERR_PTR(-EBADF) if @fd is not a
 * KVM VM.
 */
struct kvm *axhvc_kvm_get_from_fd(int fd)
{
	struct kvm *kvm = ERR_PTR(-EBADF);
	struct fd f = fdget(fd);

	if (!fd_file(f))
		return kvm;
	if (file_is_kvm(fd_file(f))) {
		kvm = fd_file(f)->private_data;
		kvm_get_kvm(kvm);
	}
	fdput(f);
	return kvm;
}

void axhvc_kvm_put(struct kvm *kvm)
{
	kvm_put_kvm(kvm);
}

static struct axhvc_vm *axhvc_kvm_lookup(struct kvm *kvm)
{
	struct axhvc_vm *vm;

	hash_for_each_possible_rcu_notrace(axhvc_kvm_bound, vm, kvm_node,
					   (unsigned long)kvm)
		if (vm->kvm == kvm)
			return vm;
	return NULL;
}

#if AXHVC_HAVE_INTERCEPT
static int axhvc_intercept_hvc(struct kvm_vcpu *vcpu)
{
	struct axhvc_call call;
	struct axhvc_vm *vm;
	int i, verdict;
	u64 ret;

	/*
	 * Count the call in the VM itself, not in anything host-wide: a call
	 * may wait on its VMM's memory for as long as that memory makes it
	 * (userfaultfd), and only this VM's unbinding may wait for it.
	 */
	rcu_read_lock();
	vm = axhvc_kvm_lookup(vcpu->kvm);
	if (vm)
		atomic_inc(&vm->intercept_calls);
	rcu_read_unlock();
	if (!vm) {
		/* Unbound since the callback looked: answer as KVM does unfiltered. */
		vcpu_set_reg(vcpu, 0, SMCCC_RET_NOT_SUPPORTED);
		return 1;
	}

	call.vm = vm;
	for (i = 0; i < ARRAY_SIZE(call.x); i++)
		call.x[i] = vcpu_get_reg(vcpu, i);
	call.vcpu_id = vcpu->vcpu_id;
	call.route = AXHVC_ROUTE_INTERCEPT;
	verdict = axhvc_dispatch(&call, &ret);
	/* @vm may be freed from here on; wake_up_var() only hashes the address. */
	if (atomic_dec_and_test(&vm->intercept_calls))
		wake_up_var(&vm->intercept_calls);

	if (verdict == AXHVC_CALL_TO_VMM) {
		/* Exactly the exit KVM's SMCCC filter gives the forwarded route. */
		vcpu->run->exit_reason = KVM_EXIT_HYPERCALL;
		vcpu->run->hypercall = (typeof(vcpu->run->hypercall)) {
			.nr = (u32)call.x[0],
		};
		return 0;
	}
	vcpu_set_reg(vcpu, 0, ret);
	return 1;
}

/*
 * The ftrace callback runs on every guest HVC and SMC of every VM, with
 * preemption disabled: it only decides, and must neither sleep nor call
 * anything traceable.
 */
static void notrace axhvc_ftrace_cb(unsigned long ip, unsigned long parent_ip,
				    struct ftrace_ops *op,
				    struct ftrace_regs *fregs)
{
	struct kvm_vcpu *vcpu = (void *)axhvc_fregs_arg0(fregs);
	bool ours;

	if ((u32)vcpu_get_reg(vcpu, 0) >= AXHVC_HC_COUNT ||
	    ESR_ELx_EC(kvm_vcpu_get_esr(vcpu)) != ESR_ELx_EC_HVC64)
		return;
	preempt_disable_notrace();
	ours = axhvc_kvm_lookup(vcpu->kvm);
	preempt_enable_notrace();
	if (ours)
		axhvc_fregs_set_ip(fregs, (unsigned long)axhvc_intercept_hvc);
}

static struct ftrace_ops axhvc_intercept_ops = {
	.func	= axhvc_ftrace_cb,
	.flags	= AXHVC_FTRACE_OPS_FLAGS,
};

static int axhvc_intercept_start(void)
{
	return register_ftrace_function(&axhvc_intercept_ops);
}

static void axhvc_intercept_stop(void)
{
	/* Also waits until no task is left in the ftrace trampoline. */
	unregister_ftrace_function(&axhvc_intercept_ops);
}

int axhvc_kvm_init(void)
{
	int ret;

	ret = ftrace_set_filter(&axhvc_intercept_ops, AXHVC_INTERCEPT_TARGET,
				strlen(AXHVC_INTERCEPT_TARGET), 1);
	if (ret)
		pr_info("no in-kernel intercept: cannot trace %s (%d); the forwarded route works\n",
			AXHVC_INTERCEPT_TARGET, ret);
	axhvc_intercept_ok = !ret;
	return 0;
}

void axhvc_kvm_exit(void)
{
	ftrace_free_filter(&axhvc_intercept_ops);
}
#else
static int axhvc_intercept_start(void)
{
	return -EOPNOTSUPP;
}

static void axhvc_intercept_stop(void)
{
}

int axhvc_kvm_init(void)
{
	pr_info("no in-kernel intercept on this kernel; the forwarded route works\n");
	return 0;
}

void axhvc_kvm_exit(void)
{
}
#endif

/**
 * axhvc_kvm_bind() - start serving @vm's hypercalls inside KVM
 * @vm: a VM with %AXHVC_VM_F_INTERCEPT and its @kvm set
 *
 * Return: 0, -EEXIST if the KVM VM is bound to another axhvc VM, or the
 * error of registering the ftrace ops.
 */
int axhvc_kvm_bind(struct axhvc_vm *vm)
{
	int ret = 0;

	mutex_lock(&axhvc_kvm_lock);
	if (axhvc_kvm_lookup(vm->kvm)) {
		ret = -EEXIST;
		goto out;
	}
	if (!axhvc_nr_bound) {
		ret = axhvc_intercept_start();
		if (ret)
			goto out;
	}
	axhvc_nr_bound++;
	hash_add_rcu(axhvc_kvm_bound, &vm->kvm_node, (unsigned long)vm->kvm);
out:
	mutex_unlock(&axhvc_kvm_lock);
	return ret;
}

/**
 * axhvc_kvm_unbind() - stop serving @vm's hypercalls inside KVM
 * @vm: a VM bound by axhvc_kvm_bind()
 *
 * Returns once no intercepted call of @vm is running, and no ftrace callback
 * can still see it.
 */
void axhvc_kvm_unbind(struct axhvc_vm *vm)
{
	mutex_lock(&axhvc_kvm_lock);
	hash_del_rcu(&vm->kvm_node);
	if (!--axhvc_nr_bound)
		axhvc_intercept_stop();
	mutex_unlock(&axhvc_kvm_lock);
	/*
	 * The callback reads the table with preemption off: plain RCU. After
	 * it, no new call can find @vm, and every call that did is counted.
	 */
	synchronize_rcu();
	wait_var_event(&vm->intercept_calls, !atomic_read(&vm->intercept_calls));
}
