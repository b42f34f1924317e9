#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install everything the axhvc test host needs from Debian's archive.
# Idempotent: a package that is already there costs nothing. Run as root.
set -euo pipefail

amd64_pkgs=(
	gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-system-arm
	bc flex bison libssl-dev libelf-dev cpio xz-utils kmod rsync
	linux-source-6.12 sparse make gcc perl python3 dpkg-dev
	python3-sphinx dkms qemu-efi-aarch64
)

missing=()
for p in "${amd64_pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done

if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	dpkg --add-architecture arm64
	need_update=1
fi

stamp=/var/lib/apt/lists/.axhvc-updated
if [ -n "${need_update:-}" ] || [ ${#missing[@]} -gt 0 ] || [ ! -e "$stamp" ]; then
	apt-get update -qq
	touch "$stamp"
fi

if [ ${#missing[@]} -gt 0 ]; then
	echo "install-deps: installing ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"${missing[@]}" >/dev/null
fi
