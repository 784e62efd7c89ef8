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

test("an answer given before the page is bound is sent at once, under the outbox the form names", async () => {
  // A server-drawn form whose live connection never starts: nothing calls bindAnswers.
  class FakeElement {
    constructor(dataset, parent = null, disabled = false) {
      Object.assign(this, { dataset, parent, disabled });
    }
    closest(selector) {
      const name = selector.slice(6, -1).replace(/-(\w)/g, (_, c) => c.toUpperCase());
      for (let e = this; e; e = e.parent) if (name in e.dataset) return e;
      return null;
    }
  }
  const listeners = {};
  const outboxElement = new FakeElement({ answerOutbox: "readerstudy.answers.r1.s1" });
  const doc = {
    addEventListener: (type, handler) => (listeners[type] ??= []).push(handler),
    querySelector: (selector) => (selector === "[data-answer-outbox]" ? outboxElement : null),
  };
  const stored = new Map();
  const puts = [];
  Object.assign(globalThis, {
    Element: FakeElement,
    document: doc,
    sessionStorage: { getItem: (k) => stored.get(k) ?? null, setItem: (k, v) => stored.set(k, v) },
    fetch: async (url, init) => {
      puts.push({ url, method: init.method, body: JSON.parse(init.body) });
      return { ok: true, status: 204 };
    },
  });
  const { captureEarlyAnswers } = await import("../src/reading.js");
  captureEarlyAnswers(doc);

  const group = new FakeElement({ answerTrial: "t7", answerQuestion: "q2", answerSide: "left" });
  listeners.click.forEach((handler) => handler({ target: new FakeElement({ answerValue: "4" }, group) }));
  await new Promise((resolve) => setTimeout(resolve, 10));

  assert.deepEqual(puts, [{ url: "/api/reading/trials/t7/answers", method: "PUT", body: { questionId: "q2", side: "left", value: "4" } }]);
  assert.equal(stored.get("readerstudy.answers.r1.s1"), "{}", "kept in session storage until the server confirmed it, then let go");
});
