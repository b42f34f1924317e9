#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install linux-source-6.12's arm64 UAPI headers into the cache (once): the
# cross sysroot's headers are 6.1 and lack KVM's SMCCC filter. Prints the
# include directory on stdout.
set -euo pipefail
. "$(dirname "$0")/common.sh"

"$(dirname "$0")/fetch-source.sh"
cache_lock uapi
dest=$AXHVC_CACHE/uapi-6.12
if [ "$(cat "$dest/.axhvc-stamp" 2>/dev/null)" != "$(cat "$LINUX_SRC/.axhvc-unpacked")" ]; then
	rm -rf "$dest"
	make -s -C "$LINUX_SRC" O="$dest/build" ARCH=arm64 INSTALL_HDR_PATH="$dest" headers_install >&2
	rm -rf "$dest/build"
	cp "$LINUX_SRC/.axhvc-unpacked" "$dest/.axhvc-stamp"
fi
echo "$dest/include"
