#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the emulated host's console log into counted results.

parse-results.py LOG KERNEL EXPECTED...

Adds up the "# Totals:" lines (kselftest harness, ktap_helpers.sh, KUnit) of
each program run between "axhvc-host: begin/end" markers. A program that
never ended, exited non-zero without a counted failure, or is missing from
the log counts as one failure. On the debug kernel the log is also scanned
for sanitizer findings (and the sanitizers must be on: also for the
pages16k and pages64k rows, which run the debug kernel's 16 and 64 KiB
builds). Prints one line per item and, last, "P F S".
"""
import re
import sys

SPLAT = re.compile(r"BUG: |WARNING: |Oops|Kernel panic|Call trace:|"
                   r"possible (circular|recursive) locking|inconsistent lock state|"
                   r"unreferenced object|suspected memory leak|UBSAN:|"
                   r"INFO: task .* blocked")
SANITIZERS_ON = {
    "KASAN": re.compile(r"KernelAddressSanitizer initialized"),
    "lockdep": re.compile(r"Lock dependency validator"),
    "kmemleak": re.compile(r"^axhvc-host: begin kmemleak"),
}
TOTALS = re.compile(r"# Totals: pass:(\d+) fail:(\d+).*?skip:(\d+)")
MARK = re.compile(r"^axhvc-host: (begin|end) (\S+)(?: rc=(\d+))?")


def main():
    log, kernel, expected = sys.argv[1], sys.argv[2], sys.argv[3:]
    with open(log, errors="replace") as f:
        lines = [l.rstrip("\r\n") for l in f]

    progs, cur, splats, done = {}, None, [], False
    for line in lines:
        m = MARK.match(line)
        if m:
            what, name, rc = m.groups()
            if what == "begin":
                cur = name
                progs[name] = {"p": 0, "f": 0, "s": 0, "totals": False, "rc": None}
            elif name in progs:
                progs[name]["rc"] = int(rc) if rc is not None else 0
                cur = None
            continue
        if line.startswith("axhvc-host: done"):
            done = True
        t = TOTALS.search(line)
        if t and cur in progs:
            pr = progs[cur]
            pr["p"] += int(t.group(1))
            pr["f"] += int(t.group(2))
            pr["s"] += int(t.group(3))
            pr["totals"] = True
        if SPLAT.search(line):
            splats.append(line)

    P = F = S = 0
    for name in expected:
        pr = progs.get(name)
        if pr is None:
            print(f"not ok - {kernel}: {name} did not run")
            F += 1
            continue
        P, F, S = P + pr["p"], F + pr["f"], S + pr["s"]
        rc = pr["rc"]
        status = f"pass:{pr['p']} fail:{pr['f']} skip:{pr['s']} rc={rc}"
        if rc is None:
            print(f"not ok - {kernel}: {name} never finished ({status})")
            F += 1
        elif rc == 4 and pr["f"] == 0:
            print(f"ok - {kernel}: {name} # SKIP ({status})")
            S += 0 if pr["totals"] else 1
        elif rc != 0 and pr["f"] == 0:
            print(f"not ok - {kernel}: {name} failed without a counted failure ({status})")
            F += 1
        elif not pr["totals"]:
            print(f"not ok - {kernel}: {name} reported no results ({status})")
            F += 1
        else:
            print(f"{'not ok' if pr['f'] else 'ok'} - {kernel}: {name} ({status})")

    if not done:
        print(f"not ok - {kernel}: the host did not finish its run")
        F += 1

    # The debug kernels: "debug", and the rows of its 16 and 64 KiB builds.
    if kernel == "debug" or kernel.startswith("pages"):
        off = [n for n, r in SANITIZERS_ON.items() if not any(r.search(l) for l in lines)]
        if off:
            print(f"not ok - {kernel}: sanitizers not active: {', '.join(off)}")
            F += 1
        else:
            print(f"ok - {kernel}: KASAN, lockdep and kmemleak active")
            P += 1
    if splats:
        print(f"not ok - {kernel}: {len(splats)} kernel warning/sanitizer line(s):")
        for s in splats[:20]:
            print(f"#   {s}")
        F += 1
    else:
        print(f"ok - {kernel}: no kernel warning, KASAN, lockdep or kmemleak finding")
        P += 1
    print(P, F, S)


if __name__ == "__main__":
    main()
