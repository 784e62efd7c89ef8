// The reverse proxy in front of several portal processes (deploy/RUNBOOK.md, "Several portal processes").
// A reader's Blazor circuit lives in one process, so the proxy keeps each browser on the process it started on
// (an affinity cookie) and moves it to another only when that one stops answering its health check. The browser's
// Host header goes through unchanged, so the portal's redirects and sign-in callbacks name the proxy, not a process.
var builder = WebApplication.CreateBuilder(args);
// Uploads are limited by the portal (Import:MaxUploadBytes), which names the limit in its refusal; not here as well.
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = null);
builder.Services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"));

var app = builder.Build();
app.MapGet("/proxy/health", () => "ok");
app.MapReverseProxy();
app.Run();
