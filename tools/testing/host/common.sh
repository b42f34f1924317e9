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

# kernel_image KERNEL - the kernel image for stock, stock61, debug, or
# debug16k / debug64k (the debug kernel with 16 KiB / 64 KiB pages), fetched
# or built into the cache on first use.
kernel_image()
{
	case $1 in
	stock)	echo "$("$top/tools/testing/host/fetch-debian.sh")/vmlinuz" ;;
	stock61) echo "$("$top/tools/testing/host/fetch-debian.sh" stock61)/vmlinuz" ;;
	debug)	echo "$("$top/tools/testing/host/build-debug-kernel.sh")/arch/arm64/boot/Image" ;;
	debug16k|debug64k)
		echo "$("$top/tools/testing/host/build-debug-kernel.sh" "${1#debug}")/arch/arm64/boot/Image" ;;
	*)	die "unknown kernel '$1' (stock, stock61, debug, debug16k or debug64k)" ;;
	esac
}

# Counting, for check.sh and matrix.sh.

# counting_start NAME - a fresh build/NAME as $out, the counts at 0, and the
# start time.
counting_start()
{
	out=$top/build/$1
	rm -rf "$out"
	mkdir -p "$out"
	passed=0
	failed=0
	skipped=0
	start=$(date +%s)
}

# result NAME RC [LOGFILE] - count one item; show the log of a failure.
result()
{
	if [ "$2" = 0 ]; then
		echo "ok - $1"
		passed=$((passed + 1))
	else
		echo "not ok - $1"
		failed=$((failed + 1))
		[ -z "${3:-}" ] || sed 's/^/#   /' "$3" | head -n 60
	fi
}

# count_host NAME EXPECTED... - count what host NAME's console
# ($out/NAME.log) says of the test programs EXPECTED.
count_host()
{
	local name=$1 p f s
	shift
	python3 "$top/tools/testing/host/parse-results.py" "$out/$name.log" "$name" "$@" \
		>"$out/$name.results"
	sed '$d' "$out/$name.results"
	read -r p f s < <(tail -n 1 "$out/$name.results")
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
}

# host_run NAME KERNEL MODE LIMIT_S EXPECTED... - build the module for KERNEL,
# boot the emulated host with it in init.sh's MODE (AXHVC_GIC, AXHVC_KVM_MODE,
# AXHVC_FIRMWARE and AXHVC_APPEND as the caller set them), show what the
# tests printed and count the programs EXPECTED. Console: $out/NAME.log; wall
# time: $out/NAME.time.
host_run()
{
	local name=$1 kernel=$2 mode=$3 limit=$4 moddir image t0 rc
	shift 4
	log "$name: build"
	if ! moddir=$("$top/tools/testing/host/build-module.sh" "$kernel" 2>"$out/$name-build.log"); then
		result "$name: module build" 1 "$out/$name-build.log"
		return
	fi
	image=$(kernel_image "$kernel") || die "no $kernel kernel image"
	"$top/tools/testing/host/mkinitramfs.sh" "$out/$name.cpio" "$moddir" ||
		die "mkinitramfs failed"
	log "$name: booting the emulated host (console: $out/$name.log)"
	t0=$(date +%s)
	"$top/tools/testing/host/run-qemu.sh" "$image" "$out/$name.cpio" "$mode" "$limit" \
		>"$out/$name.log" 2>&1
	rc=$?
	echo $(( $(date +%s) - t0 )) >"$out/$name.time"
	log "$name: host ran $(cat "$out/$name.time") s (qemu exit $rc)"
	# What the tests printed, without the rest of the console.
	grep -E '^(axhvc-host:|TAP|KTAP|ok |not ok |#|1\.\.|    (ok|not ok|#|KTAP|1\.\.))' \
		"$out/$name.log" | sed -n '/^axhvc-host: begin dmesg/,/^axhvc-host: end dmesg/!p' |
		sed "s/^/[$name] /"
	count_host "$name" "$@"
}
