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
