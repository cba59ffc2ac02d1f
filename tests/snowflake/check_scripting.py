#!/usr/bin/env python3
"""check_scripting.py — grammar check of Snowflake Scripting procedures (snow_proc.c output).

The pinned tree-sitter SQL grammar reads the body of `CREATE FUNCTION ... LANGUAGE SQL AS $$ ... $$`
as plain SQL statements and knows no Snowflake Scripting (DECLARE sections, IF/ELSEIF, WHILE ... DO,
FOR ... DO, LET, RAISE, EXCEPTION WHEN ...) and no CREATE PROCEDURE. So each procedure is checked in
two parts, each written to a file that keeps the original line numbers, and both parsed with
`tscheck --lang sql --excuse` (the same allow-list as every generated script):

  1. the outer statement: CREATE OR REPLACE PROCEDURE name(params) RETURNS ... LANGUAGE SQL AS with
     the body replaced by an empty string literal (PROCEDURE read as FUNCTION, EXECUTE AS dropped),
     or EXECUTE IMMEDIATE $$ ... $$ read as SELECT '...';
  2. every SQL statement inside the body (INSERT, UPDATE, DELETE, MERGE, SELECT, WITH, CREATE, DROP,
     TRUNCATE; cursor and RESULTSET queries included; never a line inside a multi-line string literal)
     as a statement of its own, with the INTO line of SELECT INTO removed, :variable binds read as
     column names, and CREATE OR REPLACE TEMPORARY TABLE (a table variable) read without OR REPLACE.

The Scripting lines themselves (control flow, declarations, assignments) are not parsed by any
grammar here; docs/snowflake-backend.md ("Procedural units") says so.

usage: check_scripting.py TSCHECK EXCUSE_FILE FILE...   exit 0 all parse, 1 syntax errors, 2 usage
"""
import os
import re
import subprocess
import sys
import tempfile

STMT_START = re.compile(r"^\s*(INSERT\s+(OVERWRITE\s+)?INTO|UPDATE\s|DELETE\s+FROM|MERGE\s+INTO|SELECT\b|WITH\b|"
                        r"CREATE\s|DROP\s|TRUNCATE\s)", re.I)
BIND = re.compile(r"(?<![:\w]):([A-Za-z_][A-Za-z0-9_]*)(\.([A-Za-z_][A-Za-z0-9_]*))?")
QBIND = re.compile(r'(?<![:\w]):("[^"]+")')  # a bind of a quoted name (:"XML"), read as that quoted column
INTO_LINE = re.compile(r"^\s*INTO\s+:", re.I)


def scan(line, quote=None):
    """Scans one line starting inside quote (None: outside any literal). Returns the quote the line
    ends inside (None: outside) and the last character outside literals and comments."""
    last = ""
    i = 0
    while i < len(line):
        c = line[i]
        if quote:
            if c == quote:
                quote = None
        elif c in "'\"":
            quote = c
        elif c == "-" and line[i:i + 2] == "--":
            break
        elif not c.isspace():
            last = c
        i += 1
    return quote, last


def ends_statement(line, quote=None):
    """Whether the line ends with ';' outside a quoted literal or a comment."""
    return scan(line, quote)[1] == ";"


def split(text):
    """(outer, inner) line lists of the same length as text's lines, or None when not a unit."""
    lines = text.split("\n")
    try:
        start = next(i for i, l in enumerate(lines) if l.rstrip() in ("$$", "EXECUTE IMMEDIATE $$"))
        end = next(i for i in range(len(lines) - 1, start, -1) if lines[i].rstrip() == "$$;")
    except StopIteration:
        return None
    outer = [""] * len(lines)
    inner = [""] * len(lines)
    for i, l in enumerate(lines):
        if i < start or i > end:
            if l.startswith("CREATE OR REPLACE PROCEDURE "):
                l = "CREATE OR REPLACE FUNCTION " + l[len("CREATE OR REPLACE PROCEDURE "):]
            elif re.match(r"^EXECUTE AS (CALLER|OWNER)\s*$", l):
                l = ""
            outer[i] = l
    if lines[start].startswith("EXECUTE IMMEDIATE"):
        outer[start] = "SELECT '"
    else:
        outer[start] = "'"
    outer[end] = "';"
    # which body lines start inside a multi-line string literal (never a statement start)
    in_quote = [None] * len(lines)
    q = None
    for k in range(start + 1, end):
        in_quote[k] = q
        q = scan(lines[k], q)[0]
    i = start + 1
    while i < end:
        if in_quote[i] or not STMT_START.match(lines[i]):
            i += 1
            continue
        # a query in parentheses (`x_rs := (` / `LET x RESULTSET := (` on the line before) ends at `);`
        wrapped = lines[i - 1].rstrip().endswith("(")
        j = i
        while j < end:
            l = lines[j]
            if INTO_LINE.match(l):
                inner[j] = ""
            else:
                inner[j] = BIND.sub(lambda m: m.group(1) + ("_" + m.group(3) if m.group(3) else ""), QBIND.sub(r"\1", l))
                # a table variable is CREATE OR REPLACE TEMPORARY TABLE (valid Snowflake: a fresh table per
                # call); the grammar knows OR REPLACE only for views and functions
                inner[j] = inner[j].replace("CREATE OR REPLACE TEMPORARY TABLE ", "CREATE TEMPORARY TABLE ")
            if ends_statement(l, in_quote[j]):
                break
            if wrapped and j + 1 < end and lines[j + 1].strip() in (");", ")"):
                inner[j] += ";"
                break
            j += 1
        i = j + 1
    return outer, inner


def main(argv):
    if len(argv) < 4:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    tscheck, excuse, files = argv[1], argv[2], argv[3:]
    failed = 0
    with tempfile.TemporaryDirectory(prefix="etlport-scripting.") as tmp:
        parts = []
        for k, path in enumerate(files):
            with open(path, encoding="utf-8") as f:
                res = split(f.read())
            if res is None:
                print(f"{path}: not a Snowflake Scripting unit (no $$ body)")
                failed = 1
                continue
            for name, part in zip(("outer", "inner"), res):
                p = os.path.join(tmp, f"{k:03d}-{name}-{os.path.basename(path)}")
                with open(p, "w", encoding="utf-8") as f:
                    f.write("\n".join(part))
                parts.append((p, path))
        if parts:
            r = subprocess.run([tscheck, "--lang", "sql", "--excuse", excuse, "--stats"] + [p for p, _ in parts],
                               capture_output=True, text=True)
            out = r.stdout + r.stderr
            for p, orig in parts:
                out = out.replace(p, orig + " [" + ("outer" if "-outer-" in p else "SQL in body") + "]")
            sys.stdout.write(out)
            if r.returncode != 0:
                failed = 1
    print(f"check_scripting: {len(files)} procedures, {'FAIL' if failed else 'ok'}")
    return failed


if __name__ == "__main__":
    sys.exit(main(sys.argv))
