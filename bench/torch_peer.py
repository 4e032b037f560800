"""PyTorch peer for bench/train.bench.ts and bench/train-step.bench.ts: the same networks, recipes and data,
on the same CPU (2 threads).

Run with --serve: reads one JSON job per line on stdin and prints one JSON line per job, so the benchmark can
alternate its jobs with tfjs's (bench/peer-process.ts). Jobs:
  {"kind": "train", "network": ID, "recipe": {...}, "epochs": N, "maxBatches": N|null, "seed": S}
  {"kind": "step", "network": ID, "batch": B}: the milliseconds of one training step (forward, loss, backward)
Run by the benchmarks; never a runtime dependency of Blockwise.
"""
import gzip, json, resource, sys, time
import numpy as np
import torch
import torch.nn as nn

torch.set_num_threads(2)
DATA = '/usr/share/datasets/fashion-mnist/'


def idx(name):
    b = gzip.open(DATA + name).read()
    rank = b[3]
    dims = [int.from_bytes(b[4 + 4 * i:8 + 4 * i], 'big') for i in range(rank)]
    return np.frombuffer(b, np.uint8, offset=4 + 4 * rank).reshape(dims)


def images(name):
    return torch.tensor(idx(name) / 255.0, dtype=torch.float32).unsqueeze(1)


def lenet():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.Sigmoid(), nn.AvgPool2d(2, 2),
        nn.Conv2d(6, 16, 5), nn.Sigmoid(), nn.AvgPool2d(2, 2), nn.Flatten(),
        nn.Linear(400, 120), nn.Sigmoid(), nn.Linear(120, 84), nn.Sigmoid(), nn.Linear(84, 10))


def vgg_block(n, cin, cout):
    layers = []
    for _ in range(n):
        layers += [nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU()]
        cin = cout
    return nn.Sequential(*layers, nn.MaxPool2d(2, 2))


def vgg_mini():
    return nn.Sequential(vgg_block(1, 1, 16), vgg_block(1, 16, 32), vgg_block(2, 32, 64), nn.Flatten(),
                         nn.Linear(576, 256), nn.ReLU(), nn.Dropout(0.5), nn.Linear(256, 10))


class Residual(nn.Module):
    def __init__(self, cin, c, stride, projection):
        super().__init__()
        self.c1, self.b1 = nn.Conv2d(cin, c, 3, stride, 1), nn.BatchNorm2d(c)
        self.c2, self.b2 = nn.Conv2d(c, c, 3, 1, 1), nn.BatchNorm2d(c)
        self.p = nn.Conv2d(cin, c, 1, stride) if projection else None

    def forward(self, x):
        y = self.b2(self.c2(torch.relu(self.b1(self.c1(x)))))
        return torch.relu(y + (self.p(x) if self.p is not None else x))


def resnet_mini():
    return nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
                         Residual(16, 16, 1, False), Residual(16, 32, 2, True), Residual(32, 64, 2, True),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10))


def bn_relu_conv(cin, cout, k, pad):
    return nn.Sequential(nn.BatchNorm2d(cin), nn.ReLU(), nn.Conv2d(cin, cout, k, padding=pad))


class DenseBlock(nn.Module):
    def __init__(self, num_convs, cin, growth):
        super().__init__()
        self.convs = nn.ModuleList(bn_relu_conv(cin + i * growth, growth, 3, 1) for i in range(num_convs))

    def forward(self, x):
        for conv in self.convs:
            x = torch.cat((x, conv(x)), dim=1)
        return x


def densenet_mini():
    return nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
                         DenseBlock(4, 32, 16), bn_relu_conv(96, 48, 1, 0), nn.AvgPool2d(2, 2),
                         DenseBlock(4, 48, 16), nn.BatchNorm2d(112), nn.ReLU(),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(112, 10))


NETWORKS = {'lenet': lenet, 'vgg-mini': vgg_mini, 'resnet-mini': resnet_mini, 'densenet-mini': densenet_mini}


def run(net_id, recipe, epochs, max_batches, seed, data):
    torch.manual_seed(seed)
    net = NETWORKS[net_id]()
    if recipe['init'] == 'xavier':
        for m in net.modules():
            if isinstance(m, (nn.Linear, nn.Conv2d)):
                nn.init.xavier_uniform_(m.weight)
    opt = torch.optim.SGD(net.parameters(), lr=recipe['lr'], momentum=recipe.get('momentum', 0),
                          weight_decay=recipe.get('weightDecay', 0))
    X, Y, Xt, Yt = data
    batch = recipe['batch']
    steps_per_epoch = -(-len(X) // batch) if max_batches is None else min(max_batches, -(-len(X) // batch))
    # Ours steps its schedule per batch over the whole run; so does this.
    sched = (torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=epochs * steps_per_epoch)
             if recipe.get('schedule') == 'cosine' else None)
    seen, train_time, accs = 0, 0.0, []
    for _ in range(epochs):
        net.train()
        perm = torch.randperm(len(X))
        start = time.time()
        for b, i in enumerate(range(0, len(X), batch)):
            if max_batches is not None and b >= max_batches:
                break
            idx_ = perm[i:i + batch]
            opt.zero_grad()
            nn.functional.cross_entropy(net(X[idx_]), Y[idx_]).backward()
            opt.step()
            if sched:
                sched.step()
            seen += len(idx_)
        train_time += time.time() - start
        net.eval()
        start = time.time()
        correct = 0
        with torch.no_grad():
            for i in range(0, len(Xt), batch):
                correct += (net(Xt[i:i + batch]).argmax(1) == Yt[i:i + batch]).sum().item()
        infer_time = time.time() - start
        accs.append(correct / len(Xt))
    return {'network': net_id, 'trainSamplesPerSec': seen / train_time, 'inferSamplesPerSec': len(Xt) / infer_time,
            'testAccuracy': accs[-1], 'accuracyPerEpoch': accs, 'torch': torch.__version__, 'threads': torch.get_num_threads(),
            # The process's peak so far (Linux reports KiB): each network adds to the last one's peak.
            'peakRssMiB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


STEP_NETS = {}


def step_ms(net_id, batch):
    """One training step of a network kept between jobs (its first step, made here, warms it up)."""
    if (net_id, batch) not in STEP_NETS:
        torch.manual_seed(1)
        net = NETWORKS[net_id]()
        x, y = torch.rand(batch, 1, 28, 28), torch.arange(batch) % 10
        STEP_NETS[(net_id, batch)] = (net, x, y)
        nn.functional.cross_entropy(net(x), y).backward()
    net, x, y = STEP_NETS[(net_id, batch)]
    net.zero_grad()
    start = time.perf_counter()
    nn.functional.cross_entropy(net(x), y).backward()
    return {'network': net_id, 'ms': (time.perf_counter() - start) * 1000}


def main():
    if sys.argv[1:] != ['--serve']:
        sys.exit('usage: torch_peer.py --serve (one JSON job per line on stdin)')
    data = None
    for line in sys.stdin:
        job = json.loads(line)
        if job['kind'] == 'step':
            print(json.dumps(step_ms(job['network'], job['batch'])), flush=True)
            continue
        if data is None:
            data = (images('train-images-idx3-ubyte.gz'), torch.tensor(idx('train-labels-idx1-ubyte.gz').astype(np.int64)),
                    images('t10k-images-idx3-ubyte.gz'), torch.tensor(idx('t10k-labels-idx1-ubyte.gz').astype(np.int64)))
        print(json.dumps(run(job['network'], job['recipe'], job['epochs'], job.get('maxBatches'), job['seed'], data)), flush=True)


if __name__ == '__main__':
    main()
