#!/usr/bin/env python3
"""Summarises the generated weights.rs files as a markdown table: for every call, the base
execution time, the time and storage-access slope of every component, and the base reads and
writes. `benchmarking/report.py > benchmarking/report.md` refreshes the committed report."""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PALLETS = ["lending", "backstop", "avatar"]


def summarise(path):
    text = path.read_text()
    impl = text.split("impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {", 1)[1]
    impl = impl.split("impl WeightInfo for ()", 1)[0]
    for match in re.finditer(r"fn (\w+)\(([^)]*)\) -> Weight \{(.*?)\n\t\}", impl, re.S):
        name, args, body = match.groups()
        base = re.search(r"Weight::from_parts\(([\d_]+), ([\d_]+)\)", body)
        base_us = int(base.group(1).replace("_", "")) / 1e6
        slopes = re.findall(
            r"Weight::from_parts\(([\d_]+), 0\)\.saturating_mul\((\w+)\.into\(\)\)", body
        )
        reads = re.search(r"reads\((\d+)_u64\)", body)
        writes = re.search(r"writes\((\d+)_u64\)", body)
        read_slopes = re.findall(r"reads\(\((\d+)_u64\)\.saturating_mul\((\w+)", body)
        write_slopes = re.findall(r"writes\(\((\d+)_u64\)\.saturating_mul\((\w+)", body)
        per = ", ".join(
            f"{c}: +{int(v.replace('_', '')) / 1e6:.2f} µs" for v, c in slopes
        ) or "—"
        access = f"{reads.group(1) if reads else 0} r / {writes.group(1) if writes else 0} w"
        extra = [f"+{n} r·{c}" for n, c in read_slopes] + [f"+{n} w·{c}" for n, c in write_slopes]
        if extra:
            access += " " + " ".join(extra)
        yield name, args.strip().rstrip(","), f"{base_us:.1f} µs", per, access


def main():
    out = sys.stdout
    out.write("| pallet | call | components | base time | time per component unit | storage access |\n")
    out.write("|---|---|---|---|---|---|\n")
    for pallet in PALLETS:
        path = ROOT / "pallets" / pallet / "src" / "weights.rs"
        for name, args, base, per, access in summarise(path):
            comps = ", ".join(a.split(":")[0].strip() for a in args.split(",") if a.strip()) or "—"
            out.write(f"| {pallet} | `{name}` | {comps} | {base} | {per} | {access} |\n")


if __name__ == "__main__":
    main()
