# SPDX-License-Identifier: GPL-2.0
#
# axhvc: out-of-tree module for arm64 KVM hosts.
#
#   make                 build axhvc.ko against Debian's 6.12 arm64 headers
#                        (fetched into the cache on first use)
#   make KDIR=<tree>     build against any configured arm64 kernel tree
#   make check           every test, in the emulated arm64 KVM host
#   make demo            boot the emulated host and show axhvc working
#   make stress          the long stress tests on the debug kernel
#   make clean

ARCH ?= arm64
CROSS_COMPILE ?= aarch64-linux-gnu-
HOSTDIR := $(CURDIR)/tools/testing/host

ifeq ($(origin KDIR), undefined)
KDIR_DEFAULT = $(shell $(HOSTDIR)/fetch-debian.sh)/headers
else
KDIR_DEFAULT = $(KDIR)
endif

all: modules

modules:
	$(MAKE) -C $(KDIR_DEFAULT) M=$(CURDIR) ARCH=$(ARCH) CROSS_COMPILE=$(CROSS_COMPILE) modules

deps:
	$(HOSTDIR)/install-deps.sh

check: deps
	$(HOSTDIR)/check.sh

demo: deps
	$(HOSTDIR)/demo.sh

bench: deps
	$(HOSTDIR)/bench.sh

stress: deps
	$(CURDIR)/tools/testing/stress/stress.sh

clean:
	rm -rf *.o *.ko *.mod *.mod.c .*.cmd modules.order Module.symvers .tmp_versions
	rm -rf tools/testing/selftests/axhvc/build tools/testing/bench/build

.PHONY: all modules deps check demo bench stress clean
