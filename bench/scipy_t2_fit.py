#!/usr/bin/env python3
"""Reference T2 fit the field uses: SciPy's curve_fit voxel by voxel, as in the DOSMA toolkit.

Reads echoes as raw little-endian float32, echo-major (echo 0 for every voxel, then echo 1, ...),
fits S = S0 * exp(-TE / T2) to each voxel (Levenberg-Marquardt, unweighted), and writes T2 (ms) as
float32 (NaN where curve_fit fails). Prints the seconds spent fitting, wall and CPU ("WALL CPU").

    /usr/bin/python3 bench/scipy_t2_fit.py ECHOES.f32 10,20,30,40,50,60,70 OUT.f32
"""
import sys
import time

import numpy as np
from scipy.optimize import curve_fit


def mono_exp(te, s0, t2):
    return s0 * np.exp(-te / t2)


def main():
    echoes_path, echo_times, out_path = sys.argv[1], sys.argv[2], sys.argv[3]
    te = np.array([float(t) for t in echo_times.split(",")])
    echoes = np.fromfile(echoes_path, dtype="<f4").astype(np.float64).reshape(len(te), -1)
    t2 = np.full(echoes.shape[1], np.nan, dtype=np.float32)
    start, cpu = time.perf_counter(), time.process_time()
    for v in range(echoes.shape[1]):
        y = echoes[:, v]
        try:
            (_, t2_fit), _ = curve_fit(mono_exp, te, y, p0=(max(y[0], 1e-6), 30.0), maxfev=2000)
            t2[v] = t2_fit
        except (RuntimeError, ValueError):
            pass
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    t2.tofile(out_path)
    print(f"{seconds:.3f} {cpu_seconds:.3f}")


if __name__ == "__main__":
    main()
