#!/usr/bin/env python3
"""Reference log-linear T2 fit as a NumPy user writes it: weighted least squares on ln S (weights S²),
vectorized over the whole volume in chunks of a million voxels.

Reads echoes as raw little-endian float32, echo-major, and prints "WALL CPU" seconds of the fit
(the median of three runs after a warm-up; reading the file is not counted).

    /usr/bin/python3 bench/numpy_t2_loglinear.py ECHOES.f32 10,20,30,40,50,60,70
"""
import sys
import time

import numpy as np

CHUNK = 1 << 20


def fit(echoes, te):
    voxels = echoes.shape[1]
    t2 = np.zeros(voxels, dtype=np.float32)
    s0 = np.zeros(voxels, dtype=np.float32)
    te = te[:, None]
    for start in range(0, voxels, CHUNK):
        s = echoes[:, start:start + CHUNK].astype(np.float64)
        valid = s > 0
        w = np.where(valid, s * s, 0.0)
        y = np.log(np.where(valid, s, 1.0))
        sw = w.sum(0)
        sx = (w * te).sum(0)
        sy = (w * y).sum(0)
        sxx = (w * te * te).sum(0)
        sxy = (w * te * y).sum(0)
        with np.errstate(divide="ignore", invalid="ignore"):
            den = sw * sxx - sx * sx
            slope = (sw * sxy - sx * sy) / den
            rate = -slope
            ok = (den > 0) & (rate > 0)
            t2[start:start + CHUNK] = np.where(ok, 1.0 / rate, 0.0)
            s0[start:start + CHUNK] = np.where(ok, np.exp((sy - slope * sx) / sw), 0.0)
    return t2, s0


def main():
    te = np.array([float(t) for t in sys.argv[2].split(",")])
    echoes = np.fromfile(sys.argv[1], dtype="<f4").reshape(len(te), -1)
    fit(echoes, te)
    runs = []
    for _ in range(3):
        wall, cpu = time.perf_counter(), time.process_time()
        fit(echoes, te)
        runs.append((time.perf_counter() - wall, time.process_time() - cpu))
    runs.sort()
    print(f"{runs[1][0]:.4f} {runs[1][1]:.4f}")


if __name__ == "__main__":
    main()
