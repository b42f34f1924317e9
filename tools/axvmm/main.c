// SPDX-License-Identifier: GPL-2.0
/*
 * axvmm: a small reference arm64 VMM on /dev/kvm and /dev/axhvc.
 *
 * main() is the whole life of a VM, in order:
 *
 *   config_parse()          the command line, checked before anything else
 *   vm_create()             KVM VM + RAM, axhvc VM + RAM region + IVC
 *                           window, the hypercall route
 *   vcpu_create() x N       vCPUs (the vgic needs them all first)
 *   vm_setup_after_vcpus()  vgic-v3, doorbell
 *   boot_load(), fdt_build(), vcpu_set_boot_regs()
 *   vcpus_start()           one thread per vCPU; then we wait here until a
 *                           vCPU calls vm_stop() or the timeout expires
 *   vcpus_kick(), vcpus_join(), vm_destroy()
 *
 * Exit status: 0 when the guest powered off, reset or called
 * HypervisorDisable; 1 on a timeout, SIGINT/SIGTERM/SIGHUP or any error;
 * 2 for a bad command line.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "axvmm.h"

static struct config cfg;
static struct vm the_vm;
static sigset_t stop_signals;

/**
 * vmm_log() - one line on stderr: "axvmm: vm <id>: <message>"
 * @vm: the VM (its id is the prefix)
 * @fmt: printf format
 */
void vmm_log(const struct vm *vm, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* One fprintf: lines from several vCPU threads do not mix. */
	fprintf(stderr, "axvmm: vm %llu: %s\n",
		(unsigned long long)vm->cfg->id, line);
}

/**
 * vm_stop() - ask the VM to stop; the first caller sets the exit status
 * @vm: the VM
 * @status: the process's exit status
 */
void vm_stop(struct vm *vm, int status)
{
	pthread_mutex_lock(&vm->stop_lock);
	if (!vm->stopping) {
		vm->stopping = true;
		vm->exit_status = status;
		pthread_cond_broadcast(&vm->stop_cond);
	}
	pthread_mutex_unlock(&vm->stop_lock);
}

/**
 * vm_stopping() - has vm_stop() been called?
 * @vm: the VM
 *
 * Return: true once the VM is stopping.
 */
bool vm_stopping(struct vm *vm)
{
	bool ret;

	pthread_mutex_lock(&vm->stop_lock);
	ret = vm->stopping;
	pthread_mutex_unlock(&vm->stop_lock);
	return ret;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) + (t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Waits until a vCPU stops the VM or --timeout expires (then stops it). */
static void wait_for_stop(struct vm *vm, const struct timespec *t0)
{
	struct timespec deadline;
	int ret = 0;

	/* The condition variable runs on CLOCK_MONOTONIC, like t0. */
	deadline = *t0;
	deadline.tv_sec += cfg.timeout_s;

	pthread_mutex_lock(&vm->stop_lock);
	while (!vm->stopping && ret != ETIMEDOUT) {
		if (cfg.timeout_s)
			ret = pthread_cond_timedwait(&vm->stop_cond, &vm->stop_lock,
						     &deadline);
		else
			pthread_cond_wait(&vm->stop_cond, &vm->stop_lock);
	}
	pthread_mutex_unlock(&vm->stop_lock);
	if (ret == ETIMEDOUT && !vm_stopping(vm)) {
		vmm_log(vm, "timeout: still running after %u s, stopping it",
			cfg.timeout_s);
		vm_stop(vm, 1);
	}
}

/*
 * SIGINT, SIGTERM and SIGHUP stop the VM like a timeout does (status 1)
 * instead of killing us mid-way: they are blocked in every thread, and
 * this one takes them with sigwait().
 */
static void *signal_thread(void *arg)
{
	const sigset_t *set = &stop_signals;
	struct vm *vm = arg;
	int sig;

	if (sigwait(set, &sig))
		return NULL;
	vmm_log(vm, "%s: stopping the VM", sig == SIGINT ? "SIGINT" :
		sig == SIGTERM ? "SIGTERM" : "SIGHUP");
	vm_stop(vm, 1);
	return NULL;
}

static int signals_init(struct vm *vm)
{
	pthread_t thread;

	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGINT);
	sigaddset(&stop_signals, SIGTERM);
	sigaddset(&stop_signals, SIGHUP);
	/* Before any other thread exists: they all inherit the mask. */
	pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
	if (pthread_create(&thread, NULL, signal_thread, vm))
		return -1;
	pthread_detach(thread);
	return 0;
}

static void vm_init_sync(struct vm *vm)
{
	pthread_condattr_t attr;

	pthread_mutex_init(&vm->stop_lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&vm->stop_cond, &attr);
	pthread_condattr_destroy(&attr);
	uart_init(&vm->uart);
}

int main(int argc, char **argv)
{
	struct vm *vm = &the_vm;
	struct timespec t0;
	unsigned int i;
	int status = 1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	config_parse(&cfg, argc, argv);	/* exits with 2 on a bad line */
	vm->cfg = &cfg;
	vm_init_sync(vm);
	if (signals_init(vm)) {
		vmm_log(vm, "cannot start the signal thread");
		return 1;
	}

	if (vm_create(vm, &cfg))
		goto out;
	for (i = 0; i < cfg.cpus; i++)
		if (vcpu_create(vm, i))
			goto out;
	if (vm_setup_after_vcpus(vm) || boot_load(vm) || fdt_build(vm) ||
	    vcpu_set_boot_regs(&vm->vcpus[0]))
		goto out;

	vmm_log(vm, "%u vCPU%s, %llu MiB RAM, IVC window %#llx+%#llx, route %s%s, %s %s",
		cfg.cpus, cfg.cpus > 1 ? "s" : "",
		(unsigned long long)(cfg.mem_size >> 20),
		(unsigned long long)cfg.window_base,
		(unsigned long long)cfg.window_size,
		cfg.route == ROUTE_INTERCEPT ? "intercept" : "forwarded",
		cfg.err_axvisor ? " (AxVisor errors)" : "",
		cfg.kernel ? "kernel" : "raw", cfg.kernel ? cfg.kernel : cfg.raw);
	if (cfg.doorbell_intid)
		vmm_log(vm, "doorbell: SPI %u", cfg.doorbell_intid);

	if (cfg.input && uart_input_start(vm))
		goto out;
	if (!vcpus_start(vm))
		wait_for_stop(vm, &t0);
	else
		vm_stop(vm, 1);
	vcpus_kick(vm);
	vcpus_join(vm);
	uart_flush(vm);
	status = vm->exit_status;
	vmm_log(vm, "stopped after %.2f s, exit status %d", seconds_since(&t0), status);
out:
	vm_destroy(vm);
	return status;
}
