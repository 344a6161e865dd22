#!/usr/bin/python3
"""Writes the PyTorch fixtures of the losses written in Java (dev.lamina.runtime.train.LossFunction).

Run from the repository root with Debian's PyTorch (python3-torch, 1.13; no pip packages):

    /usr/bin/python3 runtime/src/test/python/loss_fixtures.py

It rewrites runtime/src/test/resources/pytorch-losses/<case>.txt, one file per case, which
PyTorchLossAgreementTest reads (mvn needs no Python). Every case draws its values from its own seeded generator:
a rerun writes identical files. docs/PYTORCH.md ("Losses written in Java") says how each Lamina loss maps to PyTorch.

A fixture is lines of `key value...` (values separated by spaces, every number as Python's repr of a double):
  loss        the LossFunction factory (meanSquaredError, multiMargin, smoothL1, huber, crossEntropyOverPositions)
  parameter   its argument (margin, beta, delta), absent when it takes none
  pytorch     the PyTorch expression computed
  rows        the batch's rows n
  shape       one row's output shape, channels first, as Model.outputShape() gives it
  outputs     n x size scores in Lamina's layout (Model.predict's: an image channels last), float32 values
  targets     n x size targets in the same layout (one-hot or probabilities per position for the classifiers)
  value       the mean loss, PyTorch in float64 on the float32 outputs
  gradient    d value / d outputs, Lamina's layout, float64
"""
import os

import torch
import torch.nn.functional as F

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..', '..'))
FIXTURES = os.path.join(ROOT, 'runtime', 'src', 'test', 'resources', 'pytorch-losses')


def draw(gen, shape, scale=1.0):
    """Gaussian values rounded to float32 (what Lamina's outputs are), then held in float64."""
    return (torch.randn(shape, generator=gen, dtype=torch.float64) * scale).to(torch.float32).to(torch.float64)


def one_hot_last(indices, classes):
    return F.one_hot(indices, classes).to(torch.float64)


def write(name, loss, parameter, expression, shape, outputs, targets, value, gradient):
    """outputs, targets, gradient: [n, ...] tensors already in Lamina's layout."""
    n = outputs.shape[0]
    lines = ['# %s: written by runtime/src/test/python/loss_fixtures.py (PyTorch %s, float64); rerun it, do not edit'
             % (name, torch.__version__),
             'loss ' + loss]
    if parameter is not None:
        lines.append('parameter ' + repr(float(parameter)))
    lines.append('pytorch ' + expression)
    lines.append('rows %d' % n)
    lines.append('shape ' + ' '.join(str(d) for d in shape))
    for key, t in (('outputs', outputs), ('targets', targets)):
        lines.append(key + ' ' + ' '.join(repr(float(v)) for v in t.reshape(-1).tolist()))
    lines.append('value ' + repr(float(value)))
    lines.append('gradient ' + ' '.join(repr(float(v)) for v in gradient.reshape(-1).tolist()))
    with open(os.path.join(FIXTURES, name + '.txt'), 'w') as f:
        f.write('\n'.join(lines) + '\n')


def elementwise(name, seed, loss, parameter, shape, n, fn, expression):
    """A regression loss: Gaussian outputs and targets; the layout does not matter (the loss is per element)."""
    gen = torch.Generator().manual_seed(seed)
    y = draw(gen, [n] + shape, 1.5).requires_grad_()
    t = draw(gen, [n] + shape)
    value = fn(y, t, n)
    value.backward()
    write(name, loss, parameter, expression, shape, y.detach(), t, value.item(), y.grad)


def multi_margin(name, seed, margin, n, classes):
    gen = torch.Generator().manual_seed(seed)
    y = draw(gen, [n, classes], 1.5).requires_grad_()
    cls = torch.randint(classes, (n,), generator=gen)
    if margin == 1.0:
        expression = 'nn.MultiMarginLoss()(y, classes)'
        value = torch.nn.MultiMarginLoss()(y, cls)
    else:
        expression = 'nn.MultiMarginLoss(p=1, margin=%r)(y, classes)' % margin
        value = torch.nn.MultiMarginLoss(p=1, margin=margin)(y, cls)
    value.backward()
    write(name, 'multiMargin', None if margin == 1.0 else margin, expression, [classes], y.detach(),
          one_hot_last(cls, classes), value.item(), y.grad)


def ce_image(name, seed, n, c, h, w, scale=1.5, soft=False):
    """PyTorch's [N, C, H, W] scores; Lamina's rows are the same scores channels last ([H, W, C] per row)."""
    gen = torch.Generator().manual_seed(seed)
    y = draw(gen, [n, c, h, w], scale).requires_grad_()
    if soft:
        # probabilities rounded to float32, as Lamina holds targets: both sides use these values (their sums are
        # 1 within float32 rounding, and the loss -sum t log softmax needs no exact 1)
        target = torch.softmax(draw(gen, [n, c, h, w], 2.0), dim=1).to(torch.float32).to(torch.float64)
        expression = 'nn.CrossEntropyLoss()(y, probabilities)  # y, probabilities [N, C, H, W]'
        targets_last = target.permute(0, 2, 3, 1)
    else:
        cls = torch.randint(c, (n, h, w), generator=gen)
        target = cls
        expression = 'nn.CrossEntropyLoss()(y, classes)  # y [N, C, H, W], classes [N, H, W]'
        targets_last = one_hot_last(cls, c)
    value = torch.nn.CrossEntropyLoss()(y, target)
    value.backward()
    write(name, 'crossEntropyOverPositions', None, expression, [c, h, w], y.detach().permute(0, 2, 3, 1),
          targets_last, value.item(), y.grad.permute(0, 2, 3, 1))


def ce_sequence(name, seed, n, steps, c):
    """A sequence output [steps, classes] (Lamina's rows as stored); PyTorch's scores are [N, C, steps]."""
    gen = torch.Generator().manual_seed(seed)
    y = draw(gen, [n, steps, c], 1.5).requires_grad_()
    cls = torch.randint(c, (n, steps), generator=gen)
    value = torch.nn.CrossEntropyLoss()(y.transpose(1, 2), cls)
    value.backward()
    write(name, 'crossEntropyOverPositions', None,
          'nn.CrossEntropyLoss()(y.transpose(1, 2), classes)  # y [N, steps, C], classes [N, steps]',
          [steps, c], y.detach(), one_hot_last(cls, c), value.item(), y.grad)


def ce_vector(name, seed, n, c):
    gen = torch.Generator().manual_seed(seed)
    y = draw(gen, [n, c], 1.5).requires_grad_()
    cls = torch.randint(c, (n,), generator=gen)
    value = torch.nn.CrossEntropyLoss()(y, cls)
    value.backward()
    write(name, 'crossEntropyOverPositions', None, 'nn.CrossEntropyLoss()(y, classes)', [c], y.detach(),
          one_hot_last(cls, c), value.item(), y.grad)


def main():
    os.makedirs(FIXTURES, exist_ok=True)
    for old in os.listdir(FIXTURES):
        if old.endswith('.txt'):
            os.remove(os.path.join(FIXTURES, old))
    elementwise('mean_squared_error', 1, 'meanSquaredError', None, [5], 4,
                lambda y, t, n: F.mse_loss(y, t, reduction='sum') / (2 * n),
                "F.mse_loss(y, t, reduction='sum') / (2 * n)")
    multi_margin('multi_margin_default', 2, 1.0, 6, 4)
    multi_margin('multi_margin_0_5', 3, 0.5, 5, 7)
    multi_margin('multi_margin_2', 4, 2.0, 5, 3)
    for seed, beta, tag in ((5, 1.0, '1'), (6, 0.3, '0_3'), (7, 0.0, '0')):
        elementwise('smooth_l1_beta_' + tag, seed, 'smoothL1', beta, [3, 4], 3,
                    lambda y, t, n, b=beta: F.smooth_l1_loss(y, t, beta=b, reduction='sum') / n,
                    "F.smooth_l1_loss(y, t, beta=%r, reduction='sum') / n" % beta)
    for seed, delta, tag in ((8, 1.0, '1'), (9, 0.5, '0_5'), (10, 2.0, '2')):
        elementwise('huber_delta_' + tag, seed, 'huber', delta, [6], 4,
                    lambda y, t, n, d=delta: F.huber_loss(y, t, delta=d, reduction='sum') / n,
                    "F.huber_loss(y, t, delta=%r, reduction='sum') / n" % delta)
    ce_image('cross_entropy_positions_image', 11, 3, 4, 3, 5)
    ce_image('cross_entropy_positions_image_soft', 12, 2, 3, 4, 2, soft=True)
    ce_image('cross_entropy_positions_image_large_scores', 13, 2, 5, 2, 3, scale=40.0)
    ce_sequence('cross_entropy_positions_sequence', 14, 3, 4, 3)
    ce_vector('cross_entropy_positions_vector', 15, 5, 6)


if __name__ == '__main__':
    main()
