#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The shape of aaprof's sources, checked (make check-structure):

- the module graph has no cycle: a module is a name.c/name.h pair in
  aaprof/, and module A uses module B when A.c or A.h has #include "B.h";
- no source file is over MAX_FILE lines;
- no function is over MAX_FUNC lines, from the line its definition starts
  to its closing brace.

What the allow-list (tools/structure.allow) names is reported but does not
fail: the debts known today, each line removed when its split lands. An
entry that no longer matches anything is reported as stale (remove it).
Anything else fails. Usage: tools/check-structure.py [-v] [SRCDIR]
"""
import os
import re
import sys

MAX_FILE = 700
MAX_FUNC = 120
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)\.h"')
FUNC_NAME = re.compile(r'([A-Za-z_][A-Za-z0-9_]*)\s*\(')


def modules(src):
    names = sorted(os.listdir(src))
    mods = {}
    for n in names:
        base, ext = os.path.splitext(n)
        if ext in ('.c', '.h'):
            mods.setdefault(base, []).append(os.path.join(src, n))
    return mods


def graph(mods):
    g = {m: set() for m in mods}
    for m, files in mods.items():
        for f in files:
            with open(f, encoding='utf-8', errors='replace') as fh:
                for line in fh:
                    hit = INCLUDE.match(line)
                    if hit and hit.group(1) in mods and hit.group(1) != m:
                        g[m].add(hit.group(1))
    return g


def sccs(g):
    """Tarjan's strongly connected components (iterative)."""
    index, low, on, stack, out = {}, {}, set(), [], []
    counter = [0]
    for root in sorted(g):
        if root in index:
            continue
        work = [(root, iter(sorted(g[root])))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            advanced = False
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(g[w]))))
                    advanced = True
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    out.append(sorted(comp))
    return out


def a_cycle(g, comp):
    """One shortest cycle through the component's first module, as a path."""
    start = comp[0]
    members = set(comp)
    prev = {start: None}
    queue = [start]
    while queue:
        v = queue.pop(0)
        for w in sorted(g[v]):
            if w == start:
                path = [v]
                while prev[path[-1]] is not None:
                    path.append(prev[path[-1]])
                return list(reversed(path)) + [start]
            if w in members and w not in prev:
                prev[w] = v
                queue.append(w)
    return comp


def functions(path):
    """(name, first line, length) of each function definition in a C file:
    in this code's style a body opens with '{' alone at column 0 under its
    signature, and closes with '}' at column 0."""
    with open(path, encoding='utf-8', errors='replace') as fh:
        lines = fh.read().split('\n')
    out = []
    i = 0
    while i < len(lines):
        if not lines[i].startswith('{'):
            i += 1
            continue
        start = i
        while start > 0:
            prev = lines[start - 1].rstrip()
            if not prev or prev.endswith((';', '}', '*/')) or prev.startswith('#'):
                break
            start -= 1
        head = ' '.join(lines[start:i]).split('(')[0]
        names = FUNC_NAME.findall(head + '(')
        j = i + 1
        while j < len(lines) and not lines[j].startswith('}'):
            j += 1
        out.append((names[-1] if names else '?', start + 1, j - start + 1))
        i = j + 1
    return out


def main():
    args = [a for a in sys.argv[1:] if a != '-v']
    verbose = '-v' in sys.argv[1:]
    root = args[0] if args else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
    src = os.path.join(root, 'aaprof')
    allow_file = os.path.join(root, 'tools', 'structure.allow')
    allow = set()
    if os.path.exists(allow_file):
        with open(allow_file, encoding='utf-8') as fh:
            for line in fh:
                line = line.split('#', 1)[0].split()
                if line:
                    allow.add(' '.join(line))
    used, fails, allowed = set(), [], []

    def judge(key, text):
        if key in allow:
            used.add(key)
            allowed.append(text)
        else:
            fails.append(text)

    mods = modules(src)
    g = graph(mods)
    for comp in sccs(g):
        judge('cycle ' + ' '.join(comp), 'module cycle: ' + ' -> '.join(a_cycle(g, comp)))
    for m in sorted(mods):
        for f in mods[m]:
            rel = os.path.relpath(f, root)
            with open(f, encoding='utf-8', errors='replace') as fh:
                n = sum(1 for _ in fh)
            if n > MAX_FILE:
                judge('file ' + rel, '%s: %d lines (over %d)' % (rel, n, MAX_FILE))
            if f.endswith('.c'):
                for name, first, length in functions(f):
                    if length > MAX_FUNC:
                        judge('function %s %s' % (rel, name),
                              '%s:%d: %s(): %d lines (over %d)' % (rel, first, name, length, MAX_FUNC))
    for text in allowed:
        print('check-structure: allowed: ' + text)
    for text in fails:
        print('check-structure: FAIL: ' + text)
    for key in sorted(allow - used):
        print('check-structure: stale allow-list entry (remove it from tools/structure.allow): ' + key)
    if verbose:
        for m in sorted(g):
            print('%s: %s' % (m, ' '.join(sorted(g[m]))))
    print('check-structure: %d modules, %d cycles, %d allowed, %d failed' %
          (len(mods), len(sccs(g)), len(allowed), len(fails)))
    return 1 if fails else 0


if __name__ == '__main__':
    sys.exit(main())
