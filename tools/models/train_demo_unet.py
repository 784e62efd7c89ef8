#!/usr/bin/python3
"""Trains the demo generator: a small U-Net that maps the knee phantom's three anatomic contrasts (DESS, IW TSE, T1)
to its true T2 map, and exports it as ONNX with its manifest and loss curve.

    readerstudy phantom --out /tmp/train --subjects 10 --size 128 --slices 12 --seed 11
    /usr/bin/python3 tools/models/train_demo_unet.py /tmp/train src/ReaderStudy.Web/DemoModels

Needs Debian's python3-torch and python3-pydicom. The phantom is the only training data: this model shows the
workflow end to end; it is not a model for real knees.
"""
import json
import pathlib
import sys
import time

import numpy as np
import pydicom
import torch
from torch import nn

CHANNELS = [("dess", "SAG DESS"), ("iw-tse", "SAG IW TSE"), ("t1", "SAG T1")]
SIZE = 128


def volume(folder):
    slices = [pydicom.dcmread(f) for f in folder.glob("*.dcm")]
    slices.sort(key=lambda d: float(np.dot(d.ImagePositionPatient, np.cross(d.ImageOrientationPatient[:3], d.ImageOrientationPatient[3:]))))
    return np.stack([d.pixel_array * float(d.RescaleSlope) + float(d.RescaleIntercept) for d in slices]).astype(np.float32)


def load(root):
    inputs, targets = [], []
    for subject in sorted(p for p in root.iterdir() if p.is_dir()):
        inputs.append(np.stack([volume(subject / folder) for folder, _ in CHANNELS], axis=1))
        targets.append(volume(subject / "t2-truth")[:, None])
    return np.concatenate(inputs), np.concatenate(targets)


class UNet(nn.Module):
    def __init__(self, width=16):
        super().__init__()
        def block(i, o):
            return nn.Sequential(nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU(), nn.Conv2d(o, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU())
        self.down1, self.down2, self.down3 = block(3, width), block(width, width * 2), block(width * 2, width * 4)
        self.bottom = block(width * 4, width * 8)
        self.pool = nn.MaxPool2d(2)
        self.up3, self.dec3 = nn.ConvTranspose2d(width * 8, width * 4, 2, stride=2), block(width * 8, width * 4)
        self.up2, self.dec2 = nn.ConvTranspose2d(width * 4, width * 2, 2, stride=2), block(width * 4, width * 2)
        self.up1, self.dec1 = nn.ConvTranspose2d(width * 2, width, 2, stride=2), block(width * 2, width)
        self.out = nn.Conv2d(width, 1, 1)

    def forward(self, x):
        d1 = self.down1(x)
        d2 = self.down2(self.pool(d1))
        d3 = self.down3(self.pool(d2))
        b = self.bottom(self.pool(d3))
        u3 = self.dec3(torch.cat([self.up3(b), d3], 1))
        u2 = self.dec2(torch.cat([self.up2(u3), d2], 1))
        u1 = self.dec1(torch.cat([self.up1(u2), d1], 1))
        return torch.relu(self.out(u1))


def main():
    source, target = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    epochs = int(sys.argv[3]) if len(sys.argv) > 3 else 60
    torch.manual_seed(0)
    torch.set_num_threads(max(1, torch.get_num_threads(), len(__import__("os").sched_getaffinity(0))))
    x, y = load(source)
    assert x.shape[-1] == SIZE and x.shape[-2] == SIZE, f"train on {SIZE}x{SIZE} phantoms, not {x.shape[-2:]}"
    mean = x.mean(axis=(0, 2, 3))
    scale = x.std(axis=(0, 2, 3)) + 1e-6
    xs = torch.from_numpy((x - mean[None, :, None, None]) / scale[None, :, None, None])
    ys = torch.from_numpy(y / 100.0)
    held_out = max(1, len(xs) // 6)
    train_x, train_y, val_x, val_y = xs[held_out:], ys[held_out:], xs[:held_out], ys[:held_out]
    model = UNet()
    optimiser = torch.optim.Adam(model.parameters(), lr=2e-3)
    curve = []
    started = time.time()
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(len(train_x))
        total = 0.0
        for i in range(0, len(order), 8):
            batch = order[i:i + 8]
            optimiser.zero_grad()
            loss = nn.functional.l1_loss(model(train_x[batch]), train_y[batch])
            loss.backward()
            optimiser.step()
            total += loss.item() * len(batch)
        model.eval()
        with torch.no_grad():
            val = nn.functional.l1_loss(model(val_x), val_y).item()
        curve.append((epoch + 1, total / len(train_x) * 100, val * 100))
        print(f"epoch {epoch + 1}: train L1 {curve[-1][1]:.3f} ms, held-out L1 {curve[-1][2]:.3f} ms ({time.time() - started:.0f} s)", flush=True)
    target.mkdir(parents=True, exist_ok=True)
    model.eval()
    torch.onnx.export(model, torch.zeros(1, 3, SIZE, SIZE), target / "knee-t2-unet.onnx", input_names=["anatomic"], output_names=["t2"],
                      dynamic_axes={"anatomic": {0: "batch"}, "t2": {0: "batch"}}, opset_version=13)
    manifest = {"name": "knee T2 U-Net (phantom demo)", "version": "1", "inputName": "anatomic", "outputName": "t2",
                "channels": [{"series": name, "mean": float(m), "scale": float(s)} for (_, name), m, s in zip(CHANNELS, mean, scale)],
                "height": SIZE, "width": SIZE, "outputScaleMs": 100, "outputOffsetMs": 0, "batchSize": 8}
    (target / "knee-t2-unet.manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    (target / "knee-t2-unet.loss.csv").write_text("epoch,train_l1_ms,held_out_l1_ms\n" + "".join(f"{e},{t:.4f},{v:.4f}\n" for e, t, v in curve))
    print(f"{sum(p.numel() for p in model.parameters())} parameters, {time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
