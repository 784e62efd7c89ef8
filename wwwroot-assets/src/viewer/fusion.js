// The map fused over the anatomic image of the context pane, with an opacity the reader sets. Drawn as the anatomic
// slice (grey, in the context pane's own window) over the map with opacity 1 − α, which blends exactly as the map
// over the anatomic image with opacity α would. Both maps of a pair get the same anatomic slice, drawn alike: the
// context series is the subject's, served through the reader's own trial, so it tells nothing of which map is which.
import { sliceLayer } from "./layers.js";
import { cross, dot, matchingSlice } from "./slices.js";
import { fetchSlice } from "./volumes.js";

/** Whether two series' slices are parallel (within about 2°): only then is one drawn over the other without reslicing. */
export function parallel(a, b) {
  const [na, nb] = [cross(a.rowDirection, a.columnDirection), cross(b.rowDirection, b.columnDirection)];
  const length = Math.sqrt(dot(na, na) * dot(nb, nb));
  return length > 0 && Math.abs(dot(na, nb)) / length > Math.cos((2 * Math.PI) / 180);
}

/** A slice's values in a window [lower, upper] as opaque grey RGBA pixels, one per voxel. */
export function greyPixels(values, lower, upper) {
  const pixels = new Uint8ClampedArray(values.length * 4);
  const scale = upper > lower ? 255 / (upper - lower) : 0;
  for (let v = 0; v < values.length; v++) {
    const grey = (values[v] - lower) * scale;
    pixels[v * 4] = pixels[v * 4 + 1] = pixels[v * 4 + 2] = grey;
    pixels[v * 4 + 3] = 255;
  }
  return pixels;
}

/** The fusion layer over a map pane; `opacity()` is the map's (1: the map alone, nothing drawn). */
export function fusionLayer(mapView, contextView, testId, opacity) {
  const load = async (index) => {
    const slice = matchingSlice(mapView.volume, index, contextView.volume);
    return { slice, values: await fetchSlice(contextView.volume, slice) };
  };
  const paint = (context, { slice, values }, { viewport }) => {
    const d = contextView.volume.description;
    const { lower, upper } = contextView.viewport.getProperties().voiRange;
    const image = document.createElement("canvas");
    [image.width, image.height] = [d.columns, d.rows];
    image.getContext("2d").putImageData(new ImageData(greyPixels(values, lower, upper), d.columns, d.rows), 0, 0);
    // The anatomic slice's voxel corners in space (DICOM: position + column × column spacing along the row
    // direction + row × row spacing along the column direction), projected onto the map's canvas: an affine map
    // for parallel planes.
    const position = d.slicePositions[slice];
    const world = (i, j) => [0, 1, 2].map((k) => position[k] + (i - 0.5) * d.columnSpacing * d.rowDirection[k] + (j - 0.5) * d.rowSpacing * d.columnDirection[k]);
    const [o, x, y] = [viewport.worldToCanvas(world(0, 0)), viewport.worldToCanvas(world(1, 0)), viewport.worldToCanvas(world(0, 1))];
    context.globalAlpha = 1 - opacity();
    context.transform(x[0] - o[0], x[1] - o[1], y[0] - o[0], y[1] - o[1], o[0], o[1]);
    context.drawImage(image, 0, 0);
    context.canvas.dataset.anatomicSlice = String(slice);
    return values.length;
  };
  return sliceLayer(mapView, { load, testId, className: "rs-outline", counted: "fused", shown: () => opacity() < 1, paint });
}
