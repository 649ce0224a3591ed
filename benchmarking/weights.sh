#!/usr/bin/env bash
# Regenerates every Backstop pallet's weights.rs with the node's own `benchmark pallet`
# command, from the wasm runtime (the same build `scripts/run` and `scripts/test` use).
#
#   benchmarking/weights.sh                    # every pallet, 50 steps x 20 repeats
#   benchmarking/weights.sh pallet_lending     # one pallet
#   STEPS=2 REPEAT=1 OUTPUT=/tmp benchmarking/weights.sh   # quick check, files to /tmp
#
# In the same run it measures the chain's own token transfer and DEX swap
# (benchmarking/baselines/), which benchmarking/report.py compares our calls with.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
scripts/setup >/dev/null

# A release node: the benchmarks run the runtime as wasm, but storage, hashing and the trie
# are the node's native host functions, which a debug build makes several times slower (and
# the weights with them). Its own target directory, so it never holds the debug build's lock.
export CARGO_TARGET_DIR="${BACKSTOP_RELEASE_TARGET:-$HOME/.cache/backstop/release-target}"
cargo build --release -p backstop-node --features runtime-benchmarks
NODE="$CARGO_TARGET_DIR/release/backstop-node"
WASM="$CARGO_TARGET_DIR/release/wbuild/backstop-runtime/backstop_runtime.wasm"

# The runtime pallets we own, and where their weights live.
declare -A WEIGHTS=(
	[pallet_lending]=pallets/lending/src/weights.rs
	[pallet_backstop]=pallets/backstop/src/weights.rs
	[pallet_avatar]=pallets/avatar/src/weights.rs
)

selected=("$@")
[ ${#selected[@]} -gt 0 ] || selected=("${!WEIGHTS[@]}")

available=$("$NODE" benchmark pallet --runtime "$WASM" --genesis-builder-preset development --list=pallets 2>/dev/null || true)
for pallet in "${selected[@]}"; do
	file=${WEIGHTS[$pallet]:?"unknown pallet $pallet"}
	if ! grep -qx "$pallet" <<<"$available"; then
		echo "weights: $pallet is not in the runtime's benchmarks yet; skipped" >&2
		continue
	fi
	out=${OUTPUT:+$OUTPUT/$pallet.rs}
	echo "weights: $pallet -> ${out:-$file}"
	"$NODE" benchmark pallet \
		--runtime "$WASM" \
		--genesis-builder-preset development \
		--pallet "$pallet" --extrinsic '*' \
		--steps "${STEPS:-50}" --repeat "${REPEAT:-20}" \
		--wasm-execution compiled \
		--heap-pages 4096 \
		--template benchmarking/weight-template.hbs \
		--output "${out:-$file}"
done

# Baselines, in the same run and on the same machine: a plain asset transfer and a DEX swap.
if [ ${#@} -eq 0 ]; then
	mkdir -p "${OUTPUT:-benchmarking/baselines}"
	for baseline in "pallet_assets:transfer_keep_alive" \
		"pallet_asset_conversion:swap_exact_tokens_for_tokens"; do
		pallet=${baseline%%:*}
		echo "weights: baseline $baseline"
		"$NODE" benchmark pallet \
			--runtime "$WASM" \
			--genesis-builder-preset development \
			--pallet "$pallet" --extrinsic "${baseline#*:}" \
			--steps "${STEPS:-50}" --repeat "${REPEAT:-20}" \
			--wasm-execution compiled \
			--heap-pages 4096 \
			--template benchmarking/weight-template.hbs \
			--output "${OUTPUT:-benchmarking/baselines}/$pallet.rs"
	done
fi
