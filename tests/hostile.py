#!/usr/bin/env python3
"""Hostile records: names a confined (maybe compromised) process controls.

For each hostile path, a complain-mode record (hex-encoded as the kernel
logs untrusted strings, and quoted where the kernel would quote it) goes
through aaprof harvest. Then, with apparmor_parser -- the compiler of
record -- as the judge:
  * every rule aaprof wrote compiles on its own (-QK);
  * apparmor_parser's own expansion of each rule (-D rule-exprs) is a
    literal: no wildcard, alternation or class survives, and it spells
    exactly the logged path, byte for byte -- the rule matches only it;
  * there is exactly one rule per expressible path, none extra;
  * what cannot be expressed is reported on stderr, never dropped silently.
Prints 'hostile: N passed, N failed'.
usage: hostile.py AAPROF WORKDIR
"""
import json, os, re, subprocess, sys

aaprof, work = sys.argv[1], sys.argv[2]
PARSER = os.environ.get('REAL_APPARMOR_PARSER', 'apparmor_parser')
passed = failed = 0

def check(name, ok, detail=''):
    global passed, failed
    if ok:
        passed += 1
        if os.environ.get('VERBOSE'):
            print('ok   %s' % name)
    else:
        failed += 1
        print('FAIL %s %s' % (name, detail), file=sys.stderr)

EXPRESSIBLE = [
    b'/tmp/plain',
    b'/tmp/with space',
    b'/tmp/quote"in',
    b'/tmp/new\nline',
    b'/tmp/x r,\n  /** rwlkmx,\n  #',         # the classic injection
    b'/tmp/close}brace',
    b'/tmp/open{brace',
    b'/tmp/{a,b}alt',
    b'/tmp/comma,in',
    b'/tmp/hash#in',
    b'/tmp/#start',
    b'/tmp/@{HOME}/var',
    b'/tmp/@{',
    b'/tmp/star*',
    b'/tmp/**',
    b'/tmp/q?mark',
    b'/tmp/[class]',
    b'/tmp/[^neg]',
    b'/tmp/caret^x',
    b'/tmp/bang!x',
    b'/tmp/back\\slash',
    b'/tmp/tab\there',
    b'/tmp/dollar$x',
    b'/tmp/paren(x)|y',
    b'/tmp/plus+dot.x',
    b'/tmp/arrow  ->  x',
    b'/tmp/\xc3\xa9utf8',
    b'/tmp/\xff\xfeinvalid-utf8',
    b'/tmp/' + b'L' * 4000,
]
UNEXPRESSIBLE = [
    (b'/tmp/ctrl\x01char', 'control character'),
    (b'/tmp/' + b'X' * 8192, 'PATH_MAX'),
    (b'relative/path', 'not an absolute path'),
]
MALFORMED = [b'/tmp/nul\x00byte']

def kernel_would_quote(name):
    return all(0x20 < c < 0x7f and c != 0x22 for c in name)

lines = []
cases = {}
pid = 1000
for name in EXPRESSIBLE + [n for n, _ in UNEXPRESSIBLE] + MALFORMED:
    variants = ['hex'] + (['quoted'] if kernel_would_quote(name) else [])
    for v in variants:
        pid += 1
        cases[pid] = name
        enc = name.hex().upper().encode() if v == 'hex' else b'"' + name + b'"'
        lines.append(b'type=AVC msg=audit(1763798401.%03d:%d): apparmor="ALLOWED" operation="open" '
                     b'profile="myapp" name=%s pid=%d comm="myapp" requested_mask="r" '
                     b'denied_mask="r" fsuid=0 ouid=1' % (pid % 1000, pid, enc, pid))
log = os.path.join(work, 'hostile.log')
with open(log, 'wb') as f:
    f.write(b'\n'.join(lines) + b'\n')

r = subprocess.run([aaprof, 'harvest', '--no-generalise', '--format', 'json', '-f', log, 'myapp'],
                   capture_output=True)
check('harvest exits 0', r.returncode == 0, 'exit %d: %s' % (r.returncode, r.stderr[-500:]))
err = r.stderr.decode('utf-8', 'surrogateescape')
rules = json.loads(r.stdout.decode('utf-8', 'surrogateescape'))['rules']

# one rule per expressible path, none extra; each from the records of that path
check('one rule per expressible path', len(rules) == len(EXPRESSIBLE),
      '%d rules for %d paths' % (len(rules), len(EXPRESSIBLE)))
seen = set()
for rule in rules:
    names = {cases[p['pid']] for p in rule['pids']}
    check('each rule comes from one path', len(names) == 1, repr(rule['rule'][:80]))
    name = names.pop()
    seen.add(name)
    text = rule['rule'].encode('utf-8', 'surrogateescape')
    prof = os.path.join(work, 'rule.aa')
    with open(prof, 'wb') as f:
        f.write(b'abi <abi/3.0>,\nprofile t {\n  ' + text + b'\n}\n')
    c = subprocess.run([PARSER, '-QK', '-D', 'rule-exprs', prof], capture_output=True)
    check('compiles: %r' % name[:60], c.returncode == 0, c.stderr[-300:])
    out = c.stdout + c.stderr
    # "rule: PCRE  ->  TREE (perms)": TREE is apparmor_parser's parsed
    # expression. It shows a literal '*', '+', '.', '|', '(', ')', '[', ']',
    # ' ' escaped and control or high bytes as \0NNN; a backslash stands for
    # itself, so the tree alone cannot tell "\n" from a newline. Any class,
    # group, alternation, repetition or any-char is a pattern.
    i = out.find(b'rule: ')
    j = out.rfind(b' (0x')
    a = out.rfind(b'  ->  ', i, j) if i >= 0 and j > i else -1
    if a < 0:
        check('parser shows its expansion of %r' % name[:60], False)
        continue
    expr = out[a + 6:j]
    k, wild = 0, False
    while k < len(expr):
        ch = expr[k:k + 1]
        if ch == b'\\' and k + 1 < len(expr) and expr[k + 1:k + 2] in b'|*+[](). aefnrt0':
            k += 2
            continue
        if ch in b'[]*()|+.':
            wild = True
        k += 1
    check('apparmor_parser reads %r as a literal' % name[:60], not wild, expr[:200])
    # byte for byte: the compiled rule equals one naming each byte by its
    # octal escape after its leading '/' (\NNN is a literal character whatever
    # it is; '@' as \@, so that no @{ can form), qualifiers and permissions kept
    m = re.match(rb'^((?:\w+ )*)(".*"|\S+)( \w+,)$', text, re.S)
    if not m:
        check('rule has the form [qualifiers] PATH PERMS,: %r' % text[:80], False)
        continue
    ref = m.group(1) + b'"/' + b''.join(b'\\@' if ch == 0x40 else b'\\%03o' % ch for ch in name[1:]) + b'"' + m.group(3)
    refprof = os.path.join(work, 'ref.aa')
    with open(refprof, 'wb') as f:
        f.write(b'abi <abi/3.0>,\nprofile t {\n  ' + ref + b'\n}\n')
    bins = [subprocess.run([PARSER, '-QK', '-S', x], capture_output=True) for x in (prof, refprof)]
    check('the rule is the logged path, byte for byte (compiled alike): %r' % name[:60],
          bins[0].returncode == 0 and bins[1].returncode == 0 and bins[0].stdout == bins[1].stdout,
          '%r vs %r' % (text[:100], ref[:100]))
check('every expressible path has its rule', seen == set(EXPRESSIBLE),
      repr(set(EXPRESSIBLE) - seen))
for name, why in UNEXPRESSIBLE:
    check('reported, not dropped: %s' % why, why in err, err[-400:])
m = re.search(r'^aaprof harvest: not used: (?:.*, )?(\d+) malformed(?:,|$)', err, re.M)
check('the NUL-byte record is counted as malformed', m and int(m.group(1)) >= 1, err[-300:])
m = re.search(r'(\d+) records? could not be written as rules', err)
check('unexpressible records are counted', m and int(m.group(1)) >= len(UNEXPRESSIBLE), err[-300:])

# with generalisation on: still one compiling rule each, none wider than one component
r = subprocess.run([aaprof, 'harvest', '--format', 'rules', '-f', log, 'myapp'], capture_output=True)
check('harvest with generalisation exits 0', r.returncode == 0, r.stderr[-300:])
prof = os.path.join(work, 'all.aa')
with open(prof, 'wb') as f:
    f.write(b'abi <abi/3.0>,\ninclude <tunables/global>\nprofile t {\n' + r.stdout + b'}\n')
c = subprocess.run([PARSER, '-QK', prof], capture_output=True)
check('generalised hostile rules compile together', c.returncode == 0, c.stderr[-300:])
for line in r.stdout.split(b'\n'):
    check('no blanket rule: %r' % line[:60], not re.match(rb'^(owner )?"?/(\*\*?)?"? ', line))

print('hostile: %d passed, %d failed' % (passed, failed))
sys.exit(1 if failed else 0)
