"""PyTorch's side of the checkpoint tests (TorchCheckpointTest): the peers' LeNet and ResNet
(shared/peers/torch_fmnist.py) with module names equal to the fields of the samples' LeNet5 and PeerResNet.

  /usr/bin/python3 samples/src/test/python/torch_checkpoints.py
      writes samples/src/test/resources/torch-checkpoints/{lenet,resnet}.safetensors (the seeded modules' state
      dicts, batch-norm weights and running statistics set to values away from their defaults) and
      {lenet,resnet}.txt (a fixed input batch and the modules' logits in eval mode); a rerun writes identical files.
  /usr/bin/python3 samples/src/test/python/torch_checkpoints.py logits MODEL CHECKPOINT BATCH OUT
      loads the Lamina checkpoint CHECKPOINT into MODEL (lenet or resnet) with load_state_dict(strict=True), runs
      the input of BATCH (a .txt as above) in eval mode and writes the logits to OUT in the same text form.

The safetensors package is not installed here (no PyPI): files are read and written by hand (struct, json), in
the format safetensors.torch.save_file writes (no metadata)."""
import json, os, struct, sys
from collections import OrderedDict
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, '..', 'resources', 'torch-checkpoints')
BATCH = 4
DTYPES = {torch.float32: ('F32', 'f'), torch.int64: ('I64', 'q')}


class LeNet(nn.Module):
    """samples' LeNet5: c1, s2, c3, s4, f5, f6, out."""
    def __init__(s):
        super().__init__()
        s.c1 = nn.Conv2d(1, 6, 5, padding=2); s.s2 = nn.MaxPool2d(2)
        s.c3 = nn.Conv2d(6, 16, 5); s.s4 = nn.MaxPool2d(2)
        s.f5 = nn.Linear(400, 120); s.f6 = nn.Linear(120, 84); s.out = nn.Linear(84, 10)

    def forward(s, x):
        x = s.s4(F.relu(s.c3(s.s2(F.relu(s.c1(x))))))
        return s.out(F.relu(s.f6(F.relu(s.f5(torch.flatten(x, 1))))))


class Block(nn.Module):
    """A @Residual stage: conv1, bn1, conv2, bn2 and, where the shape changes, shortcut.conv and shortcut.bn."""
    def __init__(s, cin, cout, stride):
        super().__init__()
        s.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False); s.bn1 = nn.BatchNorm2d(cout)
        s.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False); s.bn2 = nn.BatchNorm2d(cout)
        s.shortcut = nn.Sequential() if stride == 1 and cin == cout else nn.Sequential(OrderedDict(
            conv=nn.Conv2d(cin, cout, 1, stride, bias=False), bn=nn.BatchNorm2d(cout)))

    def forward(s, x):
        return F.relu(s.bn2(s.conv2(F.relu(s.bn1(s.conv1(x))))) + s.shortcut(x))


class ResNet(nn.Module):
    """samples' PeerResNet: stem, stemBn, stage1, stage2, stage3, pool, out."""
    def __init__(s):
        super().__init__()
        s.stem = nn.Conv2d(1, 16, 3, 1, 1, bias=False); s.stemBn = nn.BatchNorm2d(16)
        s.stage1 = Block(16, 16, 1); s.stage2 = Block(16, 32, 2); s.stage3 = Block(32, 64, 2)
        s.pool = nn.AdaptiveAvgPool2d(1); s.out = nn.Linear(64, 10)

    def forward(s, x):
        x = s.stage3(s.stage2(s.stage1(F.relu(s.stemBn(s.stem(x))))))
        return s.out(torch.flatten(s.pool(x), 1))


MODELS = {'lenet': LeNet, 'resnet': ResNet}


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        t = t.detach().contiguous()
        dtype, fmt = DTYPES[t.dtype]
        blob = struct.pack('<%d%s' % (t.numel(), fmt), *t.reshape(-1).tolist())
        header[name] = {'dtype': dtype, 'shape': list(t.shape), 'data_offsets': [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header, separators=(',', ':'))
    text += ' ' * ((8 - len(text) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)) + text.encode('utf-8') + b''.join(blobs))


def read_safetensors(path):
    with open(path, 'rb') as f:
        data = f.read()
    n = struct.unpack('<Q', data[:8])[0]
    header = json.loads(data[8:8 + n])
    tensors = {}
    for name, e in header.items():
        if name == '__metadata__':
            continue
        fmt = {'F32': 'f', 'I64': 'q'}[e['dtype']]
        begin, end = e['data_offsets']
        values = struct.unpack('<%d%s' % ((end - begin) // struct.calcsize(fmt), fmt),
                               data[8 + n + begin:8 + n + end])
        tensors[name] = torch.tensor(values, dtype=torch.float32 if fmt == 'f' else torch.int64).reshape(e['shape'])
    return tensors


def write_rows(f, label, t):
    f.write('%s %d %d\n' % (label, t.shape[0], t[0].numel()))
    for row in t.reshape(t.shape[0], -1):
        f.write(' '.join('%.9g' % v for v in row.tolist()) + '\n')


def read_input(path):
    with open(path) as f:
        _, n, size = f.readline().split()
        rows = [[float(v) for v in f.readline().split()] for _ in range(int(n))]
    return torch.tensor(rows, dtype=torch.float32).reshape(int(n), 1, 28, 28)


def fixtures():
    os.makedirs(FIXTURES, exist_ok=True)
    for seed, (name, make) in enumerate(MODELS.items()):
        torch.manual_seed(seed)
        m = make()
        with torch.no_grad():
            for bn in (b for b in m.modules() if isinstance(b, nn.BatchNorm2d)):
                bn.weight.copy_(1 + 0.2 * torch.randn(bn.num_features))
                bn.bias.copy_(0.2 * torch.randn(bn.num_features))
                bn.running_mean.copy_(0.3 * torch.randn(bn.num_features))
                bn.running_var.copy_(0.5 + torch.rand(bn.num_features))
        m.eval()
        x = torch.rand(BATCH, 1, 28, 28)
        with torch.no_grad():
            y = m(x)
        write_safetensors(os.path.join(FIXTURES, name + '.safetensors'), m.state_dict())
        with open(os.path.join(FIXTURES, name + '.txt'), 'w') as f:
            write_rows(f, 'input', x)
            write_rows(f, 'logits', y)


def logits(model, checkpoint, batch, out):
    m = MODELS[model]()
    m.load_state_dict(read_safetensors(checkpoint), strict=True)
    m.eval()
    with torch.no_grad():
        y = m(read_input(batch))
    with open(out, 'w') as f:
        write_rows(f, 'logits', y)


if __name__ == '__main__':
    torch.set_num_threads(1)
    if len(sys.argv) > 1 and sys.argv[1] == 'logits':
        logits(*sys.argv[2:6])
    else:
        fixtures()
