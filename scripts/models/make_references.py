"""Reference values for the metric and drift tests, computed by scikit-learn, scipy and numpy.

    /tmp/ff-venv/bin/python scripts/models/make_references.py

writes tests/fixtures/models/metrics-reference.json and drift-reference.json from deterministic
synthetic inputs; tests/models/metrics.test.ts and drift.test.ts compare the product's pure functions
with them.
"""

import json
from pathlib import Path

import numpy as np
from scipy.stats import ks_2samp
from sklearn.metrics import (accuracy_score, balanced_accuracy_score, brier_score_loss, confusion_matrix, log_loss,
                             precision_score, recall_score)

OUT = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "models"


def metrics_reference() -> dict:
    rng = np.random.default_rng(3)
    n, classes = 200, 3
    truth = rng.choice(classes, size=n, p=[0.5, 0.3, 0.2])
    logits = rng.normal(0, 1, (n, classes))
    logits[np.arange(n), truth] += 0.8  # better than chance
    proba = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    predicted = proba.argmax(axis=1)
    labels = list(range(classes))
    return {
        "truth": truth.tolist(),
        "probabilities": proba.tolist(),
        "accuracy": accuracy_score(truth, predicted),
        "balanced_accuracy": balanced_accuracy_score(truth, predicted),
        "log_loss": log_loss(truth, proba, labels=labels),
        "brier": brier_score_loss(truth, proba, labels=labels, scale_by_half=False),
        "precision": precision_score(truth, predicted, average=None, labels=labels, zero_division=np.nan).tolist(),
        "recall": recall_score(truth, predicted, average=None, labels=labels, zero_division=np.nan).tolist(),
        "confusion": confusion_matrix(truth, predicted, labels=labels).tolist(),
    }


def psi_numpy(reference: np.ndarray, recent: np.ndarray, bins: int = 10, floor: float = 1e-4) -> float:
    """PSI with bins cut at the reference's deciles (np.quantile, linear), bin i = (edge[i-1], edge[i]]."""
    edges = np.unique(np.quantile(reference, np.arange(1, bins) / bins))
    expected = np.bincount(np.searchsorted(edges, reference, side="left"), minlength=len(edges) + 1) / len(reference)
    actual = np.bincount(np.searchsorted(edges, recent, side="left"), minlength=len(edges) + 1) / len(recent)
    e, a = np.maximum(expected, floor), np.maximum(actual, floor)
    return float(np.sum((a - e) * np.log(a / e)))


def drift_reference() -> dict:
    rng = np.random.default_rng(11)
    cases = {
        "same_distribution": (rng.normal(0, 1, 2000), rng.normal(0, 1, 500)),
        "shifted_mean": (rng.normal(0, 1, 2000), rng.normal(0.5, 1, 500)),
        "wider": (rng.normal(0, 1, 2000), rng.normal(0, 2, 500)),
        "discrete_ties": (rng.integers(0, 4, 1000).astype(float), rng.integers(0, 6, 400).astype(float)),
    }
    return {
        name: {"reference": ref.tolist(), "recent": now.tolist(), "psi": psi_numpy(ref, now),
               "ks": float(ks_2samp(ref, now).statistic)}
        for name, (ref, now) in cases.items()
    }


if __name__ == "__main__":
    (OUT / "metrics-reference.json").write_text(json.dumps(metrics_reference()) + "\n")
    (OUT / "drift-reference.json").write_text(json.dumps(drift_reference()) + "\n")
    print("wrote metrics-reference.json and drift-reference.json")
