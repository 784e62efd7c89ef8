// Reading-room helpers: keyboard shortcuts, answers sent through the outbox, and the viewer interaction log.
import { answerOutbox, csrfToken, httpSend, keyOf } from "./answerOutbox.js";

/** Calls dotNet.OnKey(key) for the reading shortcuts, unless the reader is typing in a field. */
export function bindKeys(dotNet) {
  const handler = (event) => {
    const target = event.target;
    if (target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))) {
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (["1", "2"].includes(event.key)) {
      // The same path as a click, so the answer goes through the outbox even while the circuit is down.
      event.preventDefault();
      const button = document.querySelector(`[data-answer-shortcut="${event.key}"]`);
      if (button && !button.disabled) button.click();
    } else if (["n", "p", "s"].includes(event.key)) {
      event.preventDefault();
      dotNet.invokeMethodAsync("OnKey", event.key);
    }
  };
  document.addEventListener("keydown", handler);
  return { dispose: () => document.removeEventListener("keydown", handler) };
}

/** Collects viewer interactions and posts them to the trial's event log every few seconds and when the page goes away. */
export function interactionLog(url, post = (body, keepalive) => fetch(url, { method: "POST", credentials: "same-origin", keepalive, headers: { "Content-Type": "application/json", "X-CSRF-TOKEN": csrfToken() }, body })) {
  let pending = [];
  let last = {};
  const flush = (keepalive = false) => {
    if (pending.length === 0) return;
    const body = JSON.stringify(pending);
    // The indexes of the last camera/window event refer to the batch just sent: forget them with it.
    pending = [];
    last = {};
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

const outboxes = new Map();

/** One outbox per reader and study for the page's life; it keeps sending after the component is gone. */
function outboxFor(storageKey, page) {
  if (!outboxes.has(storageKey)) {
    outboxes.set(storageKey, answerOutbox({
      storageKey,
      send: httpSend,
      onSettled: (item, outcome) => page.current?.settled(item, outcome),
      onChange: (state) => page.current?.changed(state),
    }));
  }
  return outboxes.get(storageKey);
}

const pages = new Map();

/** The page record of an outbox (which binding, if any, shows its answers now), shared by bindAnswers and the early capture. */
function pageFor(storageKey) {
  if (!pages.has(storageKey)) pages.set(storageKey, { current: null });
  return pages.get(storageKey);
}

/** The answer a click gives (a button of an answer group), or null. */
function clickedAnswer(event) {
  const button = event.target instanceof Element ? event.target.closest("[data-answer-value]") : null;
  const group = button?.closest("[data-answer-question]");
  return group && !button.disabled ? { group, value: button.dataset.answerValue } : null;
}

/** The answer a change gives (a free-text field of an answer group), or null. */
function changedAnswer(event) {
  const input = event.target;
  const group = input instanceof HTMLInputElement || input instanceof HTMLTextAreaElement ? input.closest("[data-answer-free]") : null;
  return group && !input.disabled ? { group, value: input.value } : null;
}

/** What the outbox keeps of an answer: its trial, question and side (from its group) and its value. */
function itemOf({ group, value }) {
  return { trial: group.dataset.answerTrial, question: group.dataset.answerQuestion, side: group.dataset.answerSide ?? "", value };
}

// Answers given before the page is interactive: the server draws the form before the page's live connection starts
// (on every load, and on the reload that follows a lost server process, when a reader goes on clicking), and a
// click there reached no handler and was lost without a trace. The form names its outbox (data-answer-outbox), so
// such an answer is queued and sent at once over HTTP, whether or not the live connection ever starts (CI once saw a
// reloaded page whose answers, held in memory for bindAnswers, never left).

/** Queues the answers given while no reading page is bound (see bindAnswers); called as the portal's script loads. */
export function captureEarlyAnswers(doc = document) {
  const hold = (answer) => {
    if (!answer || [...pages.values()].some((page) => page.current)) return;
    const storageKey = doc.querySelector("[data-answer-outbox]")?.dataset.answerOutbox;
    if (!storageKey) return;
    const item = itemOf(answer);
    outboxFor(storageKey, pageFor(storageKey)).put(item.trial, item.question, item.side, item.value);
  };
  doc.addEventListener("click", (event) => hold(clickedAnswer(event)), true);
  doc.addEventListener("change", (event) => hold(changedAnswer(event)), true);
}

/**
 * Captures the answers given on the reading page (buttons with data-answer-value, text fields in data-answer-free
 * groups) into the outbox, marks each answer "not saved yet" or "saved", writes the status line, and tells the
 * server's component which answers the server confirmed so its view agrees.
 */
export function bindAnswers(dotNet, storageKey) {
  const page = pageFor(storageKey);
  const outbox = outboxFor(storageKey, page);
  // Kept with the page, not with this binding: a circuit that comes back as a new one binds again, and must still
  // know which answers the server confirmed to the binding before it.
  const saved = (page.saved ??= new Map());
  // Confirmed answers the server's component has not heard of yet, kept with the page like `saved`: a binding whose
  // circuit is gone cannot deliver them, the binding of the circuit that replaced it does.
  page.unsynced ??= [];
  let lastMessage = null;
  let notedAt = null;

  const groupKey = (group) => keyOf(group.dataset.answerTrial, group.dataset.answerQuestion, group.dataset.answerSide);

  function paint() {
    for (const group of document.querySelectorAll("[data-answer-question]")) {
      const key = groupKey(group);
      const queued = outbox.queued(group.dataset.answerTrial, group.dataset.answerQuestion, group.dataset.answerSide);
      const state = queued ? "pending" : saved.has(key) ? "saved" : null;
      if (state) group.dataset.outboxState = state;
      else delete group.dataset.outboxState;
      for (const button of group.querySelectorAll("[data-answer-value]")) {
        if (queued && queued.value === button.dataset.answerValue) button.dataset.outbox = "pending";
        else delete button.dataset.outbox;
      }
    }
    const status = document.querySelector("[data-answer-status]");
    if (status) status.textContent = statusText(outbox.state());
  }

  function statusText({ pending, failing, lastSavedAt }) {
    if (pending > 0) {
      return failing ? `Not saved yet: ${pending} answer(s) waiting for the server, retrying…` : `Saving ${pending} answer(s)…`;
    }
    if (lastMessage) return `Not saved: ${lastMessage}`;
    const at = [lastSavedAt, notedAt].filter(Boolean).sort((a, b) => b - a)[0];
    return at ? `Saved at ${at.toLocaleTimeString([], { hour12: false })}` : "";
  }

  async function syncServer() {
    if (page.unsynced.length === 0) return;
    const batch = page.unsynced.slice();
    try {
      await dotNet.invokeMethodAsync("OnAnswersSaved", batch);
      // Removed only once delivered (another binding may be sending the same ones: telling twice is harmless).
      page.unsynced = page.unsynced.filter((item) => !batch.includes(item));
    } catch {
      // The circuit is down: tell it once it is back (the next change or the next paint), or tell its successor.
    }
  }

  const me = {
    settled(item, outcome) {
      const key = keyOf(item.trial, item.question, item.side);
      if (outcome.ok) {
        saved.set(key, item.value);
        lastMessage = null;
        page.unsynced.push({ trialId: item.trial, questionId: item.question, side: item.side, value: item.value });
      } else {
        saved.delete(key);
        lastMessage = outcome.message;
        dotNet.invokeMethodAsync("OnAnswerRefused", outcome.message).catch(() => {});
      }
    },
    changed() {
      paint();
      syncServer();
    },
  };
  page.current = me;

  const put = (item) => outbox.put(item.trial, item.question, item.side, item.value);
  const onClick = (event) => {
    const answer = clickedAnswer(event);
    if (answer) put(itemOf(answer));
  };
  const onFieldChange = (event) => {
    const answer = changedAnswer(event);
    if (answer) put(itemOf(answer));
  };
  const onOnline = () => outbox.retryNow();

  // Time on a case, kept here rather than on the server: closing the tab ends the visit at once (the server's
  // copy of the page lives on for minutes), so the browser reports it, with keepalive, as the page goes.
  let shownTrial = null;
  let shownAt = 0;
  const sendTime = (keepalive) => {
    if (shownTrial === null) return Promise.resolve();
    const seconds = (performance.now() - shownAt) / 1000;
    shownAt = performance.now();
    if (seconds < 0.05) return Promise.resolve();
    return fetch(`/api/reading/trials/${shownTrial}/time`, {
      method: "POST", credentials: "same-origin", keepalive, redirect: "manual",
      headers: { "Content-Type": "application/json", "X-CSRF-TOKEN": csrfToken() },
      body: JSON.stringify({ seconds }),
    }).catch(() => {});
  };
  const onPageHide = () => sendTime(true);
  window.addEventListener("pagehide", onPageHide);
  // Capture phase: the outbox has the answer before anything else handles (or swallows) the click.
  document.addEventListener("click", onClick, true);
  document.addEventListener("change", onFieldChange, true);
  window.addEventListener("online", onOnline);
  // Every 2 s: tell the server what it has not heard, and paint the marks again (whatever re-rendered them away).
  const resync = setInterval(() => {
    paint();
    syncServer();
  }, 2000);
  // The marks are the browser's, not the server's: when Blazor puts new answer elements in (a circuit that
  // reconnected after a dropped network re-renders them), they are painted again, or saved answers would look unsaved.
  let repaint = 0;
  const marksLost = new MutationObserver(() => {
    if (repaint === 0) repaint = requestAnimationFrame(() => { repaint = 0; paint(); });
  });
  marksLost.observe(document.body, { childList: true, subtree: true });
  outbox.retryNow();
  paint();

  return {
    paint: () => {
      paint();
      syncServer();
    },
    drain: (ms) => outbox.drain(ms),
    /** The page now shows this trial: the previous one's time is reported. */
    shown: async (trialId) => {
      if (trialId === shownTrial) return;
      await sendTime(false);
      shownTrial = trialId;
      shownAt = performance.now();
    },
    /** Reports the time on the case shown so far (before a submit, or when the page goes). */
    flushTime: () => sendTime(false),
    /** An answer the server saved by another path (a point annotation goes through the circuit). */
    noteSaved: () => {
      notedAt = new Date();
      lastMessage = null;
      paint();
    },
    dispose() {
      document.removeEventListener("click", onClick, true);
      document.removeEventListener("change", onFieldChange, true);
      window.removeEventListener("online", onOnline);
      window.removeEventListener("pagehide", onPageHide);
      clearInterval(resync);
      marksLost.disconnect();
      if (page.current === me) page.current = null;
    },
  };
}
