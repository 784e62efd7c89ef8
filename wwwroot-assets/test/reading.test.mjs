import { test } from "node:test";
import assert from "node:assert/strict";

globalThis.window = { addEventListener() {}, removeEventListener() {} };
const { interactionLog } = await import("../src/reading.js");

test("interaction log keeps every slice change and the last state of each drag", async () => {
  const sent = [];
  const log = interactionLog("/x", async (body) => sent.push(JSON.parse(body)));
  log.record({ kind: "slice", pane: 0, slice: 3 });
  log.record({ kind: "window", pane: 0, lower: 0, upper: 90 });
  log.record({ kind: "window", pane: 0, lower: 0, upper: 80 });
  log.record({ kind: "slice", pane: 0, slice: 4 });
  log.dispose();
  assert.equal(sent.length, 1);
  assert.deepEqual(sent[0].map((e) => e.kind), ["slice", "window", "slice"]);
  assert.equal(JSON.parse(sent[0][1].detail).upper, 80);
});

test("a window drag after a flush starts a fresh batch, with no holes (the server once answered 500 to those)", async () => {
  const sent = [];
  const log = interactionLog("/x", async (body) => sent.push(JSON.parse(body)));
  log.record({ kind: "camera", pane: 0, zoom: 1.2 });
  log.record({ kind: "window", pane: 0, lower: 0, upper: 90 });
  log.flush();
  log.record({ kind: "window", pane: 0, lower: 0, upper: 80 });
  log.record({ kind: "window", pane: 0, lower: 0, upper: 70 });
  log.dispose();
  assert.equal(sent.length, 2);
  assert.equal(sent[1].length, 1);
  assert.ok(sent[1].every((e) => e && e.kind === "window"));
  assert.equal(JSON.parse(sent[1][0].detail).upper, 70);
});
