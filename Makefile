# SPDX-License-Identifier: GPL-2.0
#
# axhvc: out-of-tree module for arm64 KVM hosts.
#
#   make                 build axhvc.ko against Debian's 6.12 arm64 headers
#                        (fetched into the cache on first use)
#   make KDIR=<tree>     build against any configured arm64 kernel tree
#                        (in tree: drivers/virt/axhvc/, see Kconfig and
#                        Documentation/admin-guide.rst)
#   make check           every test, in the emulated arm64 KVM host
#   make demo            boot the emulated host and show axhvc working
#   make stress          the long stress tests on the debug kernel
#   make dkms-source     copy the module's sources to /usr/src/axhvc-<version>
#                        for "dkms install axhvc/<version>" (see dkms.conf)
#   make htmldocs        Documentation/ as HTML in build/htmldocs (Sphinx;
#                        any warning is an error)
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

matrix: deps
	$(HOSTDIR)/matrix.sh

# What DKMS builds: the module's sources, its Kbuild and dkms.conf (and
# Kconfig, so that the copy is also a directory the kernel's tree can take).
DKMS_VERSION = $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
DKMS_SRC ?= /usr/src/axhvc-$(DKMS_VERSION)
dkms-source:
	rm -rf $(DKMS_SRC)
	mkdir -p $(DKMS_SRC)/include/uapi
	cp dkms.conf Kbuild Kconfig *.c *.h $(DKMS_SRC)/
	cp include/uapi/axhvc.h $(DKMS_SRC)/include/uapi/
	@echo "now: dkms install axhvc/$(DKMS_VERSION)"

# The kernel's kernel-doc and its Sphinx extension, from linux-source-6.12.
htmldocs:
	@$(HOSTDIR)/fetch-source.sh
	sphinx-build -q -W --keep-going -b html -d build/htmldocs/.doctrees \
		Documentation build/htmldocs

clean:
	rm -rf *.o *.ko *.mod *.mod.c .*.cmd modules.order Module.symvers .tmp_versions
	rm -rf tools/testing/selftests/axhvc/build tools/testing/bench/build build/htmldocs

.PHONY: all modules deps check demo bench stress matrix dkms-source htmldocs clean
