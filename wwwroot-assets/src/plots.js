// Results plots: drawn interactive with Plotly (loaded on first use, apart from the portal's bundle), and saved as
// PNG from their static SVG copy.

let plotly = null;

// Plotly's bundle, loaded once, when the first plot is drawn: most pages draw none.
function loadPlotly(url) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  plotly ??= new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = url;
    script.onload = () => resolve(window.Plotly);
    script.onerror = () => {
      plotly = null;
      reject(new Error("The plotting library could not be loaded."));
    };
    document.head.appendChild(script);
  });
  return plotly;
}

/** Draws a figure ({ data, layout, fileName }, as JSON) in the (empty) element, and hides the static copy before it. */
export async function render(elementId, figureJson, plotlyUrl) {
  const element = document.getElementById(elementId);
  if (!element) return;
  const figure = JSON.parse(figureJson);
  const Plotly = await loadPlotly(plotlyUrl);
  await Plotly.react(element, figure.data, figure.layout, {
    displaylogo: false,
    modeBarButtonsToRemove: ["select2d", "lasso2d"],
    toImageButtonOptions: { format: "svg", filename: figure.fileName },
  });
  element.dataset.interactive = "true";
  const staticCopy = element.previousElementSibling;
  if (staticCopy?.classList.contains("rs-plot-static")) staticCopy.hidden = true;
}

// Saves a results plot (an SVG string) as a PNG file, drawn at twice its size for print.
export async function downloadPng(svg, fileName) {
  const image = new Image();
  const url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
  try {
    await new Promise((resolve, reject) => {
      image.onload = resolve;
      image.onerror = () => reject(new Error("The plot could not be drawn."));
      image.src = url;
    });
    const canvas = document.createElement("canvas");
    canvas.width = image.width * 2;
    canvas.height = image.height * 2;
    const context = canvas.getContext("2d");
    context.scale(2, 2);
    context.drawImage(image, 0, 0);
    const png = await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
    const link = document.createElement("a");
    link.href = URL.createObjectURL(png);
    link.download = fileName;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  } finally {
    URL.revokeObjectURL(url);
  }
}
