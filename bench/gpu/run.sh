#!/usr/bin/env bash
# The GPU benchmark kit's one command, run inside the pack that `npm run bench:gpu -- --pack` builds, on a bare
# machine with Python, PyTorch and CUDA (no Node, no browser, no network): unpacks Node and Dawn with Python's
# gzip (no other tool assumed), then trains the networks with tfjs on the GPU (WebGPU) and with their
# exported PyTorch on CUDA, taking turns, and writes the table to $OUT (else ./results).
#   bash run.sh [--networks lenet,vgg-mini,resnet-mini,vgg11-96] [--batch 128] [--batches 20] [--rounds 2]
set -euo pipefail
cd "$(dirname "$0")"
python=${PYTHON:-python3}
unpack() {
  [ -x "$2" ] || "$python" -c 'import gzip, os, shutil, sys
with gzip.open(sys.argv[1]) as packed, open(sys.argv[2], "wb") as out: shutil.copyfileobj(packed, out)
os.chmod(sys.argv[2], 0o755)' "$1" "$2"
}
unpack node.gz node
unpack dist/linux-x64/dawn.node.gz dist/linux-x64/dawn.node
PYTHON=$python exec ./node gpu-bench.mjs --out "${OUT:-results}" "$@"
