"""Writes the metric fixtures under runtime/src/test/resources/metrics/ with scikit-learn's values.

Run from the repository root with Debian's scikit-learn (python3-sklearn, 1.2):
    /usr/bin/python3 runtime/src/test/python/metric_fixtures.py
Each fixture holds fixed scores and targets (float32 values, written exactly) and the values sklearn computes from
them; MetricsAgreementTest recomputes them in Java. Classes follow Lamina's rule (dev.lamina.runtime.ClassScores):
argmax with ties to the lowest index (numpy's argmax does the same), a single sigmoid unit positive from score 0,
targets positive from 0.5.
"""
import os

import numpy as np
import sklearn
from sklearn.metrics import (confusion_matrix, mean_absolute_error, mean_squared_error,
                             precision_recall_fscore_support, r2_score, roc_auc_score, top_k_accuracy_score)

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "metrics")


def exact(values):
    """float32 values as the shortest decimal that reads back to the same float (and double)."""
    return " ".join(repr(float(v)) for v in np.asarray(values, dtype=np.float32).ravel())


def write(name, loss, scores, targets, figures, confusion=None):
    scores = np.asarray(scores, dtype=np.float32)
    targets = np.asarray(targets, dtype=np.float32)
    lines = ["# written by runtime/src/test/python/metric_fixtures.py with scikit-learn " + sklearn.__version__,
             "loss " + loss, "rows %d" % scores.shape[0], "outputs %d" % scores.shape[1],
             "scores " + exact(scores), "targets " + exact(targets)]
    if confusion is not None:
        lines.append("confusion " + " ".join(str(int(c)) for c in confusion.ravel()))
    for key, value in figures.items():
        lines.append("%s %r" % (key, float(value)))
    with open(os.path.join(OUT, name + ".txt"), "w") as f:
        f.write("\n".join(lines) + "\n")


def classification(y_true, y_pred, classes):
    labels = list(range(classes))
    figures = {}
    for average in ("macro", "weighted"):
        p, r, f, _ = precision_recall_fscore_support(y_true, y_pred, labels=labels, average=average,
                                                     zero_division=0)
        figures["precision_" + average] = p
        figures["recall_" + average] = r
        figures["f1_" + average] = f
    return figures, confusion_matrix(y_true, y_pred, labels=labels)


def softmax_case(name, scores, y_true, ks):
    scores = np.asarray(scores, dtype=np.float32)
    classes = scores.shape[1]
    targets = np.eye(classes, dtype=np.float32)[y_true]
    figures, cm = classification(y_true, np.argmax(scores, axis=1), classes)
    for k in ks:
        # sklearn ranks tied scores the higher index first; reversing the classes gives Lamina's lower-index rule
        figures["top_%d_accuracy" % k] = top_k_accuracy_score(classes - 1 - np.asarray(y_true), scores[:, ::-1],
                                                              k=k, labels=list(range(classes)))
    if classes == 2:
        figures["roc_auc"] = roc_auc_score(y_true, scores[:, 1].astype(np.float64) - scores[:, 0])
    write(name, "SOFTMAX_CROSS_ENTROPY", scores, targets, figures, cm)


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.RandomState(22)

    # three classes, scores rounded to quarters so that rows tie (ties go to the lowest index)
    scores = np.round(rng.normal(size=(40, 3)) * 4) / 4
    scores[0] = [1, 1, 1]
    scores[1] = [0, 2, 2]
    y = rng.randint(0, 3, size=40)
    softmax_case("softmax_ties", scores, y, [1, 2])

    # four classes: class 3 never present, class 2 never predicted
    scores = rng.normal(size=(30, 4))
    scores[:, 2] = -10
    y = rng.randint(0, 3, size=30)
    softmax_case("softmax_absent_and_never_predicted", scores, y, [1, 2, 3])

    # two softmax classes: the ROC AUC of s1 - s0, with tied differences
    scores = np.round(rng.normal(size=(36, 2)) * 2) / 2
    y = rng.randint(0, 2, size=36)
    softmax_case("softmax_binary", scores, y, [])

    # one sigmoid unit: scores with ties and exact zeros (positive), soft targets read from 0.5
    s = np.round(rng.normal(size=(50, 1)) * 2) / 2
    t = np.round(rng.uniform(size=(50, 1)) * 4) / 4
    y_true = (t[:, 0] >= 0.5).astype(int)
    figures, cm = classification(y_true, (s[:, 0] >= 0).astype(int), 2)
    figures["roc_auc"] = roc_auc_score(y_true, s[:, 0].astype(np.float32).astype(np.float64))
    write("sigmoid_binary", "SIGMOID_CROSS_ENTROPY", s, t, figures, cm)

    # regression: two outputs, and one output whose target is constant (R^2 forced to 0 or 1)
    for name, pred, target in [
            ("regression_two_outputs", rng.normal(size=(25, 2)), rng.normal(size=(25, 2)) * 3),
            ("regression_constant_target", rng.normal(size=(20, 2)),
             np.stack([np.full(20, 1.5), rng.normal(size=20)], axis=1))]:
        pred = pred.astype(np.float32).astype(np.float64)
        target = target.astype(np.float32).astype(np.float64)
        figures = {"rmse": mean_squared_error(target, pred, squared=False),
                   "mae": mean_absolute_error(target, pred), "r2": r2_score(target, pred)}
        write(name, "MEAN_SQUARED_ERROR", pred, target, figures)
    # a constant target predicted exactly: R^2 1
    target = np.stack([np.full(10, -2.0), rng.normal(size=10)], axis=1).astype(np.float32).astype(np.float64)
    pred = target.copy()
    pred[:, 1] += 0.25
    pred = pred.astype(np.float32).astype(np.float64)
    write("regression_constant_exact", "MEAN_SQUARED_ERROR", pred, target,
          {"rmse": mean_squared_error(target, pred, squared=False), "mae": mean_absolute_error(target, pred),
           "r2": r2_score(target, pred)})


if __name__ == "__main__":
    main()
