import { test } from "node:test";
import assert from "node:assert/strict";
import { loadDarkMode, saveDarkMode } from "../src/theme.js";

function memoryStorage() {
  const items = new Map();
  return { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => items.set(k, v) };
}

test("a saved choice is read back", () => {
  const storage = memoryStorage();
  saveDarkMode(true, storage);
  assert.equal(loadDarkMode(storage), true);
  saveDarkMode(false, storage);
  assert.equal(loadDarkMode(storage), false);
});

test("without a saved choice, light unless the system prefers dark", () => {
  assert.equal(loadDarkMode(memoryStorage()), false);
});
