# SPDX-License-Identifier: GPL-2.0
# Shared settings for the axhvc test-host scripts (sourced, not run).

# Everything fetched or built for the test host lives here, outside the work
# tree, so that a fresh clone on the same machine reuses it.
AXHVC_CACHE=${AXHVC_CACHE:-/var/cache/axhvc}
# Known-good Debian kernel ABI; resolve_kver picks the newest the archive has.
AXHVC_KVER_DEFAULT=${AXHVC_KVER_DEFAULT:-6.12.117+deb12}
CROSS_COMPILE=${CROSS_COMPILE:-aarch64-linux-gnu-}
export CROSS_COMPILE

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
mkdir -p "$AXHVC_CACHE"

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# cache_lock NAME - hold a lock on cache entry NAME until the script exits,
# so that two runs on one machine never build the same entry at once.
cache_lock()
{
	exec 9>"$AXHVC_CACHE/.lock-$1"
	flock 9
}
die() { echo "error: $*" >&2; exit 1; }

# resolve_kver - newest 6.12.N+deb12 for which image, headers and kbuild exist.
resolve_kver()
{
	local v
	if [ -n "${AXHVC_KVER:-}" ]; then
		echo "$AXHVC_KVER"
		return
	fi
	v=$(apt-cache search --names-only '^linux-headers-6\.12\.[0-9]+\+deb12-arm64$' |
		sed -n 's/^linux-headers-\(6\.12\.[0-9]*+deb12\)-arm64 .*/\1/p' |
		sort -V | while read -r k; do
			apt-cache show "linux-kbuild-$k" >/dev/null 2>&1 &&
			apt-cache show "linux-image-$k-arm64-unsigned" >/dev/null 2>&1 &&
			echo "$k"
		done | tail -n 1)
	echo "${v:-$AXHVC_KVER_DEFAULT}"
}

# Known-good Debian bookworm 6.1 ABI; resolve_kver61 picks the newest.
AXHVC_KVER61_DEFAULT=${AXHVC_KVER61_DEFAULT:-6.1.0-56}

# resolve_kver61 - newest 6.1.0-N for which image and headers exist.
resolve_kver61()
{
	local v
	if [ -n "${AXHVC_KVER61:-}" ]; then
		echo "$AXHVC_KVER61"
		return
	fi
	v=$(apt-cache search --names-only '^linux-headers-6\.1\.0-[0-9]+-arm64$' |
		sed -n 's/^linux-headers-\(6\.1\.0-[0-9]*\)-arm64 .*/\1/p' |
		sort -V | while read -r k; do
			apt-cache show "linux-image-$k-arm64-unsigned" >/dev/null 2>&1 &&
			echo "$k"
		done | tail -n 1)
	echo "${v:-$AXHVC_KVER61_DEFAULT}"
}

# Where linux-source-6.12 is unpacked (checkpatch, kernel-doc, kselftest, debug kernel).
LINUX_SRC=$AXHVC_CACHE/linux-source-6.12
