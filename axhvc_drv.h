/* SPDX-License-Identifier: GPL-2.0 */
/*
 * axhvc: internal declarations shared by the module's files and its KUnit
 * suite.
 */
#ifndef _AXHVC_DRV_H
#define _AXHVC_DRV_H

#include <linux/fs.h>
#include <linux/types.h>

#include <uapi/axhvc.h>

#define AXHVC_DEV_NAME	"axhvc"

#if IS_ENABLED(CONFIG_KUNIT)
long axhvc_dev_ioctl(struct file *file, unsigned int cmd, unsigned long arg);
int axhvc_api_version_fill(struct axhvc_api_version *ver);
#endif

#endif /* _AXHVC_DRV_H */
