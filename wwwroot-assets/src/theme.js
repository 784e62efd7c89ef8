// The reader's light/dark choice outlives the Blazor circuit: reading rooms are dark, offices are not.
const key = "readerstudy.darkMode";

export function loadDarkMode(storage = globalThis.localStorage) {
  const saved = storage?.getItem(key);
  if (saved === "true" || saved === "false") {
    return saved === "true";
  }
  return globalThis.matchMedia?.("(prefers-color-scheme: dark)").matches ?? false;
}

export function saveDarkMode(dark, storage = globalThis.localStorage) {
  storage?.setItem(key, dark ? "true" : "false");
}
