"""Builds exported Blockwise models and prints, per model, what PyTorch counts.

Usage: python3 model_stats.py SPEC.json, where SPEC.json lists {"path": model.py, "input": [C, H, W]}.
Prints one JSON object per model: its output shape (batch of 1, eval mode), trainable parameters and
buffers (BatchNorm's running statistics, without num_batches_tracked, as Blockwise counts them).
"""
import importlib.util
import json
import sys

import torch


def load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.Net()


def main():
    torch.set_num_threads(2)
    with open(sys.argv[1]) as f:
        models = json.load(f)
    for i, entry in enumerate(models):
        net = load(entry["path"], f"exported_{i}").eval()
        with torch.no_grad():
            out = net(torch.zeros(1, *entry["input"]))
        print(json.dumps({
            "path": entry["path"],
            "output": list(out.shape[1:]),
            "trainable": sum(p.numel() for p in net.parameters() if p.requires_grad),
            "buffers": sum(b.numel() for n, b in net.named_buffers() if not n.endswith("num_batches_tracked")),
        }), flush=True)


if __name__ == "__main__":
    main()
