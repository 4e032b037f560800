/** The fixed parts of an exported PyTorch project: the weight loader and the check against tfjs. */

export const WEIGHTS_MANIFEST = 'weights.json';
export const WEIGHTS_BIN = 'weights.bin';
/** Each module of model.py (its state_dict prefix) and the design's node it comes from, in the graph's order. */
export const NAME_MAP = 'names.json';
export const VERIFY_INPUTS = 'verify_inputs.bin';
export const VERIFY_LOGITS = 'verify_logits.bin';

/** Appended to model.py: reads the weights Blockwise wrote (no package beyond torch). */
export const LOAD_WEIGHTS = `def load_weights(net, folder="."):
    """Loads ${WEIGHTS_BIN} (float32, little-endian) as ${WEIGHTS_MANIFEST} lays it out into net; returns net."""
    import json
    import os

    with open(os.path.join(folder, "${WEIGHTS_MANIFEST}")) as f:
        manifest = json.load(f)
    with open(os.path.join(folder, "${WEIGHTS_BIN}"), "rb") as f:
        data = bytearray(f.read())
    state = {}
    for entry in manifest:
        count = 1
        for d in entry["shape"]:
            count *= d
        values = torch.frombuffer(data, dtype=torch.float32, count=count, offset=entry["offset"])
        state[entry["name"]] = values.reshape(entry["shape"]).clone()
    missing, unexpected = net.load_state_dict(state, strict=False)
    missing = [k for k in missing if not k.endswith("num_batches_tracked")]
    if missing or unexpected:
        raise RuntimeError(f"the weights do not fit the model: missing {missing}, unexpected {unexpected}")
    return net
`;

/** verify.py: the PyTorch model's outputs on saved inputs against the ones tfjs gave. */
export function verifyScript(
  inputShape: readonly number[],
  outputShape: readonly number[],
  count: number,
): string {
  return `"""Checks that model.py with the exported weights computes what Blockwise's tfjs model did: the same
outputs (logits) on ${count} saved inputs, within 1e-5 + 1e-4 × |tfjs|. Run: python verify.py"""
import os
import sys

import torch

from model import Net, load_weights

HERE = os.path.dirname(os.path.abspath(__file__))
RTOL = 1e-4
ATOL = 1e-5


def read(name, shape):
    with open(os.path.join(HERE, name), "rb") as f:
        return torch.frombuffer(bytearray(f.read()), dtype=torch.float32).reshape(shape)


def main():
    net = load_weights(Net(), HERE).eval()
    inputs = read("${VERIFY_INPUTS}", [${count}, ${inputShape.join(', ')}])
    expected = read("${VERIFY_LOGITS}", [${count}, ${outputShape.join(', ')}])
    with torch.no_grad():
        got = net(inputs)
    # Relative and absolute, as torch.allclose: logits of 4e4 agree to 1e-2, logits of 0.1 to 2e-5.
    error = (got - expected).abs()
    allowed = ATOL + RTOL * expected.abs()
    diff = error.max().item()
    worst = (error / allowed).max().item()
    print(f"max |PyTorch - tfjs| = {diff:.3g} over ${count} inputs, {worst:.2g} of the tolerance ({ATOL:g} + {RTOL:g} × |tfjs|)")
    sys.exit(0 if worst <= 1 else 1)


if __name__ == "__main__":
    main()
`;
}
