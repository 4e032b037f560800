"""A PyTorch state_dict file (.pth / .pt) as plain files Blockwise reads: weights.json (each tensor's name,
shape and byte offset) and weights.bin (float32, little-endian), the layout of an exported project's weights.

  python3 state_dict_to_raw.py IN.pth OUT_DIR

torch.load with weights_only=True: tensors and plain containers only, never an arbitrary object unpickled.
A checkpoint holding its state_dict under "state_dict" or "model" is read there. Integer tensors
(BatchNorm's num_batches_tracked) are left out. Exit 2 with one line on stderr for a file that is not one.
"""
import json
import os
import sys

import torch


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(2)


def state_dict_of(path):
    try:
        loaded = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as e:  # a damaged file, or a pickle that holds more than tensors
        fail(f"it is not a PyTorch state_dict that loads with weights_only=True ({type(e).__name__}: {str(e).splitlines()[0][:200] if str(e) else ''})")
    for key in ("state_dict", "model"):
        if isinstance(loaded, dict) and isinstance(loaded.get(key), dict):
            loaded = loaded[key]
    if not isinstance(loaded, dict) or not loaded:
        fail("it holds no state_dict (a mapping of names to tensors)")
    for name, value in loaded.items():
        if not isinstance(name, str) or not isinstance(value, torch.Tensor):
            fail(f"its entry {str(name)[:100]!r} is not a tensor")
    return loaded


def main(path, out_dir):
    manifest, offset = [], 0
    with open(os.path.join(out_dir, "weights.bin"), "wb") as out:
        for name, tensor in state_dict_of(path).items():
            if not tensor.is_floating_point():
                continue
            data = tensor.detach().to(torch.float32).contiguous().numpy().astype("<f4").tobytes()
            out.write(data)
            manifest.append({"name": name, "shape": list(tensor.shape), "offset": offset})
            offset += len(data)
    with open(os.path.join(out_dir, "weights.json"), "w") as f:
        json.dump(manifest, f)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
