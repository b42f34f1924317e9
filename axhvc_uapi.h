/* SPDX-License-Identifier: GPL-2.0 */
/*
 * axhvc: the module's side of include/uapi/axhvc.h: the masks and limits
 * AXHVC_GET_API_VERSION reports, and the copying of sized structures.
 */
#ifndef _AXHVC_UAPI_H
#define _AXHVC_UAPI_H

#include <linux/bits.h>
#include <linux/types.h>

#include <uapi/axhvc.h>

/* Flags, kinds and event types this module knows. */
#define AXHVC_VM_F_MASK		(AXHVC_VM_F_ERR_AXVISOR | \
				 AXHVC_VM_F_LIFECYCLE_TO_VMM | \
				 AXHVC_VM_F_INTERCEPT)
#define AXHVC_DOORBELL_F_MASK	AXHVC_DOORBELL_F_INTID
#define AXHVC_ALLOW_F_MASK	AXHVC_ALLOW_F_ENABLE
#define AXHVC_FWD_F_MASK	(AXHVC_FWD_F_GIC_SPI | AXHVC_FWD_F_LEVEL)
#define AXHVC_GRANT_F_MASK	(AXHVC_GRANT_F_REVOKE | AXHVC_GRANT_F_LEVEL)
#define AXHVC_GRANT_KINDS	(BIT(AXHVC_GRANT_VM_IDS) | BIT(AXHVC_GRANT_GIC_SPIS))
#define AXHVC_EVENT_TYPES	(BIT(AXHVC_EVENT_SUBSCRIBED) | \
				 BIT(AXHVC_EVENT_UNSUBSCRIBED) | \
				 BIT(AXHVC_EVENT_PUBLISHER_LEFT) | \
				 BIT(AXHVC_EVENT_OVERFLOW))

/* Fixed limits; the module parameters' are axhvc_ivc.c's. */
#define AXHVC_MAX_MEM_REGIONS	16
#define AXHVC_MAX_ALLOWLIST	1024
#define AXHVC_MAX_GRANTS	256
#define AXHVC_EVENT_QUEUE_LEN	64

/* The largest structure or record size a caller may state. */
#define AXHVC_MAX_ARG_SIZE	4096

int axhvc_copy_struct_in(void *dst, size_t ksize, size_t minsize,
			 const void __user *src);
int axhvc_copy_struct_out(void __user *dst, const void *src, size_t ksize);
int axhvc_check_record_size(u32 usize, size_t minsize);
int axhvc_copy_records_out(void __user *dst, u32 usize, const void *src,
			   size_t ksize, size_t nr);

/* Read @karg from @uarg by the size it carries, at least @ver0 (SIZE_VER0). */
#define axhvc_get_arg(karg, uarg, ver0) \
	axhvc_copy_struct_in(&(karg), sizeof(karg), ver0, uarg)
/* Write @karg back to @uarg, as much of it as the caller's size holds. */
#define axhvc_put_arg(uarg, karg) \
	axhvc_copy_struct_out(uarg, &(karg), sizeof(karg))

#endif /* _AXHVC_UAPI_H */
