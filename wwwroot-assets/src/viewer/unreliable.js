// A fitted T2 map's unreliable voxels, filled over the coordinator's view of the map: the map stores 0 ms both for
// the background and for a voxel whose fit was unreliable, so without this layer they look alike. Coordinators only:
// a reader's description never offers it (only real maps have one; it would tell real from synthetic).
import { sliceLayer } from "./layers.js";

// Bytes per voxel, as the server sends them (ReaderStudy.Core.T2Mapping.VoxelFit).
const UNRELIABLE = 2;
// Magenta, half opaque: apart from every colour of the fixed colour maps (none passes through magenta) and from grey.
export const UNRELIABLE_COLOUR = [255, 0, 255, 150];

/** The slice's unreliable voxels as RGBA pixels of a columns × rows image, and how many there are. */
export function unreliablePixels(fits, columns, rows) {
  const pixels = new Uint8ClampedArray(columns * rows * 4);
  let count = 0;
  for (let v = 0; v < columns * rows; v++) {
    if (fits[v] !== UNRELIABLE) continue;
    pixels.set(UNRELIABLE_COLOUR, v * 4);
    count++;
  }
  return { pixels, count };
}

export function unreliableLayer(view, template, testId, shown) {
  return sliceLayer(view, { template, testId, className: "rs-outline", counted: "voxels", shown, paint: paintUnreliable });
}

function paintUnreliable(context, fits, { columns, rows, origin, column, row }) {
  const { pixels, count } = unreliablePixels(fits, columns, rows);
  if (count === 0) return 0;
  const image = document.createElement("canvas");
  [image.width, image.height] = [columns, rows];
  image.getContext("2d").putImageData(new ImageData(pixels, columns, rows), 0, 0);
  // One image pixel per voxel, placed by the grid's affine map onto the canvas; crisp voxels, not blurred ones.
  context.transform(column[0], column[1], row[0], row[1], origin[0], origin[1]);
  context.imageSmoothingEnabled = false;
  context.drawImage(image, 0, 0);
  return count;
}
