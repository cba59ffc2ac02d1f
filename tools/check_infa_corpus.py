#!/usr/bin/env python3
"""Consistency check for the hand-written PowerCenter exports in corpus/informatica.

For every MAPPING and MAPPLET it checks that
  - each CONNECTOR names existing instances, with the right FROM/TOINSTANCETYPE,
  - FROMFIELD is a port that can send data and TOFIELD one that can receive it,
  - no input port is fed twice, every target instance is fed, TARGETLOADORDER names targets,
  - each Source Qualifier's ASSOCIATED_SOURCE_INSTANCE exists,
  - $$names used in expressions/attributes are declared as MAPPINGVARIABLEs,
  - :LKP.name(...) calls name an unconnected Lookup instance of the mapping.
Workflows and worklets: every TASKINSTANCE has a TASK/SESSION/WORKLET, every WORKFLOWLINK joins task
instances.

Usage: tools/check_infa_corpus.py [DIR]   (default: corpus/informatica; broken/ is skipped)
Exit status 1 when a problem is found.
"""
import os
import re
import sys
import xml.etree.ElementTree as ET

SENDS = ('OUTPUT', 'INPUT/OUTPUT', 'LOOKUP/OUTPUT', 'LOOKUP/RETURN/OUTPUT', 'RETURN/OUTPUT',
         'INPUT/OUTPUT/MASTER', 'GENERATED KEY/OUTPUT', 'GENERATED COLUMN ID/OUTPUT', 'OUTPUT/MASTER')
RECEIVES = ('INPUT', 'INPUT/OUTPUT', 'INPUT/OUTPUT/MASTER', 'INPUT/MASTER')
BUILTIN_PARAMS = {'$$PushdownConfig'}


def port_dirs(trans):
    """name -> PORTTYPE for a TRANSFORMATION element."""
    return {f.get('NAME'): f.get('PORTTYPE') for f in trans.findall('TRANSFORMFIELD')}


def check_container(path, folder, cont, problems):
    where = '%s: %s %s' % (path, cont.tag, cont.get('NAME'))
    local = {t.get('NAME'): t for t in cont.findall('TRANSFORMATION')}
    reusable = {t.get('NAME'): t for t in folder.findall('TRANSFORMATION')}
    sources = {s.get('NAME'): s for s in folder.findall('SOURCE')}
    targets = {t.get('NAME'): t for t in folder.findall('TARGET')}
    mapplets = {}
    for mp in folder.findall('MAPPLET'):
        for t in mp.findall('TRANSFORMATION'):
            if t.get('TYPE') == 'Mapplet':
                mapplets[t.get('NAME')] = t

    inst = {}  # name -> (type label, {port: direction})
    for i in cont.findall('INSTANCE'):
        name, kind, tname = i.get('NAME'), i.get('TYPE'), i.get('TRANSFORMATION_NAME')
        if kind == 'SOURCE':
            s = sources.get(tname)
            if s is None:
                problems.append('%s: instance %s: no SOURCE %s' % (where, name, tname))
                continue
            inst[name] = ('Source Definition', {f.get('NAME'): 'OUTPUT' for f in s.findall('SOURCEFIELD')})
        elif kind == 'TARGET':
            t = targets.get(tname)
            if t is None:
                problems.append('%s: instance %s: no TARGET %s' % (where, name, tname))
                continue
            inst[name] = ('Target Definition', {f.get('NAME'): 'INPUT' for f in t.findall('TARGETFIELD')})
        elif kind == 'MAPPLET':
            t = mapplets.get(tname)
            if t is None:
                problems.append('%s: instance %s: no MAPPLET %s' % (where, name, tname))
                continue
            inst[name] = ('Mapplet', port_dirs(t))
        else:
            t = reusable.get(tname) if i.get('REUSABLE') == 'YES' else local.get(tname)
            if t is None:
                problems.append('%s: instance %s: no TRANSFORMATION %s' % (where, name, tname))
                continue
            if t.get('TYPE') != i.get('TRANSFORMATION_TYPE'):
                problems.append('%s: instance %s: TRANSFORMATION_TYPE %s but transformation is %s'
                                % (where, name, i.get('TRANSFORMATION_TYPE'), t.get('TYPE')))
            inst[name] = (t.get('TYPE'), port_dirs(t))
            for a in i.findall('ASSOCIATED_SOURCE_INSTANCE'):
                if a.get('NAME') not in [x.get('NAME') for x in cont.findall('INSTANCE')]:
                    problems.append('%s: %s: associated source %s is not an instance' % (where, name, a.get('NAME')))

    fed = set()
    for c in cont.findall('CONNECTOR'):
        fi, ff, ti, tf = c.get('FROMINSTANCE'), c.get('FROMFIELD'), c.get('TOINSTANCE'), c.get('TOFIELD')
        for side, iname, field, ityp, ok in (('from', fi, ff, c.get('FROMINSTANCETYPE'), SENDS),
                                             ('to', ti, tf, c.get('TOINSTANCETYPE'), RECEIVES)):
            if iname not in inst:
                problems.append('%s: connector %s.%s -> %s.%s: no instance %s' % (where, fi, ff, ti, tf, iname))
                continue
            label, ports = inst[iname]
            if ityp != label:
                problems.append('%s: connector %s.%s -> %s.%s: %sINSTANCETYPE %s, instance is %s'
                                % (where, fi, ff, ti, tf, side.upper(), ityp, label))
            if field not in ports:
                problems.append('%s: connector %s.%s -> %s.%s: %s has no port %s' % (where, fi, ff, ti, tf, iname, field))
            elif ports[field] not in ok:
                problems.append('%s: connector %s.%s -> %s.%s: port %s is %s' % (where, fi, ff, ti, tf, field, ports[field]))
        if (ti, tf) in fed:
            problems.append('%s: %s.%s is fed twice' % (where, ti, tf))
        fed.add((ti, tf))

    for name, (label, _) in inst.items():
        if label == 'Target Definition' and not any(t == name for t, _ in fed):
            problems.append('%s: target instance %s is not fed' % (where, name))
    for tlo in cont.findall('TARGETLOADORDER'):
        if inst.get(tlo.get('TARGETINSTANCE'), ('',))[0] != 'Target Definition':
            problems.append('%s: TARGETLOADORDER names %s, not a target instance' % (where, tlo.get('TARGETINSTANCE')))

    # $$ parameters and :LKP calls
    declared = {v.get('NAME').upper() for v in cont.findall('MAPPINGVARIABLE')}
    texts = []
    for t in list(local.values()) + [reusable[n] for n in reusable]:
        if t.get('NAME') not in [i.get('TRANSFORMATION_NAME') for i in cont.findall('INSTANCE')]:
            continue
        texts += [f.get('EXPRESSION') or '' for f in t.findall('TRANSFORMFIELD')]
        texts += [a.get('VALUE') or '' for a in t.findall('TABLEATTRIBUTE')]
        texts += [g.get('EXPRESSION') or '' for g in t.findall('GROUP')]
    for text in texts:
        for p in re.findall(r'\$\$\w+', text):
            if p.upper() not in declared and p not in BUILTIN_PARAMS:
                problems.append('%s: %s used but not declared as MAPPINGVARIABLE' % (where, p))
        for lk in re.findall(r':LKP\.(\w+)', text, flags=re.I):
            if inst.get(lk, ('',))[0] != 'Lookup Procedure':
                problems.append('%s: :LKP.%s is not a lookup instance' % (where, lk))
            elif any(c.get('TOINSTANCE') == lk or c.get('FROMINSTANCE') == lk for c in cont.findall('CONNECTOR')):
                problems.append('%s: :LKP.%s is also connected' % (where, lk))


def check_workflow(path, folder, wf, problems):
    where = '%s: %s %s' % (path, wf.tag, wf.get('NAME'))
    tasks = set()
    for scope in (wf, folder):  # non-reusable definitions, then the folder's reusable ones
        for tag in ('TASK', 'SESSION', 'WORKLET'):
            tasks |= {t.get('NAME') for t in scope.findall(tag)}
    for wl in wf.findall('WORKLET'):
        check_workflow(path, folder, wl, problems)
    insts = set()
    for ti in wf.findall('TASKINSTANCE'):
        insts.add(ti.get('NAME'))
        if ti.get('TASKNAME') not in tasks:
            problems.append('%s: task instance %s: no task %s' % (where, ti.get('NAME'), ti.get('TASKNAME')))
    for ln in wf.findall('WORKFLOWLINK'):
        for end in (ln.get('FROMTASK'), ln.get('TOTASK')):
            if end not in insts:
                problems.append('%s: link %s -> %s: no task instance %s' % (where, ln.get('FROMTASK'), ln.get('TOTASK'), end))


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', 'corpus', 'informatica')
    problems, n = [], 0
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d != 'broken')
        for fn in sorted(filenames):
            if not fn.upper().endswith('.XML'):
                continue
            path = os.path.join(dirpath, fn)
            n += 1
            try:
                doc = ET.parse(path).getroot()
            except ET.ParseError as e:
                problems.append('%s: XML error: %s' % (path, e))
                continue
            for folder in doc.iter('FOLDER'):
                for cont in list(folder.findall('MAPPING')) + list(folder.findall('MAPPLET')):
                    check_container(path, folder, cont, problems)
                for wf in folder.findall('WORKFLOW') + folder.findall('WORKLET'):
                    check_workflow(path, folder, wf, problems)
    for p in problems:
        print(p)
    print('%d files checked, %d problems' % (n, len(problems)))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
