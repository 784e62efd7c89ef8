// Segmentation outlines over a pane: the subject's segmentation on the slice shown (one byte per voxel, the segment
// number, 0 outside), drawn as the borders between voxels of different segments on a canvas above the image, so it
// follows zoom, pan, resizing and the slice. Both images of a reader's pair get the same bytes and the same drawing.
import { Enums, utilities } from "@cornerstonejs/core";

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
  const canvas = document.createElement("canvas");
  canvas.className = "rs-outline";
  canvas.dataset.testid = testId;
  view.element.appendChild(canvas);
  const slices = new Map();
  const labelsOf = (index) => {
    if (!slices.has(index)) {
      slices.set(index, fetch(template.replace("{index}", String(index)), { credentials: "same-origin" })
        .then((r) => (r.ok ? r.arrayBuffer().then((b) => new Uint8Array(b)) : null))
        .catch(() => null));
    }
    return slices.get(index);
  };

  let drawing = 0;
  async function draw() {
    const { viewport, element, volume } = view;
    const [width, height, ratio] = [element.clientWidth, element.clientHeight, window.devicePixelRatio || 1];
    const index = viewport.getCurrentImageIdIndex();
    const labels = shown() ? await labelsOf(index) : null;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    const context = canvas.getContext("2d");
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, width, height);
    const imageData = viewport.getImageData()?.imageData;
    if (index !== viewport.getCurrentImageIdIndex()) return;   // the reader moved on; that slice's drawing follows
    canvas.dataset.slice = String(index);
    if (!labels || !imageData) {
      canvas.dataset.edges = "0";
      return;
    }
    // The grid is affine on the canvas: three corners give every other one.
    const toCanvas = (i, j) => viewport.worldToCanvas(utilities.transformIndexToWorld(imageData, [i - 0.5, j - 0.5, 0]));
    const [o, x, y] = [toCanvas(0, 0), toCanvas(1, 0), toCanvas(0, 1)];
    const corner = (i, j) => [o[0] + i * (x[0] - o[0]) + j * (y[0] - o[0]), o[1] + i * (x[1] - o[1]) + j * (y[1] - o[1])];
    const edges = borders(labels, volume.description.columns, volume.description.rows);
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
    canvas.dataset.edges = String(edges.length);
  }
  const redraw = () => {
    if (drawing === 0) drawing = requestAnimationFrame(() => { drawing = 0; draw(); });
  };
  view.element.addEventListener(Enums.Events.IMAGE_RENDERED, redraw);
  redraw();
  return {
    redraw,
    dispose() {
      view.element.removeEventListener(Enums.Events.IMAGE_RENDERED, redraw);
      canvas.remove();
    },
  };
}
