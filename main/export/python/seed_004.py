"""The 004 article's modules from its code as written (only its line breaks restored), and a check that a
Blockwise export of the same design computes what they compute.

For the exported projects a cases file lists (model.py, weights, verify_*.bin in each folder):
    python seed_004.py CASES_JSON
CASES_JSON: a file of [{"net": "<a key of BLOCKS>", "folder": "...", "input": [C, H, W],
"modules": ["<the export's module paths, in the order the design defines its layers>"]}, ...].
Prints one JSON line a case: the largest difference from tfjs's outputs, the share of the tolerance it
takes (1e-5 + 1e-4 × |tfjs|, as verify.py) and the largest |tfjs| output.
For the parameters and buffers of the article's blocks and networks (one JSON line each):
    python seed_004.py --counts
"""
import contextlib
import importlib.util
import json
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F


# ---- the article's code ----

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

    def forward(self, x):
        x = self.conv1(x)
        x = self.max_pool1(x)
        x = self.conv2(x)
        x = self.max_pool2(x)
        x = x.view(x.shape[0], -1)
        x = self.fc1(x)
        x = self.fc2(x)
        x = self.fc3(x)
        return x


def vgg_block(num_convs, in_channels, out_channels):
    net = [nn.Conv2d(in_channels, out_channels, kernel_size=3, padding=1), nn.ReLU(True)]  # 定义第一层
    for i in range(num_convs - 1):  # 定义后面的很多层
        net.append(nn.Conv2d(out_channels, out_channels, kernel_size=3, padding=1))
        net.append(nn.ReLU(True))
    net.append(nn.MaxPool2d(2, 2))  # 定义池化层
    return nn.Sequential(*net)


def vgg_stack(num_convs, channels):
    net = []
    for n, c in zip(num_convs, channels):
        in_c = c[0]
        out_c = c[1]
        net.append(vgg_block(n, in_c, out_c))
    return nn.Sequential(*net)


vgg_net = vgg_stack((1, 1, 2, 2, 2), ((3, 64), (64, 128), (128, 256), (256, 512), (512, 512)))


class vgg(nn.Module):
    def __init__(self):
        super(vgg, self).__init__()
        self.feature = vgg_net
        self.fc = nn.Sequential(nn.Linear(512, 100), nn.ReLU(True), nn.Linear(100, 10))

    def forward(self, x):
        x = self.feature(x)
        x = x.view(x.shape[0], -1)
        x = self.fc(x)
        return x


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

    def forward(self, x):
        # print(self.branch_pool)
        f1 = self.branch1x1(x)
        f2 = self.branch3x3(x)
        f3 = self.branch5x5(x)
        f4 = self.branch_pool(x)
        print(f1.shape)
        print(f2.shape)
        print(f3.shape)
        print(f4.shape)
        output = torch.cat((f1, f2, f3, f4), dim=1)
        return output


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

    def forward(self, x):
        x = self.block1(x)
        if self.verbose:
            print('block 1 output: {}'.format(x.shape))
        x = self.block2(x)
        if self.verbose:
            print('block 2 output: {}'.format(x.shape))
        x = self.block3(x)
        if self.verbose:
            print('block 3 output: {}'.format(x.shape))
        x = self.block4(x)
        if self.verbose:
            print('block 4 output: {}'.format(x.shape))
        x = self.block5(x)
        if self.verbose:
            print('block 5 output: {}'.format(x.shape))
        x = x.view(x.shape[0], -1)
        x = self.classifier(x)
        return x


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

    def forward(self, x):
        x = self.block1(x)
        if self.verbose:
            print('block 1 output: {}'.format(x.shape))
        x = self.block2(x)
        if self.verbose:
            print('block 2 output: {}'.format(x.shape))
        x = self.block3(x)
        if self.verbose:
            print('block 3 output: {}'.format(x.shape))
        x = self.block4(x)
        if self.verbose:
            print('block 4 output: {}'.format(x.shape))
        x = self.block5(x)
        if self.verbose:
            print('block 5 output: {}'.format(x.shape))
        x = x.view(x.shape[0], -1)
        x = self.classifier(x)
        return x


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

    def forward(self, x):
        for layer in self.net:
            out = layer(x)
            x = torch.cat((out, x), dim=1)
        return x


def transition(in_channel, out_channel):
    trans_layer = nn.Sequential(
        nn.BatchNorm2d(in_channel),
        nn.ReLU(True),
        nn.Conv2d(in_channel, out_channel, 1),
        nn.AvgPool2d(2, 2)
    )
    return trans_layer


class densenet(nn.Module):
    def __init__(self, in_channel, num_classes, growth_rate=32, block_layers=[6, 12, 24, 16]):
        super(densenet, self).__init__()
        self.block1 = nn.Sequential(
            nn.Conv2d(in_channel, 64, 7, 2, 3),
            nn.BatchNorm2d(64),
            nn.ReLU(True),
            nn.MaxPool2d(3, 2, padding=1)
        )
        channels = 64
        block = []
        for i, layers in enumerate(block_layers):
            block.append(dense_block(channels, growth_rate, layers))
            channels += layers * growth_rate
            if i != len(block_layers) - 1:
                block.append(transition(channels, channels // 2))  # 通过 transition 层将大小减半,通道数减半
                channels = channels // 2
        self.block2 = nn.Sequential(*block)
        self.block2.add_module('bn', nn.BatchNorm2d(channels))
        self.block2.add_module('relu', nn.ReLU(True))
        self.block2.add_module('avg_pool', nn.AvgPool2d(3))
        self.classifier = nn.Linear(channels, num_classes)

    def forward(self, x):
        x = self.block1(x)
        x = self.block2(x)
        x = x.view(x.shape[0], -1)
        x = self.classifier(x)
        return x


# ---- the checks ----

# The article's blocks as it tests them, then its networks; the test names them so.
BLOCKS = {
    "vgg_stack((1, 1, 2, 2, 2), ((3, 64), (64, 128), (128, 256), (256, 512), (512, 512)))": lambda: vgg_net,
    "inception(3, 64, 48, 64, 64, 96, 32)": lambda: inception(3, 64, 48, 64, 64, 96, 32),
    "residual_block(32, 32)": lambda: residual_block(32, 32),
    "residual_block(3, 32, False)": lambda: residual_block(3, 32, False),
    "dense_block(3, 12, 3)": lambda: dense_block(3, 12, 3),
    "transition(3, 12)": lambda: transition(3, 12),
    "AlexNet()": lambda: AlexNet(),
    "vgg()": lambda: vgg(),
    "googlenet(3, 10)": lambda: googlenet(3, 10),
    "resnet(3, 10)": lambda: resnet(3, 10),
    "densenet(3, 10)": lambda: densenet(3, 10),
}
RTOL, ATOL = 1e-4, 1e-5


def counts():
    """Each block's trainable parameters and buffers (without num_batches_tracked), one JSON line each."""
    for name, make in BLOCKS.items():
        block = make()
        trainable = sum(p.numel() for p in block.parameters() if p.requires_grad)
        buffers = sum(b.numel() for n, b in block.named_buffers() if not n.endswith("num_batches_tracked"))
        print(json.dumps({"name": name, "trainable": trainable, "buffers": buffers}))


def exported_state(folder):
    """The state_dict of a folder's exported model.py with the weights Blockwise wrote loaded into it."""
    name = f"model_{os.path.basename(folder)}"
    spec = importlib.util.spec_from_file_location(name, os.path.join(folder, "model.py"))
    model = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(model)
    return model.load_weights(model.Net(), folder).state_dict()


def layers_with_state(module):
    """The article's layers that hold weights or statistics themselves, in the order its code makes them."""
    def own_state(layer):
        return [*layer.parameters(recurse=False), *layer.buffers(recurse=False)]

    return [name for name, layer in module.named_modules() if own_state(layer)]


def in_article_names(state, modules, article):
    """The export's state_dict under the article's names. `modules`: the export's module paths in the order
    the design defines its layers (blocks expanded in place); those with state pair, one by one, with the
    article's layers with state in the order its code makes them. A wrong pair fails to load (shapes) or
    gives other logits."""
    with_state = {key.rsplit(".", 1)[0] for key in state}
    ours = [path for path in modules if path in with_state]
    theirs = layers_with_state(article)
    if len(ours) != len(theirs):
        raise ValueError(f"{len(ours)} layers with state in the export ({ours}), {len(theirs)} in the article's")
    names = dict(zip(ours, theirs))
    renamed = {}
    for key, value in state.items():
        path, leaf = key.rsplit(".", 1)
        renamed[f"{names[path]}.{leaf}"] = value
    return renamed


def floats(folder, name):
    with open(os.path.join(folder, name), "rb") as f:
        return torch.frombuffer(bytearray(f.read()), dtype=torch.float32)


def compare(case):
    """The article's module with the exported weights against tfjs's outputs on the saved inputs."""
    article = BLOCKS[case["net"]]().eval()
    state = in_article_names(exported_state(case["folder"]), case["modules"], article)
    article.load_state_dict(state, strict=True)
    inputs = floats(case["folder"], "verify_inputs.bin").reshape(-1, *case["input"])
    # inception's forward prints its branches' shapes: aside, so that stdout holds the results only.
    with torch.no_grad(), contextlib.redirect_stdout(sys.stderr):
        got = article(inputs)
    expected = floats(case["folder"], "verify_logits.bin").reshape(got.shape)
    error = (got - expected).abs()
    return {
        "net": case["net"],
        "maxDifference": error.max().item(),
        "ofTolerance": (error / (ATOL + RTOL * expected.abs())).max().item(),
        "largest": expected.abs().max().item(),
    }


def main():
    if sys.argv[1:] == ["--counts"]:
        return counts()
    with open(sys.argv[1]) as f:
        for case in json.load(f):
            print(json.dumps(compare(case)), flush=True)


if __name__ == "__main__":
    main()
