// Which slice of one pane matches a slice of another: the nearest in space, so an anatomic series with thinner or
// more slices than the map beside it scrolls with it (panes of one grid get the same index, as before).

export const dot = (a, b) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
export const cross = (a, b) => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];

/** The slice of volume `to` nearest to slice `index` of volume `from`, along `from`'s normal; the same index (clamped) when a position is missing. */
export function matchingSlice(from, index, to) {
  const [f, t] = [from.description, to.description];
  const clamp = (i) => Math.min(t.slices - 1, Math.max(0, i));
  if (!f.slicePositions?.[index] || !t.slicePositions?.length || !f.rowDirection || !f.columnDirection) return clamp(index);
  const normal = cross(f.rowDirection, f.columnDirection);
  const at = dot(f.slicePositions[index], normal);
  let [best, distance] = [0, Infinity];
  t.slicePositions.forEach((position, i) => {
    const d = Math.abs(dot(position, normal) - at);
    if (d < distance) [best, distance] = [i, d];
  });
  return best;
}
