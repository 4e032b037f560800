"""Reference counts: ResNet-18, DenseNet-121 and GoogLeNet written out from torchvision's published
definitions (torchvision itself is not installed here), for 1000 classes on 3×224×224 images.

Prints one JSON object per network: trainable parameters and buffers (without num_batches_tracked).
"""
import json

import torch
import torch.nn as nn


def conv3x3(cin, cout, stride=1):
    return nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.conv1, self.bn1 = conv3x3(cin, cout, stride), nn.BatchNorm2d(cout)
        self.conv2, self.bn2 = conv3x3(cout, cout), nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride=stride, bias=False), nn.BatchNorm2d(cout))


def resnet18(classes=1000):
    layers = [nn.Conv2d(3, 64, 7, stride=2, padding=3, bias=False), nn.BatchNorm2d(64)]
    cin = 64
    for cout, stride in [(64, 1), (128, 2), (256, 2), (512, 2)]:
        layers += [BasicBlock(cin, cout, stride), BasicBlock(cout, cout)]
        cin = cout
    return nn.Sequential(*layers, nn.Linear(512, classes))


class DenseLayer(nn.Module):
    def __init__(self, cin, growth, bn_size=4):
        super().__init__()
        self.norm1, self.conv1 = nn.BatchNorm2d(cin), nn.Conv2d(cin, bn_size * growth, 1, bias=False)
        self.norm2 = nn.BatchNorm2d(bn_size * growth)
        self.conv2 = nn.Conv2d(bn_size * growth, growth, 3, padding=1, bias=False)


def densenet121(classes=1000, growth=32, blocks=(6, 12, 24, 16)):
    layers = [nn.Conv2d(3, 64, 7, stride=2, padding=3, bias=False), nn.BatchNorm2d(64)]
    features = 64
    for i, n in enumerate(blocks):
        for j in range(n):
            layers.append(DenseLayer(features + j * growth, growth))
        features += n * growth
        if i < len(blocks) - 1:
            layers += [nn.BatchNorm2d(features), nn.Conv2d(features, features // 2, 1, bias=False)]
            features //= 2
    return nn.Sequential(*layers, nn.BatchNorm2d(features), nn.Linear(features, classes))


def basic_conv(cin, cout, kernel):
    return nn.Sequential(nn.Conv2d(cin, cout, kernel, bias=False), nn.BatchNorm2d(cout, eps=0.001))


class Inception(nn.Module):
    def __init__(self, cin, c1, c3r, c3, c5r, c5, pool):
        super().__init__()
        self.branch1 = basic_conv(cin, c1, 1)
        self.branch2 = nn.Sequential(basic_conv(cin, c3r, 1), basic_conv(c3r, c3, 3))
        # torchvision's "5×5" branch has a 3×3 kernel.
        self.branch3 = nn.Sequential(basic_conv(cin, c5r, 1), basic_conv(c5r, c5, 3))
        self.branch4 = basic_conv(cin, pool, 1)


def googlenet(classes=1000):
    return nn.Sequential(
        basic_conv(3, 64, 7), basic_conv(64, 64, 1), basic_conv(64, 192, 3),
        Inception(192, 64, 96, 128, 16, 32, 32), Inception(256, 128, 128, 192, 32, 96, 64),
        Inception(480, 192, 96, 208, 16, 48, 64), Inception(512, 160, 112, 224, 24, 64, 64),
        Inception(512, 128, 128, 256, 24, 64, 64), Inception(512, 112, 144, 288, 32, 64, 64),
        Inception(528, 256, 160, 320, 32, 128, 128), Inception(832, 256, 160, 320, 32, 128, 128),
        Inception(832, 384, 192, 384, 48, 128, 128), nn.Linear(1024, classes),
    )


def counts(net):
    return {
        "trainable": sum(p.numel() for p in net.parameters()),
        "buffers": sum(b.numel() for n, b in net.named_buffers() if not n.endswith("num_batches_tracked")),
    }


if __name__ == "__main__":
    for name, build in [("resnet18", resnet18), ("densenet121", densenet121), ("googlenet", googlenet)]:
        print(json.dumps({"name": name, **counts(build())}))
