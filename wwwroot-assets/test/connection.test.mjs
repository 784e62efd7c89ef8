import test from "node:test";
import assert from "node:assert/strict";
import { reconnectionOptions, startBlazor } from "../src/connection.js";

test("reconnects at once ten times, then every 2 s, and gives up after the server has dropped the circuit", () => {
  const delays = [];
  for (let attempt = 0; ; attempt++) {
    const delay = reconnectionOptions.retryIntervalMilliseconds(attempt, reconnectionOptions.maxRetries);
    if (delay === null) break;
    delays.push(delay);
  }
  assert.deepEqual(delays.slice(0, 10), Array(10).fill(0));
  assert.ok(delays.slice(10).every((d) => d === 2000), "never waits longer than 2 s between attempts");
  const total = delays.reduce((a, b) => a + b, 0) / 1000;
  // The server keeps a disconnected circuit for 3 minutes: trying past that only to be refused is pointless.
  assert.ok(total >= 180 && total <= 240, `tries for ${total} s`);
});

test("starts Blazor with these options for the interactive server circuit", async () => {
  let given;
  await startBlazor({ start: async (options) => { given = options; } });
  assert.equal(given.circuit.reconnectionOptions, reconnectionOptions);
});
