"""PyTorch peer for bench/conv-layers.bench.ts: times each conv it is given (forward with bias and ReLU, and
the weight and input gradients), on 2 threads. Run with --serve: reads one conv as JSON per line on stdin and
prints its times as one JSON line, so the benchmark alternates them with tfjs's (bench/peer-process.ts).
Run by the benchmark; never a runtime dependency of Blockwise.
"""
import json, sys, time
import torch

torch.set_num_threads(2)


def median_ms(f, runs=7):
    f()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        f()
        times.append((time.perf_counter() - start) * 1000)
    return sorted(times)[len(times) // 2]


def conv_times(conv):
    n, h, w, cin = conv['input']
    k, s, p, cout = conv['kernel'], conv['stride'], conv['padding'], conv['filters']
    x = torch.rand(n, cin, h, w)
    weight = torch.rand(cout, cin, k, k)
    bias = torch.rand(cout)
    with torch.no_grad():
        y = torch.nn.functional.conv2d(x, weight, bias, stride=s, padding=p)
        dy = torch.rand(*y.shape)
        forward = median_ms(lambda: torch.relu(torch.nn.functional.conv2d(x, weight, bias, stride=s, padding=p)))
        filter_grad = median_ms(lambda: torch.nn.grad.conv2d_weight(x, weight.shape, dy, stride=s, padding=p))
        input_grad = median_ms(lambda: torch.nn.grad.conv2d_input(x.shape, weight, dy, stride=s, padding=p))
    return {'forward': forward, 'filterGrad': filter_grad, 'inputGrad': input_grad}


if __name__ == '__main__':
    if sys.argv[1:] != ['--serve']:
        sys.exit('usage: conv_peer.py --serve (one conv as JSON per line on stdin)')
    for line in sys.stdin:
        print(json.dumps(conv_times(json.loads(line))), flush=True)
