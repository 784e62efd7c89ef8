// Entry point of the portal's browser code; Blazor components call what is exposed on window.readerStudy.
import { loadDarkMode, saveDarkMode } from "./theme.js";
import { downloadPng, render as renderPlot } from "./plots.js";
import { bindAnswers, bindKeys, captureEarlyAnswers, interactionLog } from "./reading.js";
import { open as openViewer } from "./viewer/viewer.js";
import { startBlazor } from "./connection.js";

const viewers = new Map();

window.readerStudy = {
  theme: { loadDarkMode: () => loadDarkMode(), saveDarkMode: (dark) => saveDarkMode(dark) },
  reading: { bindKeys, bindAnswers },
  plots: { downloadPng, render: renderPlot },
  viewer: {
    /** Opens a viewer in the element with this id; returns its handle id. Errors are shown in the element. */
    open: async (elementId, volumeUrls, options) => {
      const container = document.getElementById(elementId);
      // A viewer still in this container goes first (the page may have lost its handle to a quick move between cases).
      const previous = container.dataset.viewer;
      if (previous) {
        viewers.get(previous)?.close();
        viewers.delete(previous);
        delete container.dataset.viewer;
      }
      const log = options?.eventsUrl ? interactionLog(options.eventsUrl) : null;
      try {
        const annotate = options?.annotate;
        const handle = await openViewer(container, volumeUrls, {
          ...(options ?? {}),
          onInteraction: log ? (e) => log.record(e) : undefined,
          onAnnotate: annotate ? (e) => annotate.invokeMethodAsync("OnAnnotate", e.pane, e.slice, e.column, e.row) : undefined,
          onRegion: annotate ? (e) => annotate.invokeMethodAsync("OnAnnotateEllipse", e.pane, e.slice, e.column, e.row, e.radiusColumns, e.radiusRows) : undefined,
          onShape: annotate ? (e) => annotate.invokeMethodAsync("OnAnnotateShape", e.pane, e.slice, e.shape, e.points) : undefined,
        });
        if (handle.superseded) {
          // Another viewer took the container while this one loaded.
          log?.dispose();
          return null;
        }
        const close = handle.close;
        handle.close = () => {
          log?.dispose();
          close();
        };
        viewers.set(handle.id, handle);
        container.dataset.viewer = handle.id;
        return handle.id;
      } catch (error) {
        container.textContent = `The viewer could not open: ${error.message}`;
        container.dataset.viewerError = error.message;
        throw error;
      }
    },
    state: (id) => viewers.get(id)?.state(),
    close: (id) => {
      viewers.get(id)?.close();
      viewers.delete(id);
    },
  },
};

// Before the live connection starts: an answer given on the form the server drew first is not lost.
captureEarlyAnswers();
startBlazor();
