/* SPDX-License-Identifier: GPL-2.0 */
/*
 * axhvc: every difference between the kernels axhvc builds against. The
 * module is written against Linux 6.12; each shim gives an older kernel that
 * API and names the upstream change (Documentation/compat.rst). A shim tests
 * a macro where one tells, so that backports are picked up, else the version.
 */
#ifndef _AXHVC_COMPAT_H
#define _AXHVC_COMPAT_H

#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/ftrace.h>
#include <linux/ioport.h>
#include <linux/maple_tree.h>
#include <linux/mm.h>
#include <linux/version.h>

/* True when building against a kernel older than @major.@minor. */
#define AXHVC_KERNEL_BEFORE(major, minor)				\
	(LINUX_VERSION_MAJOR * 256 + LINUX_VERSION_PATCHLEVEL <		\
	 (major) * 256 + (minor))

/*
 * 1. The intercept's target, KVM/arm64's SMCCC handler, was renamed in v6.4
 * ("KVM: arm64: Rename SMC/HVC call handler to reflect reality").
 */
#if !AXHVC_KERNEL_BEFORE(6, 4)
#define AXHVC_INTERCEPT_TARGET	"kvm_smccc_call_handler"
#else
#define AXHVC_INTERCEPT_TARGET	"kvm_hvc_call_handler"
#endif

/*
 * 2. KVM's SMCCC filter, which the forwarded route needs, came in v6.4
 * ("KVM: arm64: Introduce support for userspace SMCCC filtering"); before,
 * only the intercept route exists.
 */
#if !AXHVC_KERNEL_BEFORE(6, 4)
#define AXHVC_HAVE_SMCCC_FILTER	1
#else
#define AXHVC_HAVE_SMCCC_FILTER	0
#endif

/*
 * 3. arm64 moved the intercept's ftrace callback from WITH_REGS to WITH_ARGS
 * in v6.2 ("ftrace: arm64: move from REGS to ARGS"); before, IPMODIFY needs
 * FTRACE_OPS_FL_SAVE_REGS and the callback works on that pt_regs.
 */
#if IS_ENABLED(CONFIG_DYNAMIC_FTRACE_WITH_ARGS)
#define AXHVC_HAVE_FTRACE_IPMODIFY	1
#define AXHVC_FTRACE_OPS_FLAGS		FTRACE_OPS_FL_IPMODIFY

static __always_inline unsigned long axhvc_fregs_arg0(struct ftrace_regs *fregs)
{
	return ftrace_regs_get_argument(fregs, 0);
}

static __always_inline void axhvc_fregs_set_ip(struct ftrace_regs *fregs,
					       unsigned long ip)
{
	ftrace_regs_set_instruction_pointer(fregs, ip);
}
#elif IS_ENABLED(CONFIG_DYNAMIC_FTRACE_WITH_REGS)
#define AXHVC_HAVE_FTRACE_IPMODIFY	1
#define AXHVC_FTRACE_OPS_FLAGS		(FTRACE_OPS_FL_SAVE_REGS | \
					 FTRACE_OPS_FL_IPMODIFY)

static __always_inline unsigned long axhvc_fregs_arg0(struct ftrace_regs *fregs)
{
	return ftrace_get_regs(fregs)->regs[0];
}

static __always_inline void axhvc_fregs_set_ip(struct ftrace_regs *fregs,
					       unsigned long ip)
{
	ftrace_get_regs(fregs)->pc = ip;
}
#else
#define AXHVC_HAVE_FTRACE_IPMODIFY	0
#endif

/*
 * 4. eventfd_signal() lost its count argument in v6.8 ("eventfd: simplify
 * eventfd_signal()").
 */
static inline void axhvc_eventfd_signal(struct eventfd_ctx *ctx)
{
#if !AXHVC_KERNEL_BEFORE(6, 8)
	eventfd_signal(ctx);
#else
	eventfd_signal(ctx, 1);
#endif
}

/*
 * 5. fd_file() and fd_empty() came in v6.12 ("introduce fd_file(), convert
 * all accessors to it.").
 */
#ifndef fd_file
#define fd_file(f)	((f).file)
#define fd_empty(f)	(!(f).file)
#endif

/*
 * 6. vm_flags_mod() came in v6.3 ("mm: introduce vma->vm_flags wrapper
 * functions").
 */
#if AXHVC_KERNEL_BEFORE(6, 3)
static inline void vm_flags_mod(struct vm_area_struct *vma,
				vm_flags_t set, vm_flags_t clear)
{
	vma->vm_flags = (vma->vm_flags | set) & ~clear;
}
#endif

/*
 * 7. Each VM fd needs an inode of its own (unmap_mapping_range() works per
 * address_space): anon_inode_create_getfile() is exported from v6.8 ("fs:
 * Rename anon_inode_getfile_secure() and anon_inode_getfd_secure()").
 * Before, axhvc_compat.c makes one on a pseudo file system, as DRM does.
 */
#if !AXHVC_KERNEL_BEFORE(6, 8)
static inline void axhvc_anon_inode_release(void)
{
}
#else
#define AXHVC_COMPAT_ANON_FS	1
struct file *axhvc_anon_inode_create_getfile(const char *name,
					     const struct file_operations *fops,
					     void *priv, int flags,
					     const struct inode *context_inode);
void axhvc_anon_inode_release(void);
#define anon_inode_create_getfile	axhvc_anon_inode_create_getfile
#endif

/*
 * 8. DEFINE_RES_MEM() became a compound literal after v6.1; below v6.12 (the
 * release known to have it) it becomes a call, right for either form.
 */
#if AXHVC_KERNEL_BEFORE(6, 12)
static inline struct resource axhvc_define_res_mem(resource_size_t start,
						   resource_size_t size)
{
	struct resource res = DEFINE_RES_MEM_NAMED(start, size, NULL);

	return res;
}

#undef DEFINE_RES_MEM
#define DEFINE_RES_MEM(_start, _size)	axhvc_define_res_mem(_start, _size)
#endif

/*
 * 9. mtree_alloc_range() was reimplemented on mas_empty_area() in v6.5
 * ("maple_tree: rework mtree_alloc_{range,rrange}()"); before, on an empty
 * tree it returned a pivot, not 0 and the start. The shim is the v6.5
 * algorithm; the window lock keeps the gap free while mas_store_gfp() may
 * drop the tree's lock to allocate.
 */
#if AXHVC_KERNEL_BEFORE(6, 5)
static inline int axhvc_mtree_alloc_range(struct maple_tree *mt,
					  unsigned long *startp, void *entry,
					  unsigned long size, unsigned long min,
					  unsigned long max, gfp_t gfp)
{
	MA_STATE(mas, mt, 0, 0);
	unsigned long start;
	int ret;

	mtree_lock(mt);
	ret = mas_empty_area(&mas, min, max, size);
	if (!ret) {
		start = mas.index;
		ret = mas_store_gfp(&mas, entry, gfp);
	}
	mtree_unlock(mt);
	if (!ret)
		*startp = start;
	return ret;
}

#define mtree_alloc_range	axhvc_mtree_alloc_range
#endif

#endif /* _AXHVC_COMPAT_H */
