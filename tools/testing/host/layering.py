#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# layering.py [--doc RST] [--src DIR] [-v] [BUILD_DIR]
# layering.py [--doc RST] --list
#
# The module's layering, checked on the objects the compiler made: every
# file of axhvc.ko may use (call, or read) only the files listed below it in
# the "Layers" section of Documentation/overview.rst. For each object of the
# module (BUILD_DIR/axhvc.mod, written by Kbuild) the undefined symbols that
# another object defines are the file's edges; an edge to a file at or above
# the caller's place is a violation, printed as
#
#   upward call: A.c -> B.c (symbol)
#
# The list must also match the module: every object of axhvc.ko listed, every
# listed file present in DIR (the sources) and built into axhvc.ko. On success
# prints the edges, top to bottom (-v: on failure too). Exits 1 on a violation or a mismatch,
# 2 when it cannot read its input.
#
# BUILD_DIR defaults to build/stock (tools/testing/host/build-module.sh
# stock), RST to Documentation/overview.rst, DIR to the work tree's top.
import argparse
import os
import re
import subprocess
import sys

TOP = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                    '..', '..', '..'))
# An RST section title's underline (or overline): one punctuation character repeated.
UNDERLINE = re.compile(r'^([=\-~^"\'`#*+.:_!])\1+\s*$')
# An item of the auto-numbered list: "#. ``file.c``: what it does".
ITEM = re.compile(r'^\s*#\.\s+``([^`]+)``')


def die(msg):
    print('layering: ' + msg, file=sys.stderr)
    sys.exit(2)


def documented_layers(rst):
    """The files of the "Layers" section's #. list, top to bottom."""
    try:
        with open(rst, encoding='utf-8') as f:
            lines = f.read().splitlines()
    except OSError as e:
        die('cannot read %s: %s' % (rst, e.strerror))

    def is_title(i):
        return (i + 1 < len(lines) and lines[i].strip() and
                UNDERLINE.match(lines[i + 1]) and
                len(lines[i + 1].rstrip()) >= len(lines[i].rstrip()))

    start = None
    for i in range(len(lines)):
        if lines[i].strip() == 'Layers' and is_title(i):
            start = i + 2
            break
    if start is None:
        die('%s has no section titled "Layers"' % rst)
    files = []
    for i in range(start, len(lines)):
        if is_title(i):
            break
        m = ITEM.match(lines[i])
        if m:
            files.append(m.group(1))
    if not files:
        die('the "Layers" section of %s has no "#. ``file.c``" item' % rst)
    return files


def module_objects(build):
    """axhvc.ko's objects, from the list Kbuild wrote for modpost."""
    mod = os.path.join(build, 'axhvc.mod')
    try:
        with open(mod, encoding='utf-8') as f:
            entries = f.read().split()
    except OSError as e:
        die('cannot read %s (build the module first): %s' % (mod, e.strerror))
    objs = []
    for e in entries:
        name = os.path.basename(e)
        # The KUnit suite and the test helper are modules of their own.
        if (name == 'axhvc_kunit.o' or name.endswith('.mod.o') or
                '/testhw/' in e or e.startswith('testhw/')):
            continue
        # axhvc.mod names objects by absolute path (or relative to the
        # build directory on older kernels).
        path = e if os.path.isabs(e) else os.path.join(build, e)
        objs.append(path)
    if not objs:
        die('%s lists no object' % mod)
    return objs


def symbols(obj, nm):
    """(defined globals, undefined) symbol names of one object."""
    try:
        out = subprocess.run([nm, obj], check=True, capture_output=True,
                             text=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        die('%s %s failed: %s' % (nm, obj, e))
    defined, undefined = set(), set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2:
            # No address: U, or w/v (a weak reference nothing defines here).
            undefined.add(parts[1])
        elif len(parts) == 3 and (parts[1].isupper() or parts[1] in 'uvw'):
            # Global (T, D, B, R, ...), unique global (u) or weak (v, w).
            defined.add(parts[2])
    return defined, undefined


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('build', nargs='?', default=os.path.join(TOP, 'build', 'stock'))
    ap.add_argument('--doc', default=os.path.join(TOP, 'Documentation', 'overview.rst'))
    ap.add_argument('--src', default=TOP)
    ap.add_argument('--list', action='store_true',
                    help='print the documented files, top to bottom, and exit')
    ap.add_argument('-v', '--verbose', action='store_true',
                    help='print the edges on failure too')
    args = ap.parse_args()
    nm = os.environ.get('CROSS_COMPILE', 'aarch64-linux-gnu-') + 'nm'

    layers = documented_layers(args.doc)
    if args.list:
        print('\n'.join(layers))
        return 0
    rank = {}
    bad = False
    for i, f in enumerate(layers):
        if f in rank:
            print('layering: %s is listed twice' % f)
            bad = True
        rank.setdefault(f, i)

    objs = module_objects(args.build)
    src_of = {o: os.path.basename(o)[:-2] + '.c' for o in objs}
    built = set(src_of.values())
    for f in layers:
        if not os.path.exists(os.path.join(args.src, f)):
            print('layering: %s is listed but does not exist' % f)
            bad = True
        elif f not in built:
            print('layering: %s is listed but is not built into axhvc.ko' % f)
            bad = True
    for o in objs:
        if src_of[o] not in rank:
            print('layering: %s (%s) is not in the Layers list' %
                  (src_of[o], os.path.basename(o)))
            bad = True

    definer = {}
    undefined = {}
    for o in objs:
        d, u = symbols(o, nm)
        undefined[o] = u
        for s in d:
            definer.setdefault(s, src_of[o])

    # edges[(caller, callee)] = the callee's symbols the caller uses
    edges = {}
    for o in objs:
        for s in undefined[o]:
            callee = definer.get(s)
            if callee and callee != src_of[o]:
                edges.setdefault((src_of[o], callee), set()).add(s)

    def order(edge):
        return (rank.get(edge[0], len(rank)), rank.get(edge[1], len(rank)), edge)

    violations = 0
    for a, b in sorted(edges, key=order):
        if a in rank and b in rank and rank[b] <= rank[a]:
            for s in sorted(edges[(a, b)]):
                print('upward call: %s -> %s (%s)' % (a, b, s))
                violations += 1
    if not bad and not violations:
        print('layering: %d files, %d edges, every call goes down' %
              (len(objs), len(edges)))
    if args.verbose or (not bad and not violations):
        for a, b in sorted(edges, key=order):
            print('  %2s %-20s -> %2s %-20s %s' %
                  (rank.get(a, -1) + 1 or '?', a, rank.get(b, -1) + 1 or '?', b,
                   ', '.join(sorted(edges[(a, b)]))))
    if bad or violations:
        print('layering: FAILED (%d upward calls; order: %s)' %
              (violations, args.doc))
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
