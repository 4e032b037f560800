"""PyTorch's BatchNorm2d running statistics after training steps on given batches.

Reads a JSON file {"shape": [N, H, W, C], "batches": [[...NHWC values...], ...], "momentum": m} and prints
{"running_mean": [...], "running_var": [...]}: the reference the app's BatchNorm training is tested against.
"""
import json
import sys

import torch

spec = json.load(open(sys.argv[1]))
n, h, w, c = spec["shape"]
bn = torch.nn.BatchNorm2d(c, momentum=spec["momentum"], eps=1e-5).double().train()
with torch.no_grad():
    for values in spec["batches"]:
        x = torch.tensor(values, dtype=torch.float64).reshape(n, h, w, c).permute(0, 3, 1, 2)
        bn(x)
print(json.dumps({"running_mean": bn.running_mean.tolist(), "running_var": bn.running_var.tolist()}))
