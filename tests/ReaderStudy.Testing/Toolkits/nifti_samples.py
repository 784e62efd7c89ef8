#!/usr/bin/python3
"""NIfTI files written and read by nibabel, for testing the portal's own NIfTI reader and writer against it.

usage:
  nifti_samples.py samples OUTDIR      several small images in the variants the field writes, and expected.json
  nifti_samples.py dump FILE OUT.json  what nibabel reads: shape, affine, qform, sform, values (i fastest)
  nifti_samples.py stack4d OUT FILE... one 4-D image of 3-D echoes, with a sidecar listing their echo times (s)
  nifti_samples.py shift IN OUT MM     a copy whose affine is moved MM along x (a map that does not fit its subject)
"""
import json
import sys

import nibabel as nib
import numpy as np


def affine(offset):
    # Oblique-free but not trivial: flipped j, permuted axes, 0.5 x 0.75 x 3 mm voxels.
    return np.array([[0, 0, 3.0, offset[0]], [-0.5, 0, 0, offset[1]], [0, -0.75, 0, offset[2]], [0, 0, 0, 1]])


def values(shape):
    return (np.arange(np.prod(shape), dtype=np.float64).reshape(shape, order="F") * 1.5 - 7).astype(np.float64)


def samples(out):
    expected = []
    shape = (4, 3, 2)

    def save(name, image, data, datatype):
        nib.save(image, f"{out}/{name}")
        expected.append({"file": name, "datatype": datatype, "affine": image.affine.tolist(),
                         "values": np.asarray(data, dtype=np.float64).flatten(order="F").tolist()})

    base = values(shape)
    scaled = nib.Nifti1Image(np.round((base + 7) / 1.5).astype(np.int16), affine([10, 20, 30]))
    scaled.header.set_slope_inter(1.5, -7)
    nib.save(scaled, f"{out}/int16_scaled.nii")
    expected.append({"file": "int16_scaled.nii", "datatype": "int16", "affine": scaled.affine.tolist(),
                     "values": base.flatten(order="F").tolist()})

    save("float64_nifti2.nii.gz", nib.Nifti2Image(base, affine([1, 2, 3])), base, "float64")

    big = nib.Nifti1Image(base.astype(">f4"), affine([-5, 0, 5]))
    big.header.set_data_dtype(">f4")
    save("float32_bigendian.nii", big, base.astype(np.float32), "float32")

    qform_only = nib.Nifti1Image(base.astype(np.float32), None)
    qform_only.set_qform(affine([7, 8, 9]), code=1)
    qform_only.set_sform(None, code=0)
    nib.save(qform_only, f"{out}/float32_qform_only.nii.gz")
    expected.append({"file": "float32_qform_only.nii.gz", "datatype": "float32", "affine": qform_only.get_qform().tolist(),
                     "values": base.flatten(order="F").tolist()})

    small = np.arange(24, dtype=np.uint8).reshape(shape, order="F")
    save("uint8.nii.gz", nib.Nifti1Image(small, affine([0, 0, 0])), small, "uint8")

    complex_image = nib.Nifti1Image(base.astype(np.complex64), affine([0, 0, 0]))
    nib.save(complex_image, f"{out}/complex64.nii")

    with open(f"{out}/expected.json", "w") as f:
        json.dump(expected, f)


def dump(path, out):
    image = nib.load(path)
    with open(out, "w") as f:
        json.dump({"shape": list(image.shape), "affine": image.affine.tolist(), "version": 2 if isinstance(image, nib.Nifti2Image) else 1,
                   "qform": image.get_qform().tolist(), "sform": image.get_sform().tolist(),
                   "qform_code": int(image.header["qform_code"]), "sform_code": int(image.header["sform_code"]),
                   "values": np.asarray(image.get_fdata(), dtype=np.float64).flatten(order="F").tolist()}, f)


def stack4d(out, files):
    images = [nib.load(f) for f in files]
    times = []
    for f in files:
        with open(f.replace(".nii.gz", ".json").replace(".nii", ".json")) as sidecar:
            times.append(json.load(sidecar)["EchoTime"])
    # The stored voxels, stacked as they are (concat_images would go through floats and rescale them).
    data = np.stack([np.asarray(image.dataobj) for image in images], axis=-1)
    nib.save(nib.Nifti1Image(data, images[0].affine), out)
    with open(out.replace(".nii.gz", ".json").replace(".nii", ".json"), "w") as sidecar:
        json.dump({"EchoTime": times, "ConversionSoftware": "nibabel"}, sidecar)


def shift(source, out, mm):
    image = nib.load(source)
    moved = image.affine.copy()
    moved[0, 3] += float(mm)
    nib.save(nib.Nifti1Image(np.asarray(image.dataobj), moved), out)


if __name__ == "__main__":
    command, arguments = sys.argv[1], sys.argv[2:]
    {"samples": lambda: samples(*arguments), "dump": lambda: dump(*arguments),
     "stack4d": lambda: stack4d(arguments[0], arguments[1:]), "shift": lambda: shift(*arguments)}[command]()
