// Reading-room helpers: keyboard shortcuts for answers, and the viewer interaction log sent in batches.

/** Calls dotNet.OnKey(key) for the reading shortcuts, unless the reader is typing in a field. */
export function bindKeys(dotNet) {
  const handler = (event) => {
    const target = event.target;
    if (target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))) {
      return;
    }
    if (["1", "2", "n", "p", "s"].includes(event.key) && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      dotNet.invokeMethodAsync("OnKey", event.key);
    }
  };
  document.addEventListener("keydown", handler);
  return { dispose: () => document.removeEventListener("keydown", handler) };
}

/** The antiforgery token the page was rendered with (see ApiAntiforgery on the server). */
function csrfToken() {
  return document.querySelector('meta[name="csrf-token"]')?.getAttribute("content") ?? "";
}

/** Collects viewer interactions and posts them to the trial's event log every few seconds and when the page goes away. */
export function interactionLog(url, post = (body, keepalive) => fetch(url, { method: "POST", credentials: "same-origin", keepalive, headers: { "Content-Type": "application/json", "X-CSRF-TOKEN": csrfToken() }, body })) {
  let pending = [];
  let last = {};
  const flush = (keepalive = false) => {
    if (pending.length === 0) return;
    const body = JSON.stringify(pending);
    pending = [];
    post(body, keepalive).catch(() => {});
  };
  const timer = setInterval(flush, 2000);
  const onHide = () => flush(true);
  window.addEventListener("pagehide", onHide);
  return {
    record(event) {
      const detail = JSON.stringify(event);
      // Camera and window events arrive many times per drag; keep the last of each run.
      const key = `${event.kind}:${event.pane}`;
      if (last[key] !== undefined && (event.kind === "camera" || event.kind === "window")) {
        pending[last[key]] = { kind: event.kind, detail };
      } else {
        last[key] = pending.length;
        pending.push({ kind: event.kind, detail });
      }
      if (event.kind === "slice") last = {};
    },
    flush,
    dispose() {
      clearInterval(timer);
      window.removeEventListener("pagehide", onHide);
      flush(true);
    },
  };
}
