// SPDX-License-Identifier: GPL-2.0
/*
 * Everything that depends on KVM's internals: a KVM VM fd's struct kvm, and
 * the intercept (Documentation/overview.rst, "Hypercall routes"). KVM's
 * kvm_smccc_call_handler() is neither exported nor hookable by API, so an
 * ftrace_ops with FTRACE_OPS_FL_IPMODIFY redirects the AxVisor HVC64 calls
 * of bound VMs to axhvc_intercept_hvc(), of the same prototype and return
 * convention (1: resume the guest, 0: exit to userspace).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/arm-smccc.h>
#include <linux/delay.h>
#include <linux/file.h>
#include <linux/ftrace.h>
#include <linux/hashtable.h>
#include <linux/kvm_host.h>
#include <linux/moduleparam.h>
#include <linux/wait_bit.h>
#include <linux/workqueue.h>
#include <asm/esr.h>
#include <asm/kvm_emulate.h>

#include "axhvc_drv.h"

/* AXHVC_INTERCEPT_TARGET and the ftrace accessors: see axhvc_compat.h. */
#define AXHVC_HAVE_INTERCEPT	(IS_ENABLED(CONFIG_KVM) && AXHVC_HAVE_FTRACE_IPMODIFY)

/* Protects axhvc_kvm_bound, axhvc_nr_bound, the ops' registration (axhvc_intercept_on). */
static DEFINE_MUTEX(axhvc_kvm_lock);
/* Bound VMs by struct kvm; read under RCU (sched) by the ftrace callback. */
static DEFINE_HASHTABLE(axhvc_kvm_bound, 6);
static unsigned int axhvc_nr_bound;
static bool axhvc_intercept_on;
/* How long the ops stays registered after the last unbind (overview.rst). */
#define AXHVC_INTERCEPT_LINGER	(5 * HZ)
/* Set at load when the kernel has a traceable AXHVC_INTERCEPT_TARGET. */
static bool axhvc_intercept_ok;

/*
 * Tests only (intercept_unload_test): each intercepted call sleeps this long
 * while counted, as one waiting on guest memory, then spins as long after.
 */
#define AXHVC_TEST_DELAY_MAX_MS	2000
static unsigned int test_intercept_delay_ms;

static int axhvc_test_delay_set(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 0, AXHVC_TEST_DELAY_MAX_MS);
}

static const struct kernel_param_ops axhvc_test_delay_ops = {
	.set	= axhvc_test_delay_set,
	.get	= param_get_uint,
};

module_param_cb(test_intercept_delay_ms, &axhvc_test_delay_ops,
		&test_intercept_delay_ms, 0600);
__MODULE_PARM_TYPE(test_intercept_delay_ms, "uint");
MODULE_PARM_DESC(test_intercept_delay_ms,
		 "For tests only: delay of each intercepted call, in ms (0..2000, default 0)");

bool axhvc_kvm_intercept_supported(void)
{
	return axhvc_intercept_ok;
}

/**
 * axhvc_kvm_get_from_fd() - the caller's KVM VM behind a file descriptor
 * @fd: a descriptor returned by KVM_CREATE_VM in the calling process
 *
 * Only the VM's own process (KVM's kvm->mm) may bind it, not one it was
 * passed to (SCM_RIGHTS, fork).
 *
 * Return: the VM with a reference held, ERR_PTR(-EBADF) if @fd is not a
 * KVM VM, or ERR_PTR(-EPERM) if the VM belongs to another process.
 */
struct kvm *axhvc_kvm_get_from_fd(int fd)
{
	struct kvm *kvm = ERR_PTR(-EBADF);
	struct fd f = fdget(fd);

	if (fd_file(f) && file_is_kvm(fd_file(f))) {
		kvm = fd_file(f)->private_data;
		if (kvm->mm == current->mm)
			kvm_get_kvm(kvm);
		else
			kvm = ERR_PTR(-EPERM);
	}
	fdput(f);
	return kvm;
}

void axhvc_kvm_put(struct kvm *kvm)
{
	kvm_put_kvm(kvm);
}

/* Added to intercept_calls by unbinding, which waits for the count to be it. */
#define AXHVC_UNBINDING		BIT(30)

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
/* Test only: busy without a schedule point, as a vCPU preempted here. */
static noinline void axhvc_test_spin(unsigned int ms)
{
	unsigned long end = jiffies + msecs_to_jiffies(ms);

	while (time_before(jiffies, end))
		cpu_relax();
}

static int axhvc_intercept_hvc(struct kvm_vcpu *vcpu)
{
	struct axhvc_call call;
	struct axhvc_vm *vm;
	int i, verdict;
	unsigned int delay;
	u64 ret;

	/*
	 * Counted in the VM, not host-wide: a call may wait on its VMM's memory
	 * (userfaultfd) forever, and only this VM's unbinding may wait for it.
	 */
	rcu_read_lock_sched();	/* an RCU reader, without a call to one */
	vm = axhvc_kvm_lookup(vcpu->kvm);
	if (vm)
		atomic_inc(&vm->intercept_calls);
	rcu_read_unlock_sched();
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
	/* The callback claimed only AxVisor codes: NOT_OURS cannot come. */
	if (WARN_ON_ONCE(verdict == AXHVC_CALL_NOT_OURS))
		ret = SMCCC_RET_NOT_SUPPORTED;
	delay = READ_ONCE(test_intercept_delay_ms);
	if (unlikely(delay))
		msleep(delay);
	/*
	 * Only an unbinding waits, having added AXHVC_UNBINDING. @vm may be
	 * freed from here on; wake_up_var() only hashes the address.
	 */
	if (atomic_dec_return(&vm->intercept_calls) == AXHVC_UNBINDING)
		wake_up_var(&vm->intercept_calls);
	if (unlikely(delay))
		axhvc_test_spin(delay);

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

/* On every HVC and SMC of every VM, preemption off: no sleep, nothing traced. */
static void notrace axhvc_ftrace_cb(unsigned long ip, unsigned long parent_ip,
				    struct ftrace_ops *op,
				    struct ftrace_regs *fregs)
{
	struct kvm_vcpu *vcpu = (void *)axhvc_fregs_arg0(fregs);
	bool ours;

	if (!axhvc_hc_is_axvisor(vcpu_get_reg(vcpu, 0)) ||
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
#endif

/* AXHVC_INTERCEPT_LINGER after the last unbind, unless a VM is bound again. */
static void axhvc_intercept_idle(struct work_struct *work)
{
	mutex_lock(&axhvc_kvm_lock);
	if (!axhvc_nr_bound && axhvc_intercept_on) {
		axhvc_intercept_stop();
		axhvc_intercept_on = false;
	}
	mutex_unlock(&axhvc_kvm_lock);
}

static DECLARE_DELAYED_WORK(axhvc_intercept_idle_work, axhvc_intercept_idle);

void axhvc_kvm_exit(void)
{
	/* No VM is left (their fds pin the module): idle now, nothing re-arms. */
	cancel_delayed_work_sync(&axhvc_intercept_idle_work);
	axhvc_intercept_idle(NULL);
#if AXHVC_HAVE_INTERCEPT
	/*
	 * A vCPU may still be preempted in axhvc_intercept_hvc()'s first or
	 * last instructions, where it is not counted and has no schedule point:
	 * RCU Tasks waits for its voluntary switch. Without CONFIG_TASKS_RCU
	 * (non-preemptible kernels) this is synchronize_rcu(), enough there: the
	 * CPU reports no quiescent state until the task is out of them.
	 */
	synchronize_rcu_tasks();
	ftrace_free_filter(&axhvc_intercept_ops);
#endif
}

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
	if (axhvc_kvm_lookup(vm->kvm))
		ret = -EEXIST;
	else if (!axhvc_intercept_on)
		ret = axhvc_intercept_start();
	if (!ret) {
		axhvc_intercept_on = true;
		/* A pending axhvc_intercept_idle() would find a VM bound anyway. */
		cancel_delayed_work(&axhvc_intercept_idle_work);
		axhvc_nr_bound++;
		hash_add_rcu(axhvc_kvm_bound, &vm->kvm_node, (unsigned long)vm->kvm);
	}
	mutex_unlock(&axhvc_kvm_lock);
	return ret;
}

/**
 * axhvc_kvm_unbind() - stop serving @vm's hypercalls inside KVM
 * @vm: a VM bound by axhvc_kvm_bind()
 *
 * Returns once no intercepted call of @vm runs or can find it.
 */
void axhvc_kvm_unbind(struct axhvc_vm *vm)
{
	mutex_lock(&axhvc_kvm_lock);
	hash_del_rcu(&vm->kvm_node);
	if (!--axhvc_nr_bound)
		mod_delayed_work(system_long_wq, &axhvc_intercept_idle_work,
				 AXHVC_INTERCEPT_LINGER);
	mutex_unlock(&axhvc_kvm_lock);
	/* After an RCU grace period no call can find @vm; those that did count. */
	atomic_add(AXHVC_UNBINDING, &vm->intercept_calls);
	synchronize_rcu();
	wait_var_event(&vm->intercept_calls,
		       atomic_read(&vm->intercept_calls) == AXHVC_UNBINDING);
}
