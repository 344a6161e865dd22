"""PyTorch's side of TorchLayoutTest: PyTorch twins of TorchLayoutNets (a grouped and a transposed convolution, a
flatten and a dropout before a Linear; a Conv1d, an LSTM and a GRU), with module names equal to the Lamina fields.

  /usr/bin/python3 processor/src/test/python/torch_layouts.py
      writes processor/src/test/resources/torch-layouts/{image,sequence}.safetensors (the seeded modules' state
      dicts) and {image,sequence}.txt (a fixed input batch and the logits in eval mode); a rerun writes identical
      files.
  /usr/bin/python3 processor/src/test/python/torch_layouts.py logits MODEL CHECKPOINT BATCH OUT
      loads the Lamina checkpoint CHECKPOINT into MODEL with load_state_dict(strict=True), runs the input of BATCH in
      eval mode and writes the logits to OUT.

No safetensors package here (no PyPI): files are read and written by hand, in the format
safetensors.torch.save_file writes (no metadata)."""
import json, os, struct, sys
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, '..', 'resources', 'torch-layouts')
BATCH = 3
DTYPES = {torch.float32: ('F32', 'f'), torch.int64: ('I64', 'q')}


class Image(nn.Module):
    SHAPE = (2, 6, 6)

    def __init__(s):
        super().__init__()
        s.g = nn.Conv2d(2, 4, 3, padding=1, groups=2)
        s.t = nn.ConvTranspose2d(4, 3, 2, stride=2)
        s.p = nn.MaxPool2d(4)
        s.flat = nn.Flatten()
        s.drop = nn.Dropout(0.5)
        s.out = nn.Linear(27, 5)

    def forward(s, x):
        return s.out(s.drop(s.flat(s.p(torch.tanh(s.t(torch.tanh(s.g(x))))))))


class Sequence(nn.Module):
    SHAPE = (5, 3)  # [steps, features], batch first

    def __init__(s):
        super().__init__()
        s.c = nn.Conv1d(3, 4, 2, padding=1)
        s.lstm = nn.LSTM(4, 3, batch_first=True)
        s.gru = nn.GRU(3, 4, batch_first=True)
        s.out = nn.Linear(4, 2)

    def forward(s, x):
        y = torch.tanh(s.c(x.transpose(1, 2))).transpose(1, 2)
        y, _ = s.lstm(y)
        y, _ = s.gru(y)
        return s.out(y[:, -1])


MODELS = {'image': Image, 'sequence': Sequence}


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
    tensors = {}
    for name, e in json.loads(data[8:8 + n]).items():
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


def read_input(path, shape):
    with open(path) as f:
        _, n, _ = f.readline().split()
        rows = [[float(v) for v in f.readline().split()] for _ in range(int(n))]
    return torch.tensor(rows, dtype=torch.float32).reshape(int(n), *shape)


def fixtures():
    os.makedirs(FIXTURES, exist_ok=True)
    for seed, (name, make) in enumerate(MODELS.items()):
        torch.manual_seed(seed)
        m = make().eval()
        x = 2 * torch.rand(BATCH, *make.SHAPE) - 1
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
        y = m(read_input(batch, MODELS[model].SHAPE))
    with open(out, 'w') as f:
        write_rows(f, 'logits', y)


if __name__ == '__main__':
    torch.set_num_threads(1)
    if len(sys.argv) > 1 and sys.argv[1] == 'logits':
        logits(*sys.argv[2:6])
    else:
        fixtures()
