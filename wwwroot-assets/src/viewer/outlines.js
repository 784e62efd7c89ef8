// Segmentation outlines over a pane: the subject's segmentation on the slice shown (one byte per voxel, the segment
// number, 0 outside), drawn as the borders between voxels of different segments on a canvas above the image, so it
// follows zoom, pan, resizing and the slice. Both images of a reader's pair get the same bytes and the same drawing.
import { sliceLayer } from "./layers.js";

// White over a dark rim: visible on every colour map of the fixed list (viridis and magma end in yellow) and on grey.
const RIM = "rgba(0, 0, 0, 0.85)";
const LINE = "rgba(255, 255, 255, 0.95)";

/** The borders, as corner-to-corner segments [i0, j0, i1, j1] in voxel-corner coordinates, of a slice's segments. */
export function borders(labels, columns, rows) {
  const at = (i, j) => (i < 0 || j < 0 || i >= columns || j >= rows ? 0 : labels[j * columns + i]);
  const segments = [];
  for (let j = 0; j < rows; j++) {
    for (let i = 0; i < columns; i++) {
      const label = labels[j * columns + i];
      if (!label) continue;
      if (at(i + 1, j) !== label) segments.push([i + 1, j, i + 1, j + 1]);
      if (at(i - 1, j) !== label) segments.push([i, j, i, j + 1]);
      if (at(i, j + 1) !== label) segments.push([i, j + 1, i + 1, j + 1]);
      if (at(i, j - 1) !== label) segments.push([i, j, i + 1, j]);
    }
  }
  return segments;
}

/** Adds the outline layer to a pane; `shown()` says whether the reader wants it. Returns { redraw, dispose }. */
export function outlineLayer(view, template, testId, shown) {
  return sliceLayer(view, { template, testId, className: "rs-outline", counted: "edges", shown, paint: paintOutlines });
}

function paintOutlines(context, labels, { columns, rows, corner }) {
  const edges = borders(labels, columns, rows);
  context.beginPath();
  for (const [i0, j0, i1, j1] of edges) {
    context.moveTo(...corner(i0, j0));
    context.lineTo(...corner(i1, j1));
  }
  context.lineCap = "square";
  context.strokeStyle = RIM;
  context.lineWidth = 3;
  context.stroke();
  context.strokeStyle = LINE;
  context.lineWidth = 1.25;
  context.stroke();
  return edges.length;
}
