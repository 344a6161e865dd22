#!/usr/bin/python3
"""Writes the PyTorch differential fixtures and the Lamina networks they belong to.

Run from the repository root with Debian's PyTorch (no pip packages needed):

    /usr/bin/python3 processor/src/test/python/pytorch_fixtures.py

It writes one safetensors file per case into processor/src/test/resources/pytorch/ and the Java source of the
matching annotated networks into processor/src/test/java/dev/lamina/processor/pytorch/DiffNets.java, so that a
configuration lives in one place (this file). Every case draws its sizes and values from its own seeded
generator: reruns write identical files. PyTorchDifferentialTest reads the fixtures; docs/PYTORCH.md lists the
conventions in which Lamina differs from PyTorch and the setting used here to reproduce each one.

A fixture holds, besides a __metadata__ map of strings (network class, mode, tolerance, optimizer):
  input            F32 [n, input...]  channels first, as Model.setInput takes it
  target          F32 [n, outputs]    as Model.setTarget takes it
  <param name>    F32                 Lamina's name and layout (Checkpoint.load reads them)
  <buffer name>   F32                 running statistics before the pass
  expect.output   F64 [n, outputs]    in Model.output(row, k)'s order (images channels last)
  expect.loss     F64 [1]
  expect.grad.<param name>      F64   gradient of the loss (Lamina layout)
  expect.input_grad             F64   dLoss/dinput, channels first (not yet comparable: no Lamina API)
  expect.buffer.<buffer name>   F64   running statistics after the pass
  expect.after.<param name>     F64   parameters after three optimizer steps on the same batch
"""
import json
import math
import os
import struct

import torch
import torch.nn.functional as F

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..', '..'))
FIXTURES = os.path.join(ROOT, 'processor', 'src', 'test', 'resources', 'pytorch')
# in the test's own package, not nets/: CudaCompilesTest compiles every network of nets/ with nvcc, and these add
# nothing there that GradNets does not cover
JAVA = os.path.join(ROOT, 'processor', 'src', 'test', 'java', 'dev', 'lamina', 'processor', 'pytorch', 'DiffNets.java')

torch.set_default_dtype(torch.float64)
SELU_LAMBDA = 1.0507009873554805
SELU_ALPHA = 1.6732632423543772


# ------------------------------------------------------------------------------------------ safetensors by hand

def write_safetensors(path, tensors, metadata):
    """tensors: name -> (dtype 'F32' | 'F64', torch tensor). Little-endian, header padded to 8 bytes."""
    header = {'__metadata__': metadata}
    blobs = []
    offset = 0
    for name, (dtype, t) in tensors.items():
        t = t.detach().contiguous()
        t = t.to(torch.float32 if dtype == 'F32' else torch.float64)
        fmt = '<%d%s' % (t.numel(), 'f' if dtype == 'F32' else 'd')
        blob = struct.pack(fmt, *t.reshape(-1).tolist())
        header[name] = {'dtype': dtype, 'shape': list(t.shape), 'data_offsets': [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header, separators=(',', ':'))
    text += ' ' * ((8 - len(text) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)))
        f.write(text.encode('utf-8'))
        for blob in blobs:
            f.write(blob)


# ------------------------------------------------------------------------------------------ activations

DEFAULT_ALPHA = {'LEAKY_RELU': 0.01, 'ELU': 1.0, 'RELU6': 6.0}


def activate(u, act, alpha=None):
    a = DEFAULT_ALPHA.get(act) if alpha is None else alpha
    if act == 'IDENTITY':
        return u
    if act == 'SIGMOID':
        return torch.sigmoid(u)
    if act == 'TANH':
        return torch.tanh(u)
    if act == 'RELU':
        return torch.relu(u)
    if act == 'LEAKY_RELU':
        return torch.where(u > 0, u, a * u)
    if act == 'ELU':
        return torch.where(u >= 0, u, a * torch.expm1(u))
    if act == 'SELU':
        return torch.where(u > 0, SELU_LAMBDA * u, SELU_LAMBDA * SELU_ALPHA * torch.expm1(u))
    if act == 'SOFTPLUS':
        return F.softplus(u)  # threshold 20, as Lamina's
    if act == 'RELU6':
        return torch.clamp(u, 0, a)
    if act == 'STEP':
        return (u >= 0).to(u.dtype)  # no gradient, as Lamina's (zero derivative everywhere)
    raise ValueError(act)


ACTIVATIONS = ['IDENTITY', 'SIGMOID', 'TANH', 'RELU', 'LEAKY_RELU', 'ELU', 'SELU', 'SOFTPLUS', 'RELU6', 'STEP']


# ------------------------------------------------------------------------------------------ layouts

def to_lamina(y):
    """A layer output in Model.output's order: images channels last, sequences step after step."""
    if y.dim() == 4:
        return y.permute(0, 2, 3, 1).reshape(y.shape[0], -1)
    return y.reshape(y.shape[0], -1)


def flatten(x):
    return to_lamina(x)  # Lamina flattens its channels-last activations as they lie


def same(t):
    return t


def conv_layout(t):  # PyTorch [F, C, kh, kw] (or [Cin, F, kh, kw] transposed) -> [., kh, kw, .]
    return t.permute(0, 2, 3, 1)


def conv1d_layout(t):  # PyTorch [F, C, k] -> Lamina [F, k, C]
    return t.permute(0, 2, 1)


# ------------------------------------------------------------------------------------------ a network under test

class Net:
    """One case: the Java fields and, for each, how PyTorch computes it (float64, channels first)."""

    def __init__(self, case, seed, input=None, steps=0, tokens=0, loss='SOFTMAX_CROSS_ENTROPY', smoothing=0.0,
                 fuse=True, batch=3, training=True, tolerance=1e-5, why=None):
        self.case = case
        self.gen = torch.Generator().manual_seed(seed)
        self.input, self.steps, self.tokens = input, steps, tokens
        self.loss, self.smoothing, self.fuse = loss, smoothing, fuse
        self.batch, self.training, self.tolerance, self.why = batch, training, tolerance, why
        self.fields = []    # (java annotation, field name)
        self.layers = []    # (field name, function(net, x) -> y)
        self.params = {}    # Lamina name -> (torch leaf, layout function, is weight)
        self.buffers = {}   # Lamina name -> float64 tensor, updated in place
        self.initial_buffers = {}
        self.outputs = {}
        self.winners = {}
        self.modules = {}
        self.optimizer = None

    # random values, drawn in float32 so that both frameworks start from the same numbers
    def uniform(self, shape, lo, hi):
        return (lo + (hi - lo) * torch.rand(shape, generator=self.gen, dtype=torch.float32)).to(torch.float64)

    def pick(self, options):
        return options[int(torch.randint(len(options), (1,), generator=self.gen))]

    def randint(self, lo, hi):  # inclusive
        return int(torch.randint(lo, hi + 1, (1,), generator=self.gen))

    def param(self, name, shape, bound, layout=same, weight=True, lo=None):
        if name not in self.params:
            t = self.uniform(shape, -bound if lo is None else lo, bound).requires_grad_(True)
            self.params[name] = (t, layout, weight)
        return self.params[name][0]

    def buffer(self, name, shape, lo, hi):
        if name not in self.buffers:
            self.buffers[name] = self.uniform(shape, lo, hi)
            self.initial_buffers[name] = self.buffers[name].clone()
        return self.buffers[name]

    def add(self, annotation, name, fn):
        self.fields.append((annotation, name))
        self.layers.append((name, fn))
        return self

    def forward(self, x):
        self.outputs = {}
        for name, fn in self.layers:
            x = fn(self, x)
            self.outputs[name] = x
        return x

    # ---------------------------------------------------------------- layers

    def dense(self, name, units, act='IDENTITY', alpha=None, bias=True, source=None):
        def fn(net, x):
            x = net.outputs[source] if source else x
            if x.dim() == 4:
                x = flatten(x)
            w = net.param(name + '.weight', (units, x.shape[-1]), 1 / math.sqrt(x.shape[-1]))
            u = x @ w.t()
            if bias:
                u = u + net.param(name + '.bias', (units,), 1 / math.sqrt(x.shape[-1]), weight=False)
            return activate(u, act, alpha)
        return self.add(annotation('Dense', units=units, activation=act, alpha=alpha, bias=bias, frm=source), name, fn)

    def conv(self, name, filters, kernel, stride=1, padding=0, dilation=1, groups=1, bias=True, act='IDENTITY',
             alpha=None, source=None):
        def fn(net, x):
            x = net.outputs[source] if source else x
            cin = x.shape[1] // groups
            bound = 1 / math.sqrt(cin * kernel * kernel)
            w = net.param(name + '.weight', (filters, cin, kernel, kernel), bound, conv_layout)
            b = net.param(name + '.bias', (filters,), bound, weight=False) if bias else None
            return activate(F.conv2d(x, w, b, stride, padding, dilation, groups), act, alpha)
        return self.add(annotation('Conv', filters=filters, kernel=kernel, stride=stride, padding=padding,
                                   dilation=dilation, groups=groups, bias=bias, activation=act, alpha=alpha,
                                   frm=source), name, fn)

    def conv1d(self, name, filters, kernel, stride=1, padding=0, dilation=1, bias=True, act='IDENTITY'):
        def fn(net, x):  # x [n, steps, features]
            cin = x.shape[2]
            bound = 1 / math.sqrt(cin * kernel)
            w = net.param(name + '.weight', (filters, cin, kernel), bound, conv1d_layout)
            b = net.param(name + '.bias', (filters,), bound, weight=False) if bias else None
            y = F.conv1d(x.transpose(1, 2), w, b, stride, padding, dilation)
            return activate(y.transpose(1, 2), act)
        return self.add(annotation('Conv1d', filters=filters, kernel=kernel, stride=stride, padding=padding,
                                   dilation=dilation, bias=bias, activation=act), name, fn)

    def conv_transpose(self, name, filters, kernel, stride=1, padding=0, output_padding=0, bias=True,
                       act='IDENTITY'):
        def fn(net, x):
            cin = x.shape[1]
            bound = 1 / math.sqrt(cin * kernel * kernel)
            w = net.param(name + '.weight', (cin, filters, kernel, kernel), bound, conv_layout)
            b = net.param(name + '.bias', (filters,), bound, weight=False) if bias else None
            return activate(F.conv_transpose2d(x, w, b, stride, padding, output_padding), act)
        return self.add(annotation('ConvTranspose', filters=filters, kernel=kernel, stride=stride, padding=padding,
                                   outputPadding=output_padding, bias=bias, activation=act), name, fn)

    def pool(self, name, kind='MAX', kernel=2, stride=0, padding=0, source=None):
        s = stride or kernel

        def fn(net, x):
            x = net.outputs[source] if source else x
            if kind == 'MAX':
                y, idx = F.max_pool2d(x, kernel, s, padding, return_indices=True)
                net.winners[name] = (idx, x.shape[2:], kernel, s, padding)
                return y
            if kind == 'AVERAGE':
                return F.avg_pool2d(x, kernel, s)
            return x.mean(dim=(2, 3), keepdim=True)
        return self.add(annotation('Pool', kind=kind, kernel=kernel, stride=stride, padding=padding, frm=source), name, fn)

    def upsample(self, name, scale=2, pool=''):
        def fn(net, x):
            if not pool:
                return F.interpolate(x, scale_factor=scale, mode='nearest')
            idx, size, kernel, stride, padding = net.winners[pool]
            if stride >= kernel:
                return F.max_unpool2d(x, idx, kernel, stride, padding, output_size=list(size))
            # Overlapping windows may share a winner; PyTorch places its value once. With the unpool straight
            # after its pool every window sharing a winner carries the same value, so "placed once" is the pool's
            # input masked to the winners: a function whose autograd gradient is the exact adjoint.
            pooled_input = net.outputs_before(pool)
            mask = torch.zeros_like(pooled_input).reshape(x.shape[0], x.shape[1], -1)
            mask.scatter_(2, idx.reshape(x.shape[0], x.shape[1], -1), 1.0)
            return pooled_input * mask.reshape(pooled_input.shape)
        return self.add(annotation('Upsample', scale=scale, pool=pool), name, fn)

    def outputs_before(self, field):
        names = [n for n, _ in self.layers]
        i = names.index(field)
        return self.outputs[names[i - 1]]

    def batch_norm(self, name, act='IDENTITY', momentum=0.1, eps=1e-5):
        def fn(net, x):
            c = x.shape[1]
            g = net.param(name + '.weight', (c,), 1.5, lo=0.5, weight=False)
            b = net.param(name + '.bias', (c,), 0.5, weight=False)
            mean = net.buffer(name + '.running_mean', (c,), -0.5, 0.5)
            var = net.buffer(name + '.running_var', (c,), 0.5, 2.0)
            # PyTorch: biased batch variance to normalise, unbiased in the running estimate (as Lamina)
            y = F.batch_norm(x, mean, var, g, b, net.training, momentum, eps)
            return activate(y, act)
        return self.add(annotation('BatchNorm', activation=act, momentum=momentum, epsilon=eps), name, fn)

    def layer_norm(self, name, act='IDENTITY', eps=1e-5):
        def fn(net, x):
            last = x.permute(0, 2, 3, 1) if x.dim() == 4 else x  # Lamina normalises the channels-last axis
            f = last.shape[-1]
            g = net.param(name + '.weight', (f,), 1.5, lo=0.5, weight=False)
            b = net.param(name + '.bias', (f,), 0.5, weight=False)
            y = activate(F.layer_norm(last, (f,), g, b, eps), act)
            return y.permute(0, 3, 1, 2) if x.dim() == 4 else y
        return self.add(annotation('LayerNorm', activation=act, epsilon=eps), name, fn)

    def lrn(self, name, size, alpha, beta, k):
        def fn(net, x):
            return F.local_response_norm(x, size, alpha, beta, k)
        return self.add(annotation('LocalResponseNorm', size=size, alpha=alpha, beta=beta, k=k), name, fn)

    def dropout(self, name, rate):
        def fn(net, x):
            assert not net.training, 'dropout cases run in inference mode (masks are Lamina\'s own)'
            return x
        return self.add(annotation('Dropout', rate=rate), name, fn)

    def flatten(self, name):
        return self.add(annotation('Flatten'), name, lambda net, x: flatten(x))

    def recurrent(self, name, kind, units, sequences=False):
        def fn(net, x):
            if name not in net.modules:
                cls = {'LSTM': torch.nn.LSTM, 'GRU': torch.nn.GRU, 'RNN': torch.nn.RNN}[kind]
                m = cls(x.shape[2], units, batch_first=True).double()
                bound = 1 / math.sqrt(units)
                for suffix in ('weight_ih', 'weight_hh', 'bias_ih', 'bias_hh'):
                    p = getattr(m, suffix + '_l0')
                    with torch.no_grad():
                        p.copy_(net.uniform(tuple(p.shape), -bound, bound))
                    net.params[name + '.' + suffix] = (p, same, suffix.startswith('weight'))
                net.modules[name] = m
            y, _ = net.modules[name](x)
            return y if sequences else y[:, -1, :]
        return self.add(annotation(kind, units=units, returnSequences=sequences), name, fn)

    def embedding(self, name, dim):
        def fn(net, x):
            w = net.param(name + '.weight', (net.tokens, dim), 1.0)
            return F.embedding(x.long(), w)
        return self.add(annotation('Embedding', dim=dim), name, fn)

    def residual(self, name, filters, stride=1, block='BASIC', act='RELU'):
        def fn(net, x):
            def cbn(x, conv_name, bn_name, width, kernel, s, a):
                cin = x.shape[1]
                w = net.param(name + '.' + conv_name + '.weight', (width, cin, kernel, kernel),
                              1 / math.sqrt(cin * kernel * kernel), conv_layout)
                y = F.conv2d(x, w, None, s, kernel // 2)
                g = net.param(name + '.' + bn_name + '.weight', (width,), 1.5, lo=0.5, weight=False)
                b = net.param(name + '.' + bn_name + '.bias', (width,), 0.5, weight=False)
                mean = net.buffer(name + '.' + bn_name + '.running_mean', (width,), -0.5, 0.5)
                var = net.buffer(name + '.' + bn_name + '.running_var', (width,), 0.5, 2.0)
                return activate(F.batch_norm(y, mean, var, g, b, net.training, 0.1, 1e-5), a)
            if block == 'BASIC':
                out_c = filters
                y = cbn(x, 'conv1', 'bn1', filters, 3, stride, act)
                y = cbn(y, 'conv2', 'bn2', filters, 3, 1, 'IDENTITY')
            else:
                out_c = 4 * filters
                y = cbn(x, 'conv1', 'bn1', filters, 1, 1, act)
                y = cbn(y, 'conv2', 'bn2', filters, 3, stride, act)
                y = cbn(y, 'conv3', 'bn3', out_c, 1, 1, 'IDENTITY')
            shortcut = x
            if stride != 1 or x.shape[1] != out_c:
                shortcut = cbn(x, 'shortcut.conv', 'shortcut.bn', out_c, 1, stride, 'IDENTITY')
            return activate(y + shortcut, act)
        return self.add(annotation('Residual', filters=filters, stride=stride, block=block, activation=act), name, fn)

    def concat(self, name, parts, with_previous=False):
        def fn(net, x):
            xs = ([x] if with_previous else []) + [net.outputs[p] for p in parts]
            return torch.cat(xs, dim=1)
        return self.add(annotation('Concat', of=parts, withPrevious=with_previous), name, fn)


# ------------------------------------------------------------------------------------------ Java annotations

DEFAULTS = {'activation': 'IDENTITY', 'alpha': None, 'bias': True, 'stride': 0, 'padding': 0, 'dilation': 1,
            'groups': 1, 'frm': None, 'kind': 'MAX', 'kernel': None, 'outputPadding': 0, 'momentum': 0.1,
            'epsilon': 1e-5, 'returnSequences': False, 'scale': 2, 'pool': '', 'block': 'BASIC',
            'withPrevious': False}


def annotation(layer, **attrs):
    parts = []
    for key, value in attrs.items():
        if key == 'stride' and layer in ('Conv', 'Conv1d', 'ConvTranspose', 'Residual') and value == 1:
            continue
        if key in DEFAULTS and DEFAULTS[key] == value and not (key == 'kernel'):
            continue
        if key == 'kernel' and layer == 'Pool' and value == 2:
            continue
        if key == 'scale' and value == 2:
            continue
        java_key = 'from' if key == 'frm' else key
        if key == 'activation':
            text = 'Activation.' + value
        elif key == 'kind':
            text = 'PoolKind.' + value
        elif key == 'block':
            text = 'ResidualBlock.' + value
        elif isinstance(value, bool):
            text = 'true' if value else 'false'
        elif isinstance(value, str):
            text = '"%s"' % value
        elif isinstance(value, list):
            text = '{' + ', '.join('"%s"' % v for v in value) + '}'
        elif isinstance(value, float):
            text = repr(value)
        else:
            text = str(value)
        parts.append('%s = %s' % (java_key, text))
    return '@%s%s' % (layer, '(' + ', '.join(parts) + ')' if parts else '')


# ------------------------------------------------------------------------------------------ running a case

def java_class(case):
    return ''.join(p[:1].upper() + p[1:] for p in case.split('_'))


def losses(net, y, t):
    """Lamina's loss: the mean over the batch of the per-sample loss (see docs/PYTORCH.md)."""
    n = y.shape[0]
    if net.loss == 'SOFTMAX_CROSS_ENTROPY':
        k = net.classes
        scores = y.reshape(-1, k)  # a sequence output: every step, the mean over steps and samples
        # Lamina smooths to 1 - e and e/(k-1); PyTorch to 1 - e + e/k and e/k: e' = e k / (k - 1) agrees
        return F.cross_entropy(scores, t.reshape(-1, k), label_smoothing=net.smoothing * k / (k - 1))
    if net.loss == 'SIGMOID_CROSS_ENTROPY':
        return F.binary_cross_entropy_with_logits(y, t, reduction='sum') / n
    return F.mse_loss(y, t, reduction='sum') / (2 * n)


def make_input(net):
    n = net.batch
    if net.tokens:
        return torch.randint(net.tokens, (n, net.steps), generator=net.gen).to(torch.float64)
    shape = (n, net.steps) + tuple(net.input) if net.steps else (n,) + tuple(net.input)
    return net.uniform(shape, -1.0, 1.0).requires_grad_(True)


def make_target(net, out_features):
    n = net.batch
    if net.loss == 'SOFTMAX_CROSS_ENTROPY':
        k = net.classes
        rows = out_features // k
        ids = torch.randint(k, (n * rows,), generator=net.gen)
        return F.one_hot(ids, k).to(torch.float64).reshape(n, rows * k)
    if net.loss == 'SIGMOID_CROSS_ENTROPY':
        return net.uniform((n, out_features), 0.0, 1.0)
    return net.uniform((n, out_features), -1.0, 1.0)


def run(net):
    x = make_input(net)
    raw = net.forward(x)
    y = to_lamina(raw)
    net.classes = raw.shape[-1] if raw.dim() == 3 else y.shape[1]  # a sequence: classes at every step
    t = make_target(net, y.shape[1])
    loss = losses(net, y, t)
    loss.backward()
    tensors = {'input': ('F32', x), 'target': ('F32', t)}
    initial = {name: p.detach().clone() for name, (p, _, _) in net.params.items()}
    for name, (p, layout, _) in net.params.items():
        tensors[name] = ('F32', layout(p.detach()).clone())  # before the optimizer steps change p
    for name, b in net.initial_buffers.items():
        tensors[name] = ('F32', b)
    tensors['expect.output'] = ('F64', y)
    tensors['expect.loss'] = ('F64', loss.detach().reshape(1))
    for name, (p, layout, _) in net.params.items():
        grad = p.grad if p.grad is not None else torch.zeros_like(p)  # no path to the loss (STEP)
        tensors['expect.grad.' + name] = ('F64', layout(grad))
    if x.requires_grad:
        tensors['expect.input_grad'] = ('F64', x.grad if x.grad is not None else torch.zeros_like(x))
    for name, b in net.buffers.items():
        tensors['expect.buffer.' + name] = ('F64', b.clone())
    if net.optimizer:
        after = three_steps(net, x, t, initial)
        for name, (p, layout, _) in net.params.items():
            tensors['expect.after.' + name] = ('F64', layout(after[name]))
    metadata = {'network': 'dev.lamina.processor.pytorch.DiffNets_%sNet' % java_class(net.case),
                'training': 'true' if net.training else 'false', 'batch': str(net.batch),
                'tolerance': repr(net.tolerance)}
    if net.why:
        metadata['why'] = net.why
    if net.optimizer:
        metadata['optimizer'] = net.optimizer[0]
        metadata['optimizer.args'] = ','.join(repr(a) for a in net.optimizer[1:])
    write_safetensors(os.path.join(FIXTURES, net.case + '.safetensors'), tensors, metadata)
    return net


def three_steps(net, x, t, initial):
    """Three optimizer steps, each on the gradient of the same batch at the current parameters."""
    with torch.no_grad():
        for name, (p, _, _) in net.params.items():
            p.copy_(initial[name])
    params = [p for p, _, _ in net.params.values()]
    weights = [p for p, _, w in net.params.values() if w]
    others = [p for p, _, w in net.params.values() if not w]
    kind, *args = net.optimizer
    square = [torch.zeros_like(p) for p in params]
    if kind == 'sgd':
        opt = torch.optim.SGD(params, lr=args[0])
    elif kind == 'momentum':  # v <- a v - eps g; theta += v is PyTorch's buf <- a buf + g; theta -= eps buf
        opt = torch.optim.SGD(params, lr=args[0], momentum=args[1])
    elif kind == 'nesterov':
        opt = torch.optim.SGD(params, lr=args[0], momentum=args[1], nesterov=True)
    elif kind == 'adagrad':
        opt = torch.optim.Adagrad(params, lr=args[0], eps=1e-7)
    elif kind == 'rmsprop':
        opt = None  # Lamina's delta sits inside the root: no torch.optim.RMSprop setting gives it
    elif kind == 'adam':
        opt = torch.optim.Adam(params, lr=args[0], betas=(args[1], args[2]), eps=args[3])
    elif kind == 'adamw':  # Lamina decays weights only: a parameter group without decay for the rest
        opt = torch.optim.AdamW([{'params': weights, 'weight_decay': args[1]},
                                 {'params': others, 'weight_decay': 0.0}], lr=args[0])
    for _ in range(3):
        for p in params:
            p.grad = None
        losses(net, to_lamina(net.forward(x)), t).backward()
        if opt is not None:
            opt.step()
            continue
        lr, rho, delta = args
        with torch.no_grad():
            for p, r in zip(params, square):
                r.mul_(rho).add_((1 - rho) * p.grad * p.grad)
                p.sub_(lr * p.grad / torch.sqrt(r + delta))
    return {name: p.detach().clone() for name, (p, _, _) in net.params.items()}


# ------------------------------------------------------------------------------------------ the cases

CASES = []


def case(fn):
    CASES.append(fn)
    return fn


def seed_of(name):
    return sum((i + 1) * ord(ch) for i, ch in enumerate(name)) % 100003


def new(name, **kw):
    return Net(name, seed_of(name), **kw)


@case
def dense_activations():
    for act in ACTIVATIONS:
        for i in range(2):
            net = new('dense_%s_%d' % (act.lower(), i), loss='MEAN_SQUARED_ERROR', batch=3 + i)
            features, units = net.randint(3, 6), net.randint(2, 5)
            net.input = [features]
            alpha = None
            if act in DEFAULT_ALPHA and i == 1:
                alpha = {'LEAKY_RELU': 0.2, 'ELU': 0.7, 'RELU6': 0.5}[act]
            net.dense('hidden', units, act, alpha, bias=i == 0)
            net.dense('out', 3)
            yield net


@case
def dense_per_step():
    for i in range(2):
        net = new('dense_per_step_%d' % i, loss='MEAN_SQUARED_ERROR')
        net.input, net.steps = [net.randint(2, 4)], net.randint(3, 5)
        net.dense('perStep', net.randint(2, 4), 'TANH')
        yield net


@case
def convolutions():
    for i in range(8):
        net = new('conv_%d' % i, loss='MEAN_SQUARED_ERROR')
        groups = net.pick([1, 1, 2, 3]) if i > 0 else 1
        cin = groups * net.randint(1, 2)
        filters = groups * net.randint(1, 3)
        kernel = net.pick([1, 2, 3, 3])
        stride, dilation = net.randint(1, 2), net.randint(1, 2)
        padding = net.randint(0, kernel // 2 + (1 if kernel > 1 else 0))
        size = net.randint(5, 8)
        net.input = [cin, size, size + net.randint(0, 1)]
        net.conv('c', filters, kernel, stride, padding, dilation, groups, bias=i % 2 == 0,
                 act=net.pick(['IDENTITY', 'TANH', 'RELU']))
        if i >= 6:  # a Dense after the image: flattens the channels-last activations
            net.loss = 'SOFTMAX_CROSS_ENTROPY'
            net.dense('out', 3)
        yield net


@case
def convolutions_1d():
    for i in range(5):
        net = new('conv1d_%d' % i, loss='MEAN_SQUARED_ERROR')
        net.input, net.steps = [net.randint(2, 4)], net.randint(6, 9)
        kernel = net.randint(1, 3)
        net.conv1d('c', net.randint(2, 4), kernel, net.randint(1, 2), net.randint(0, kernel // 2 + 1) if kernel > 1
                   else 0, net.randint(1, 2), bias=i != 1, act=net.pick(['IDENTITY', 'TANH', 'ELU']))
        yield net


@case
def transposed_convolutions():
    for i in range(6):
        net = new('conv_transpose_%d' % i, loss='MEAN_SQUARED_ERROR', batch=2)
        kernel, stride = net.randint(2, 3), net.randint(1, 2)
        net.input = [net.randint(1, 3), net.randint(3, 4), net.randint(3, 5)]
        net.conv_transpose('t', net.randint(1, 3), kernel, stride, net.randint(0, kernel - 1) if i else 0,
                           net.randint(0, stride - 1), bias=i != 2, act=net.pick(['IDENTITY', 'TANH']))
        yield net


POOLS = [('max_2', 'MAX', 2, 0, 0), ('max_overlap_3_2', 'MAX', 3, 2, 0), ('max_padded_3_1', 'MAX', 3, 1, 1),
         ('max_2_1', 'MAX', 2, 1, 0), ('max_padded_2_2', 'MAX', 2, 2, 1), ('average_2', 'AVERAGE', 2, 0, 0),
         ('max_gapped_2_3', 'MAX', 2, 3, 0), ('average_gapped_2_3', 'AVERAGE', 2, 3, 0),
         ('average_overlap_3_1', 'AVERAGE', 3, 1, 0), ('global_average', 'GLOBAL_AVERAGE', 2, 0, 0)]


@case
def pooling():
    for fuse in (True, False):
        for label, kind, kernel, stride, padding in POOLS:
            net = new('pool_%s%s' % (label, '' if fuse else '_unfused'), loss='MEAN_SQUARED_ERROR', fuse=fuse)
            net.input = [net.randint(1, 3), 7, net.randint(6, 7)]
            net.conv('c', net.randint(2, 3), 3, padding=1, act='TANH')  # a max pool after it is fused in
            net.pool('p', kind, kernel, stride, padding)
            yield net


@case
def upsampling():
    for i in range(2):
        net = new('upsample_nearest_%d' % i, loss='MEAN_SQUARED_ERROR', batch=2)
        net.input = [2, 3, 4]
        net.conv('c', 2, 3, padding=1, act='TANH')
        net.upsample('up', scale=2 + i)
        yield net
    net = new('max_unpool', loss='MEAN_SQUARED_ERROR')
    net.input = [2, 6, 6]
    net.conv('enc', 3, 3, padding=1, act='TANH')
    net.pool('pool', 'MAX', 2)
    net.conv('mid', 3, 1, act='TANH')
    net.upsample('unpool', pool='pool')
    yield net
    net = new('max_unpool_overlapping', loss='MEAN_SQUARED_ERROR')
    net.input = [2, 7, 7]
    net.conv('enc', 3, 3, padding=1, act='TANH')
    net.pool('pool', 'MAX', 3, 2)
    net.upsample('unpool', pool='pool')
    yield net


@case
def batch_norms():
    for training in (True, False):
        mode = 'train' if training else 'infer'
        for i in range(2):
            net = new('batch_norm_image_%s_%d' % (mode, i), loss='MEAN_SQUARED_ERROR', training=training,
                      batch=3 + i)
            net.input = [2, 4, 5]
            net.conv('c', 3, 3, padding=1, bias=False)
            net.batch_norm('bn', act=net.pick(['IDENTITY', 'RELU', 'TANH']), momentum=net.pick([0.1, 0.3]),
                           eps=net.pick([1e-5, 1e-3]))
            yield net
            net = new('batch_norm_vector_%s_%d' % (mode, i), training=training, batch=4 + i)
            net.input = [5]
            net.dense('d', 4, bias=False)  # a bias before batch norm has a gradient of exactly 0
            net.batch_norm('bn', act=net.pick(['IDENTITY', 'SIGMOID', 'RELU']), momentum=net.pick([0.1, 0.2]))
            net.dense('out', 3)
            yield net


@case
def layer_norms():
    net = new('layer_norm_image', loss='MEAN_SQUARED_ERROR')
    net.input = [2, 3, 3]
    net.conv('c', 4, 3, padding=1)
    net.layer_norm('ln', act='TANH')
    yield net
    net = new('layer_norm_vector')
    net.input = [4]
    net.dense('d', 5)
    net.layer_norm('ln', act='SIGMOID', eps=1e-3)
    net.dense('out', 3)
    yield net
    net = new('layer_norm_sequence', loss='MEAN_SQUARED_ERROR')
    net.input, net.steps = [3], 4
    net.recurrent('gru', 'GRU', 4, sequences=True)
    net.layer_norm('ln')
    yield net


@case
def response_norms():
    for size in (2, 3, 4, 5, 6):
        net = new('lrn_size_%d' % size, loss='MEAN_SQUARED_ERROR')
        net.input = [2, 3, 3]
        net.conv('c', 7, 1, act='TANH')
        net.lrn('lrn', size, net.pick([1e-4, 0.5, 0.8]), net.pick([0.75, 0.5]), net.pick([2.0, 1.0]))
        yield net


@case
def dropouts():
    net = new('dropout_fused_inference', training=False)
    net.input = [5]
    net.dense('d', 6, 'TANH')
    net.dropout('drop', 0.3)
    net.dense('out', 3)
    yield net
    net = new('dropout_standalone_inference', training=False, loss='MEAN_SQUARED_ERROR')
    net.input = [2, 4, 4]
    net.conv('c', 3, 3, padding=1, act='TANH')
    net.pool('p', 'AVERAGE', 2)
    net.dropout('drop', 0.5)  # after a pool: a standalone dropout layer, not fused
    net.conv('out', 2, 1)
    yield net


@case
def recurrent():
    specs = [('lstm_last', [('LSTM', 4, False)]), ('lstm_sequence', [('LSTM', 3, True)]),
             ('lstm_stacked', [('LSTM', 4, True), ('LSTM', 3, False)]), ('gru_last', [('GRU', 4, False)]),
             ('gru_sequence', [('GRU', 3, True)]), ('gru_stacked', [('GRU', 3, True), ('RNN', 3, False)]),
             ('rnn_last', [('RNN', 4, False)]), ('rnn_stacked', [('RNN', 3, True), ('GRU', 4, True)])]
    for label, layers in specs:
        last_sequence = layers[-1][2]
        net = new(label, loss='MEAN_SQUARED_ERROR' if last_sequence else 'SOFTMAX_CROSS_ENTROPY')
        net.input, net.steps = [net.randint(2, 3)], net.randint(3, 5)
        for j, (kind, units, sequences) in enumerate(layers):
            net.recurrent('r%d' % j, kind, units, sequences)
        if not last_sequence:
            net.dense('out', 3)
        yield net


@case
def embeddings():
    net = new('embedding_lstm', tokens=6, steps=4)
    net.embedding('embed', 3)
    net.recurrent('lstm', 'LSTM', 4)
    net.dense('out', 3)
    yield net
    net = new('embedding_per_step_softmax', tokens=5, steps=3)
    net.embedding('embed', 3)
    net.recurrent('gru', 'GRU', 4, sequences=True)
    net.dense('next', 5)  # a Dense at every step, softmax cross-entropy at every step
    yield net


@case
def residuals():
    for training in (True, False):
        mode = 'train' if training else 'infer'
        net = new('residual_basic_identity_%s' % mode, training=training, batch=3)
        net.input = [3, 4, 4]
        net.residual('stage', 3)
        net.pool('gap', 'GLOBAL_AVERAGE')
        net.dense('out', 3)
        yield net
        net = new('residual_basic_projection_%s' % mode, training=training, loss='MEAN_SQUARED_ERROR')
        net.input = [2, 5, 5]
        net.residual('stage', 3, stride=2, act='TANH')
        yield net
        loose = {} if not training else dict(
            tolerance=3e-5, why='three convolutions through three batch norms in training mode: the last '
            'convolution\'s weight gradient passes the batch-norm backward\'s cancelling sums (measured: Lamina '
            '1.1e-5; PyTorch itself in float32 is 2.2e-6 off its float64 result)')
        net = new('residual_bottleneck_%s' % mode, training=training, loss='MEAN_SQUARED_ERROR', batch=2, **loose)
        net.input = [3, 4, 4]
        net.residual('stage', 2, block='BOTTLENECK')
        yield net


@case
def concatenations():
    net = new('concat_branches', loss='MEAN_SQUARED_ERROR', batch=2)
    net.input = [2, 5, 5]
    net.conv('stem', 3, 3, padding=1, act='TANH')
    net.conv('b1', 2, 1, act='TANH')
    net.conv('b3', 2, 3, padding=1, act='RELU', source='stem')
    net.pool('bp', 'MAX', 3, 1, 1, source='stem')
    net.concat('mixed', ['b1', 'b3', 'bp'])
    net.conv('refine', 2, 1)
    net.concat('skip', ['stem'], with_previous=True)
    yield net
    net = new('concat_vectors')
    net.input = [4]
    net.dense('stem', 5, 'TANH')
    net.dense('a', 3, 'RELU')
    net.dense('b', 2, 'SIGMOID', source='stem')
    net.concat('joined', ['a', 'b'])
    net.dense('out', 3)
    yield net


@case
def loss_functions():
    for i, (loss, smoothing) in enumerate([('SOFTMAX_CROSS_ENTROPY', 0.0), ('SOFTMAX_CROSS_ENTROPY', 0.1),
                                           ('SOFTMAX_CROSS_ENTROPY', 0.25), ('SIGMOID_CROSS_ENTROPY', 0.0),
                                           ('SIGMOID_CROSS_ENTROPY', 0.0), ('MEAN_SQUARED_ERROR', 0.0)]):
        net = new('loss_%s_%d' % (loss.lower(), i), loss=loss, smoothing=smoothing, batch=4)
        net.input = [net.randint(3, 5)]
        net.dense('d', 4, 'TANH')
        net.dense('out', net.randint(2, 5))
        yield net


@case
def sequence_losses():
    # a 1x1 Conv1d as the scoring layer: losses on a sequence output without a Dense at every step
    for loss in ('SOFTMAX_CROSS_ENTROPY', 'SIGMOID_CROSS_ENTROPY', 'MEAN_SQUARED_ERROR'):
        net = new('sequence_loss_%s' % loss.lower(), loss=loss, smoothing=0.1 if loss.startswith('SOFTMAX') else 0)
        net.input, net.steps = [net.randint(2, 3)], net.randint(3, 4)
        net.recurrent('gru', 'GRU', 4, sequences=True)
        net.conv1d('scores', net.randint(3, 4), 1)
        yield net


OPTIMIZERS = [('sgd', 0.1), ('momentum', 0.1, 0.9), ('nesterov', 0.1, 0.9), ('adagrad', 0.1),
              ('rmsprop', 0.01, 0.9, 1e-6), ('adam', 0.01, 0.9, 0.999, 1e-8), ('adamw', 0.01, 0.1)]


@case
def optimizers():
    for spec in OPTIMIZERS:
        net = new('optimizer_%s' % spec[0], batch=4)
        net.input = [4]
        net.dense('d', 5, 'TANH')
        net.dense('out', 3)
        net.optimizer = spec
        yield net


# ------------------------------------------------------------------------------------------ Java source

JAVA_HEAD = '''package dev.lamina.processor.pytorch;

import dev.lamina.dsl.Activation;
import dev.lamina.dsl.BatchNorm;
import dev.lamina.dsl.Concat;
import dev.lamina.dsl.Conv;
import dev.lamina.dsl.Conv1d;
import dev.lamina.dsl.ConvTranspose;
import dev.lamina.dsl.Dense;
import dev.lamina.dsl.Dropout;
import dev.lamina.dsl.Embedding;
import dev.lamina.dsl.GRU;
import dev.lamina.dsl.LSTM;
import dev.lamina.dsl.LayerNorm;
import dev.lamina.dsl.LocalResponseNorm;
import dev.lamina.dsl.Loss;
import dev.lamina.dsl.Network;
import dev.lamina.dsl.Pool;
import dev.lamina.dsl.PoolKind;
import dev.lamina.dsl.RNN;
import dev.lamina.dsl.Residual;
import dev.lamina.dsl.ResidualBlock;
import dev.lamina.dsl.Upsample;
import dev.lamina.runtime.Layer;

/**
 * GENERATED by processor/src/test/python/pytorch_fixtures.py; do not edit: change the script and rerun it. One
 * network per PyTorch differential case (fixtures in src/test/resources/pytorch), see PyTorchDifferentialTest.
 */
@SuppressWarnings("unused")
public final class DiffNets {
    private DiffNets() {
    }
'''


def network_annotation(net):
    attrs = []
    if net.tokens:
        attrs.append('tokens = %d' % net.tokens)
    else:
        attrs.append('input = {%s}' % ', '.join(str(v) for v in net.input))
    if net.steps:
        attrs.append('steps = %d' % net.steps)
    if net.loss != 'SOFTMAX_CROSS_ENTROPY':
        attrs.append('loss = Loss.%s' % net.loss)
    if net.smoothing:
        attrs.append('labelSmoothing = %r' % net.smoothing)
    if not net.fuse:
        attrs.append('fuse = false')
    return '@Network(%s)' % ', '.join(attrs)


def java_source(nets):
    lines = [JAVA_HEAD]
    for net in nets:
        lines.append('')
        lines.append('    ' + network_annotation(net))
        lines.append('    public abstract static class %s {' % java_class(net.case))
        for ann, name in net.fields:
            lines.append('        %s Layer %s;' % (ann, name))
        lines.append('    }')
    lines.append('}')
    return '\n'.join(lines) + '\n'


def main():
    os.makedirs(FIXTURES, exist_ok=True)
    for old in os.listdir(FIXTURES):
        if old.endswith('.safetensors'):
            os.remove(os.path.join(FIXTURES, old))
    nets = []
    for make in CASES:
        for net in make():
            nets.append(run(net))
    with open(JAVA, 'w') as f:
        f.write(java_source(nets))
    print('%d cases written to %s' % (len(nets), FIXTURES))


if __name__ == '__main__':
    main()
