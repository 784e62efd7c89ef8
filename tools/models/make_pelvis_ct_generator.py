#!/usr/bin/python3
"""Writes the pelvis phantom's MR-to-CT generator: src/ReaderStudy.Web/DemoModels/pelvis-sct.onnx and its manifest.

A closed-form generator, not a trained one: a piecewise-linear map from T1-weighted signal to Hounsfield units
through the phantom's tissues (air up to 20 -> -1000 HU, cortex 50 -> 1200, erosion 250 -> 35, joint 300 -> 30,
muscle 350 -> 45, marrow 700 -> 250, fat 900 -> -100), written as ONNX as ReLU(x - knot) units: a 1x1 Conv to one
unit per knot, Relu, a 1x1 Conv summing them. Like a real synthetic CT it errs where the MR does not tell: marrow
density (the same 250 HU for every subject, whose true marrow is 200 to 300 HU) and cortical bone, whose dark, noisy
MR signal lies on the steepest part of the map (its HU come out too low and noisy).
Needs Debian's python3-onnx; run it again only when the model must change, and commit the output.
"""
import json
import pathlib
import sys

import numpy as np
from onnx import TensorProto, checker, helper, numpy_helper, save

# Normalized input x = T1 / 1000; output y = HU / 1000 (the manifest's channel scale and output scale).
KNOTS = [(0.0, -1.0), (0.02, -1.0), (0.05, 1.2), (0.25, 0.035), (0.30, 0.030), (0.35, 0.045), (0.70, 0.250), (0.90, -0.100)]


def model():
    xs = np.array([k[0] for k in KNOTS])
    ys = np.array([k[1] for k in KNOTS])
    slopes = np.diff(ys) / np.diff(xs)  # slope of each segment; the last one continues beyond the last knot
    # f(x) = y0 + s0 (x - x0) + sum_k (s_k - s_{k-1}) ReLU(x - x_k); the linear term as s0 ReLU(x + 1) - s0 (x >= 0 always).
    offsets = np.concatenate([[1.0], -xs[1:-1]]).astype(np.float32)
    weights = np.concatenate([[slopes[0]], np.diff(slopes)]).astype(np.float32)
    bias = np.array([ys[0] - slopes[0] * xs[0] - slopes[0] * 1.0], dtype=np.float32)
    units = len(offsets)
    initializers = [
        numpy_helper.from_array(np.ones((units, 1, 1, 1), dtype=np.float32), "knot_weights"),
        numpy_helper.from_array(offsets, "knot_bias"),
        numpy_helper.from_array(weights.reshape(1, units, 1, 1), "sum_weights"),
        numpy_helper.from_array(bias, "sum_bias"),
    ]
    nodes = [
        helper.make_node("Conv", ["t1", "knot_weights", "knot_bias"], ["knots"], kernel_shape=[1, 1]),
        helper.make_node("Relu", ["knots"], ["active"]),
        helper.make_node("Conv", ["active", "sum_weights", "sum_bias"], ["hu"], kernel_shape=[1, 1]),
    ]
    graph = helper.make_graph(
        nodes, "pelvis_synthetic_ct",
        [helper.make_tensor_value_info("t1", TensorProto.FLOAT, ["batch", 1, "height", "width"])],
        [helper.make_tensor_value_info("hu", TensorProto.FLOAT, ["batch", 1, "height", "width"])],
        initializers)
    built = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="readerstudy-demo-models")
    built.ir_version = 8
    checker.check_model(built)
    return built


def manifest():
    return {
        "name": "pelvis synthetic CT (phantom demo)",
        "version": "1",
        "inputName": "t1",
        "outputName": "hu",
        "channels": [{"series": "AX T1", "mean": 0, "scale": 1000}],
        "outputScaleMs": 1000,
        "outputOffsetMs": 0,
        "output": {"modality": "CT", "quantity": "HU", "units": "HU"},
        "batchSize": 8,
    }


if __name__ == "__main__":
    folder = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "src/ReaderStudy.Web/DemoModels")
    save(model(), folder / "pelvis-sct.onnx")
    (folder / "pelvis-sct.manifest.json").write_text(json.dumps(manifest(), indent=2) + "\n")
    print(f"wrote {folder / 'pelvis-sct.onnx'} and its manifest")
