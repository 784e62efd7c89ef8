import test from "node:test";
import assert from "node:assert/strict";
import { matchingSlice } from "../src/viewer/slices.js";

const sagittal = (count, spacing, start = 0) => ({
  description: { slices: count, rowDirection: [0, 1, 0], columnDirection: [0, 0, -1], slicePositions: Array.from({ length: count }, (_, i) => [start + i * spacing, 0, 0]) },
});

test("a 3 mm map slice finds the 0.7 mm anatomic slice at the same place", () => {
  const map = sagittal(27, 3);
  const dess = sagittal(160, 0.7);
  assert.equal(matchingSlice(map, 0, dess), 0);
  assert.equal(matchingSlice(map, 10, dess), Math.round(30 / 0.7));
  assert.equal(matchingSlice(dess, 43, map), 10);
});

test("the same grid gives the same index; beyond the other's extent, its nearest end", () => {
  assert.equal(matchingSlice(sagittal(4, 3), 2, sagittal(4, 3)), 2);
  assert.equal(matchingSlice(sagittal(10, 3), 9, sagittal(4, 3)), 3);
  assert.equal(matchingSlice(sagittal(4, 3, 100), 0, sagittal(4, 3)), 3);
});

test("without positions, the index (clamped to the other's slices)", () => {
  assert.equal(matchingSlice({ description: { slices: 8 } }, 6, { description: { slices: 4 } }), 3);
});

test("fusion: the anatomic window maps to grey 0-255, opaque; parallel planes only", async () => {
  const { greyPixels, parallel } = await import("../src/viewer/fusion.js");
  const pixels = greyPixels(new Float32Array([-20, 100, 255, 300]), 0, 255);
  assert.deepEqual([...pixels.filter((_, i) => i % 4 === 0)], [0, 100, 255, 255]);
  assert.deepEqual([...pixels.filter((_, i) => i % 4 === 3)], [255, 255, 255, 255]);
  const sagittal = { rowDirection: [0, 1, 0], columnDirection: [0, 0, -1] };
  const flipped = { rowDirection: [0, -1, 0], columnDirection: [0, 0, -1] };
  const axial = { rowDirection: [1, 0, 0], columnDirection: [0, 1, 0] };
  assert.equal(parallel(sagittal, flipped), true);
  assert.equal(parallel(sagittal, axial), false);
});
