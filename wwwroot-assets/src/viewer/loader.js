// Cornerstone image loader and metadata provider for "rsvol:" image ids (see volumes.js).
import { imageLoader, metaData, utilities } from "@cornerstonejs/core";
import { fetchSlice, parseImageId } from "./volumes.js";

function loadImage(imageId) {
  const { volume, index } = parseImageId(imageId);
  const promise = fetchSlice(volume, index).then((data) => {
    const { rows, columns, rowSpacing, columnSpacing, displayRange } = volume.description;
    let min = Infinity;
    let max = -Infinity;
    for (const v of data) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const [low, high] = displayRange;
    return {
      imageId,
      minPixelValue: min,
      maxPixelValue: max,
      slope: 1,
      intercept: 0,
      windowCenter: (low + high) / 2,
      windowWidth: Math.max(1e-6, high - low),
      voiLUTFunction: "LINEAR",
      getPixelData: () => data,
      getCanvas: undefined,
      rows,
      columns,
      height: rows,
      width: columns,
      color: false,
      rgba: false,
      numberOfComponents: 1,
      columnPixelSpacing: columnSpacing,
      rowPixelSpacing: rowSpacing,
      invert: false,
      sizeInBytes: data.byteLength,
      dataType: "Float32Array",
      voxelManager: utilities.VoxelManager.createImageVoxelManager({ scalarData: data, width: columns, height: rows, numberOfComponents: 1 }),
    };
  });
  return { promise, cancelFn: undefined };
}

function provideMetadata(type, imageId) {
  if (typeof imageId !== "string" || !imageId.startsWith("rsvol:")) {
    return undefined;
  }
  const { volume, index } = parseImageId(imageId);
  if (!volume) {
    return undefined;
  }
  const d = volume.description;
  switch (type) {
    case "imagePlaneModule":
      return {
        rows: d.rows,
        columns: d.columns,
        rowCosines: d.rowDirection,
        columnCosines: d.columnDirection,
        imageOrientationPatient: [...d.rowDirection, ...d.columnDirection],
        imagePositionPatient: d.slicePositions[index],
        pixelSpacing: [d.rowSpacing, d.columnSpacing],
        rowPixelSpacing: d.rowSpacing,
        columnPixelSpacing: d.columnSpacing,
        frameOfReferenceUID: `rs-${volume.key}`,
      };
    case "imagePixelModule":
      return { samplesPerPixel: 1, photometricInterpretation: "MONOCHROME2", rows: d.rows, columns: d.columns, bitsAllocated: 32, bitsStored: 32, highBit: 31, pixelRepresentation: 1 };
    case "generalSeriesModule":
      return { modality: "MR" };
    case "modalityLutModule":
      return { rescaleSlope: 1, rescaleIntercept: 0 };
    case "voiLutModule":
      return { windowCenter: [(d.displayRange[0] + d.displayRange[1]) / 2], windowWidth: [d.displayRange[1] - d.displayRange[0]] };
    default:
      return undefined;
  }
}

let registered = false;

export function registerLoader() {
  if (!registered) {
    imageLoader.registerImageLoader("rsvol", loadImage);
    metaData.addProvider(provideMetadata, 10000);
    registered = true;
  }
}
