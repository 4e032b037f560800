"""Trains the network of model.py with the recipe it had in Blockwise (recipe.json, network.json beside it).

    python train.py                                   # one process (cuda when present, else CPU)
    torchrun --nproc_per_node 4 train.py              # four processes (GPUs), one run
    python train.py --data folder:~/pets --epochs 3   # another dataset or setting

Data: fashion-mnist (Debian's dataset-fashion-mnist, or --data idx:DIR), idx:DIR (the four MNIST-style
files), folder:DIR (DIR/train/<class>/*.png|jpg and DIR/test/…; needs Pillow), csv:TRAIN,TEST (a label,
then the pixels, per row). Writes runs/<time>/: run.json (a Blockwise run record) and model.pt (the
state_dict).
"""
import argparse
import datetime
import gc
import gzip
import json
import math
import os
import struct
import time

import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F

from model import Net, load_weights

# The recipe as Blockwise had it (flags below override parts of it), and what train.py needs of the network
# (its name and graph hash for the run record, its input shape, its number of classes). This file is the
# same for every network: only these two files and model.py differ.
HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "recipe.json"), encoding="utf-8") as recipe_file:
    RECIPE = json.load(recipe_file)
with open(os.path.join(HERE, "network.json"), encoding="utf-8") as network_file:
    NETWORK = json.load(network_file)
FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist"
FASHION_MNIST_CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
                         "Sneaker", "Bag", "Ankle boot"]
IDX_FILES = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
             "t10k-labels-idx1-ubyte"]


# ---- data: uint8 images N×C×H×W in memory; each batch is made when it is needed ----

def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    # Unsigned bytes; labels past 256 classes as big-endian 16- or 32-bit integers, as Blockwise reads them.
    widths = {0x08: 1, 0x0B: 2, 0x0C: 4}
    if data[:2] != b"\0\0" or data[2] not in widths:
        raise SystemExit(f"{path}: not an IDX file of unsigned bytes, or of 16- or 32-bit labels")
    rank, width = data[3], widths[data[2]]
    dims = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
    count = math.prod(dims)
    body = data[4 + 4 * rank:4 + 4 * rank + count * width]
    if width == 1:
        return torch.frombuffer(bytearray(body), dtype=torch.uint8).reshape(dims)
    return torch.tensor(struct.unpack(f">{count}{'h' if width == 2 else 'i'}", body)).reshape(dims)


def idx_split(folder, images, labels):
    def find(stem):
        for name in (stem, stem + ".gz"):
            if os.path.exists(os.path.join(folder, name)):
                return os.path.join(folder, name)
        raise SystemExit(f"{os.path.join(folder, stem)}: not found (nor .gz)")
    x = read_idx(find(images))
    x = x.unsqueeze(1) if x.dim() == 3 else x.permute(0, 3, 1, 2)
    return x.contiguous(), read_idx(find(labels)).long()


def load_idx(folder, classes=None):
    train = idx_split(folder, IDX_FILES[0], IDX_FILES[1])
    test = idx_split(folder, IDX_FILES[2], IDX_FILES[3])
    count = int(max(train[1].max(), test[1].max())) + 1
    return train, test, classes or [str(i) for i in range(count)]


def load_folder(folder):
    try:
        from PIL import Image
    except ImportError:
        raise SystemExit("folder datasets need Pillow: sudo apt-get install python3-pil (or pip install pillow)")
    def split(part):
        root = os.path.join(folder, part)
        classes = sorted(d for d in os.listdir(root) if os.path.isdir(os.path.join(root, d)))
        images, labels = [], []
        for label, name in enumerate(classes):
            for file in sorted(os.listdir(os.path.join(root, name))):
                if file.lower().endswith((".png", ".jpg", ".jpeg")):
                    image = Image.open(os.path.join(root, name, file))
                    image = image.convert("L" if NETWORK["input"][0] == 1 else "RGB")
                    pixels = torch.frombuffer(bytearray(image.tobytes()), dtype=torch.uint8)
                    images.append(pixels.reshape(image.height, image.width, -1).permute(2, 0, 1))
                    labels.append(label)
        return (torch.stack(images), torch.tensor(labels)), classes
    train, classes = split("train")
    test, _ = split("test")
    return train, test, classes


def load_csv(train_path, test_path):
    def split(path):
        rows = [line.split(",") for line in open(path) if line.strip()]
        if rows and not rows[0][0].strip().isdigit():
            rows = rows[1:]
        values = torch.tensor([[int(v) for v in row[1:]] for row in rows], dtype=torch.uint8)
        labels = torch.tensor([int(row[0]) for row in rows])
        # As Blockwise reads a CSV: a square grey image, else a square RGB one, pixels row by row.
        pixels = values.shape[1]
        channels = 1 if math.isqrt(pixels) ** 2 == pixels else 3
        side = math.isqrt(pixels // channels)
        images = values.reshape(-1, side, side, channels).permute(0, 3, 1, 2).contiguous()
        return images, labels
    train, test = split(train_path), split(test_path)
    count = int(max(train[1].max(), test[1].max())) + 1
    return train, test, [str(i) for i in range(count)]


def load_data(spec):
    if spec == "fashion-mnist":
        return "Fashion-MNIST", *load_idx(FASHION_MNIST_DIR, FASHION_MNIST_CLASSES)
    kind, _, rest = spec.partition(":")
    rest = os.path.expanduser(rest)
    if kind == "idx":
        return rest, *load_idx(rest)
    if kind == "folder":
        return rest, *load_folder(rest)
    if kind == "csv":
        return rest, *load_csv(*rest.split(","))
    raise SystemExit(f"--data: {spec} is not fashion-mnist, idx:DIR, folder:DIR or csv:TRAIN,TEST")


def make_batch(images, recipe, train, generator, device):
    x = images.to(device).float() / 255
    size = recipe["preprocess"]["resize"]
    if size and tuple(x.shape[2:]) != (size, size):
        # tfjs's resizeBilinear with half-pixel centres is PyTorch's bilinear without align_corners.
        x = F.interpolate(x, size=(size, size), mode="bilinear", align_corners=False)
    if x.shape[1] == 1 and NETWORK["input"][0] == 3:
        x = x.repeat(1, 3, 1, 1)
    augment = recipe["augment"]
    if train and augment:
        x = augmented(x, augment, generator)
    normalize = recipe["preprocess"]["normalize"]
    if normalize:
        x = (x - normalize[0]) / normalize[1]
    return x


def augmented(x, a, generator):
    n, _, h, w = x.shape
    draw = lambda *shape: torch.rand(*shape, generator=generator).to(x.device)
    if a["flip"]:
        flip = draw(n) < 0.5
        x = torch.where(flip[:, None, None, None], x.flip(3), x)
    if a["cropPadding"]:
        p = a["cropPadding"]
        padded = F.pad(x, (p, p, p, p))
        offsets = (draw(n, 2) * (2 * p + 1)).long()
        x = torch.stack([padded[i, :, oy:oy + h, ox:ox + w] for i, (oy, ox) in enumerate(offsets.tolist())])
    if a["contrast"] or a["brightness"]:
        mean = x.mean(dim=(1, 2, 3), keepdim=True)
        contrast = 1 + (draw(n, 1, 1, 1) * 2 - 1) * a["contrast"]
        brightness = (draw(n, 1, 1, 1) * 2 - 1) * a["brightness"]
        x = ((x - mean) * contrast + mean + brightness).clamp(0, 1)
    return x


# ---- the recipe: initialisation, optimizer, learning-rate schedule ----

def initialise(net, scheme, seed):
    torch.manual_seed(seed)
    for m in net.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            fan_in = m.weight[0].numel()
            if scheme == "xavier":
                nn.init.xavier_uniform_(m.weight)
            else:
                nn.init.uniform_(m.weight, -1 / math.sqrt(fan_in), 1 / math.sqrt(fan_in))
            if m.bias is not None:
                nn.init.uniform_(m.bias, -1 / math.sqrt(fan_in), 1 / math.sqrt(fan_in))


def optimizer_for(params, recipe):
    o, lr = recipe["optimizer"], recipe["lr"]
    if o["kind"] == "sgd":
        return torch.optim.SGD(params, lr=lr, momentum=o["momentum"], nesterov=o["nesterov"],
                               weight_decay=o["weightDecay"])
    if o["kind"] in ("adam", "adamw"):
        make = torch.optim.Adam if o["kind"] == "adam" else torch.optim.AdamW
        return make(params, lr=lr, betas=(o["beta1"], o["beta2"]), eps=o["eps"], weight_decay=o["weightDecay"])
    return torch.optim.RMSprop(params, lr=lr, alpha=o["alpha"], eps=o["eps"], momentum=o["momentum"],
                               weight_decay=o["weightDecay"])


def learning_rate(base, s, step, steps_per_epoch, total_steps):
    """Blockwise's schedule, step by step (0-based over the whole run)."""
    if step < s["warmupSteps"]:
        return base * (step + 1) / s["warmupSteps"]
    epoch = step // steps_per_epoch
    progress = min(1, (step - s["warmupSteps"]) / max(1, total_steps - s["warmupSteps"]))
    cosine = lambda start, end, p: end + (start - end) * (1 + math.cos(math.pi * p)) / 2
    if s["kind"] == "step":
        return base * s["gamma"] ** (epoch // s["stepEpochs"])
    if s["kind"] == "exponential":
        return base * s["gamma"] ** epoch
    if s["kind"] == "cosine":
        return cosine(base, s["minLr"], progress)
    if s["kind"] == "oneCycle":
        start = base / 25
        if progress < 0.3:
            return cosine(start, base, progress / 0.3)
        return cosine(base, start / 1e4, (progress - 0.3) / 0.7)
    return base


# ---- one process or many ----

def setup():
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    local = int(os.environ.get("LOCAL_RANK", "0"))
    cuda = torch.cuda.is_available()
    device = torch.device(f"cuda:{local}" if cuda else "cpu")
    if cuda:
        torch.cuda.set_device(device)
    if world > 1:
        dist.init_process_group("nccl" if cuda else "gloo")
    return world, rank, device


def all_sum(values, device, world):
    t = torch.tensor(values, dtype=torch.float64, device=device)
    if world > 1:
        dist.all_reduce(t)
    return t.tolist()


def evaluate(net, images, labels, recipe, world, rank, device, classes, autocast):
    """Loss, accuracy and confusion over the whole split: each rank takes every world-th image."""
    net.eval()
    confusion = torch.zeros(classes, classes, dtype=torch.float64, device=device)
    loss_sum, batch = 0.0, recipe["batchSize"]
    mine = torch.arange(rank, len(labels), world)
    with torch.no_grad():
        for start in range(0, len(mine), batch):
            index = mine[start:start + batch]
            x = make_batch(images[index], recipe, False, None, device)
            y = labels[index].to(device)
            with autocast():
                logits = net(x).float()
            loss_sum += F.cross_entropy(logits, y, reduction="sum").item()
            confusion.index_put_((y, logits.argmax(1)), torch.ones(len(y), dtype=torch.float64, device=device),
                                 accumulate=True)
    if world > 1:
        dist.all_reduce(confusion)
    loss = all_sum([loss_sum], device, world)[0]
    total = confusion.sum().item()
    return loss / total, confusion.trace().item() / total, confusion.long().tolist()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default="fashion-mnist")
    parser.add_argument("--epochs", type=int)
    parser.add_argument("--batch", type=int, help="the batch over all processes (each takes its share)")
    parser.add_argument("--lr", type=float)
    parser.add_argument("--max-batches", type=int, help="batches per epoch, for a quick look")
    parser.add_argument("--weights", help="start from exported weights (a folder with weights.json/bin)")
    parser.add_argument("--sync-bn", action="store_true", help="SyncBatchNorm across processes")
    parser.add_argument("--no-bf16", action="store_true", help="no bf16 autocast on the GPU")
    parser.add_argument("--out", help="the run folder (default runs/<time>)")
    parser.add_argument("--progress-json", action="store_true", help="a JSON line per batch (Blockwise's CLI reads it)")
    args = parser.parse_args()
    recipe = dict(RECIPE)
    for key, value in (("epochs", args.epochs), ("batchSize", args.batch), ("lr", args.lr),
                       ("maxBatchesPerEpoch", args.max_batches)):
        if value is not None:
            recipe[key] = value

    world, rank, device = setup()
    log = print if rank == 0 else (lambda *a, **k: None)
    started = datetime.datetime.now(datetime.timezone.utc)
    data_name, (train_x, train_y), (test_x, test_y), classes = load_data(args.data)
    if len(classes) != NETWORK["classes"]:
        raise SystemExit(f"the network gives {NETWORK['classes']} class scores; {data_name} has {len(classes)} classes")

    net = Net()
    initialise(net, recipe["init"], recipe["seed"])
    if args.weights:
        load_weights(net, args.weights)
    net = net.to(device)
    if args.sync_bn and world > 1:
        net = nn.SyncBatchNorm.convert_sync_batchnorm(net)
    model = nn.parallel.DistributedDataParallel(net, device_ids=[device] if device.type == "cuda" else None) \
        if world > 1 else net
    bf16 = device.type == "cuda" and not args.no_bf16 and torch.cuda.is_bf16_supported()
    autocast = (lambda: torch.autocast("cuda", dtype=torch.bfloat16)) if bf16 else \
        (lambda: torch.autocast("cpu", enabled=False))

    generator = torch.Generator().manual_seed(recipe["seed"])
    order = torch.randperm(len(train_y), generator=generator)
    held = int(len(train_y) * recipe["validationFraction"])
    train_index, eval_index = order[held:], order[:held]
    eval_x, eval_y = (train_x[eval_index], train_y[eval_index]) if held else (test_x, test_y)
    per_rank = max(1, recipe["batchSize"] // world)
    batches = len(train_index) // world // per_rank or 1
    if recipe["maxBatchesPerEpoch"]:
        batches = min(batches, recipe["maxBatchesPerEpoch"])
    optimizer = optimizer_for(model.parameters(), recipe)
    total_steps = batches * recipe["epochs"]
    log(f"Training {NETWORK['name']} on {data_name} ({len(train_index)} train / {len(test_y)} test), "
        f"{world} process(es) on {device.type}{', bf16' if bf16 else ''}, {per_rank} images per process and batch")

    history, best, best_state, step, stopped_by = [], None, None, 0, "completed"
    for epoch in range(recipe["epochs"]):
        model.train()
        # The DistributedSampler's way: one permutation per epoch from the seed, each rank its slice.
        perm = train_index[torch.randperm(len(train_index), generator=torch.Generator().manual_seed(recipe["seed"] + epoch))]
        mine = perm[rank::world]
        begun, loss_sum, correct, seen = time.time(), 0.0, 0, 0
        shown = 0.0
        for b in range(batches):
            index = mine[b * per_rank:(b + 1) * per_rank]
            lr = learning_rate(recipe["lr"], recipe["schedule"], step, batches, total_steps)
            for group in optimizer.param_groups:
                group["lr"] = lr
            x = make_batch(train_x[index], recipe, True, generator, device)
            y = train_y[index].to(device)
            with autocast():
                logits = model(x).float()
            loss = F.cross_entropy(logits, y)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            step += 1
            loss_sum += loss.item() * len(y)
            correct += (logits.argmax(1) == y).sum().item()
            seen += len(y)
            if args.progress_json and rank == 0 and (time.time() - shown > 0.2 or b + 1 == batches):
                shown, rate = time.time(), seen * world / max(1e-9, time.time() - begun)
                left = (total_steps - step) * per_rank * world / rate
                log(json.dumps({"kind": "batch", "epoch": epoch + 1, "batch": b + 1, "batches": batches,
                                "loss": loss.item(), "accuracy": (logits.argmax(1) == y).float().mean().item(),
                                "lr": lr, "samplesPerSec": rate, "etaSeconds": left}), flush=True)
        loss_sum, correct, seen = all_sum([loss_sum, correct, seen], device, world)
        seconds = time.time() - begun
        eval_loss, eval_accuracy, _ = evaluate(net, eval_x, eval_y, recipe, world, rank, device, len(classes), autocast)
        history.append({"epoch": epoch + 1, "trainLoss": loss_sum / seen, "trainAccuracy": correct / seen,
                        "evalLoss": eval_loss, "evalAccuracy": eval_accuracy, "lr": lr, "seconds": seconds,
                        "trainSamplesPerSec": seen / seconds})
        log(f"epoch {epoch + 1}/{recipe['epochs']}  loss {loss_sum / seen:.4f}  accuracy {correct / seen:.4f}  "
            f"eval {eval_accuracy:.4f}  {seen / seconds:.0f} samples/s")
        if best is None or eval_accuracy > history[best]["evalAccuracy"]:
            best = epoch
            if recipe["restoreBest"]:
                best_state = {k: v.detach().clone() for k, v in net.state_dict().items()}
        patience = recipe["earlyStoppingPatience"]
        if patience and epoch - best >= patience:
            stopped_by = "earlyStopping"
            break
    if best_state is not None:
        net.load_state_dict(best_state)

    begun = time.time()
    test_loss, test_accuracy, confusion = evaluate(net, test_x, test_y, recipe, world, rank, device, len(classes), autocast)
    test_seconds = time.time() - begun
    if rank == 0:
        out = args.out or os.path.join("runs", started.strftime("%Y%m%d-%H%M%S"))
        os.makedirs(out, exist_ok=True)
        torch.save(net.state_dict(), os.path.join(out, "model.pt"))
        record = {
            "format": "blockwise/run", "formatVersion": 1,
            "graph": {"name": NETWORK["name"], "hash": NETWORK["graphHash"]},
            "dataset": {"name": data_name, "classes": classes, "train": len(train_y), "test": len(test_y)},
            "config": recipe,
            "backend": f"torch-{device.type}" + (f" x{world}" if world > 1 else ""),
            "threads": torch.get_num_threads() if device.type == "cpu" else 1,
            "epochs": history,
            "evalSplit": "validation" if held else "test",
            "test": {"loss": test_loss, "accuracy": test_accuracy, "confusion": confusion,
                     "samplesPerSec": len(test_y) / test_seconds},
            "bestEpoch": best + 1 if best is not None else None,
            "stoppedBy": stopped_by,
            "startedAt": started.isoformat().replace("+00:00", "Z"),
            "seconds": (datetime.datetime.now(datetime.timezone.utc) - started).total_seconds(),
        }
        with open(os.path.join(out, "run.json"), "w") as f:
            json.dump(record, f, indent=2)
        log(f"test accuracy {test_accuracy:.4f}; the run is in {out}")
    if world > 1:
        # A deterministic end: every rank gets here, then the DDP wrapper (its Reducer holds the gloo group) and
        # the last step's graph are freed while the group is idle, and only then is the group destroyed. Left to
        # exit, ~Reducer destroyed the group holding the GIL that gloo's thread waited for: 1 run in 3 hung.
        dist.barrier()
        del model, optimizer, logits, loss
        gc.collect()
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
