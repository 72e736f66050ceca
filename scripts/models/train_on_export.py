"""Fits two models on a training-set export of the product and writes them as ONNX models it accepts.

    npm run features -- export --symbol BTC/USDT --timeframe 1h --from 2020-08-01 --to 2022-06-13 \\
        --label price_direction --output /tmp/btc.csv
    /tmp/ff-venv/bin/python scripts/models/train_on_export.py /tmp/btc.csv --train-until 2021-12-31

A scikit-learn multinomial LogisticRegression (standardisation folded into the coefficients, written in
skl2onnx's LinearClassifier + Softmax + ZipMap shape) and a torch MLP (torch.onnx.export), both trained on
the rows up to --train-until, both naming their feature order and classes in metadata_props. It also
writes btc-reference.json: the probabilities Python's onnxruntime gives for 2022 rows of the export, which
tests/models/binance.test.ts compares with the predictions the product stores for the same candles.
"""

import argparse
import csv
import json
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import torch
from onnx import helper
from sklearn.linear_model import LogisticRegression

from make_fixtures import linear_classifier

OUT = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "models"
FEATURES = ["rsi", "stoch_k", "williams_r", "cci", "adx", "mfi", "plus_di", "minus_di", "return_1", "return_4", "return_24",
            "realized_vol_24", "dist_sma_20", "dist_ema_20", "dist_sma_50", "dist_sma_200", "roc_10", "keltner_width",
            "donchian_width", "volume_zscore_20"]
CLASSES = ["down", "flat", "up"]


def read_export(path: str):
    timestamps, rows, labels = [], [], []
    with open(path, newline="") as f:
        for record in csv.DictReader(f):
            if any(record[name] == "" for name in FEATURES):
                continue  # warm-up: a feature is not defined yet
            timestamps.append(np.datetime64(record["timestamp"].replace("Z", "")))
            rows.append([float(record[name]) for name in FEATURES])
            labels.append(CLASSES.index(record["label_value"]))
    return np.array(timestamps), np.array(rows, dtype=np.float64), np.array(labels)


def with_metadata(model: onnx.ModelProto, path: Path) -> None:
    helper.set_model_props(model, {"feature_names": ",".join(FEATURES), "class_names": ",".join(CLASSES)})
    onnx.save(model, str(path))


class Mlp(torch.nn.Module):
    def __init__(self, mean, std):
        super().__init__()
        self.register_buffer("mean", torch.tensor(mean, dtype=torch.float32))
        self.register_buffer("std", torch.tensor(std, dtype=torch.float32))
        self.net = torch.nn.Sequential(torch.nn.Linear(len(FEATURES), 32), torch.nn.ReLU(), torch.nn.Linear(32, len(CLASSES)))

    def forward(self, features):
        return torch.softmax(self.net((features - self.mean) / self.std), dim=1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("export")
    parser.add_argument("--train-until", default="2021-12-31")
    args = parser.parse_args()
    timestamps, x, y = read_export(args.export)
    train = timestamps < np.datetime64(args.train_until) + np.timedelta64(1, "D")
    mean, std = x[train].mean(axis=0), x[train].std(axis=0)

    # Logistic regression on standardised features; the scaling is folded into the coefficients.
    logistic = LogisticRegression(max_iter=5000).fit((x[train] - mean) / std, y[train])
    logistic.coef_ = logistic.coef_ / std
    logistic.intercept_ = logistic.intercept_ - logistic.coef_ @ mean
    with_metadata(linear_classifier(logistic, zipmap=True, width=len(FEATURES)), OUT / "btc-logistic.onnx")

    torch.manual_seed(3)
    mlp = Mlp(mean, std)
    optimizer = torch.optim.Adam(mlp.parameters(), lr=0.005, weight_decay=1e-4)
    xs, ys = torch.tensor(x[train], dtype=torch.float32), torch.tensor(y[train])
    for _ in range(400):
        optimizer.zero_grad()
        torch.nn.functional.nll_loss(torch.log(mlp(xs) + 1e-9), ys).backward()
        optimizer.step()
    torch.onnx.export(mlp.eval(), (xs[:2],), str(OUT / "btc-mlp.onnx"), input_names=["features"], output_names=["probabilities"],
                      dynamic_axes={"features": {0: "n"}, "probabilities": {0: "n"}}, opset_version=17, dynamo=False)
    with_metadata(onnx.load(str(OUT / "btc-mlp.onnx")), OUT / "btc-mlp.onnx")

    test = np.flatnonzero(~train)
    picked = test[np.linspace(0, len(test) - 1, 40).astype(int)]
    reference = {"features": FEATURES, "classes": CLASSES, "train_until": args.train_until,
                 "timestamps": [str(t) + "Z" for t in timestamps[picked]], "rows": x[picked].tolist(), "models": {}}
    for name in ["btc-logistic.onnx", "btc-mlp.onnx"]:
        session = ort.InferenceSession(str(OUT / name), providers=["CPUExecutionProvider"])
        outputs = session.run(None, {session.get_inputs()[0].name: x[picked].astype(np.float32)})
        probs = outputs[-1] if name == "btc-logistic.onnx" else outputs[0]
        if isinstance(probs, list):
            probs = [[row[k] for k in sorted(row)] for row in probs]
        all_probs = session.run(None, {session.get_inputs()[0].name: x[test].astype(np.float32)})
        all_probs = all_probs[-1] if name == "btc-logistic.onnx" else all_probs[0]
        if isinstance(all_probs, list):
            all_probs = [[row[k] for k in sorted(row)] for row in all_probs]
        accuracy = float((np.asarray(all_probs).argmax(axis=1) == y[test]).mean())
        reference["models"][name] = {"probabilities": np.asarray(probs, dtype=np.float64).tolist(), "python_test_accuracy": accuracy}
    reference["majority_test_accuracy"] = float((y[test] == np.bincount(y[train]).argmax()).mean())
    (OUT / "btc-reference.json").write_text(json.dumps(reference, indent=1) + "\n")
    print(json.dumps({k: v["python_test_accuracy"] for k, v in reference["models"].items()}), "majority", reference["majority_test_accuracy"],
          "train rows", int(train.sum()), "test rows", len(test))


if __name__ == "__main__":
    main()
