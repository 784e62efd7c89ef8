import { test } from "node:test";
import assert from "node:assert/strict";
import { answerOutbox, httpSend } from "../src/answerOutbox.js";

function memoryStorage() {
  const data = new Map();
  return { getItem: (k) => data.get(k) ?? null, setItem: (k, v) => data.set(k, v), data };
}

/** A fake clock: timers run only when the test says so. */
function fakeTimers() {
  const timers = [];
  return {
    setTimer: (fn, ms) => { timers.push({ fn, ms }); return timers.length; },
    clearTimer: () => {},
    runAll: async () => { const due = timers.splice(0); for (const t of due) t.fn(); await settle(); },
  };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

test("an answer stays queued (and stored) while sending fails, and is sent once the server answers", async () => {
  const storage = memoryStorage();
  const timers = fakeTimers();
  let online = false;
  const sent = [];
  const outbox = answerOutbox({ storageKey: "k", storage, ...timers, send: async (item) => { if (!online) return { retry: true }; sent.push(item.value); return { ok: true }; } });
  outbox.put("t1", "q1", "", "left");
  await settle();
  assert.equal(outbox.state().pending, 1);
  assert.equal(outbox.state().failing, true);
  assert.match(storage.data.get("k"), /"left"/);
  online = true;
  await timers.runAll();
  assert.deepEqual(sent, ["left"]);
  assert.equal(outbox.state().pending, 0);
  assert.equal(JSON.parse(storage.data.get("k"))["t1|q1|"], undefined);
});

test("only the newest value of an answer is sent after an outage, and each answer once", async () => {
  const timers = fakeTimers();
  let online = false;
  const sent = [];
  const outbox = answerOutbox({ storageKey: "k", storage: memoryStorage(), ...timers, send: async (item) => { if (!online) return { retry: true }; sent.push(`${item.question}=${item.value}`); return { ok: true }; } });
  outbox.put("t1", "q1", "", "left");
  outbox.put("t1", "q2", "", "4");
  outbox.put("t1", "q1", "", "right");
  await settle();
  online = true;
  await timers.runAll();
  assert.deepEqual(sent, ["q2=4", "q1=right"]);
});

test("a value given while the previous one is in flight is sent after it, not dropped", async () => {
  let release;
  const sent = [];
  const outbox = answerOutbox({ storageKey: "k", storage: memoryStorage(), ...fakeTimers(), send: async (item) => {
    sent.push(item.value);
    if (sent.length === 1) await new Promise((r) => { release = r; });
    return { ok: true };
  } });
  outbox.put("t1", "q1", "", "left");
  await settle();
  outbox.put("t1", "q1", "", "right");
  release();
  await settle();
  await settle();
  assert.deepEqual(sent, ["left", "right"]);
  assert.equal(outbox.state().pending, 0);
});

test("answers queued before a reload are sent by the next page from sessionStorage", async () => {
  const storage = memoryStorage();
  const first = answerOutbox({ storageKey: "k", storage, ...fakeTimers(), send: async () => ({ retry: true }) });
  first.put("t1", "q1", "left", "3");
  first.put("t1", "q1", "right", "5");
  await settle();
  const sent = [];
  const second = answerOutbox({ storageKey: "k", storage, ...fakeTimers(), send: async (item) => { sent.push(`${item.side}=${item.value}`); return { ok: true }; } });
  assert.equal(second.state().pending, 2);
  second.retryNow();
  await settle();
  await settle();
  assert.deepEqual(sent, ["left=3", "right=5"]);
});

test("a refused answer leaves the queue with its reason; the next one is still sent", async () => {
  const settled = [];
  const outbox = answerOutbox({ storageKey: "k", storage: memoryStorage(), ...fakeTimers(), onSettled: (item, outcome) => settled.push([item.value, outcome.ok, outcome.message]),
    send: async (item) => (item.value === "locked" ? { ok: false, message: "Case 1 is submitted and locked" } : { ok: true }) });
  outbox.put("t1", "q1", "", "locked");
  outbox.put("t2", "q1", "", "left");
  await settle();
  await settle();
  assert.deepEqual(settled, [["locked", false, "Case 1 is submitted and locked"], ["left", true, undefined]]);
  assert.equal(outbox.state().pending, 0);
});

test("drain resolves with what is still unsent when the time is up", async () => {
  const timers = fakeTimers();
  const outbox = answerOutbox({ storageKey: "k", storage: memoryStorage(), ...timers, send: async () => ({ retry: true }) });
  outbox.put("t1", "q1", "", "left");
  await settle();
  const draining = outbox.drain(100);
  await timers.runAll();
  assert.equal(await draining, 1);
});

test("a corrupt stored queue is ignored, not fatal", () => {
  const storage = memoryStorage();
  storage.setItem("k", "{not json");
  const outbox = answerOutbox({ storageKey: "k", storage, ...fakeTimers(), send: async () => ({ ok: true }) });
  assert.equal(outbox.state().pending, 0);
});

test("a send that hangs in a dropped network gives up after its timeout and asks to be retried", async () => {
  const original = globalThis.fetch;
  let signalled = false;
  // A request whose bytes are held by a dead link: it neither answers nor fails until aborted.
  globalThis.fetch = (_url, init) => new Promise((_resolve, reject) => {
    init.signal.addEventListener("abort", () => { signalled = true; reject(init.signal.reason); });
  });
  globalThis.document ??= { querySelector: () => null };
  // AbortSignal.timeout's timer does not keep Node's event loop alive; this one does.
  const keepAlive = setTimeout(() => {}, 5000);
  try {
    const outcome = await httpSend({ trial: "t", question: "q", side: "", value: "left" }, 50);
    assert.deepEqual(outcome, { retry: true });
    assert.equal(signalled, true);
  } finally {
    clearTimeout(keepAlive);
    globalThis.fetch = original;
  }
});
