"""The 004 article's modules from its code as written (only its line breaks restored), and a check that a
Blockwise export of the same design computes what they compute.

Run in an exported project folder (model.py, weights, verify_*.bin):
    python seed_004.py SPEC_JSON
SPEC_JSON: {"net": "residual_head", "args": [...], "names": {"<Blockwise module path>": "<article's>"}}.
Prints one JSON object: the largest difference from tfjs's logits and the share of the tolerance it takes.
"""
import json
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F


# ---- the article's code ----

def conv3x3(in_channel, out_channel, stride=1):
    return nn.Conv2d(in_channel, out_channel, 3, stride=stride, padding=1, bias=False)


class residual_block(nn.Module):
    def __init__(self, in_channel, out_channel, same_shape=True):
        super(residual_block, self).__init__()
        self.same_shape = same_shape
        stride = 1 if self.same_shape else 2
        self.conv1 = conv3x3(in_channel, out_channel, stride=stride)
        self.bn1 = nn.BatchNorm2d(out_channel)
        self.conv2 = conv3x3(out_channel, out_channel)
        self.bn2 = nn.BatchNorm2d(out_channel)
        if not self.same_shape:
            self.conv3 = nn.Conv2d(in_channel, out_channel, 1, stride=stride)

    def forward(self, x):
        out = self.conv1(x)
        out = F.relu(self.bn1(out), True)
        out = self.conv2(out)
        out = F.relu(self.bn2(out), True)
        if not self.same_shape:
            x = self.conv3(x)
        return F.relu(x + out, True)


# ---- the checks ----

class ResidualHead(nn.Module):
    """The article's block with a head to classify (global average pooling, one Linear), as the test's graph."""

    def __init__(self, in_channel, out_channel, same_shape, classes):
        super().__init__()
        self.block = residual_block(in_channel, out_channel, same_shape)
        self.classifier = nn.Linear(out_channel, classes)

    def forward(self, x):
        return self.classifier(self.block(x).mean((2, 3)))


NETS = {"residual_head": ResidualHead}
RTOL, ATOL = 1e-4, 1e-5


def renamed(state, names):
    """Blockwise's state_dict under the article's module names."""
    out = {}
    for key, value in state.items():
        path, leaf = key.rsplit(".", 1)
        out[f"{names[path]}.{leaf}"] = value
    return out


def main():
    sys.path.insert(0, os.getcwd())
    from model import Net, load_weights

    spec = json.loads(sys.argv[1])
    ours = load_weights(Net(), ".").state_dict()
    theirs = NETS[spec["net"]](*spec["args"]).eval()
    state = renamed({k: v for k, v in ours.items() if not k.endswith("num_batches_tracked")}, spec["names"])
    for key, value in theirs.state_dict().items():
        if key.endswith("num_batches_tracked"):
            state[key] = value
    theirs.load_state_dict(state, strict=True)
    inputs = torch.frombuffer(bytearray(open("verify_inputs.bin", "rb").read()), dtype=torch.float32)
    logits = torch.frombuffer(bytearray(open("verify_logits.bin", "rb").read()), dtype=torch.float32)
    count = logits.numel() // spec["args"][-1]
    with torch.no_grad():
        got = theirs(inputs.reshape(count, *spec["input"]))
    expected = logits.reshape(got.shape)
    error = (got - expected).abs()
    print(json.dumps({
        "maxDifference": error.max().item(),
        "ofTolerance": (error / (ATOL + RTOL * expected.abs())).max().item(),
    }))


if __name__ == "__main__":
    main()
