// The reading page's answers leave through this outbox, not through the Blazor circuit: each answer is kept, in
// memory and in sessionStorage, until the server has confirmed it. A click made while the connection is down, the
// server restarts or the database is away is therefore sent when it can be (after a reload too), and the page
// shows per answer whether it is saved. The server is idempotent per (case, question, side), so a re-send is harmless.

const RETRY_MS = [500, 1000, 2000, 4000, 8000];
const SEND_TIMEOUT_MS = 20_000;

/**
 * A queue of answers, newest value per (trial, question, side), sent one at a time in the order given.
 * send(item) resolves to { ok: true }, { ok: false, message } (the server refused it for good) or { retry: true }.
 */
export function answerOutbox({ storageKey, storage = globalThis.sessionStorage, send, onSettled = () => {}, onChange = () => {}, setTimer = setTimeout, clearTimer = clearTimeout }) {
  let items = load();
  let seq = Math.max(0, ...Object.values(items).map((item) => item.seq ?? 0));
  let sending = false;
  let timer = null;
  let failures = 0;
  let lastSavedAt = null;
  const waiters = [];

  function load() {
    try {
      const stored = JSON.parse(storage?.getItem(storageKey) ?? "{}");
      return stored && typeof stored === "object" ? stored : {};
    } catch {
      return {};
    }
  }

  function persist() {
    try {
      storage?.setItem(storageKey, JSON.stringify(items));
    } catch {
      // Storage full or disabled: the answer stays queued in memory for this page's life.
    }
  }

  function changed() {
    onChange(state());
    if (Object.keys(items).length === 0) {
      while (waiters.length > 0) waiters.shift()(0);
    }
  }

  function state() {
    return { pending: Object.keys(items).length, failing: failures > 0, lastSavedAt };
  }

  async function pump() {
    if (sending) return;
    sending = true;
    if (timer !== null) clearTimer(timer);
    timer = null;
    try {
      for (;;) {
        const next = Object.entries(items).sort((a, b) => a[1].seq - b[1].seq)[0];
        if (!next) return;
        const [key, item] = next;
        let outcome;
        try {
          outcome = await send(item);
        } catch {
          outcome = { retry: true };
        }
        if (outcome.retry) {
          failures++;
          timer = setTimer(() => pump(), RETRY_MS[Math.min(failures - 1, RETRY_MS.length - 1)]);
          changed();
          return;
        }
        failures = 0;
        // A newer value given while this one was in flight stays queued.
        if (items[key]?.seq === item.seq) {
          delete items[key];
          persist();
        }
        if (outcome.ok) lastSavedAt = new Date();
        onSettled(item, outcome);
        changed();
      }
    } finally {
      sending = false;
    }
  }

  return {
    /** Queues an answer (replacing a queued value of the same answer) and starts sending. */
    put(trial, question, side, value) {
      items[keyOf(trial, question, side)] = { trial, question, side, value, seq: ++seq };
      persist();
      changed();
      pump();
    },
    /** The queued value of an answer, if any. */
    queued: (trial, question, side) => items[keyOf(trial, question, side)],
    /** Sends now (the connection is back). */
    retryNow() {
      failures = Math.min(failures, 1);
      pump();
    },
    /** Resolves to the number still unsent once the queue is empty or after ms. */
    drain(ms) {
      if (Object.keys(items).length === 0) return Promise.resolve(0);
      this.retryNow();
      return new Promise((resolve) => {
        waiters.push(resolve);
        setTimer(() => resolve(Object.keys(items).length), ms);
      });
    },
    state,
  };
}

export function keyOf(trial, question, side) {
  return `${trial}|${question}|${side ?? ""}`;
}

/** The antiforgery token: the page's, or a fresh one once the server has restarted with new keys. */
let csrf = null;
export function csrfToken() {
  return csrf ?? document.querySelector('meta[name="csrf-token"]')?.getAttribute("content") ?? "";
}

async function refreshCsrf() {
  try {
    const response = await fetch("/api/antiforgery", { credentials: "same-origin", redirect: "manual" });
    if (response.ok) csrf = (await response.json()).token;
  } catch {
    // Offline: the next try asks again.
  }
}

/** PUTs one answer to the reading API. Only 204 counts as saved; a redirect (signed out) or a 5xx is retried. */
export async function httpSend(item, timeoutMs = SEND_TIMEOUT_MS) {
  let response;
  try {
    response = await fetch(`/api/reading/trials/${item.trial}/answers`, {
      method: "PUT",
      credentials: "same-origin",
      redirect: "manual",
      headers: { "Content-Type": "application/json", "X-CSRF-TOKEN": csrfToken() },
      body: JSON.stringify({ questionId: item.question, side: item.side, value: item.value }),
      // A request lost in a dropped network would otherwise hold the outbox until TCP gives up; a put sent twice is stored once.
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch {
    return { retry: true };
  }
  if (response.ok) return { ok: true };
  if (response.status === 400 || response.status === 404) {
    const problem = await response.json().catch(() => ({}));
    if (/antiforgery/i.test(problem.title ?? "")) {
      await refreshCsrf();
      return { retry: true };
    }
    return { ok: false, message: problem.detail ?? `The server refused this answer (${response.status}).` };
  }
  return { retry: true };
}
