"""The 004 article's modules from its code as written (only its line breaks restored), and a check that a
Blockwise export of the same design computes what they compute.

Run in an exported project folder (model.py, weights, verify_*.bin):
    python seed_004.py SPEC_JSON
or, for the parameters and buffers of the article's blocks (one JSON line each):
    python seed_004.py --counts
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


def conv_relu(in_channel, out_channel, kernel, stride=1, padding=0):
    layer = nn.Sequential(
        nn.Conv2d(in_channel, out_channel, kernel, stride, padding),
        nn.BatchNorm2d(out_channel, eps=1e-3),
        nn.ReLU(True)
    )
    return layer


class inception(nn.Module):
    def __init__(self, in_channel, out1_1, out2_1, out2_3, out3_1, out3_5, out4_1):
        super(inception, self).__init__()
        # 第一条线路
        self.branch1x1 = conv_relu(in_channel, out1_1, 1)
        # 第二条线路
        self.branch3x3 = nn.Sequential(
            conv_relu(in_channel, out2_1, 1),
            conv_relu(out2_1, out2_3, 3, padding=1)
        )
        # 第三条线路
        self.branch5x5 = nn.Sequential(
            conv_relu(in_channel, out3_1, 1),
            conv_relu(out3_1, out3_5, 5, padding=2)
        )
        # 第四条线路
        self.branch_pool = nn.Sequential(
            nn.MaxPool2d(3, stride=1, padding=1),
            conv_relu(in_channel, out4_1, 1)
        )


def conv_block(in_channel, out_channel):
    layer = nn.Sequential(
        nn.BatchNorm2d(in_channel),
        nn.ReLU(True),
        nn.Conv2d(in_channel, out_channel, 3, padding=1, bias=False)
    )
    return layer


class dense_block(nn.Module):
    def __init__(self, in_channel, growth_rate, num_layers):
        super(dense_block, self).__init__()
        block = []
        channel = in_channel
        for i in range(num_layers):
            block.append(conv_block(channel, growth_rate))
            channel += growth_rate
        self.net = nn.Sequential(*block)


def transition(in_channel, out_channel):
    trans_layer = nn.Sequential(
        nn.BatchNorm2d(in_channel),
        nn.ReLU(True),
        nn.Conv2d(in_channel, out_channel, 1),
        nn.AvgPool2d(2, 2)
    )
    return trans_layer


class AlexNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Sequential(nn.Conv2d(3, 64, 5), nn.ReLU(True))
        self.max_pool1 = nn.MaxPool2d(3, 2)
        self.conv2 = nn.Sequential(nn.Conv2d(64, 64, 5, 1), nn.ReLU(True))
        self.max_pool2 = nn.MaxPool2d(3, 2)
        self.fc1 = nn.Sequential(nn.Linear(1024, 384), nn.ReLU(True))
        self.fc2 = nn.Sequential(nn.Linear(384, 192), nn.ReLU(True))
        self.fc3 = nn.Linear(192, 10)


class googlenet(nn.Module):
    def __init__(self, in_channel, num_classes, verbose=False):
        super(googlenet, self).__init__()
        self.verbose = verbose
        self.block1 = nn.Sequential(
            conv_relu(in_channel, out_channel=64, kernel=7, stride=2, padding=3),
            nn.MaxPool2d(3, 2)
        )
        self.block2 = nn.Sequential(
            conv_relu(64, 64, kernel=1),
            conv_relu(64, 192, kernel=3, padding=1),
            nn.MaxPool2d(3, 2)
        )
        self.block3 = nn.Sequential(
            inception(192, 64, 96, 128, 16, 32, 32),
            inception(256, 128, 128, 192, 32, 96, 64),
            nn.MaxPool2d(3, 2)
        )
        self.block4 = nn.Sequential(
            inception(480, 192, 96, 208, 16, 48, 64),
            inception(512, 160, 112, 224, 24, 64, 64),
            inception(512, 128, 128, 256, 24, 64, 64),
            inception(512, 112, 144, 288, 32, 64, 64),
            inception(528, 256, 160, 320, 32, 128, 128),
            nn.MaxPool2d(3, 2)
        )
        self.block5 = nn.Sequential(
            inception(832, 256, 160, 320, 32, 128, 128),
            inception(832, 384, 182, 384, 48, 128, 128),
            nn.AvgPool2d(2)
        )
        self.classifier = nn.Linear(1024, num_classes)


class resnet(nn.Module):
    def __init__(self, in_channel, num_classes, verbose=False):
        super(resnet, self).__init__()
        self.verbose = verbose
        self.block1 = nn.Conv2d(in_channel, 64, 7, 2)
        self.block2 = nn.Sequential(
            nn.MaxPool2d(3, 2),
            residual_block(64, 64),
            residual_block(64, 64)
        )
        self.block3 = nn.Sequential(
            residual_block(64, 128, False),
            residual_block(128, 128)
        )
        self.block4 = nn.Sequential(
            residual_block(128, 256, False),
            residual_block(256, 256)
        )
        self.block5 = nn.Sequential(
            residual_block(256, 512, False),
            residual_block(512, 512),
            nn.AvgPool2d(3)
        )
        self.classifier = nn.Linear(512, num_classes)


# ---- the checks ----

BLOCKS = {
    "inception(3, 64, 48, 64, 64, 96, 32)": lambda: inception(3, 64, 48, 64, 64, 96, 32),
    "dense_block(3, 12, 3)": lambda: dense_block(3, 12, 3),
    "transition(3, 12)": lambda: transition(3, 12),
    "residual_block(32, 32)": lambda: residual_block(32, 32),
    "residual_block(3, 32, False)": lambda: residual_block(3, 32, False),
    "AlexNet()": lambda: AlexNet(),
    "resnet(3, 10)": lambda: resnet(3, 10),
    "googlenet(3, 10)": lambda: googlenet(3, 10),
}


def counts():
    """Each block's trainable parameters and buffers (without num_batches_tracked), one JSON line each."""
    for name, make in BLOCKS.items():
        block = make()
        trainable = sum(p.numel() for p in block.parameters() if p.requires_grad)
        buffers = sum(b.numel() for n, b in block.named_buffers() if not n.endswith("num_batches_tracked"))
        print(json.dumps({"name": name, "trainable": trainable, "buffers": buffers}))


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
    if sys.argv[1:] == ["--counts"]:
        return counts()
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
