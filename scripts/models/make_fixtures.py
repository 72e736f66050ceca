"""Writes the ONNX model fixtures of tests/fixtures/models and what Python's onnxruntime said about them.

Run in a venv outside the repository (numpy, scipy, scikit-learn, lightgbm, onnx, onnxruntime, torch):

    python3 -m venv /tmp/ff-venv && /tmp/ff-venv/bin/pip install numpy scipy scikit-learn lightgbm onnx onnxruntime torch
    /tmp/ff-venv/bin/python scripts/models/make_fixtures.py

skl2onnx and onnxmltools are not installable here, so their graph shapes are written with onnx.helper from
the fitted models' parameters: LinearClassifier + Softmax (+ ZipMap) for a multinomial logistic regression,
TreeEnsembleClassifier for a random forest and for LightGBM, and torch.onnx.export for a small MLP. Every model
is fitted on the same deterministic synthetic rows; the probabilities onnxruntime gives for fixed rows go to
reference.json, which tests/models/onnx.test.ts compares the product's predictions with.
"""

import json
from pathlib import Path

import lightgbm as lgb
import numpy as np
import onnx
import onnxruntime as ort
import torch
from onnx import TensorProto, helper
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression

OUT = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "models"
FEATURES = ["rsi", "macd_histogram", "return_4", "realized_vol_24", "volume_zscore_20"]
CLASSES = ["down", "flat", "up"]
ML_OPSET = helper.make_opsetid("ai.onnx.ml", 3)
ONNX_OPSET = helper.make_opsetid("", 17)


def synthetic_rows(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Feature-like columns and a 3-class label that depends on them (plus noise)."""
    rng = np.random.default_rng(seed)
    x = np.column_stack([
        rng.uniform(10, 90, n),           # rsi
        rng.normal(0, 50, n),             # macd_histogram
        rng.normal(0, 0.02, n),           # return_4
        rng.gamma(2.0, 0.004, n),         # realized_vol_24
        rng.normal(0, 1, n),              # volume_zscore_20
    ]).astype(np.float32)
    score = (x[:, 0] - 50) / 20 + x[:, 1] / 60 + x[:, 2] / 0.02 + rng.normal(0, 0.7, n)
    y = np.where(score > 0.8, 2, np.where(score < -0.8, 0, 1))
    return x, y


def model_proto(graph: onnx.GraphProto, opsets, doc: str) -> onnx.ModelProto:
    model = helper.make_model(graph, opset_imports=opsets, producer_name="feature-foundation-fixtures", doc_string=doc)
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def features_input(width: int = len(FEATURES)):
    return helper.make_tensor_value_info("float_input", TensorProto.FLOAT, [None, width])


def linear_classifier(fit: LogisticRegression, zipmap: bool, width: int = len(FEATURES)) -> onnx.ModelProto:
    """skl2onnx's shape for a multinomial LogisticRegression: raw scores, Softmax, optionally ZipMap."""
    nodes = [
        helper.make_node("LinearClassifier", ["float_input"], ["label", "scores"], domain="ai.onnx.ml",
                         coefficients=fit.coef_.astype(np.float32).ravel().tolist(),
                         intercepts=fit.intercept_.astype(np.float32).tolist(),
                         classlabels_ints=[int(c) for c in fit.classes_], multi_class=1, post_transform="NONE"),
        helper.make_node("Softmax", ["scores"], ["probabilities"], axis=1),
        helper.make_node("Identity", ["label"], ["output_label"]),
    ]
    outputs = [helper.make_tensor_value_info("output_label", TensorProto.INT64, [None])]
    if zipmap:
        nodes.append(helper.make_node("ZipMap", ["probabilities"], ["output_probability"], domain="ai.onnx.ml",
                                      classlabels_int64s=[int(c) for c in fit.classes_]))
        outputs.append(helper.make_value_info("output_probability", helper.make_sequence_type_proto(
            helper.make_map_type_proto(TensorProto.INT64, helper.make_tensor_type_proto(TensorProto.FLOAT, [])))))
    else:
        nodes.append(helper.make_node("Identity", ["probabilities"], ["output_probability"]))
        outputs.append(helper.make_tensor_value_info("output_probability", TensorProto.FLOAT, [None, len(fit.classes_)]))
    graph = helper.make_graph(nodes, "logistic_regression", [features_input(width)], outputs)
    return model_proto(graph, [ONNX_OPSET, ML_OPSET], "multinomial logistic regression (skl2onnx layout)")


class TreeArrays:
    """The flat node/leaf attribute lists of a TreeEnsembleClassifier."""

    def __init__(self):
        self.nodes = {k: [] for k in ["treeids", "nodeids", "featureids", "values", "modes", "truenodeids", "falsenodeids"]}
        self.leaves = {k: [] for k in ["treeids", "nodeids", "ids", "weights"]}

    def node(self, tree, node, feature, value, mode, true_id, false_id):
        for key, v in zip(self.nodes, [tree, node, feature, value, mode, true_id, false_id]):
            self.nodes[key].append(v)

    def leaf(self, tree, node, class_id, weight):
        for key, v in zip(self.leaves, [tree, node, class_id, weight]):
            self.leaves[key].append(v)

    def attributes(self):
        return {
            "nodes_treeids": self.nodes["treeids"], "nodes_nodeids": self.nodes["nodeids"],
            "nodes_featureids": self.nodes["featureids"], "nodes_values": [float(v) for v in self.nodes["values"]],
            "nodes_modes": self.nodes["modes"], "nodes_truenodeids": self.nodes["truenodeids"],
            "nodes_falsenodeids": self.nodes["falsenodeids"],
            "class_treeids": self.leaves["treeids"], "class_nodeids": self.leaves["nodeids"],
            "class_ids": self.leaves["ids"], "class_weights": [float(w) for w in self.leaves["weights"]],
        }


def tree_classifier_graph(name, arrays: TreeArrays, post_transform, class_labels, zipmap: bool, doc: str):
    labels = {"classlabels_strings": class_labels} if isinstance(class_labels[0], str) else {"classlabels_int64s": class_labels}
    label_type = TensorProto.STRING if isinstance(class_labels[0], str) else TensorProto.INT64
    nodes = [helper.make_node("TreeEnsembleClassifier", ["float_input"], ["label", "probabilities"], domain="ai.onnx.ml",
                              post_transform=post_transform, **labels, **arrays.attributes())]
    outputs = [helper.make_tensor_value_info("label", label_type, [None])]
    if zipmap:
        nodes.append(helper.make_node("ZipMap", ["probabilities"], ["output_probability"], domain="ai.onnx.ml", **labels))
        outputs.append(helper.make_value_info("output_probability", helper.make_sequence_type_proto(
            helper.make_map_type_proto(label_type, helper.make_tensor_type_proto(TensorProto.FLOAT, [])))))
    else:
        outputs.append(helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [None, len(class_labels)]))
    graph = helper.make_graph(nodes, name, [features_input()], outputs)
    return model_proto(graph, [ONNX_OPSET, ML_OPSET], doc)


def random_forest(fit: RandomForestClassifier) -> onnx.ModelProto:
    """skl2onnx's shape for a RandomForestClassifier: every leaf holds its class shares / number of trees."""
    arrays = TreeArrays()
    for t, estimator in enumerate(fit.estimators_):
        tree = estimator.tree_
        for n in range(tree.node_count):
            if tree.children_left[n] == -1:
                arrays.node(t, n, 0, 0.0, "LEAF", 0, 0)
                shares = tree.value[n][0] / tree.value[n][0].sum()
                for c, share in enumerate(shares):
                    arrays.leaf(t, n, c, share / len(fit.estimators_))
            else:
                arrays.node(t, n, int(tree.feature[n]), float(tree.threshold[n]), "BRANCH_LEQ",
                            int(tree.children_left[n]), int(tree.children_right[n]))
    return tree_classifier_graph("random_forest", arrays, "NONE", CLASSES, zipmap=False,
                                 doc="random forest, string class labels, no ZipMap (skl2onnx zipmap=False)")


def lightgbm_model(booster: lgb.Booster) -> onnx.ModelProto:
    """onnxmltools' shape for a multiclass LightGBM: tree k adds to class k mod C, then SOFTMAX, then ZipMap."""
    dump = booster.dump_model()
    arrays = TreeArrays()
    classes = dump["num_class"]
    for info in dump["tree_info"]:
        t = info["tree_index"]
        counter = [0]

        def walk(node) -> int:
            node_id = counter[0]
            counter[0] += 1
            if "leaf_value" in node:
                arrays.node(t, node_id, 0, 0.0, "LEAF", 0, 0)
                arrays.leaf(t, node_id, t % classes, node["leaf_value"])
                return node_id
            assert node["decision_type"] == "<="
            index = len(arrays.nodes["nodeids"])
            arrays.node(t, node_id, node["split_feature"], node["threshold"], "BRANCH_LEQ", -1, -1)
            arrays.nodes["truenodeids"][index] = walk(node["left_child"])
            arrays.nodes["falsenodeids"][index] = walk(node["right_child"])
            return node_id

        walk(info["tree_structure"])
    return tree_classifier_graph("lightgbm", arrays, "SOFTMAX", list(range(classes)), zipmap=True,
                                 doc="LightGBM multiclass, int64 class labels, ZipMap (onnxmltools layout)")


class Mlp(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.net = torch.nn.Sequential(torch.nn.Linear(len(FEATURES), 16), torch.nn.ReLU(), torch.nn.Linear(16, len(CLASSES)))

    def forward(self, x):
        return torch.softmax(self.net(x), dim=1)


def torch_mlp(x: np.ndarray, y: np.ndarray, path: Path, order: list[int]) -> None:
    """A small MLP exported with torch.onnx.export; its feature order is named in metadata_props."""
    torch.manual_seed(7)
    model = Mlp()
    mean, std = x.mean(axis=0), x.std(axis=0)
    xs = torch.tensor((x[:, order] - mean[order]) / std[order])
    target = torch.tensor(y)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.02)
    for _ in range(300):
        optimizer.zero_grad()
        loss = torch.nn.functional.nll_loss(torch.log(model(xs) + 1e-9), target)
        loss.backward()
        optimizer.step()

    class Standardized(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.register_buffer("mean", torch.tensor(mean[order]))
            self.register_buffer("std", torch.tensor(std[order]))
            self.inner = model

        def forward(self, features):
            return self.inner((features - self.mean) / self.std)

    torch.onnx.export(Standardized().eval(), (torch.zeros(2, len(FEATURES)),), str(path), input_names=["features"],
                      output_names=["probabilities"], dynamic_axes={"features": {0: "n"}, "probabilities": {0: "n"}},
                      opset_version=17, dynamo=False)
    exported = onnx.load(str(path))
    helper.set_model_props(exported, {"feature_names": ",".join(FEATURES[i] for i in order), "class_names": ",".join(CLASSES)})
    onnx.save(exported, str(path))


def bad_models() -> dict[str, onnx.ModelProto]:
    """Models that break the contract: a regressor (one output column) and one that wants 3 features."""
    regressor = helper.make_graph(
        [helper.make_node("LinearRegressor", ["float_input"], ["variable"], domain="ai.onnx.ml",
                          coefficients=[0.1] * len(FEATURES), intercepts=[0.0])],
        "regressor", [features_input()], [helper.make_tensor_value_info("variable", TensorProto.FLOAT, [None, 1])])
    narrow = helper.make_graph(
        [helper.make_node("Softmax", ["float_input"], ["probabilities"], axis=1)],
        "three_features", [features_input(3)], [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [None, 3])])
    return {
        "bad-regressor.onnx": model_proto(regressor, [ONNX_OPSET, ML_OPSET], "a regressor: not class probabilities"),
        "bad-three-features.onnx": model_proto(narrow, [ONNX_OPSET], "wants 3 features, not 5"),
    }


def probabilities(path: Path, rows: np.ndarray) -> list[list[float]]:
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    outputs = session.run(None, {session.get_inputs()[0].name: rows})
    probs = next(o for o in outputs if not (isinstance(o, np.ndarray) and o.ndim == 1))
    if isinstance(probs, list):  # ZipMap: one {class: probability} per row, in class order
        probs = [[row[k] for k in sorted(row)] for row in probs]
    return np.asarray(probs, dtype=np.float64).tolist()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    x, y = synthetic_rows(600, seed=42)
    fixed, _ = synthetic_rows(25, seed=7)

    logistic = LogisticRegression(max_iter=2000).fit(x, y)
    forest = RandomForestClassifier(n_estimators=5, max_depth=4, random_state=0).fit(x, y)
    booster = lgb.train({"objective": "multiclass", "num_class": 3, "num_leaves": 7, "learning_rate": 0.2,
                         "min_data_in_leaf": 10, "verbose": -1, "seed": 1}, lgb.Dataset(x, y), num_boost_round=8)
    models = {
        "logistic-zipmap.onnx": linear_classifier(logistic, zipmap=True),
        "logistic.onnx": linear_classifier(logistic, zipmap=False),
        "random-forest.onnx": random_forest(forest),
        "lightgbm.onnx": lightgbm_model(booster),
        **bad_models(),
    }
    for name, model in models.items():
        onnx.save(model, str(OUT / name))
    mlp_order = [4, 2, 0, 1, 3]  # deliberately not the registration order: metadata_props names it
    torch_mlp(x, y, OUT / "torch-mlp.onnx", mlp_order)

    reference = {
        "features": FEATURES,
        "classes": CLASSES,
        "rows": fixed.astype(np.float64).tolist(),
        "onnxruntime": ort.__version__,
        "models": {
            name: {"probabilities": probabilities(OUT / name, fixed if name != "torch-mlp.onnx" else fixed)}
            for name in ["logistic-zipmap.onnx", "logistic.onnx", "random-forest.onnx", "lightgbm.onnx"]
        },
    }
    reference["models"]["torch-mlp.onnx"] = {"probabilities": probabilities(OUT / "torch-mlp.onnx", fixed[:, mlp_order]),
                                             "feature_order": [FEATURES[i] for i in mlp_order]}
    reference["models"]["lightgbm.onnx"]["python_probabilities"] = booster.predict(fixed).tolist()
    reference["models"]["logistic.onnx"]["python_probabilities"] = logistic.predict_proba(fixed).tolist()
    reference["models"]["random-forest.onnx"]["python_probabilities"] = forest.predict_proba(fixed).tolist()
    (OUT / "reference.json").write_text(json.dumps(reference, indent=1) + "\n")
    print(f"wrote {len(models) + 1} models and reference.json to {OUT}")


if __name__ == "__main__":
    main()
