// Entry point of the portal's browser code; Blazor components call what is exposed on window.readerStudy.
import { loadDarkMode, saveDarkMode } from "./theme.js";

window.readerStudy = {
  theme: { loadDarkMode: () => loadDarkMode(), saveDarkMode: (dark) => saveDarkMode(dark) },
};
