/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * libaxhvc: the VMM's side of axhvc's UAPI (include/uapi/axhvc.h), once.
 *
 * A VMM that runs AxVisor guests on KVM opens /dev/axhvc, registers each
 * KVM VM with it on one of two routes, tells it where guest RAM is, maps
 * the VM's IVC window into the guest, wires the doorbell and interrupt
 * routes, and serves the hypercalls that leave KVM. These functions do
 * each of those steps; the VMM keeps its KVM VM, its vCPUs and its loop.
 *
 * Errors: every function that can fail returns a negative errno (and sets
 * errno to it, positive); libaxhvc_errmsg() then says what failed in this
 * thread, for the caller to print. Documentation/libaxhvc.rst has the
 * reference; the kernel-doc of each function is in libaxhvc.c.
 */
#ifndef __LIBAXHVC_H
#define __LIBAXHVC_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include <axhvc.h>

#ifndef LIBAXHVC_API
#define LIBAXHVC_API __attribute__((visibility("default")))
#endif

#define LIBAXHVC_MAJOR_VERSION	0
#define LIBAXHVC_MINOR_VERSION	1

#define LIBAXHVC_DEV		"/dev/axhvc"

struct kvm_run;

/* Errors. */
LIBAXHVC_API const char *libaxhvc_errmsg(void);

/* The device. */
LIBAXHVC_API int libaxhvc_open(const char *path);
LIBAXHVC_API int libaxhvc_api_version(int axfd, struct axhvc_api_version *ver);
LIBAXHVC_API int libaxhvc_require(int axfd, __u64 features);

/**
 * enum libaxhvc_route - the way a VM's hypercalls reach axhvc
 * @LIBAXHVC_ROUTE_FORWARDED: KVM's SMCCC filter hands them to the VMM,
 *	which passes them on (libaxhvc_serve_hypercall()).
 * @LIBAXHVC_ROUTE_INTERCEPT: axhvc serves them inside KVM
 *	(%AXHVC_VM_F_INTERCEPT); only lifecycle calls handed to the VMM exit.
 */
enum libaxhvc_route {
	LIBAXHVC_ROUTE_FORWARDED,
	LIBAXHVC_ROUTE_INTERCEPT,
};

/**
 * struct libaxhvc_vm_opts - what libaxhvc_vm_create() registers
 * @vm_id: the VM's AxVisor id, unique on the host.
 * @flags: AXHVC_VM_F_ERR_AXVISOR and AXHVC_VM_F_LIFECYCLE_TO_VMM as wanted;
 *	the route's flag is @route's business.
 * @route: which route the VM's hypercalls take.
 * @kvm_vm_fd: the KVM VM (KVM_CREATE_VM) to bind, before its first KVM_RUN.
 * @skip_filter: on the forwarded route, leave KVM's SMCCC filter to the
 *	caller (libaxhvc_smccc_filter()) instead of installing it.
 * @ivc_base: guest-physical base of the IVC window (page aligned).
 * @ivc_size: size of the IVC window (page aligned; 0: no window).
 */
struct libaxhvc_vm_opts {
	__u64 vm_id;
	__u32 flags;
	enum libaxhvc_route route;
	int kvm_vm_fd;
	bool skip_filter;
	__u64 ivc_base;
	__u64 ivc_size;
};

LIBAXHVC_API int libaxhvc_vm_create(int axfd, const struct libaxhvc_vm_opts *opts);
LIBAXHVC_API int libaxhvc_vm_add_ram(int vmfd, __u64 gpa, __u64 size, void *hva);

/* The IVC window. */
LIBAXHVC_API int libaxhvc_window_map(int vmfd, __u64 size, void **window);
LIBAXHVC_API int libaxhvc_window_install(int kvm_vm_fd, __u32 slot, __u64 gpa,
					 __u64 size, void *window);

/* The doorbell and IRQ routes. */
LIBAXHVC_API int libaxhvc_irqfd(int kvm_vm_fd, __u32 intid, int efd, bool assign);
LIBAXHVC_API int libaxhvc_set_irq_route(int vmfd, __u32 intid, int efd);
LIBAXHVC_API int libaxhvc_set_doorbell(int vmfd, int efd);
LIBAXHVC_API int libaxhvc_set_doorbell_intid(int vmfd, __u32 intid);
LIBAXHVC_API int libaxhvc_doorbell_setup(int kvm_vm_fd, int vmfd, __u32 intid);

/* KVM's SMCCC filter. */
LIBAXHVC_API int libaxhvc_smccc_filter_available(int kvm_vm_fd);
LIBAXHVC_API int libaxhvc_smccc_filter(int kvm_vm_fd, __u32 base, __u32 nr,
				       __u8 action);

/* KVM_EXIT_HYPERCALL. */
#define LIBAXHVC_TO_VMM		1	/* libaxhvc_serve_hypercall(): the VMM decides */

LIBAXHVC_API int libaxhvc_serve_hypercall(int vmfd, int vcpu_fd, __u32 vcpu_id,
					  const struct kvm_run *run,
					  struct axhvc_hypercall *hc);
LIBAXHVC_API int libaxhvc_set_x0(int vcpu_fd, __u64 val);

/* The host view (CAP_SYS_ADMIN). */
LIBAXHVC_API int libaxhvc_list_vms(int axfd, struct axhvc_vm_info **vms);
LIBAXHVC_API int libaxhvc_list_channels(int axfd, struct axhvc_host_channel **chans,
					__u64 **subscribers, __u32 *nr_subscribers);

#endif /* __LIBAXHVC_H */
