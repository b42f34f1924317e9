// SPDX-License-Identifier: GPL-2.0
/*
 * axhvc: the one kernel-compatibility shim that needs code and state of its
 * own (see axhvc_compat.h, which decides when it is built): an inode of its
 * own for each VM fd, on kernels without anon_inode_create_getfile().
 */
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/pseudo_fs.h>

#include "axhvc_drv.h"

#ifdef AXHVC_COMPAT_ANON_FS
#define AXHVC_ANONFS_MAGIC	0x61786876	/* "axhv" */

static struct vfsmount *axhvc_anonfs_mnt;
static int axhvc_anonfs_count;

static int axhvc_anonfs_init_fs_context(struct fs_context *fc)
{
	return init_pseudo(fc, AXHVC_ANONFS_MAGIC) ? 0 : -ENOMEM;
}

static struct file_system_type axhvc_anonfs_type = {
	.name			= "axhvc",
	.owner			= THIS_MODULE,
	.init_fs_context	= axhvc_anonfs_init_fs_context,
	.kill_sb		= kill_anon_super,
};

/**
 * axhvc_anon_inode_create_getfile() - a file on an inode of its own
 * @name: the file's name (shown in /proc/<pid>/fd)
 * @fops: its file operations
 * @priv: its private_data
 * @flags: O_* flags (O_ACCMODE and O_NONBLOCK are used)
 * @context_inode: must be NULL
 *
 * Each successful call must be paired with axhvc_anon_inode_release(), once
 * the file is being released.
 *
 * Return: the file, or an ERR_PTR().
 */
struct file *axhvc_anon_inode_create_getfile(const char *name,
					     const struct file_operations *fops,
					     void *priv, int flags,
					     const struct inode *context_inode)
{
	struct inode *inode;
	struct file *file;
	int ret;

	if (WARN_ON(context_inode))
		return ERR_PTR(-EINVAL);
	ret = simple_pin_fs(&axhvc_anonfs_type, &axhvc_anonfs_mnt,
			    &axhvc_anonfs_count);
	if (ret)
		return ERR_PTR(ret);
	inode = alloc_anon_inode(axhvc_anonfs_mnt->mnt_sb);
	if (IS_ERR(inode)) {
		file = ERR_CAST(inode);
		goto unpin;
	}
	if (fops->owner && !try_module_get(fops->owner)) {
		file = ERR_PTR(-ENOENT);
		goto put_inode;
	}
	file = alloc_file_pseudo(inode, axhvc_anonfs_mnt, name,
				 flags & (O_ACCMODE | O_NONBLOCK), fops);
	if (IS_ERR(file)) {
		module_put(fops->owner);
		goto put_inode;
	}
	file->private_data = priv;
	return file;

put_inode:
	iput(inode);
unpin:
	simple_release_fs(&axhvc_anonfs_mnt, &axhvc_anonfs_count);
	return file;
}

/**
 * axhvc_anon_inode_release() - drop a file's hold on the pseudo file system
 *
 * The file's own reference to the mount keeps it until the file is gone.
 */
void axhvc_anon_inode_release(void)
{
	simple_release_fs(&axhvc_anonfs_mnt, &axhvc_anonfs_count);
}
#endif
