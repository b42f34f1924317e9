#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# layering-probe.sh - prove that layering.py can fail. Builds a scratch copy
# of the module (build/layering-probe, Debian stock 6.12 headers) whose
# bottom-most documented file calls a function of the top-most one, and
# checks that layering.py fails and reports exactly that call on top of what
# it reports for the real module (build/stock, built by build-module.sh).
set -euo pipefail
. "$(dirname "$0")/common.sh"
host=$top/tools/testing/host
base=$top/build/stock
out=$top/build/layering-probe

[ -s "$base/axhvc.mod" ] || die "$base has no module build (build-module.sh stock)"
kdir=$("$host/fetch-debian.sh" stock)/headers

# The top-most and bottom-most documented files that exist.
mapfile -t layers < <("$host/layering.py" --list)
existing=()
for f in "${layers[@]}"; do
	[ -e "$top/$f" ] && existing+=("$f")
done
[ "${#existing[@]}" -ge 2 ] || die "fewer than two documented layers exist"
upper=${existing[0]}
lower=${existing[${#existing[@]} - 1]}
# A global function of the top file, as the compiler emitted it (an axhvc_*
# one if there is one; else init_module, which every module's top has).
funcs=$("${CROSS_COMPILE}nm" --defined-only "$base/${upper%.c}.o" | awk '$2 == "T" { print $3 }' | sort)
target=$(grep -m 1 '^axhvc_' <<<"$funcs" || head -n 1 <<<"$funcs")
[ -n "$target" ] || die "${upper%.c}.o defines no global function"

rm -rf "$out"
mkdir -p "$out"
cp "$top/Kbuild" "$top"/*.c "$top"/*.h "$out/"
cp -r "$top/include" "$out/"
# The declaration names the symbol with an asm label, so that it cannot
# clash with the header's prototype of the target.
cat >>"$out/$lower" <<EOF

/* Added by layering-probe.sh: a call up the layers, which must be caught. */
extern void axhvc_layering_probe_target(void) __asm__("$target");
void axhvc_layering_probe(void);
void axhvc_layering_probe(void)
{
	axhvc_layering_probe_target();
}
EOF
make -s -C "$kdir" M="$out" ARCH=arm64 CROSS_COMPILE="$CROSS_COMPILE" \
	-j"$(nproc)" modules >"$out/build.log" 2>&1 || { cat "$out/build.log"; die "probe build failed"; }

expect="upward call: $lower -> $upper ($target)"
"$host/layering.py" "$base" | grep '^upward call:' | sort >"$out/base.txt" || true
if "$host/layering.py" --src "$out" "$out" >"$out/probe.txt"; then
	cat "$out/probe.txt"
	die "layering.py passed a module with an upward call ($expect)"
fi
grep '^upward call:' "$out/probe.txt" | sort | comm -13 "$out/base.txt" - >"$out/new.txt"
echo "new violations in the probe:"
cat "$out/new.txt"
[ "$(cat "$out/new.txt")" = "$expect" ] || die "expected exactly: $expect"
echo "ok: layering.py reports the added call: $expect"
