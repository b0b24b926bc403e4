#!/usr/bin/env python3
"""Differential test: aaprof's reading of policy text against apparmor_parser's.

Generates profiles full of what trips a reader: file names with '{', '}',
'#', ',', '"', '\\', '@{', newlines, tabs, blanks and the section markers'
own text, written quoted and unquoted with every escape apparmor_parser
knows (\\n \\t \\" \\\\ \\NNN \\xHH \\{ \\@ ...); comments with braces, quotes
and marker text, on header lines and after rules; headers spread over lines;
quoted and escaped profile names, children and hats. Each case that
apparmor_parser compiles (-QK) is read by aaprof (tests/fuzz/policy-dump,
the library's own functions) and compared with apparmor_parser's view:
  * the profiles and their names: apparmor_parser -N
  * each top-level profile's mode: apparmor_parser -d ("Mode: complain")
  * the file rules, path and permissions: apparmor_parser -d's entries
  * the rules of the harvested section: the generator's own list (the
    markers are aaprof's, apparmor_parser sees comments)
usage: diff-policy.py POLICY-DUMP [CASES [SEED]]; prints 'policy-diff: ...'
"""
import os, random, re, subprocess, sys, tempfile

dump = sys.argv[1]
cases = int(sys.argv[2]) if len(sys.argv) > 2 else 300
seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
PARSER = os.environ.get('REAL_APPARMOR_PARSER', 'apparmor_parser')
BEGIN = '# --- BEGIN aaprof harvested rules'
END = '# --- END aaprof harvested rules'
IMPLICIT = {'/proc/*/attr/apparmor/', '/proc/[0-9]*/attr/{apparmor/,}current',
            '/sys/module/apparmor/parameters/enabled'}
rnd = random.Random(seed)
work = tempfile.mkdtemp(prefix='aaprof-diff.')

PIECES = ['a', 'b', 'x1', 'data', '.', '-', '_', '~', '{', '}', '#', ',', '"', '\\', '@{HOME}',
          '@', ' ', '\t', '\n', '*', '?', '[', ']', '^', '!', '(', ')', '=', '+', '%', ':',
          'é', END, BEGIN, ' r,', '}\n', '{\n', '# x', '\\n', '\\"']
GLOB = set('*?[]{}^')

def literal_path():
    return '/' + ''.join(rnd.choice(PIECES) for _ in range(rnd.randint(1, 6)))

def octal(c):
    return ''.join('\\%03o' % b for b in c.encode())

def as_aare(path):
    """the pattern apparmor_parser reads for a literal path (processid's output)"""
    out = []
    for i, c in enumerate(path):
        if c in GLOB or c == '\\' or c == ',':
            out.append('\\' + c)
        elif c == '@' and path[i + 1:i + 2] == '{':
            out.append('\\@')   # written \@: kept as written
        else:
            out.append(c)
    return ''.join(out)

def write_path(path):
    """policy text for a literal path, quoted or not, escapes chosen at random"""
    quote = rnd.random() < 0.5 or any(c in path for c in ' \t\n"!')
    out = []
    for i, c in enumerate(path):
        last = i == len(path) - 1
        r = rnd.random()
        if i == 0:
            out.append(c)   # the leading '/' opens the path for the lexer
        elif c == '\\':
            out.append('\\134' if last or r < 0.5 else '\\\\')
        elif c in GLOB:
            out.append('\\' + c if r < 0.7 else octal(c))
        elif c == '@' and path[i + 1:i + 2] == '{':
            out.append('\\@')
        elif c == ',':
            out.append('\\,' if r < 0.5 else octal(c))
        elif c == '"':
            out.append('\\"' if quote and r < 0.5 else octal(c))
        elif c == '\n':
            out.append('\\n' if quote and r < 0.5 else octal(c))
        elif c == '\t':
            out.append('\\t' if quote and r < 0.5 else octal(c))
        elif c in ' !' and not quote:
            out.append(octal(c))
        elif c == '#' and r < 0.2:
            out.append(octal(c))
        elif r < 0.05:
            out.append(octal(c))
        else:
            out.append(c)
    text = ''.join(out)
    return '"%s"' % text if quote else text

def comment():
    return '# ' + ''.join(rnd.choice(['{', '}', '"', '\\', 'note', ' ', END, BEGIN, '(', ',', 'flags=(complain)'])
                          for _ in range(rnd.randint(0, 5)))

def name():
    n = rnd.choice(['app', 'web-1', 'a.b', 'svc_x', 'my app', 'q\\{x', 'n\\x41m'])
    return '"%s"' % n if ' ' in n else n

def processed_name(n):
    n = n.strip('"')
    return n.replace('\\x41', 'A')

class Case:
    def __init__(self):
        self.lines = []
        self.names, self.modes, self.files, self.section = [], {}, {}, []

    def rule(self, indent, in_section=False):
        path = literal_path()
        perms = rnd.choice(['r', 'rw', 'w', 'k', 'l', 'm', 'rk', 'ix', 'mr'])
        owner = rnd.random() < 0.2
        text = ('owner ' if owner else '') + write_path(path) + ' ' + perms + ','
        if in_section:
            self.section.append(text)
        bits = set(perms.replace('ix', 'x'))
        if 'w' in bits:
            bits.add('a')
        key = as_aare(path)
        self.files.setdefault(key, set()).update(bits)
        tail = (' ' + comment()) if rnd.random() < 0.3 else ''
        self.lines.append(indent + text + tail)

    def profile(self, full, depth):
        indent = '  ' * depth
        n = name()
        flags = rnd.choice(['', 'flags=(complain)', 'flags=(attach_disconnected,complain)',
                            'flags=(attach_disconnected)', 'flags=(complain, mediate_deleted)'])
        mode = 'complain' if 'complain' in flags else 'enforce'
        me = (full + '//' if full else '') + processed_name(n)
        self.names.append(me)
        if not full:
            self.modes[me] = mode
        hdr = indent + 'profile ' + n
        if flags:
            hdr += ('\n' + indent + '    ' if rnd.random() < 0.2 else ' ') + flags
        if rnd.random() < 0.15:
            hdr += '\n' + indent + comment() + '\n' + indent
        else:
            hdr += ' '
        hdr += '{' + ((' ' + comment()) if rnd.random() < 0.5 else '')
        self.lines.append(hdr)
        for _ in range(rnd.randint(0, 4)):
            if rnd.random() < 0.2:
                self.lines.append(indent + '  ' + comment())
            self.rule(indent + '  ')
        if depth == 0 and not full and not self.section and rnd.random() < 0.8:
            self.lines.append(indent + '  ' + BEGIN + ' (aaprof harvest --write replaces this section) ---')
            for _ in range(rnd.randint(0, 5)):
                self.rule(indent + '  ', in_section=True)
            self.lines.append(indent + '  ' + END + ' ---')
            self.section.append(None)   # the section exists
        if depth == 0 and rnd.random() < 0.3:
            self.profile(me, depth + 1)
        self.lines.append(indent + '}' + ((' ' + comment()) if rnd.random() < 0.3 else ''))

    def text(self):
        self.lines.append('abi <abi/3.0>,')
        if rnd.random() < 0.3:
            self.lines.append(comment())
        self.profile('', 0)
        return '\n'.join(self.lines) + '\n'

def parser_view(path):
    names = subprocess.run([PARSER, '-N', path], capture_output=True).stdout.decode('utf-8', 'surrogateescape')
    d = subprocess.run(['stdbuf', '-o0', PARSER, '-d', '-QK', path], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT).stdout.decode('utf-8', 'surrogateescape')
    modes, files, cur, top = {}, {}, None, False
    for m in re.finditer(r'^Name:\t\t([^\n]*)$|^Local To:\t([^\n]*)$|^Mode: ([^\n]*)$|^Mode:\t([^\t\n]*)\tName:\t\((.*?)\)\n(?=Mode:\t|\n|\tlink:|$)',
                         d, re.M | re.S):
        if m.group(1) is not None:
            cur, top = m.group(1), True
        elif m.group(2) is not None:
            top = False
        elif m.group(3) is not None:
            if top and 'Hat' not in m.group(3):
                modes[cur] = 'complain' if m.group(3).startswith('complain') else 'enforce'
        else:
            user = m.group(4).split(':')[0]
            if m.group(5) not in IMPLICIT:
                files.setdefault(m.group(5), set()).update(user)
    return sorted(names.split('\n')[:-1]), modes, files

def aaprof_view(text):
    out = subprocess.run([dump], input=text.encode(), capture_output=True)
    if out.returncode:
        return None
    names, modes, files, section = [], {}, {}, []
    for r in out.stdout.decode('utf-8', 'surrogateescape').split('\x1e')[:-1]:
        f = r.split('\x1f')
        if f[0] == 'name':
            names.append(f[1])
        elif f[0] == 'mode' and '//' not in f[1]:
            modes[f[1]] = f[2]
        elif f[0] == 'file':
            files.setdefault(f[2], set()).update(f[1])
        elif f[0] == 'section':
            section.append(f[2])
    return sorted(names), modes, files, section

compared = skipped = failed = 0
for i in range(cases):
    c = Case()
    text = c.text()
    path = os.path.join(work, 'case.aa')
    with open(path, 'w') as f:
        f.write(text)
    if subprocess.run([PARSER, '-QK', path], capture_output=True).returncode:
        skipped += 1
        continue
    compared += 1
    pn, pm, pf = parser_view(path)
    mine = aaprof_view(text)
    want_section = [s for s in c.section if s is not None]
    problems = []
    if mine is None:
        problems.append('policy-dump failed')
    else:
        an, am, af, asec = mine
        if an != pn:
            problems.append('names: aaprof %r, apparmor_parser -N %r' % (an, pn))
        if am != pm:
            problems.append('modes: aaprof %r, apparmor_parser -d %r' % (am, pm))
        if af != pf:
            problems.append('file rules differ: only aaprof %r; only apparmor_parser %r' % (
                {k: ''.join(sorted(v)) for k, v in af.items() if pf.get(k) != v},
                {k: ''.join(sorted(v)) for k, v in pf.items() if af.get(k) != v}))
        if asec != want_section:
            problems.append('section: aaprof %r, written %r' % (asec, want_section))
    if problems:
        failed += 1
        keep = os.path.join(work, 'fail-%d.aa' % i)
        os.rename(path, keep)
        print('FAIL case %d (%s):\n  %s' % (i, keep, '\n  '.join(problems)), file=sys.stderr)
print('policy-diff: %d cases compared (%d generated, %d apparmor_parser rejected), %d differ'
      % (compared, cases, skipped, failed))
sys.exit(1 if failed or not compared else 0)
