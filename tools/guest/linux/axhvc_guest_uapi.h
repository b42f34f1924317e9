/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * axhvc_guest_uapi.h - /dev/axhvc_guest, the guest-side driver's interface
 *
 * The driver (axhvc_guest.ko, for Linux guests on an axhvc host) binds to
 * the "axhvc,ivc-window" device tree node that axvmm generates and lets
 * guest userspace use IVC channels: these ioctls issue the hypercalls (with
 * the out-parameters in kernel memory), mmap() maps the IVC window at
 * offsets the ioctls return, and read() waits for the doorbell.
 */
#ifndef AXHVC_GUEST_UAPI_H
#define AXHVC_GUEST_UAPI_H

#include <linux/ioctl.h>
#include <linux/types.h>

/**
 * struct axhvc_guest_channel - one channel, as the guest sees it
 * @publisher: publisher VM id (in for subscribe, unsubscribe and notify;
 *	out for publish: this VM's id).
 * @key: the channel's key (in).
 * @size: in for publish: the wanted size; out: the channel's size.
 * @gpa: out: where the channel is in this VM's guest-physical space.
 * @offset: out: the channel's mmap() offset on /dev/axhvc_guest.
 * @target: in for notify: the VM whose doorbell to ring.
 */
struct axhvc_guest_channel {
	__u64 publisher;
	__u64 key;
	__u64 size;
	__u64 gpa;
	__u64 offset;
	__u64 target;
};

#define AXHVC_GUEST_MAGIC	0xBA

/*
 * Each returns 0, or -1 with errno set to the hypercall's error (EEXIST,
 * ENOENT, EINVAL, ENOSPC, EACCES, EOPNOTSUPP, ...; EPERM for every error
 * when the VM uses AxVisor's error encoding, which has no error kinds),
 * EFAULT for a bad argument pointer, EIO for a channel outside the window.
 */
#define AXHVC_GUEST_PUBLISH	_IOWR(AXHVC_GUEST_MAGIC, 0x01, struct axhvc_guest_channel)
#define AXHVC_GUEST_SUBSCRIBE	_IOWR(AXHVC_GUEST_MAGIC, 0x02, struct axhvc_guest_channel)
#define AXHVC_GUEST_UNPUBLISH	_IOW(AXHVC_GUEST_MAGIC, 0x03, struct axhvc_guest_channel)
#define AXHVC_GUEST_UNSUBSCRIBE	_IOW(AXHVC_GUEST_MAGIC, 0x04, struct axhvc_guest_channel)
#define AXHVC_GUEST_NOTIFY	_IOW(AXHVC_GUEST_MAGIC, 0x05, struct axhvc_guest_channel)

#endif /* AXHVC_GUEST_UAPI_H */
