#!/usr/bin/python3
"""Writes single-frame MR images as one Enhanced MR Image file with pydicom, as a scanner exporting Enhanced MR would.

usage: enhanced_mr.py OUT ORDER FILE...
ORDER: slice-outer (all echoes of a slice, then the next slice: acquisition order), echo-outer, or shuffled.
Each frame gets its own Pixel Value Transformation with an intercept of its own (stored values shifted to match),
so a reader that ignores per-frame rescale gets different values. Orientation and spacing are shared.
"""
import random
import sys

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

ENHANCED_MR = "1.2.840.10008.5.1.4.1.1.4.1"


def item(**attributes):
    ds = Dataset()
    for key, value in attributes.items():
        setattr(ds, key, value)
    return ds


def main(out, order, files):
    images = [pydicom.dcmread(f) for f in files]
    normal = np.cross(np.array(images[0].ImageOrientationPatient[:3], float), np.array(images[0].ImageOrientationPatient[3:], float))
    position = lambda im: float(np.dot(normal, np.array(im.ImagePositionPatient, float)))
    if order == "slice-outer":
        images.sort(key=lambda im: (position(im), float(im.EchoTime)))
    elif order == "echo-outer":
        images.sort(key=lambda im: (float(im.EchoTime), position(im)))
    else:
        random.Random(7).shuffle(images)

    first = images[0]
    ds = Dataset()
    for keyword in ["PatientName", "PatientID", "PatientBirthDate", "PatientSex", "StudyInstanceUID", "StudyDate", "StudyTime",
                    "StudyID", "AccessionNumber", "SeriesInstanceUID", "SeriesNumber", "SeriesDescription", "FrameOfReferenceUID",
                    "Laterality", "Manufacturer"]:
        if keyword in first:
            setattr(ds, keyword, getattr(first, keyword))
    ds.SOPClassUID = ENHANCED_MR
    ds.SOPInstanceUID = generate_uid()
    ds.Modality = "MR"
    ds.ImageType = ["ORIGINAL", "PRIMARY", "M", "NONE"]
    ds.InstanceNumber = 1
    ds.ContentDate = first.get("StudyDate", "20260101")
    ds.ContentTime = "090000"
    ds.AcquisitionContrast = "T2"
    ds.PixelPresentation = "MONOCHROME"
    ds.VolumetricProperties = "VOLUME"
    ds.VolumeBasedCalculationTechnique = "NONE"
    ds.ComplexImageComponent = "MAGNITUDE"
    ds.BurnedInAnnotation = "NO"
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.Rows, ds.Columns = first.Rows, first.Columns
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 0
    ds.NumberOfFrames = len(images)
    ds.SharedFunctionalGroupsSequence = Sequence([item(
        PlaneOrientationSequence=Sequence([item(ImageOrientationPatient=first.ImageOrientationPatient)]),
        PixelMeasuresSequence=Sequence([item(PixelSpacing=first.PixelSpacing, SliceThickness=first.get("SliceThickness", 1))]),
        MRTimingAndRelatedParametersSequence=Sequence([item(RepetitionTime=first.get("RepetitionTime", 2700))]),
    )])
    frames, pixels = [], []
    for index, im in enumerate(images):
        offset = 10 * (index % 5)
        stored = im.pixel_array.astype(np.int64) * int(im.get("RescaleSlope", 1)) + int(im.get("RescaleIntercept", 0)) + offset
        pixels.append(stored.astype(np.uint16))
        frames.append(item(
            FrameContentSequence=Sequence([item(StackID="1", InStackPositionNumber=index + 1)]),
            PlanePositionSequence=Sequence([item(ImagePositionPatient=im.ImagePositionPatient)]),
            MREchoSequence=Sequence([item(EffectiveEchoTime=float(im.EchoTime))]),
            PixelValueTransformationSequence=Sequence([item(RescaleIntercept=-offset, RescaleSlope=1, RescaleType="US")]),
        ))
    ds.PerFrameFunctionalGroupsSequence = Sequence(frames)
    ds.PixelData = np.stack(pixels).tobytes()

    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = ENHANCED_MR
    meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.file_meta = meta
    ds.is_little_endian, ds.is_implicit_VR = True, False
    ds.save_as(out, write_like_original=False)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
