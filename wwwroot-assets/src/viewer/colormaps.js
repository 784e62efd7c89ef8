// Perceptually uniform colour map for quantitative maps (matplotlib's viridis, sampled at nine stops).
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
