"""PyTorch peer of the GPU benchmark kit (bench/gpu/gpu-bench.ts): trains a network's exported model.py on
CUDA where there is one (else the CPU) with random data, for a fixed number of batches after as many to warm
up, and answers samples/s and peak memory. Run with --serve: one JSON job per line on stdin, one JSON line
out per job (bench/peer-process.ts). Part of the benchmark kit; never a runtime dependency of Blockwise.
"""
import importlib.util, json, resource, sys, time
import torch
import torch.nn as nn

DEVICE = torch.device('cuda' if torch.cuda.is_available() else 'cpu')


def device_name():
    if DEVICE.type == 'cuda':
        return f'CUDA {torch.cuda.get_device_name(0)} (torch {torch.__version__})'
    return f'CPU, {torch.get_num_threads()} threads (torch {torch.__version__})'


def load_net(model_py):
    spec = importlib.util.spec_from_file_location('model', model_py)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.Net().to(DEVICE)


def sync():
    if DEVICE.type == 'cuda':
        torch.cuda.synchronize()


def train(job):
    torch.manual_seed(1)
    net = load_net(job['modelPy'])
    opt = torch.optim.SGD(net.parameters(), lr=0.01)
    batch, batches = job['batch'], job['batches']
    x = torch.rand(batch, *job['input'], device=DEVICE)
    y = torch.arange(batch, device=DEVICE) % 10
    if DEVICE.type == 'cuda':
        torch.cuda.reset_peak_memory_stats()

    def steps(n):
        for _ in range(n):
            opt.zero_grad()
            nn.functional.cross_entropy(net(x), y).backward()
            opt.step()
        sync()

    steps(batches)  # warm-up: cuDNN picks its algorithms, the allocator fills
    start = time.perf_counter()
    steps(batches)
    seconds = time.perf_counter() - start
    peak = (torch.cuda.max_memory_allocated() if DEVICE.type == 'cuda'
            else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
    return {'samplesPerSec': batch * batches / seconds, 'peakMiB': peak / 2 ** 20, 'device': device_name()}


if __name__ == '__main__':
    if sys.argv[1:] != ['--serve']:
        sys.exit('usage: gpu_peer.py --serve (one JSON job per line on stdin)')
    for line in sys.stdin:
        print(json.dumps(train(json.loads(line))), flush=True)
