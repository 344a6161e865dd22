"""PyTorch's side of the sharpness sample (SharpnessCommand): the top Hessian eigenvalue of the mean cross-entropy
of a Lamina checkpoint on the first test images, by power iteration on torch.autograd.functional.hvp.

  /usr/bin/python3 samples/src/test/python/torch_sharpness.py CHECKPOINT [--model lenet|mlp] [--data DIR]
      [--batch N] [--iterations N] [--tolerance T] [--seed S] [--threads T] [--repeats R] [--finite-differences]
  /usr/bin/python3 samples/src/test/python/torch_sharpness.py [CHECKPOINT] --cost [--model lenet|mlp] [--data DIR]
      [--batch N] [--seed S] [--threads T] [--repeats R]

CHECKPOINT is the model.safetensors `sharpness` wrote (PyTorch's names and layouts), loaded with strict=True into
the LeNet of torch_checkpoints.py or the bench MLP below. With --finite-differences the products are not
torch.autograd.functional.hvp but Lamina's FiniteDifferenceHvp done in PyTorch (central differences of float32
gradients, the coordinate that moves most moving by cbrt(2^-23)): across ReLU and max-pool kinks these differ from
the exact product, and this shows by how much. The batch is the first N images of DIR's t10k IDX files (plain or .gz),
scaled by 1/255 as Lamina's Mnist does. Power iteration as Lamina's PowerIteration: a seeded Gaussian start,
v <- Hv / |Hv|, stopping when the Rayleigh quotient v.Hv changes by at most T relative (after two products) or after
N products. The start differs from Lamina's (another generator); with the tolerance met, the eigenvalue does not
depend on it. 'residual' is |H v - lambda v| / |lambda| of the last unit vector. Also times one hvp and one
gradient (forward and backward) on the same batch, medians of R runs after a warm-up. Prints one JSON object.

With --cost only the timings are taken, as `sharpness --cost` (or --cost-only) takes Lamina's: one gradient and one
torch.autograd.functional.hvp on a seeded Gaussian direction, medians of R runs after one warm-up each, on T threads;
the JSON line has gradient_s, hvp_s and ratio (hvp_s / gradient_s), the keys of Lamina's line. Without CHECKPOINT the
network keeps PyTorch's seeded initial weights (the cost does not depend on the values)."""
import argparse, gzip, json, os, struct, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_checkpoints import LeNet, read_safetensors  # noqa: E402


class Mlp(nn.Module):
    """samples' Mlp (and MlpSecondOrder): hidden1, hidden2, scores."""
    def __init__(s):
        super().__init__()
        s.hidden1 = nn.Linear(784, 256); s.hidden2 = nn.Linear(256, 128); s.scores = nn.Linear(128, 10)

    def forward(s, x):
        return s.scores(F.relu(s.hidden2(F.relu(s.hidden1(torch.flatten(x, 1))))))


MODELS = {'lenet': LeNet, 'mlp': Mlp}
STEP = (2.0 ** -23) ** (1 / 3)


def read_idx(path):
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rb') as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack('>%dI' % dims, data[4:4 + 4 * dims])
    return torch.frombuffer(bytearray(data[4 + 4 * dims:]), dtype=torch.uint8).reshape(shape)


def find(directory, name):
    for candidate in (name, name + '.gz'):
        path = os.path.join(directory, candidate)
        if os.path.exists(path):
            return path
    raise FileNotFoundError('expected %s or %s.gz in %s' % (name, name, directory))


def batch(directory, n):
    images = read_idx(find(directory, 't10k-images-idx3-ubyte'))[:n]
    labels = read_idx(find(directory, 't10k-labels-idx1-ubyte'))[:n]
    if images.shape[0] != n:
        raise ValueError('expected %d test images, found %d' % (n, images.shape[0]))
    return images.float().div(255).reshape(n, 1, 28, 28), labels.long()


def median_seconds(work, repeats):
    work()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        work()
        times.append(time.perf_counter() - t0)
    return sorted(times)[repeats // 2]


def main():
    p = argparse.ArgumentParser()
    p.add_argument('checkpoint', nargs='?')
    p.add_argument('--cost', action='store_true')
    p.add_argument('--model', choices=sorted(MODELS), default='lenet')
    p.add_argument('--finite-differences', action='store_true')
    p.add_argument('--data', default='/usr/share/datasets/fashion-mnist')
    p.add_argument('--batch', type=int, default=1000)
    p.add_argument('--iterations', type=int, default=200)
    p.add_argument('--tolerance', type=float, default=1e-4)
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--repeats', type=int, default=5)
    a = p.parse_args()
    if a.checkpoint is None and not a.cost:
        p.error('expected a CHECKPOINT (only --cost runs without one)')
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    model = MODELS[a.model]()
    if a.checkpoint is not None:
        model.load_state_dict(read_safetensors(a.checkpoint), strict=True)
    model.eval()
    x, y = batch(a.data, a.batch)
    names = [name for name, _ in model.named_parameters()]
    params = tuple(q.detach() for _, q in model.named_parameters())

    def loss(*ps):
        return F.cross_entropy(torch.nn.utils.stateless.functional_call(model, dict(zip(names, ps)), (x,)), y)

    def exact_hvp(v):
        return torch.autograd.functional.hvp(loss, params, v)[1]

    def gradient_at(ps):
        ps = tuple(q.clone().requires_grad_(True) for q in ps)
        return torch.autograd.grad(loss(*ps), ps)

    def finite_difference_hvp(v):
        e = STEP / max(float(t.abs().max()) for t in v)
        plus = gradient_at(tuple((q.double() + e * t.double()).float() for q, t in zip(params, v)))
        minus = gradient_at(tuple((q.double() - e * t.double()).float() for q, t in zip(params, v)))
        return tuple((g.double() - h.double()) / (2 * e) for g, h in zip(plus, minus))

    hvp = finite_difference_hvp if a.finite_differences else exact_hvp

    if a.cost:
        torch.manual_seed(a.seed)
        direction = tuple(torch.randn_like(q) for q in params)
        gradient_s = median_seconds(lambda: gradient_at(params), a.repeats)
        hvp_s = median_seconds(lambda: exact_hvp(direction), a.repeats)
        print(json.dumps({'peer': 'pytorch-%s' % torch.__version__, 'network': a.model,
                          'product': 'torch.autograd.functional.hvp', 'batch': a.batch, 'threads': a.threads,
                          'checkpoint': a.checkpoint, 'gradient_s': gradient_s, 'hvp_s': hvp_s,
                          'ratio': round(hvp_s / gradient_s, 3)}))
        return

    def dot(u, v):
        return sum(float((a_ * b_).double().sum()) for a_, b_ in zip(u, v))

    torch.manual_seed(a.seed)
    v = tuple(torch.randn_like(q) for q in params)
    norm = dot(v, v) ** 0.5
    v = tuple(t / norm for t in v)
    eigenvalue, iterations = 0.0, 0
    while iterations < a.iterations:
        hv = hvp(v)
        iterations += 1
        nxt = dot(v, hv)
        change = abs(nxt - eigenvalue)
        eigenvalue = nxt
        norm = dot(hv, hv) ** 0.5
        if norm == 0:
            break
        v = tuple(t / norm for t in hv)
        if iterations > 1 and change <= a.tolerance * abs(eigenvalue):
            break

    # how far from converged: |H v - lambda v| / |lambda| for the last unit vector
    r = tuple(h.double() - eigenvalue * t.double() for h, t in zip(hvp(v), v))
    residual = dot(r, r) ** 0.5 / abs(eigenvalue) if eigenvalue else float('nan')
    v = tuple(t.float() for t in v)
    hvp_s = median_seconds(lambda: exact_hvp(v), a.repeats)
    gradient_s = median_seconds(lambda: gradient_at(params), a.repeats)
    with torch.no_grad():
        value = float(loss(*params))
    print(json.dumps({'peer': 'pytorch-%s' % torch.__version__, 'network': a.model, 'batch': a.batch,
                      'product': 'finite differences' if a.finite_differences else 'torch.autograd.functional.hvp',
                      'loss': value, 'topEigenvalue': eigenvalue, 'iterations': iterations,
                      'residual': residual,
                      'threads': a.threads, 'gradient_s': gradient_s, 'hvp_s': hvp_s,
                      'hvp_over_gradient': hvp_s / gradient_s}))


if __name__ == '__main__':
    main()
