// Series volumes fetched from the portal: a description (geometry, units) and float32 slices in physical units.
// Cornerstone asks for images by imageId "rsvol:<key>:<index>"; this module answers from the portal's API.

const volumes = new Map();

export async function fetchVolume(url) {
  const response = await fetch(url, { credentials: "same-origin" });
  if (!response.ok) {
    throw new Error(`The series could not be loaded (${response.status}).`);
  }
  const description = await response.json();
  const key = `v${volumes.size + 1}-${Math.random().toString(36).slice(2, 8)}`;
  const volume = { key, description, slices: new Map() };
  volumes.set(key, volume);
  return volume;
}

export function imageIds(volume) {
  return Array.from({ length: volume.description.slices }, (_, i) => `rsvol:${volume.key}:${i}`);
}

export function parseImageId(imageId) {
  const [, key, index] = imageId.split(":");
  return { volume: volumes.get(key), index: Number(index) };
}

export async function fetchSlice(volume, index) {
  if (!volume.slices.has(index)) {
    const url = volume.description.sliceUrlTemplate.replace("{index}", String(index));
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) {
      throw new Error(`Slice ${index + 1} could not be loaded (${response.status}).`);
    }
    volume.slices.set(index, new Float32Array(await response.arrayBuffer()));
  }
  return volume.slices.get(index);
}

/** The value at column i, row j of a loaded slice, or undefined outside it. */
export function valueAt(volume, index, i, j) {
  const slice = volume.slices.get(index);
  const { rows, columns } = volume.description;
  if (!slice || i < 0 || j < 0 || i >= columns || j >= rows) {
    return undefined;
  }
  return slice[j * columns + i];
}

export function forget(volume) {
  volumes.delete(volume.key);
}
