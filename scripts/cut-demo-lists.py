#!/usr/bin/env python3
"""Cuts the demo's small sanctions extract (resources/demo/lists/) from the public lists in ../shared/data.

Deterministic: every 75th SDN record of OFAC's 2021 legacy CSV set (with its aliases, addresses and comment
continuations), and every 10th individual and every 5th entity of the UN Security Council consolidated list of
2026-02-27, each record copied byte for byte. Run from the repository root: python3 scripts/cut-demo-lists.py
"""
import os
import re

SHARED = os.path.join('..', 'shared', 'data', 'sanctions')
OUT = os.path.join('resources', 'demo', 'lists')
SDN_EVERY, UN_INDIVIDUAL_EVERY, UN_ENTITY_EVERY = 75, 10, 5


def records(path):
    with open(path, 'rb') as f:
        data = f.read()
    body = data.rstrip(b'\x1a')
    return [line for line in body.split(b'\r\n') if line.strip() != b'']


def ent_num(line):
    return line.split(b',', 1)[0]


os.makedirs(os.path.join(OUT, 'ofac-sdn'), exist_ok=True)
sdn = records(os.path.join(SHARED, 'ofac-sdn-2021', 'sdn.csv'))
chosen = [line for index, line in enumerate(sdn) if index % SDN_EVERY == 0]
kept = {ent_num(line) for line in chosen}
for name in ['sdn.csv', 'alt.csv', 'add.csv', 'sdn_comments.csv']:
    lines = chosen if name == 'sdn.csv' else [
        line for line in records(os.path.join(SHARED, 'ofac-sdn-2021', name)) if ent_num(line) in kept]
    if name == 'sdn_comments.csv' and not lines:
        continue
    with open(os.path.join(OUT, 'ofac-sdn', name), 'wb') as f:
        f.write(b''.join(line + b'\r\n' for line in lines))

os.makedirs(os.path.join(OUT, 'un'), exist_ok=True)
with open(os.path.join(SHARED, 'un', 'UN_consolidated-2026-02-27.xml'), encoding='utf-8') as f:
    xml = f.read()


def cut(tag, every):
    blocks = re.findall(r'    <%s>.*?</%s>\n' % (tag, tag), xml, re.S)
    return ''.join(block for index, block in enumerate(blocks) if index % every == 0), len(blocks)


individuals, all_individuals = cut('INDIVIDUAL', UN_INDIVIDUAL_EVERY)
entities, all_entities = cut('ENTITY', UN_ENTITY_EVERY)
head = xml[: xml.index('<INDIVIDUALS>')]
with open(os.path.join(OUT, 'un', 'UN_consolidated-2026-02-27-demo.xml'), 'w', encoding='utf-8') as f:
    f.write(head + '<INDIVIDUALS>\n' + individuals + '  </INDIVIDUALS>\n  <ENTITIES>\n' + entities
            + '  </ENTITIES>\n</CONSOLIDATED_LIST>\n')
print(f'OFAC SDN: {len(chosen)} of {len(sdn)} records; UN: {individuals.count("<INDIVIDUAL>")} of '
      f'{all_individuals} individuals, {entities.count("<ENTITY>")} of {all_entities} entities')
