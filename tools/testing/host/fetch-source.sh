#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unpack Debian's linux-source-6.12 into the cache (once).
set -euo pipefail
. "$(dirname "$0")/common.sh"
cache_lock source

tarball=$(ls /usr/src/linux-source-6.12.tar.* 2>/dev/null | head -n 1)
[ -n "$tarball" ] || die "linux-source-6.12 is not installed (run install-deps.sh)"
stamp=$LINUX_SRC/.axhvc-unpacked
if [ "$(cat "$stamp" 2>/dev/null)" != "$(stat -c %Y "$tarball")" ]; then
	log "unpacking $tarball"
	rm -rf "$LINUX_SRC"
	tar -C "$AXHVC_CACHE" -xf "$tarball"
	stat -c %Y "$tarball" >"$stamp"
fi
