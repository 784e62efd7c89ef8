import test from "node:test";
import assert from "node:assert/strict";
import { borders } from "../src/viewer/outlines.js";

test("a single voxel is outlined by its four sides", () => {
  const labels = new Uint8Array([0, 0, 0, 0, 1, 0, 0, 0, 0]);
  assert.deepEqual(borders(labels, 3, 3).map((s) => s.join(",")).sort(), ["1,1,1,2", "1,1,2,1", "1,2,2,2", "2,1,2,2"]);
});

test("two segments side by side share a border, drawn once from each side; no border inside a segment", () => {
  // columns 0-1 segment 1, column 2 segment 2, one row
  const edges = borders(new Uint8Array([1, 1, 2]), 3, 1);
  const inside = edges.filter(([i0, , i1]) => i0 === 1 && i1 === 1);
  assert.equal(inside.length, 0, "no edge between the two voxels of segment 1");
  assert.equal(edges.filter(([i0, j0, i1, j1]) => i0 === 2 && i1 === 2 && j0 === 0 && j1 === 1).length, 2);
  // 2x1 block: 6 sides; 1x1 block: 4 sides
  assert.equal(edges.length, 10);
});

test("voxels on the image's edge are closed by the edge", () => {
  assert.equal(borders(new Uint8Array([1, 1, 1, 1]), 2, 2).length, 8);
});

test("only unreliable voxels are filled: background (0) and reliable (1) stay clear", async () => {
  const { unreliablePixels, UNRELIABLE_COLOUR } = await import("../src/viewer/unreliable.js");
  const { pixels, count } = unreliablePixels(new Uint8Array([0, 1, 2, 2, 1, 0]), 3, 2);
  assert.equal(count, 2);
  const alpha = [...pixels].filter((_, i) => i % 4 === 3);
  assert.deepEqual(alpha, [0, 0, UNRELIABLE_COLOUR[3], UNRELIABLE_COLOUR[3], 0, 0]);
  assert.deepEqual([...pixels.slice(8, 12)], UNRELIABLE_COLOUR);
});
