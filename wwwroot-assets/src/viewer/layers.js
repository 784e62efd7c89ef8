// A layer over a pane drawn slice by slice, on a canvas above the image, so it follows zoom, pan, resizing and the
// slice: by default from bytes the server gives per slice (one byte per voxel of the pane's grid), or from what `load`
// gives for a slice. `paint` draws one slice and returns how many things it drew, kept in the canvas's
// `data-{counted}` (tests and the page read it).
import { Enums, utilities } from "@cornerstonejs/core";

/** Adds the layer to a pane; `shown()` says whether the user wants it. Returns { redraw, dispose }. */
export function sliceLayer(view, { template, load, testId, className, counted, shown, paint }) {
  const canvas = document.createElement("canvas");
  canvas.className = className;
  canvas.dataset.testid = testId;
  view.element.appendChild(canvas);
  const slices = new Map();
  const bytesOf = load ?? ((index) => {
    if (!slices.has(index)) {
      slices.set(index, fetch(template.replace("{index}", String(index)), { credentials: "same-origin" })
        .then((r) => (r.ok ? r.arrayBuffer().then((b) => new Uint8Array(b)) : null))
        .catch(() => null));
    }
    return slices.get(index);
  });

  let drawing = 0;
  async function draw() {
    const { viewport, element, volume } = view;
    const [width, height, ratio] = [element.clientWidth, element.clientHeight, window.devicePixelRatio || 1];
    const index = viewport.getCurrentImageIdIndex();
    const bytes = shown() ? await bytesOf(index) : null;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    const context = canvas.getContext("2d");
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, width, height);
    const imageData = viewport.getImageData()?.imageData;
    if (index !== viewport.getCurrentImageIdIndex()) return;   // the user moved on; that slice's drawing follows
    canvas.dataset.slice = String(index);
    if (!bytes || !imageData) {
      canvas.dataset[counted] = "0";
      return;
    }
    // The grid is affine on the canvas: the first voxel's corner and one step along each axis give every other corner.
    const toCanvas = (i, j) => viewport.worldToCanvas(utilities.transformIndexToWorld(imageData, [i - 0.5, j - 0.5, 0]));
    const [o, x, y] = [toCanvas(0, 0), toCanvas(1, 0), toCanvas(0, 1)];
    const grid = {
      viewport,
      columns: volume.description.columns,
      rows: volume.description.rows,
      origin: o,
      column: [x[0] - o[0], x[1] - o[1]],
      row: [y[0] - o[0], y[1] - o[1]],
      corner: (i, j) => [o[0] + i * (x[0] - o[0]) + j * (y[0] - o[0]), o[1] + i * (x[1] - o[1]) + j * (y[1] - o[1])],
    };
    canvas.dataset[counted] = String(paint(context, bytes, grid));
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
