// Plotly's basic bundle (scatter, bar: no WebGL traces, so no code built from strings, which the portal's CSP refuses),
// built apart from the portal's bundle and loaded only by the pages that draw interactive plots.
import Plotly from "plotly.js-basic-dist-min";

window.Plotly = Plotly;
