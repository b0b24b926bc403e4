#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""moby's docker-default, generated from moby's own template text, and
AppArmor profile text as a set of rules (tests/run-docker-default.sh).

  moby-template.py generate TEMPLATE_GO NAME [--daemon P] [--have abi/3.0,...]
      baseTemplate of TEMPLATE_GO (moby/profiles apparmor/template.go),
      filled in as apparmor.go's generate() does: DaemonProfile defaults to
      "unconfined"; Abi is "abi/3.0" when that file exists; Imports is
      "#include <tunables/global>" when it exists, else "@{PROC}=/proc/";
      InnerImports is "#include <abstractions/base>" when it exists. --have
      lists the files that exist (macroExists).
  moby-template.py selftest DATA_DIR
      generate() for each case of moby's TestGenerateDefault, compared byte
      for byte with moby's golden files: the interpreter below is faithful.
  moby-template.py rules FILE
      the profile's rules, one a line, normalised and sorted.

The interpreter knows the Go text/template constructs the template uses:
{{.Field}}, {{$var}}, {{if .Field}}, {{range $var := .Field}}, {{end}},
and the "{{- " / " -}}" whitespace trims. Anything else is an error, so a
new construct in a future template fails the test instead of being
misread.
"""
import re
import sys

ACTION = re.compile(r'\{\{(-\s)?\s*(.*?)\s*(\s-)?\}\}', re.S)


def base_template(path):
    text = open(path, encoding='utf-8').read()
    m = re.search(r'const baseTemplate = `([^`]*)`', text)
    if not m:
        sys.exit(f'{path}: no baseTemplate')
    return m.group(1)


def tokenize(tmpl):
    """text and action tokens, with the trims applied to the text"""
    out, pos = [], 0
    for m in ACTION.finditer(tmpl):
        text = tmpl[pos:m.start()]
        if m.group(1):
            text = text.rstrip(' \t\r\n')
        out.append(('text', text))
        out.append(('action', m.group(2), bool(m.group(3))))
        pos = m.end()
    out.append(('text', tmpl[pos:]))
    # a right trim removes the leading white space of the next text
    for i, t in enumerate(out):
        if t[0] == 'action' and t[2]:
            out[i + 1] = ('text', out[i + 1][1].lstrip(' \t\r\n'))
    return out


def parse(tokens, i=0, stop=False):
    """a list of nodes up to {{end}} (stop) or the end"""
    nodes = []
    while i < len(tokens):
        t = tokens[i]
        if t[0] == 'text':
            nodes.append(('text', t[1]))
            i += 1
            continue
        a = t[1]
        if a == 'end':
            if not stop:
                sys.exit('unexpected {{end}}')
            return nodes, i + 1
        m = re.fullmatch(r'if\s+\.(\w+)', a)
        if m:
            body, i = parse(tokens, i + 1, True)
            nodes.append(('if', m.group(1), body))
            continue
        m = re.fullmatch(r'range\s+\$(\w+)\s*:=\s*\.(\w+)', a)
        if m:
            body, i = parse(tokens, i + 1, True)
            nodes.append(('range', m.group(1), m.group(2), body))
            continue
        m = re.fullmatch(r'\.(\w+)|\$(\w+)', a)
        if m:
            nodes.append(('field', m.group(1)) if m.group(1) else ('var', m.group(2)))
            i += 1
            continue
        sys.exit(f'unknown template action {{{{{a}}}}}')
    if stop:
        sys.exit('missing {{end}}')
    return nodes, i


def execute(nodes, data, scope, out):
    for n in nodes:
        if n[0] == 'text':
            out.append(n[1])
        elif n[0] == 'field':
            out.append(str(data[n[1]]))
        elif n[0] == 'var':
            out.append(str(scope[n[1]]))
        elif n[0] == 'if':
            if data[n[1]]:   # Go: a non-empty string or slice is true
                execute(n[2], data, scope, out)
        elif n[0] == 'range':
            for v in data[n[2]]:
                execute(n[3], data, dict(scope, **{n[1]: v}), out)


def generate(tmpl, name, daemon='', have=(), imports=(), inner=()):
    """apparmor.go's generate()"""
    data = {'Abi': '', 'Name': name, 'DaemonProfile': daemon or 'unconfined',
            'Imports': list(imports), 'InnerImports': list(inner)}
    if 'abi/3.0' in have:
        data['Abi'] = 'abi/3.0'
    if 'tunables/global' in have:
        data['Imports'].append('#include <tunables/global>')
    else:
        data['Imports'].append('@{PROC}=/proc/')
    if 'abstractions/base' in have:
        data['InnerImports'].append('#include <abstractions/base>')
    nodes, _ = parse(tokenize(tmpl))
    out = []
    execute(nodes, data, {}, out)
    return ''.join(out)


# moby's TestGenerateDefault (apparmor/apparmor_linux_test.go): golden, name, daemon, have, imports, inner
CASES = [
    ('default', 'default', '', (), (), ()),
    ('with-api3', 'with-api3', '', ('abi/3.0',), (), ()),
    ('with-tunables', 'tunables', '', ('tunables/global',), (), ()),
    ('with-abstractions-base', 'abstractions-base', '', ('abstractions/base',), (), ()),
    ('with-daemon-profile', 'with-daemon-profile', 'my-daemon-profile', (), (), ()),
    ('with-spaces', 'Profile with spaces', 'Daemon Profile', (), (), ()),
    ('with-custom-imports', 'custom-imports', '', (),
     ('#include <something/foo>', '#include <something/bar>'), ()),
    ('with-custom-inner-imports', 'custom-inner-imports', '', (), (),
     ('#include <something/foo>', '#include <something/bar>')),
]


def selftest(d):
    tmpl = base_template(f'{d}/template.go')
    bad = 0
    for golden, name, daemon, have, imports, inner in CASES:
        got = generate(tmpl, name, daemon, have, imports, inner)
        want = open(f'{d}/{golden}.golden', encoding='utf-8').read()
        if got != want:
            print(f'{golden}: the interpreter differs from moby\'s golden file', file=sys.stderr)
            bad += 1
    print(f'{len(CASES) - bad} of {len(CASES)} golden files of moby reproduced')
    return 1 if bad else 0


def strip_comment(line):
    """the line without its comment: '#' at the start of a word outside quotes"""
    q = False
    for i, c in enumerate(line):
        if c == '"' and (i == 0 or line[i - 1] != '\\'):
            q = not q
        elif c == '#' and not q and (i == 0 or line[i - 1] in ' \t'):
            return line[:i]
    return line


def normalise(line):
    line = line.strip()
    if line.startswith('#include'):
        line = line[1:]          # "#include <x>" is "include <x>"
    line = strip_comment(line).strip()
    if line in ('', '}'):
        return None
    if line.endswith('{'):
        line = line[:-1].strip()
    line = line.rstrip(',').strip()
    # the members of a parenthesised list in any order: (trace,read) = (read,trace)
    line = re.sub(r'\(([^()]*)\)',
                  lambda m: '(' + ','.join(sorted(s.strip() for s in m.group(1).split(','))) + ')',
                  line)
    # quoting changes nothing for a name without white space, quotes or escapes
    line = re.sub(r'"([^"\s\\]*)"', r'\1', line)
    return ' '.join(line.split())


def rules(path):
    out = set()
    for line in open(path, encoding='utf-8'):
        r = normalise(line)
        if r:
            out.add(r)
    return sorted(out)


def main(argv):
    if len(argv) >= 2 and argv[1] == 'selftest':
        return selftest(argv[2])
    if len(argv) == 3 and argv[1] == 'rules':
        print('\n'.join(rules(argv[2])))
        return 0
    if len(argv) >= 4 and argv[1] == 'generate':
        args, daemon, have = argv[4:], '', ()
        while args:
            if args[0] == '--daemon':
                daemon = args[1]
            elif args[0] == '--have':
                have = tuple(h for h in args[1].split(',') if h)
            else:
                sys.exit(f'unknown option {args[0]}')
            args = args[2:]
        sys.stdout.write(generate(base_template(argv[2]), argv[3], daemon, have))
        return 0
    sys.exit(__doc__)


if __name__ == '__main__':
    sys.exit(main(sys.argv))
