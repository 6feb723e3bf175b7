#!/usr/bin/env bash
# Hidden-input inference (prompt marketplace), end to end with the zkml CLI:
#   the model is public, the seller's prompt is hidden behind a salted Poseidon commitment, the output is
#   public; the buyer verifies that the prompt behind the advertised commitment produces the output.
# usage: examples/hidden-input/run.sh [work-dir]      (ZKML overrides the command, default: the repo's bin)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="${1:-$here/out}"
zkml() { ${ZKML:-node "$here/../../bin/zkml.mjs"} "$@"; }
mkdir -p "$work"

echo "== marketplace: compile the public model with its input committed, set up keys"
zkml compile "$here/model.onnx" -o "$work/model" --committed-inputs
zkml setup "$work/model/model.zkc" --dev -o "$work/model"

echo "== seller: commit to the hidden prompt and advertise the commitment"
zkml commit "$here/prompt.json" --model "$work/model/model.zkc" -o "$work/seller"
cp "$work/seller/commitment.json" "$work/advertised-commitment.json"

echo "== seller: prove the inference on the hidden prompt (prove checks the opening first)"
zkml prove "$work/model/model.zkc" "$here/prompt.json" --pk "$work/model/pk.bin" -o "$work/proof.json" --opening "$work/seller/opening.json"

echo "== buyer: verify the proof and that it is about the advertised commitment"
zkml verify "$work/proof.json" --vk "$work/model/vk.bin" --commitment "$work/advertised-commitment.json"

echo "== a seller who swaps the prompt cannot reuse the advertised commitment"
# The advertised opening does not open another prompt: prove refuses (exit 2), writing nothing.
if zkml prove "$work/model/model.zkc" "$here/other-prompt.json" --pk "$work/model/pk.bin" -o "$work/swapped-proof.json" --opening "$work/seller/opening.json"; then
  echo "UNEXPECTED: proved another prompt with the advertised opening" >&2; exit 1
fi
# A fresh commitment to the other prompt gives a valid proof, but not about the advertised commitment.
zkml commit "$here/other-prompt.json" --model "$work/model/model.zkc" -o "$work/cheat"
zkml prove "$work/model/model.zkc" "$here/other-prompt.json" --pk "$work/model/pk.bin" -o "$work/cheat-proof.json" --opening "$work/cheat/opening.json"
if zkml verify "$work/cheat-proof.json" --vk "$work/model/vk.bin" --commitment "$work/advertised-commitment.json"; then
  echo "UNEXPECTED: the buyer accepted a proof about another commitment" >&2; exit 1
fi
echo "== done: the buyer accepts the advertised prompt's proof and rejects the swap"
