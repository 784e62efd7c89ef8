// The portal's medical image viewer, built on Cornerstone3D: one or more linked stack viewports with
// window/level with named presets (the same on every pane), zoom, pan, slice scrolling (wheel and arrow keys;
// none for a projection image), a fixed colour map with its scale in physical units for quantitative maps, and
// the value under the cursor in the image's units (ms, HU).
import { Enums, RenderingEngine, eventTarget, init as coreInit, setUseCPURendering, utilities } from "@cornerstonejs/core";
import {
  EllipticalROITool,
  Enums as ToolEnums,
  LengthTool,
  PanTool,
  PlanarFreehandROITool,
  annotation as annotations,
  StackScrollTool,
  ToolGroupManager,
  WindowLevelTool,
  ZoomTool,
  addTool,
  init as toolsInit,
  synchronizers,
} from "@cornerstonejs/tools";
import { colormaps, cssGradient, ticks } from "./colormaps.js";
import { registerLoader } from "./loader.js";
import { fetchVolume, forget, imageIds, valueAt } from "./volumes.js";
import { outlineLayer } from "./outlines.js";
import { unreliableLayer } from "./unreliable.js";
import { fusionLayer, parallel } from "./fusion.js";
import { matchingSlice } from "./slices.js";

// The measurements a reader can draw for an annotation question; each replaces window/level on the left button while chosen.
const drawingTools = [
  { tool: EllipticalROITool, shape: "ellipse", label: "Ellipse ROI", hint: "Draw an ellipse; its mean, SD and area answer the annotation question" },
  { tool: PlanarFreehandROITool, shape: "polygon", label: "Freehand ROI", hint: "Draw an outline; the mean, SD and area inside answer the annotation question" },
  { tool: LengthTool, shape: "length", label: "Length", hint: "Draw a line; its length in mm answers the annotation question" },
];
// A freehand outline is thinned to at most this many vertices before it is sent.
const MAX_OUTLINE_POINTS = 200;

const registered = (name) => `ReaderStudy ${name}`;
const isColour = (name) => Object.hasOwn(colormaps, name);
let ready;
let counter = 0;
// One rendering engine with one WebGL context for the page's life, each viewer enabling its elements in it and
// disabling them on close. An engine per viewer (Cornerstone's default pool is 7 contexts an engine) passed the
// browser's limit of 16 live contexts by the third case a reader opened: the browser then dropped the oldest, and
// with it whatever a still-open viewer drew ("WebGL context lost", hundreds a session).
let sharedEngine;
const engineForPage = () => (sharedEngine ??= new RenderingEngine("readerstudy-viewers"));

function initialise() {
  ready ??= (async () => {
    // Headless browsers and some reading-room thin clients have no WebGL: draw on the CPU there.
    if (!document.createElement("canvas").getContext("webgl2")) {
      setUseCPURendering(true);
    }
    await coreInit({ rendering: { webGlContextCount: 1 } });
    await toolsInit();
    for (const tool of [WindowLevelTool, PanTool, ZoomTool, StackScrollTool, ...drawingTools.map((d) => d.tool)]) {
      addTool(tool);
    }
    for (const [name, stops] of Object.entries(colormaps)) {
      utilities.colormap.registerColormap({ Name: registered(name), ColorSpace: "RGB", RGBPoints: stops.flat() });
    }
    registerLoader();
  })();
  return ready;
}

function el(tag, className, parent, testId) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (testId) node.dataset.testid = testId;
  parent?.appendChild(node);
  return node;
}

function format(value, units, step) {
  if (value === undefined || Number.isNaN(value)) return "";
  // Values on a grid of whole units (HU, normalized grey) are shown whole.
  const digits = step >= 1 || Math.abs(value) >= 100 ? 0 : 1;
  return `${value.toFixed(digits)}${units ? ` ${units}` : ""}`;
}

function drawScale(scale, description) {
  const [low, high] = description.displayRange;
  const element = scale.parentElement?.querySelector(".rs-viewport");
  scale.replaceChildren();
  const bar = el("div", "rs-scale-bar", scale);
  bar.style.background = cssGradient(colormaps[description.colormap]);
  const labels = el("div", "rs-scale-labels", scale);
  for (const tick of ticks(low, high).reverse()) {
    el("span", "", labels).textContent = format(tick, description.units);
  }
  // The image keeps clear of the bar, however wide its labels are.
  if (element) element.style.right = `${scale.offsetWidth + 16}px`;
}

/**
 * Opens a viewer in `container` with one viewport per volume URL.
 * Options: linked (default true), title per pane.
 * Returns a handle for close() and for tests (state()).
 */
export async function open(container, volumeUrls, options = {}) {
  await initialise();
  const id = `rs-viewer-${++counter}`;
  container.replaceChildren();
  const root = el("div", "rs-viewer", container, "viewer");
  const toolbar = el("div", "rs-toolbar", root);
  const linkLabel = el("label", "rs-link", toolbar);
  const link = el("input", "", linkLabel, "link-viewports");
  link.type = "checkbox";
  link.checked = options.linked ?? true;
  linkLabel.append(" Link viewports");
  const fullScreen = el("button", "rs-button", toolbar, "full-screen");
  fullScreen.type = "button";
  fullScreen.textContent = "Full screen";
  fullScreen.onclick = () => (document.fullscreenElement ? document.exitFullscreen() : root.requestFullscreen());
  const panes = el("div", "rs-panes", root);

  // A reader moving on while this viewer still loads opens the next one in the same container: this one then stops
  // where it is and leaves nothing behind in the page's shared rendering engine.
  const superseded = () => root.parentElement !== container;
  const volumes = await Promise.all(volumeUrls.map(fetchVolume));
  if (superseded()) {
    volumes.forEach(forget);
    return { id, superseded: true, state: () => [], close: () => {} };
  }
  // Named windows (CT bone / soft tissue, map ranges) come with the image description; one choice sets every pane.
  const presets = volumes[0]?.description.presets ?? [];
  let applyPreset = () => {};
  if (presets.length > 0) {
    const group = el("span", "rs-presets", toolbar, "window-presets");
    el("span", "rs-presets-label", group).textContent = "Window:";
    for (const preset of presets) {
      const button = el("button", "rs-button", group, `preset-${preset.name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`);
      button.type = "button";
      button.textContent = preset.name;
      button.title = `${preset.lower} to ${preset.upper}${volumes[0].description.units ? ` ${volumes[0].description.units}` : ""}`;
      button.onclick = () => applyPreset(preset);
    }
  }
  // Quantitative maps: the study's colour map first, the others of the fixed list to choose from (every pane alike).
  let applyColormap = () => {};
  const colourPanes = volumes.filter((v) => isColour(v.description.colormap));
  if (colourPanes.length > 0) {
    const chooser = el("select", "rs-colormap", toolbar, "colormap");
    chooser.title = "Colour map";
    for (const name of Object.keys(colormaps)) {
      const option = el("option", "", chooser);
      option.value = name;
      option.textContent = name;
    }
    chooser.value = colourPanes[0].description.colormap;
    chooser.onchange = () => applyColormap(chooser.value);
  }
  // A projection image (mammogram, radiograph) is one 2-D image: nothing to scroll.
  const scrolls = volumes.every((v) => v.description.scrollsSlices !== false);
  // Cine: steps through the slices, looping, until pressed again.
  let toggleCine = () => {};
  if (scrolls && volumes.some((v) => v.description.slices > 1)) {
    const cine = el("button", "rs-button", toolbar, "cine");
    cine.type = "button";
    cine.textContent = "▶ Cine";
    cine.onclick = () => toggleCine(cine);
  }
  const engine = engineForPage();
  const toolGroup = ToolGroupManager.createToolGroup(id);
  toolGroup.addTool(WindowLevelTool.toolName);
  toolGroup.addTool(PanTool.toolName);
  toolGroup.addTool(ZoomTool.toolName);
  toolGroup.addTool(StackScrollTool.toolName);
  // The tools only draw; the measurements are the server's, from what this reader was served (cornerstone's own
  // would be of the loaded pixels, in units it guesses).
  for (const { tool } of drawingTools) {
    toolGroup.addTool(tool.toolName, { calculateStats: false, getTextLines: () => [] });
  }
  toolGroup.setToolActive(WindowLevelTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Primary }] });
  toolGroup.setToolActive(PanTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Auxiliary }] });
  toolGroup.setToolActive(ZoomTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Secondary }] });
  if (scrolls) {
    toolGroup.setToolActive(StackScrollTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Wheel }] });
  } else {
    // The wheel zooms instead, for full-resolution reading of a large 2-D image.
    toolGroup.setToolActive(ZoomTool.toolName, { bindings: [{ mouseButton: ToolEnums.MouseBindings.Secondary }, { mouseButton: ToolEnums.MouseBindings.Wheel }] });
  }

  const views = volumes.map((volume, n) => {
    const pane = el("div", "rs-pane", panes, `pane-${n}`);
    const element = el("div", "rs-viewport", pane, `viewport-${n}`);
    element.tabIndex = 0;
    element.oncontextmenu = (e) => e.preventDefault();
    const title = el("div", "rs-title", pane, `title-${n}`);
    title.textContent = options.titles?.[n] ?? "";
    const sliceLabel = el("div", "rs-slice", pane, `slice-${n}`);
    const cursor = el("div", "rs-cursor", pane, `cursor-${n}`);
    const scale = el("div", "rs-scale", pane, `scale-${n}`);
    const colour = isColour(volume.description.colormap);
    if (colour) {
      pane.classList.add("rs-has-scale");
      drawScale(scale, volume.description);
    } else {
      scale.remove();
    }
    // The last `contextPanes` volumes are context (an anatomic series beside the maps): their own window and no measuring.
    const context = n >= volumes.length - (options.contextPanes ?? 0);
    if (context) pane.classList.add("rs-context");
    return { volume, element, sliceLabel, cursor, scale: colour ? scale : null, viewportId: `${id}-vp${n}`, context };
  });

  for (const v of views) {
    engine.enableElement({ viewportId: v.viewportId, type: Enums.ViewportType.STACK, element: v.element, defaultOptions: { background: [0, 0, 0] } });
  }
  for (const v of views) {
    toolGroup.addViewport(v.viewportId, engine.id);
  }

  // A case the reader comes back to opens where it was left; a new one in the middle. Context panes open at the
  // slice nearest the first pane's.
  const firstSlices = views[0].volume.description.slices;
  const firstStart = Number.isInteger(options.initialSlice) ? Math.min(firstSlices - 1, Math.max(0, options.initialSlice)) : Math.floor(firstSlices / 2);
  await Promise.all(views.map(async (v) => {
    const viewport = engine.getViewport(v.viewportId);
    const ids = imageIds(v.volume);
    const start = v.context ? matchingSlice(views[0].volume, firstStart, v.volume) : Math.min(ids.length - 1, firstStart);
    await viewport.setStack(ids, start);
    const [lower, upper] = v.volume.description.displayRange;
    viewport.setProperties({
      voiRange: { lower, upper },
      ...(isColour(v.volume.description.colormap) ? { colormap: { name: registered(v.volume.description.colormap) } } : {}),
    });
    viewport.render();
    v.viewport = viewport;
  }));
  if (superseded()) {
    ToolGroupManager.destroyToolGroup(id);
    for (const v of views) engine.disableElement(v.viewportId);
    volumes.forEach(forget);
    return { id, superseded: true, state: () => [], close: () => {} };
  }

  // The maps fused over the context pane's anatomic image, where a study shows one on slices parallel to the maps'.
  // First, so that outlines are drawn over the fused image.
  const contextView = views.find((v) => v.context);
  const fusible = contextView ? views.filter((v) => !v.context && parallel(v.volume.description, contextView.volume.description)) : [];
  let fusions = [];
  if (fusible.length > 0) {
    const label = el("label", "rs-link", toolbar);
    label.append("Fuse ");
    const slider = el("input", "rs-fusion", label, "fusion-opacity");
    Object.assign(slider, { type: "range", min: "0", max: "100", step: "5", value: "100" });
    label.title = "The map's opacity over the anatomic image of the context pane (100 %: the map alone)";
    const mapOpacity = () => Number(slider.value) / 100;
    fusions = fusible.map((v) => fusionLayer(v, contextView, `fusion-${views.indexOf(v)}`, mapOpacity));
    slider.oninput = () => fusions.forEach((f) => f.redraw());
    slider.onchange = () => options.onInteraction?.({ kind: "fusion", opacity: mapOpacity() });
    // The anatomic image keeps the context pane's window: a change there changes the fused image.
    contextView.element.addEventListener(Enums.Events.VOI_MODIFIED, () => fusions.forEach((f) => f.redraw()));
  }

  // A layer over the panes that offer it, one box to hide it on all of them.
  const toggledLayers = (shown, { testId, text, title, layer, onToggle }) => {
    if (shown.length === 0) return [];
    const label = el("label", "rs-link", toolbar);
    const toggle = el("input", "", label, `${testId}-toggle`);
    toggle.type = "checkbox";
    toggle.checked = true;
    label.append(` ${text}`);
    label.title = title;
    const layers = shown.map((v) => layer(v, `${testId}-${views.indexOf(v)}`, () => toggle.checked));
    toggle.onchange = () => {
      layers.forEach((l) => l.redraw());
      onToggle?.(toggle.checked);
    };
    return layers;
  };
  const overlays = [
    ...fusions,
    // The subject's segmentation outlined over the panes that offer it (a study's setting).
    ...toggledLayers(views.filter((v) => v.volume.description.outlineUrlTemplate), {
      testId: "outline",
      text: "Outline",
      title: "The subject's segmentation, outlined over the image",
      layer: (v, testId, shown) => outlineLayer(v, v.volume.description.outlineUrlTemplate, testId, shown),
      onToggle: (shown) => options.onInteraction?.({ kind: "outline", shown }),
    }),
    // A fitted map's unreliable voxels, for the coordinator (a reader's description never offers them).
    ...toggledLayers(views.filter((v) => v.volume.description.unreliableUrlTemplate), {
      testId: "unreliable",
      text: "Unreliable voxels",
      title: "Voxels whose fit explains less than 80 % of the echo signal, or whose T2 lay outside the clip range (stored as 0 ms or the clip bound), in magenta",
      layer: (v, testId, shown) => unreliableLayer(v, v.volume.description.unreliableUrlTemplate, testId, shown),
    }),
  ];

  const zoomPan = synchronizers.createZoomPanSynchronizer(`${id}-zoompan`);
  const voi = synchronizers.createVOISynchronizer(`${id}-voi`, { syncInvertState: false, syncColormap: false });
  const setLinked = (linked) => {
    for (const v of views) {
      const target = { renderingEngineId: engine.id, viewportId: v.viewportId };
      // A context pane keeps its own window: its values are another quantity than the maps'.
      if (linked) {
        zoomPan.add(target);
        if (!v.context) voi.add(target);
      } else {
        zoomPan.remove(target);
        if (!v.context) voi.remove(target);
      }
    }
  };
  setLinked(link.checked);
  link.onchange = () => setLinked(link.checked);

  const showSlice = (v) => {
    const index = v.viewport.getCurrentImageIdIndex();
    v.sliceLabel.textContent = scrolls ? `Slice ${index + 1} / ${v.volume.description.slices}` : "";
  };
  let cineTimer = null;
  toggleCine = (button) => {
    if (cineTimer) {
      clearInterval(cineTimer);
      cineTimer = null;
      button.textContent = "▶ Cine";
    } else {
      // 8 slices a second; each pane advances (linked panes stay on one slice).
      cineTimer = setInterval(() => {
        for (const v of link.checked ? views.slice(0, 1) : views) {
          const count = v.volume.description.slices;
          v.viewport.setImageIdIndex((v.viewport.getCurrentImageIdIndex() + 1) % count);
        }
      }, 125);
      button.textContent = "■ Stop";
    }
    options.onInteraction?.({ kind: "cine", playing: cineTimer !== null });
  };
  applyColormap = (name) => {
    for (const v of views.filter((v) => v.scale)) {
      v.volume.description = { ...v.volume.description, colormap: name };
      const range = v.viewport.getProperties().voiRange;
      v.viewport.setProperties({ colormap: { name: registered(name) } });
      v.viewport.render();
      drawScale(v.scale, { ...v.volume.description, displayRange: [range.lower, range.upper] });
    }
    options.onInteraction?.({ kind: "colormap", name });
  };
  applyPreset = (preset) => {
    for (const v of views.filter((o) => !o.context)) {
      v.viewport.setProperties({ voiRange: { lower: preset.lower, upper: preset.upper } });
      v.viewport.render();
    }
    options.onInteraction?.({ kind: "preset", name: preset.name, lower: preset.lower, upper: preset.upper });
  };
  let syncing = false;
  for (const v of views) {
    showSlice(v);
    v.element.addEventListener(Enums.Events.STACK_NEW_IMAGE, () => {
      showSlice(v);
      if (v.marker) v.marker.style.display = "none";
      if (link.checked && !syncing) {
        syncing = true;
        const index = v.viewport.getCurrentImageIdIndex();
        Promise.all(views.filter((o) => o !== v).map((o) => o.viewport.setImageIdIndex(matchingSlice(v.volume, index, o.volume)))).finally(() => (syncing = false));
      }
      options.onInteraction?.({ kind: "slice", pane: views.indexOf(v), slice: v.viewport.getCurrentImageIdIndex() });
    });
    v.element.addEventListener(Enums.Events.VOI_MODIFIED, (e) => {
      const range = e.detail.range;
      // The colour bar always shows the mapping drawn: after a window/level drag, the new range in ms.
      if (v.scale && range && Number.isFinite(range.lower) && Number.isFinite(range.upper)) {
        drawScale(v.scale, { ...v.volume.description, displayRange: [range.lower, range.upper] });
      }
      options.onInteraction?.({ kind: "window", pane: views.indexOf(v), lower: range?.lower, upper: range?.upper });
    });
    v.element.addEventListener(Enums.Events.CAMERA_MODIFIED, () => options.onInteraction?.({ kind: "camera", pane: views.indexOf(v), zoom: v.viewport.getZoom?.() }));
    v.element.addEventListener("mousemove", (event) => {
      const rect = v.element.getBoundingClientRect();
      const world = v.viewport.canvasToWorld([event.clientX - rect.left, event.clientY - rect.top]);
      const imageData = v.viewport.getImageData();
      if (!imageData) return;
      const [i, j] = utilities.transformWorldToIndex(imageData.imageData, world).map(Math.round);
      const index = v.viewport.getCurrentImageIdIndex();
      const value = valueAt(v.volume, index, i, j);
      const d = v.volume.description;
      v.cursor.dataset.column = String(i);
      v.cursor.dataset.row = String(j);
      v.cursor.dataset.slice = String(index);
      // "T2 41.3 ms", but "-98 HU" rather than "HU -98 HU".
      const label = d.quantity && d.quantity !== d.units ? `${d.quantity} ` : "";
      v.cursor.textContent = value === undefined ? "" : `(${i}, ${j})  ${label}${format(value, d.units, d.valueStep)}`;
    });
    v.element.addEventListener("mouseleave", () => (v.cursor.textContent = ""));
    // Shift+click marks a point for an annotation question (the tools ignore clicks with a modifier).
    v.element.addEventListener("mousedown", (event) => {
      if (!event.shiftKey || event.button !== 0 || !options.onAnnotate || v.context) return;
      const rect = v.element.getBoundingClientRect();
      const [x, y] = [event.clientX - rect.left, event.clientY - rect.top];
      const imageData = v.viewport.getImageData();
      if (!imageData) return;
      const [i, j] = utilities.transformWorldToIndex(imageData.imageData, v.viewport.canvasToWorld([x, y])).map(Math.round);
      const marker = v.marker ?? el("div", "rs-marker", v.element.parentElement, `marker-${views.indexOf(v)}`);
      Object.assign(marker.style, { left: `${x - 6}px`, top: `${y - 6}px`, display: "block" });
      v.marker = marker;
      options.onAnnotate({ pane: views.indexOf(v), slice: v.viewport.getCurrentImageIdIndex(), column: i, row: j });
    });
    v.element.addEventListener("keydown", (event) => {
      const step = { ArrowUp: -1, ArrowDown: 1, PageUp: -5, PageDown: 5 }[event.key];
      if (step && scrolls) {
        event.preventDefault();
        const max = v.volume.description.slices - 1;
        v.viewport.setImageIdIndex(Math.min(max, Math.max(0, v.viewport.getCurrentImageIdIndex() + step)));
      }
    });
  }

  // Resizing the window or going full screen re-fits every viewport, keeping square pixels (the canvas is
  // re-sized with its element rather than stretched).
  // Measurements (for an annotation question): the chosen tool draws with the left button instead of setting the
  // window, until pressed again. Only the newest drawing of the viewer stays; it answers the question, and answers
  // again when the reader drags its handles.
  let lastDrawing = null;
  const toIndex = (v, points) => {
    const imageData = v.viewport.getImageData().imageData;
    return points.map((p) => utilities.transformWorldToIndex(imageData, p).slice(0, 2).map(Math.round));
  };
  const onDrawn = (event) => {
    const drawn = event.detail.annotation;
    const kind = drawingTools.find((d) => d.tool.toolName === drawn.metadata?.toolName);
    const v = kind && views.find((o) => imageIds(o.volume).includes(drawn.metadata.referencedImageId));
    if (!v) return;
    if (v.context) {
      // Measurements answer for the images read, not the context beside them.
      annotations.state.removeAnnotation(drawn.annotationUID);
      engine.renderViewports([v.viewportId]);
      return;
    }
    if (lastDrawing && lastDrawing !== drawn.annotationUID) annotations.state.removeAnnotation(lastDrawing);
    lastDrawing = drawn.annotationUID;
    engine.renderViewports(views.map((o) => o.viewportId));
    const pane = views.indexOf(v);
    const slice = imageIds(v.volume).indexOf(drawn.metadata.referencedImageId);
    if (kind.shape === "ellipse") {
      const [bottom, top, left, right] = toIndex(v, drawn.data.handles.points);
      options.onRegion({
        pane, slice, column: Math.round((left[0] + right[0]) / 2), row: Math.round((top[1] + bottom[1]) / 2),
        radiusColumns: Math.max(1, Math.round(Math.abs(right[0] - left[0]) / 2)), radiusRows: Math.max(1, Math.round(Math.abs(bottom[1] - top[1]) / 2)),
      });
      return;
    }
    let points = toIndex(v, kind.shape === "length" ? drawn.data.handles.points : drawn.data.contour.polyline)
      .filter((p, i, all) => i === 0 || p[0] !== all[i - 1][0] || p[1] !== all[i - 1][1]);
    if (points.length > MAX_OUTLINE_POINTS) {
      const step = points.length / MAX_OUTLINE_POINTS;
      points = Array.from({ length: MAX_OUTLINE_POINTS }, (_, i) => points[Math.floor(i * step)]);
    }
    options.onShape({ pane, slice, shape: kind.shape, points });
  };
  let edited = false;
  const onEdited = (event) => {
    if (event.detail.annotation?.annotationUID === lastDrawing) edited = true;
  };
  const onReleased = () => {
    if (!edited) return;
    edited = false;
    // After the tool has taken the release and settled the shape.
    setTimeout(() => {
      const drawn = lastDrawing && annotations.state.getAnnotation(lastDrawing);
      if (drawn) onDrawn({ detail: { annotation: drawn } });
    }, 0);
  };
  if (options.onRegion && options.onShape) {
    const buttons = drawingTools.map((d) => {
      const button = el("button", "rs-button", toolbar, `${d.shape}-tool`);
      button.type = "button";
      button.textContent = d.label;
      button.title = d.hint;
      button.onclick = () => choose(button.dataset.active === "true" ? null : d);
      return button;
    });
    const primary = { bindings: [{ mouseButton: ToolEnums.MouseBindings.Primary }] };
    const choose = (chosen) => {
      drawingTools.forEach((d, i) => {
        buttons[i].dataset.active = String(d === chosen);
        buttons[i].classList.toggle("rs-active", d === chosen);
        toolGroup.setToolPassive(d.tool.toolName);
      });
      if (chosen) {
        toolGroup.setToolPassive(WindowLevelTool.toolName);
        toolGroup.setToolActive(chosen.tool.toolName, primary);
      } else {
        toolGroup.setToolActive(WindowLevelTool.toolName, primary);
      }
      options.onInteraction?.({ kind: "tool", name: chosen?.shape ?? "window" });
    };
    eventTarget.addEventListener(ToolEnums.Events.ANNOTATION_COMPLETED, onDrawn);
    // A drawing the reader corrects (a handle dragged, the shape moved) answers again once the mouse is released:
    // the tools announce only the first completion, and every step of a drag as a modification.
    eventTarget.addEventListener(ToolEnums.Events.ANNOTATION_MODIFIED, onEdited);
    document.addEventListener("mouseup", onReleased, true);
  }

  const resized = new ResizeObserver(() => engine.resize(true, false));
  resized.observe(panes);
  for (const v of views) resized.observe(v.element);

  const handle = {
    id,
    state: () => views.map((v) => ({
      slice: v.viewport.getCurrentImageIdIndex(),
      voi: v.viewport.getProperties().voiRange,
      zoom: v.viewport.getZoom?.(),
    })),
    close: () => {
      if (cineTimer) clearInterval(cineTimer);
      overlays.forEach((o) => o.dispose());
      eventTarget.removeEventListener(ToolEnums.Events.ANNOTATION_COMPLETED, onDrawn);
      eventTarget.removeEventListener(ToolEnums.Events.ANNOTATION_MODIFIED, onEdited);
      document.removeEventListener("mouseup", onReleased, true);
      if (lastDrawing) annotations.state.removeAnnotation(lastDrawing);
      resized.disconnect();
      synchronizers && zoomPan.destroy?.();
      voi.destroy?.();
      ToolGroupManager.destroyToolGroup(id);
      for (const v of views) engine.disableElement(v.viewportId);
      volumes.forEach(forget);
      container.replaceChildren();
    },
  };
  eventTarget.dispatchEvent?.(new CustomEvent("readerstudy-viewer-open", { detail: { id } }));
  return handle;
}
