"""torchvision's ResNet-18, GoogLeNet (without its auxiliary heads), DenseNet-121 and VGG-16, written out from
its published definitions with its module names (torchvision itself is not installed here), so their
state_dicts have torchvision's names and shapes.

  python3 reference_nets.py
      one JSON object per network at 1000 classes on 3×224×224: trainable parameters and buffers (without
      num_batches_tracked).
  python3 reference_nets.py check NAME MODEL_PY CLASSES C H W OUT_DIR
      builds NAME with random weights and BatchNorm statistics, saves its state_dict as OUT_DIR/reference.pth,
      loads it into model.py's Net with strict=True, and prints how far Net's logits are from the reference's
      on 2 random inputs (within 1e-5 + 1e-4 × |reference|: ofTolerance ≤ 1); the inputs and the reference's
      logits go to OUT_DIR/inputs.bin and OUT_DIR/logits.bin (float32, little-endian, N×C×H×W and N×classes).
"""
import importlib.util
import json
import os
import sys
from collections import OrderedDict

import torch
import torch.nn as nn
import torch.nn.functional as F


def conv3x3(cin, cout, stride=1):
    return nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.conv1, self.bn1 = conv3x3(cin, cout, stride), nn.BatchNorm2d(cout)
        self.relu = nn.ReLU(inplace=True)
        self.conv2, self.bn2 = conv3x3(cout, cout), nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride=stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        identity = x if self.downsample is None else self.downsample(x)
        return self.relu(out + identity)


class ResNet18(nn.Module):
    def __init__(self, classes=1000):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, stride=2, padding=1)
        cin = 64
        for i, (cout, stride) in enumerate([(64, 1), (128, 2), (256, 2), (512, 2)]):
            setattr(self, f"layer{i + 1}", nn.Sequential(BasicBlock(cin, cout, stride), BasicBlock(cout, cout)))
            cin = cout
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(512, classes)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(self.avgpool(x), 1))


class DenseLayer(nn.Module):
    def __init__(self, cin, growth, bn_size=4):
        super().__init__()
        self.norm1, self.relu1 = nn.BatchNorm2d(cin), nn.ReLU(inplace=True)
        self.conv1 = nn.Conv2d(cin, bn_size * growth, 1, bias=False)
        self.norm2, self.relu2 = nn.BatchNorm2d(bn_size * growth), nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(bn_size * growth, growth, 3, padding=1, bias=False)

    def forward(self, features):
        x = self.conv1(self.relu1(self.norm1(torch.cat(features, 1))))
        return self.conv2(self.relu2(self.norm2(x)))


class DenseBlock(nn.ModuleDict):
    def __init__(self, layers, cin, growth):
        super().__init__()
        for i in range(layers):
            self.add_module(f"denselayer{i + 1}", DenseLayer(cin + i * growth, growth))

    def forward(self, x):
        features = [x]
        for layer in self.values():
            features.append(layer(features))
        return torch.cat(features, 1)


class Transition(nn.Sequential):
    def __init__(self, cin, cout):
        super().__init__()
        self.norm, self.relu = nn.BatchNorm2d(cin), nn.ReLU(inplace=True)
        self.conv = nn.Conv2d(cin, cout, 1, bias=False)
        self.pool = nn.AvgPool2d(2, stride=2)


class DenseNet121(nn.Module):
    def __init__(self, classes=1000, growth=32, blocks=(6, 12, 24, 16)):
        super().__init__()
        self.features = nn.Sequential(OrderedDict([
            ("conv0", nn.Conv2d(3, 64, 7, stride=2, padding=3, bias=False)),
            ("norm0", nn.BatchNorm2d(64)),
            ("relu0", nn.ReLU(inplace=True)),
            ("pool0", nn.MaxPool2d(3, stride=2, padding=1)),
        ]))
        features = 64
        for i, n in enumerate(blocks):
            self.features.add_module(f"denseblock{i + 1}", DenseBlock(n, features, growth))
            features += n * growth
            if i < len(blocks) - 1:
                self.features.add_module(f"transition{i + 1}", Transition(features, features // 2))
                features //= 2
        self.features.add_module("norm5", nn.BatchNorm2d(features))
        self.classifier = nn.Linear(features, classes)

    def forward(self, x):
        x = F.adaptive_avg_pool2d(F.relu(self.features(x)), (1, 1))
        return self.classifier(torch.flatten(x, 1))


class BasicConv2d(nn.Module):
    def __init__(self, cin, cout, kernel, **kwargs):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, kernel, bias=False, **kwargs)
        self.bn = nn.BatchNorm2d(cout, eps=0.001)

    def forward(self, x):
        return F.relu(self.bn(self.conv(x)), inplace=True)


class Inception(nn.Module):
    def __init__(self, cin, c1, c3r, c3, c5r, c5, pool):
        super().__init__()
        self.branch1 = BasicConv2d(cin, c1, 1)
        self.branch2 = nn.Sequential(BasicConv2d(cin, c3r, 1), BasicConv2d(c3r, c3, 3, padding=1))
        # torchvision's "5×5" branch has a 3×3 kernel.
        self.branch3 = nn.Sequential(BasicConv2d(cin, c5r, 1), BasicConv2d(c5r, c5, 3, padding=1))
        self.branch4 = nn.Sequential(
            nn.MaxPool2d(3, stride=1, padding=1, ceil_mode=True), BasicConv2d(cin, pool, 1)
        )

    def forward(self, x):
        return torch.cat([self.branch1(x), self.branch2(x), self.branch3(x), self.branch4(x)], 1)


class GoogLeNet(nn.Module):
    """torchvision's googlenet(aux_logits=False, transform_input=False)."""

    def __init__(self, classes=1000):
        super().__init__()
        self.conv1 = BasicConv2d(3, 64, 7, stride=2, padding=3)
        self.maxpool1 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.conv2 = BasicConv2d(64, 64, 1)
        self.conv3 = BasicConv2d(64, 192, 3, padding=1)
        self.maxpool2 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.inception3a = Inception(192, 64, 96, 128, 16, 32, 32)
        self.inception3b = Inception(256, 128, 128, 192, 32, 96, 64)
        self.maxpool3 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.inception4a = Inception(480, 192, 96, 208, 16, 48, 64)
        self.inception4b = Inception(512, 160, 112, 224, 24, 64, 64)
        self.inception4c = Inception(512, 128, 128, 256, 24, 64, 64)
        self.inception4d = Inception(512, 112, 144, 288, 32, 64, 64)
        self.inception4e = Inception(528, 256, 160, 320, 32, 128, 128)
        self.maxpool4 = nn.MaxPool2d(2, stride=2, ceil_mode=True)
        self.inception5a = Inception(832, 256, 160, 320, 32, 128, 128)
        self.inception5b = Inception(832, 384, 192, 384, 48, 128, 128)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.dropout = nn.Dropout(0.2)
        self.fc = nn.Linear(1024, classes)

    def forward(self, x):
        x = self.maxpool1(self.conv1(x))
        x = self.maxpool2(self.conv3(self.conv2(x)))
        x = self.maxpool3(self.inception3b(self.inception3a(x)))
        for name in ["4a", "4b", "4c", "4d", "4e"]:
            x = getattr(self, f"inception{name}")(x)
        x = self.inception5b(self.inception5a(self.maxpool4(x)))
        return self.fc(self.dropout(torch.flatten(self.avgpool(x), 1)))


class VGG16(nn.Module):
    def __init__(self, classes=1000):
        super().__init__()
        layers, cin = [], 3
        for numConvs, cout in [(2, 64), (2, 128), (3, 256), (3, 512), (3, 512)]:
            for _ in range(numConvs):
                layers += [nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU(inplace=True)]
                cin = cout
            layers.append(nn.MaxPool2d(2, stride=2))
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d((7, 7))
        self.classifier = nn.Sequential(
            nn.Linear(512 * 7 * 7, 4096), nn.ReLU(True), nn.Dropout(0.5),
            nn.Linear(4096, 4096), nn.ReLU(True), nn.Dropout(0.5),
            nn.Linear(4096, classes),
        )

    def forward(self, x):
        return self.classifier(torch.flatten(self.avgpool(self.features(x)), 1))


NETS = {"resnet18": ResNet18, "densenet121": DenseNet121, "googlenet": GoogLeNet, "vgg16": VGG16}


def counts(net):
    return {
        "trainable": sum(p.numel() for p in net.parameters()),
        "buffers": sum(b.numel() for n, b in net.named_buffers() if not n.endswith("num_batches_tracked")),
    }


def randomized(net):
    """Random weights and BatchNorm statistics, so that every tensor's place shows in the logits."""
    torch.manual_seed(0)
    for module in net.modules():
        if isinstance(module, nn.BatchNorm2d):
            nn.init.uniform_(module.weight, 0.5, 1.5)
            nn.init.uniform_(module.bias, -0.2, 0.2)
            module.running_mean.uniform_(-0.2, 0.2)
            module.running_var.uniform_(0.5, 1.5)
            module.num_batches_tracked.fill_(7)
    return net.eval()


def write_floats(path, tensor):
    with open(path, "wb") as f:
        f.write(tensor.detach().to(torch.float32).contiguous().numpy().astype("<f4").tobytes())


def check(name, model_py, classes, shape, out_dir):
    spec = importlib.util.spec_from_file_location("exported_model", model_py)
    exported = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(exported)
    reference = randomized(NETS[name](classes))
    state = reference.state_dict()
    torch.save(state, os.path.join(out_dir, "reference.pth"))
    net = exported.Net().eval()
    net.load_state_dict(state, strict=True)
    torch.manual_seed(1)
    x = torch.rand(2, *shape)
    with torch.no_grad():
        expected, got = reference(x), net(x)
    write_floats(os.path.join(out_dir, "inputs.bin"), x)
    write_floats(os.path.join(out_dir, "logits.bin"), expected)
    difference = (got - expected).abs()
    tolerance = 1e-5 + 1e-4 * expected.abs()
    print(json.dumps({
        "names": list(state.keys()),
        "maxDifference": difference.max().item(),
        "ofTolerance": (difference / tolerance).max().item(),
    }))


if __name__ == "__main__":
    if sys.argv[1:2] == ["check"]:
        name, model_py, classes, c, h, w, out_dir = sys.argv[2:9]
        check(name, model_py, int(classes), (int(c), int(h), int(w)), out_dir)
    else:
        for name, build in NETS.items():
            print(json.dumps({"name": name, **counts(build())}))
