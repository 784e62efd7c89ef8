// The fixed list of colour maps for quantitative maps: perceptually uniform viridis (the default) and magma
// (matplotlib's, sampled at nine stops), and jet, which much of the T2 mapping literature prints.
// The same stops drive the viewport's colour map and the scale bar, so the legend is what is drawn.
export const viridis = [
  [0.0, 0.267, 0.005, 0.329],
  [0.125, 0.283, 0.141, 0.458],
  [0.25, 0.231, 0.322, 0.545],
  [0.375, 0.173, 0.447, 0.558],
  [0.5, 0.129, 0.569, 0.549],
  [0.625, 0.153, 0.678, 0.506],
  [0.75, 0.369, 0.788, 0.384],
  [0.875, 0.667, 0.863, 0.196],
  [1.0, 0.992, 0.906, 0.145],
];

export const magma = [
  [0.0, 0.001, 0.0, 0.014],
  [0.125, 0.113, 0.066, 0.28],
  [0.25, 0.317, 0.071, 0.485],
  [0.375, 0.513, 0.148, 0.507],
  [0.5, 0.716, 0.215, 0.475],
  [0.625, 0.904, 0.318, 0.39],
  [0.75, 0.986, 0.536, 0.382],
  [0.875, 0.996, 0.776, 0.52],
  [1.0, 0.987, 0.991, 0.75],
];

export const jet = [
  [0.0, 0.0, 0.0, 0.5],
  [0.125, 0.0, 0.0, 1.0],
  [0.25, 0.0, 0.5, 1.0],
  [0.375, 0.0, 1.0, 1.0],
  [0.5, 0.5, 1.0, 0.5],
  [0.625, 1.0, 1.0, 0.0],
  [0.75, 1.0, 0.5, 0.0],
  [0.875, 1.0, 0.0, 0.0],
  [1.0, 0.5, 0.0, 0.0],
];

/** The colour maps a study or a reader may choose, by name. */
export const colormaps = { viridis, magma, jet };

/** A CSS gradient of the colour map, bottom (low) to top (high). */
export function cssGradient(stops) {
  const parts = stops.map(([x, r, g, b]) => `rgb(${Math.round(r * 255)}, ${Math.round(g * 255)}, ${Math.round(b * 255)}) ${(x * 100).toFixed(1)}%`);
  return `linear-gradient(to top, ${parts.join(", ")})`;
}

/** Tick values for a scale bar over [low, high]: five evenly spaced, rounded to the range's precision. */
export function ticks(low, high, count = 5) {
  const step = (high - low) / (count - 1);
  const digits = step >= 10 ? 0 : step >= 1 ? 1 : 2;
  return Array.from({ length: count }, (_, i) => Number((low + i * step).toFixed(digits)));
}
