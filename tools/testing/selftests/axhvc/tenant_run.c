// SPDX-License-Identifier: GPL-2.0
/*
 * tenant_run PROGRAM [ARGS...]: run a test program as the test host's
 * tenant, a non-root user (uid 1000) whose only group is kvm (gid 36), the
 * way a VMM runs on a shared host where /dev/axhvc and /dev/kvm are
 * root:kvm 0660 (tools/testing/host/init.sh sets that up).
 */
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define TENANT_UID	1000
#define KVM_GID		36

int main(int argc, char **argv)
{
	gid_t kvm = KVM_GID;

	if (argc < 2) {
		fprintf(stderr, "usage: tenant_run PROGRAM [ARGS...]\n");
		return 2;
	}
	if (setgroups(1, &kvm) || setgid(KVM_GID) || setuid(TENANT_UID)) {
		perror("tenant_run: cannot become the tenant");
		return 2;
	}
	if (!getuid() || !geteuid()) {
		fprintf(stderr, "tenant_run: still root\n");
		return 2;
	}
	setenv("HOME", "/tmp", 1);
	execv(argv[1], argv + 1);
	perror("tenant_run: exec");
	return 2;
}
