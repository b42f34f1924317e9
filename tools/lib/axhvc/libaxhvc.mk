# SPDX-License-Identifier: GPL-2.0
#
# For the Makefiles of this tree's programs: build libaxhvc.a into their
# own $(OUTPUT)/libaxhvc/ (as the kernel's tools build tools/lib/bpf) and
# link it. Include after setting AXHVC_TOP, OUTPUT, CROSS_COMPILE and
# UAPI_INCLUDE, and after the default goal; then add $(LIBAXHVC_CFLAGS) to CFLAGS and $(LIBAXHVC) to
# the prerequisites and the link of each program that uses it.

LIBAXHVC_DIR := $(AXHVC_TOP)/tools/lib/axhvc
LIBAXHVC_OUTPUT := $(OUTPUT)/libaxhvc/
LIBAXHVC := $(LIBAXHVC_OUTPUT)libaxhvc.a
LIBAXHVC_CFLAGS := -I$(LIBAXHVC_DIR)

# Always asked: the library's own Makefile knows when it is up to date.
$(LIBAXHVC): libaxhvc-force
	$(MAKE) --no-print-directory -C $(LIBAXHVC_DIR) OUTPUT=$(LIBAXHVC_OUTPUT) \
		CROSS_COMPILE=$(CROSS_COMPILE) UAPI_INCLUDE=$(UAPI_INCLUDE) static

.PHONY: libaxhvc-force
