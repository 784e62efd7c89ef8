// How the page's live connection to the server (the Blazor circuit) comes back after the network drops.

/**
 * Seconds between reconnection attempts. Blazor's default waits 5 s and then 30 s between attempts, so a reader whose
 * network came back after a minute stared at a "reconnecting" dialog for up to 30 s more, the form not following the
 * answers already stored. Here: ten at once, then one every 2 s until the server has let the circuit go (it keeps a
 * disconnected one for 3 min); an attempt while offline fails in the browser without reaching the server.
 */
const maxRetries = 10 + 105;
export const reconnectionOptions = {
  maxRetries,
  retryIntervalMilliseconds: (previousAttempts) => (previousAttempts >= maxRetries ? null : previousAttempts < 10 ? 0 : 2000),
};

/** Starts Blazor (the page's script tag says autostart="false") with the reconnection above. */
export function startBlazor(blazor = window.Blazor) {
  return blazor.start({ circuit: { reconnectionOptions } });
}
