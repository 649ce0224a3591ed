#!/usr/bin/env python3
"""Summarises the generated weights.rs files as markdown: for every call, the base execution
time, the time and storage-access slope of every component, and the base reads and writes;
then how many liquidations fit a block, single and batched, by ref_time and by proof size;
then our hot-path calls against the chain's own pallets measured in the same run
(benchmarking/baselines/). `benchmarking/report.py > benchmarking/report.md` refreshes the
committed report."""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PALLETS = ["lending", "backstop", "avatar"]

# The runtime's figures (runtime/src/lib.rs, runtime/src/configs/mod.rs): RocksDbWeight,
# ExtrinsicBaseWeight, and the normal class's share (75 %) of a 2 s / 5 MiB block.
READ_PS = 25_000_000
WRITE_PS = 100_000_000
EXTRINSIC_BASE_PS = 108_000_000
NORMAL_REF_TIME_PS = 1_500_000_000_000
NORMAL_PROOF_BYTES = int(0.75 * 5 * 1024 * 1024)


def parse(path):
    """Every weight function of the SubstrateWeight impl: name -> (args, model)."""
    text = path.read_text()
    impl = text.split("WeightInfo for SubstrateWeight<T> {", 1)[1]
    impl = impl.split("impl WeightInfo for ()", 1)[0]
    functions = {}
    for match in re.finditer(r"fn (\w+)\(([^)]*)\) -> Weight \{(.*?)\n\t\}", impl, re.S):
        name, args, body = match.groups()
        base = re.search(r"Weight::from_parts\(([\d_]+), ([\d_]+)\)", body)
        model = {
            "ref": int(base.group(1).replace("_", "")),
            "proof": int(base.group(2).replace("_", "")),
            "ref_per": {c: int(v.replace("_", "")) for v, c in re.findall(
                r"Weight::from_parts\(([\d_]+), 0\)\.saturating_mul\((\w+)\.into\(\)\)", body)},
            "proof_per": {c: int(v.replace("_", "")) for v, c in re.findall(
                r"Weight::from_parts\(0, ([\d_]+)\)\.saturating_mul\((\w+)\.into\(\)\)", body)},
            "reads": sum(int(n) for n in re.findall(r"reads\((\d+)_u64\)", body)),
            "writes": sum(int(n) for n in re.findall(r"writes\((\d+)_u64\)", body)),
            "reads_per": {c: int(n) for n, c in re.findall(
                r"reads\(\((\d+)_u64\)\.saturating_mul\((\w+)", body)},
            "writes_per": {c: int(n) for n, c in re.findall(
                r"writes\(\((\d+)_u64\)\.saturating_mul\((\w+)", body)},
        }
        functions[name] = (args.strip().rstrip(","), model)
    return functions


def evaluate(model, **components):
    """(ref_time in ps, proof in bytes) of a call, database weights included."""
    ref = model["ref"] + model["reads"] * READ_PS + model["writes"] * WRITE_PS
    proof = model["proof"]
    for c, v in components.items():
        ref += v * (model["ref_per"].get(c, 0) + model["reads_per"].get(c, 0) * READ_PS
                    + model["writes_per"].get(c, 0) * WRITE_PS)
        proof += v * model["proof_per"].get(c, 0)
    return ref, proof


def summary_rows(functions):
    for name, (args, m) in functions.items():
        per = ", ".join(f"{c}: +{v / 1e6:.2f} µs" for c, v in m["ref_per"].items()) or "—"
        access = f"{m['reads']} r / {m['writes']} w"
        extra = [f"+{n} r·{c}" for c, n in m["reads_per"].items()]
        extra += [f"+{n} w·{c}" for c, n in m["writes_per"].items()]
        if extra:
            access += " " + " ".join(extra)
        comps = ", ".join(a.split(":")[0].strip() for a in args.split(",") if a.strip()) or "—"
        yield name, comps, f"{m['ref'] / 1e6:.1f} µs", per, access


def per_block(ref, proof, count=1, extrinsics=1):
    """Positions per block for a call doing `count` of them, `extrinsics` calls per batch."""
    ref = ref + EXTRINSIC_BASE_PS * extrinsics
    return (NORMAL_REF_TIME_PS * count) // ref, (NORMAL_PROOF_BYTES * count) // max(proof, 1)


def main():
    out = sys.stdout
    weights = {p: parse(ROOT / "pallets" / p / "src" / "weights.rs") for p in PALLETS}
    out.write("| pallet | call | components | base time | time per component unit | storage access |\n")
    out.write("|---|---|---|---|---|---|\n")
    for pallet in PALLETS:
        for name, comps, base, per, access in summary_rows(weights[pallet]):
            out.write(f"| {pallet} | `{name}` | {comps} | {base} | {per} | {access} |\n")

    out.write("\n## Liquidations per block\n\n")
    out.write("Normal class: 1.5 s of ref_time and 3.93 MB of proof; each extrinsic also pays "
              "`ExtrinsicBaseWeight` (108 µs); database weights are RocksDB's (25 µs a read, "
              "100 µs a write). Batches are charged for every position liquidated.\n\n")
    out.write("| call | per position: total time | per position: proof | per block by time | per block by proof |\n")
    out.write("|---|---|---|---|---|\n")
    rows = []
    backstop, avatar = weights["backstop"], weights["avatar"]
    if "liquidate" in backstop:
        rows.append(("`backstop.liquidate`", *evaluate(backstop["liquidate"][1], d=100), 1))
    if "liquidate_many" in backstop:
        for n in (1, 8, 32):
            ref, proof = evaluate(backstop["liquidate_many"][1], n=n, s=0)
            rows.append((f"`backstop.liquidate_many`, batch of {n}", ref, proof, n))
    for call in ("pool_liquidate", "pool_liquidate_in_market"):
        if call in avatar:
            rows.append((f"`avatar.{call}`", *evaluate(avatar[call][1]), 1))
    for label, ref, proof, n in rows:
        by_time, by_proof = per_block(ref, proof, n)
        each = (ref + EXTRINSIC_BASE_PS) / n
        out.write(f"| {label} | {each / 1e9:.2f} ms | {proof / n / 1e3:.1f} KB | "
                  f"{by_time} | {by_proof} |\n")

    baselines = ROOT / "benchmarking" / "baselines"
    if baselines.is_dir():
        out.write("\n## Against the chain's own pallets (same run)\n\n")
        out.write("| ours | baseline | ours / baseline (total time) |\n|---|---|---|\n")
        found = {f.stem: parse(f) for f in baselines.glob("*.rs")}
        pairs = [
            ("backstop", "swap", {"d": 100}, "pallet_asset_conversion",
             "swap_exact_tokens_for_tokens", {"n": 2}),
            ("backstop", "liquidate", {"d": 100}, "pallet_assets", "transfer_keep_alive", {}),
        ]
        for pallet, call, comps, base_pallet, base_call, base_comps in pairs:
            ours = weights[pallet].get(call)
            theirs = found.get(base_pallet, {}).get(base_call)
            if ours and theirs:
                a = evaluate(ours[1], **comps)[0]
                b = evaluate(theirs[1], **base_comps)[0]
                out.write(f"| `{pallet}.{call}` {a / 1e9:.2f} ms | `{base_pallet}.{base_call}` "
                          f"{b / 1e9:.2f} ms | {a / b:.2f} |\n")
        if "liquidate_many" in backstop and "pallet_assets" in found:
            theirs = found["pallet_assets"].get("transfer_keep_alive")
            if theirs:
                a = evaluate(backstop["liquidate_many"][1], n=32, s=0)[0] / 32
                b = evaluate(theirs[1])[0]
                out.write(f"| `backstop.liquidate_many` per position (batch of 32) {a / 1e9:.2f} ms "
                          f"| `pallet_assets.transfer_keep_alive` {b / 1e9:.2f} ms | {a / b:.2f} |\n")


if __name__ == "__main__":
    main()
