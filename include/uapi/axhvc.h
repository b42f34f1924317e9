/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * axhvc: AxVisor hypercalls and inter-VM channels on arm64 Linux/KVM hosts.
 *
 * Userspace API of the misc device /dev/axhvc.
 */
#ifndef _UAPI_AXHVC_H
#define _UAPI_AXHVC_H

#include <linux/ioctl.h>
#include <linux/types.h>

/**
 * DOC: axhvc ioctl conventions
 *
 * Every argument structure has fixed-width fields and explicit padding. Input
 * fields named ``flags``, ``pad`` or ``reserved`` must be zero unless a flag
 * is defined for them; anything else is refused with ``EINVAL`` so that a
 * later version can give them a meaning. An unknown command gets ``ENOTTY``
 * and an unreadable or unwritable argument gets ``EFAULT``.
 */

/** AXHVC_IOCTL_MAGIC - ioctl type of /dev/axhvc (unassigned in ioctl-number.rst). */
#define AXHVC_IOCTL_MAGIC	0xB9

/** AXHVC_API_VERSION - version of this API, reported by AXHVC_GET_API_VERSION. */
#define AXHVC_API_VERSION	1

/*
 * Feature bits reported in &struct axhvc_api_version.features. None is defined
 * by API version 1; a feature is announced here together with its ioctls.
 */
#define AXHVC_FEATURES_ALL	0ULL

/**
 * struct axhvc_api_version - API version and feature query
 * @api_version: out: %AXHVC_API_VERSION of the running module.
 * @flags: in: must be 0.
 * @features: out: the AXHVC_FEATURE_* bits this module supports.
 * @reserved: in: must be 0.
 */
struct axhvc_api_version {
	__u32 api_version;
	__u32 flags;
	__u64 features;
	__u64 reserved[4];
};

/**
 * define AXHVC_GET_API_VERSION - report the API version and feature bits
 *
 * Takes a &struct axhvc_api_version, fills in its out fields.
 *
 * Return: 0 on success, or -1 with errno set to
 *
 * * ``EFAULT`` - the argument cannot be read or written;
 * * ``EINVAL`` - @flags or @reserved is not zero.
 */
#define AXHVC_GET_API_VERSION	_IOWR(AXHVC_IOCTL_MAGIC, 0x00, struct axhvc_api_version)

#endif /* _UAPI_AXHVC_H */
