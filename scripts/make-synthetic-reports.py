#!/usr/bin/env python3
"""Write N synthetic upcycle reports for the batch benchmark.

Each report is a real fixture machine's report (probed with `upcycle probe --format json`)
with a varied serial, RAM size and install disk (size, HDD or SSD), so that the batch
chooses different profiles and apps the way a real room would.

usage: make-synthetic-reports.py UPCYCLE_BINARY FIXTURES_DIR OUT_DIR N
"""
import json
import os
import random
import subprocess
import sys

binary, fixtures, out, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
machines = []
for slug in sorted(os.listdir(fixtures)):
    root = os.path.join(fixtures, slug, "root")
    if os.path.isdir(root):
        text = subprocess.run([binary, "probe", "--root", root, "--format", "json"],
                              check=True, capture_output=True, text=True).stdout
        machines.append((slug, json.loads(text)))
rng = random.Random(2026)  # fixed seed: reruns give the same reports
os.makedirs(out, exist_ok=True)
for i in range(n):
    slug, base = machines[i % len(machines)]
    r = json.loads(json.dumps(base))
    r["machine"]["serial"] = f"SYN{i:06d}"
    ram = rng.choice([512, 1024, 1536, 2048, 3072, 4096, 8192, 16384])
    r["memory"]["installed_mib"] = ram
    r["memory"]["mem_total_kib"] = ram * 1024 * 95 // 100
    target = r["storage"]["install_target"]
    for d in r["storage"]["disks"]:
        if d["name"] == target:
            d["size_bytes"] = rng.choice([40, 80, 120, 250, 500]) * 1000 ** 3
            d["rotational"] = rng.random() < 0.6
    with open(os.path.join(out, f"{i:06d}-{slug}.json"), "w") as f:
        json.dump(r, f)
print(f"{n} reports from {len(machines)} fixture machines in {out}")
