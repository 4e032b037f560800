"""Grad-CAM in PyTorch, as Selvaraju et al. define it, on an exported Blockwise project: the reference the
tests hold Blockwise's Grad-CAM (shared/inspect/grad-cam.ts) to. Never a runtime dependency of the app.

  python3 grad_cam.py PROJECT_DIR MODULE_PATH IMAGE.bin C H W CLASS
IMAGE.bin: the image as little-endian float32, H×W×C (as tfjs holds it). Prints one JSON line:
{"cam": [H'×W' values, row by row], "probabilities": [...]}.
"""
import json, sys
import numpy as np
import torch

project, module_path, image, c, h, w, klass = sys.argv[1:8]
sys.path.insert(0, project)
from model import Net, load_weights  # noqa: E402

net = Net()
load_weights(net, project)
net.eval()
x = torch.tensor(np.fromfile(image, '<f4').reshape(1, int(h), int(w), int(c))).permute(0, 3, 1, 2)
module = net.get_submodule(module_path)
seen = {}
module.register_forward_hook(lambda _m, _i, out: seen.__setitem__('a', out))
logits = net(x)
a = seen['a']
(gradient,) = torch.autograd.grad(logits[0, int(klass)], a)
alphas = gradient.mean(dim=(2, 3), keepdim=True)
cam = torch.relu((alphas * a).sum(dim=1))[0]
print(json.dumps({'cam': cam.flatten().tolist(), 'probabilities': torch.softmax(logits, 1)[0].tolist()}))
