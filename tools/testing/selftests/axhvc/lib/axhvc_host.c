// SPDX-License-Identifier: GPL-2.0
/* The host side of axhvc shared by the test programs; see axhvc_host.h. */
#include <stdio.h>
#include <sys/ioctl.h>
#include <linux/kvm.h>
#include <libaxhvc.h>
#include "axhvc_host.h"

int axhvc_forward_exit(struct vmm_vcpu *vcpu, void *opaque)
{
	struct axhvc_hypercall hc;
	int *vmfd = opaque;
	int ret;

	ret = libaxhvc_serve_hypercall(*vmfd, vcpu->fd, vcpu->id, vcpu->run, &hc);
	if (ret < 0)
		fprintf(stderr, "# %s\n", libaxhvc_errmsg());
	return ret ? -1 : 0;
}

int axhvc_answer_exit(struct vmm_vcpu *vcpu, void *opaque)
{
	if (vcpu->run->exit_reason != KVM_EXIT_HYPERCALL)
		return -1;
	return vmm_set_reg(vcpu, VMM_REG_X(0), 0);
}

long axhvc_set_param(const char *name, long val)
{
	char path[128];
	long old = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/axhvc/parameters/%s", name);
	f = fopen(path, "r+");
	if (!f)
		return -1;
	if (fscanf(f, "%ld", &old) != 1 || fseek(f, 0, SEEK_SET) ||
	    fprintf(f, "%ld\n", val) < 0)
		old = -1;
	if (fclose(f))
		old = -1;
	return old;
}

int axhvc_ivc_stats(long *chans, long *maps, long *pages)
{
	FILE *f = fopen(AXHVC_IVC_STATS, "r");
	int n;

	if (!f)
		return -1;
	n = fscanf(f, "channels %ld mappings %ld pages %ld", chans, maps, pages);
	fclose(f);
	return n == 3 ? 0 : -1;
}
