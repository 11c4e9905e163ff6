"""Append the v12 parts to the eval set: ids after the last row, rows shuffled once, added=v12. Prints counts only."""
import csv, sys, re
BANNED=re.compile(r'\b(IT|OT)\b|operational technology|information technology|customer technology|R-(CT|OT|IT)-')
DRY='--dry' in sys.argv
sys.argv=[a for a in sys.argv if a!='--dry']
import numpy as np
EVAL='/work/main/data/eval/technology_items.csv'
with open(EVAL, encoding='utf-8', newline='') as fh:
    r=csv.DictReader(fh); fields=r.fieldnames; rows=list(r)
assert not any(x['added']=='v12' for x in rows), 'v12 already merged'
seen={x['name'].strip().lower() for x in rows}
need=["name","description","vendor","category","users","deployment","purpose","difficulty","rule","source_title","source_url"]
new=[]; problems=[]
for part in sys.argv[1:]:
    with open(part, encoding='utf-8', newline='') as fh:
        rr=csv.DictReader(fh)
        assert rr.fieldnames==need, (part, rr.fieldnames)
        for i,x in enumerate(rr, start=2):
            key=x['name'].strip().lower()
            if not key or key in seen: problems.append(f"{part}:{i}: duplicate or empty name"); continue
            if x['purpose'] not in ('IT','OT','CT') or x['difficulty'] not in ('clear','ambiguous') or not x['rule'] or not x['source_url'].startswith('http'):
                problems.append(f"{part}:{i}: bad label/rule/source cell"); continue
            if BANNED.search(x['description'] or ''): problems.append(f"{part}:{i}: banned word in description")
            seen.add(key); new.append(x)
print('\n'.join(problems) or 'no problems')
import collections
print(collections.Counter((x['purpose'],x['difficulty']) for x in new), len(new))
if DRY: sys.exit(0)
rng=np.random.default_rng(20270620)
order=rng.permutation(len(new))
start=len(rows)+1
for k,j in enumerate(order):
    x=dict(new[j]); x['item_id']=f"E{start+k:04d}"; x['split']='test'; x['added']='v12'
    rows.append({f:x.get(f,'') for f in fields})
with open(EVAL,'w',encoding='utf-8',newline='') as fh:
    w=csv.DictWriter(fh, fieldnames=fields, lineterminator='\n'); w.writeheader(); w.writerows(rows)
print(f"appended {len(new)} rows as E{start:04d}..E{start+len(new)-1:04d}")
