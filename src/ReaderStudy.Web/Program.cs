using ReaderStudy.Web.Components;
using ReaderStudy.Web.Features.Accounts;
using ReaderStudy.Web.Features.Admin;
using ReaderStudy.Web.Features.Data;
using ReaderStudy.Web.Features.Health;
using ReaderStudy.Web.Features.Hosting;
using ReaderStudy.Web.Features.Import;
using ReaderStudy.Web.Features.Pacs;
using ReaderStudy.Web.Features.Viewing;
using ReaderStudy.Web.Features.T2Fitting;
using ReaderStudy.Web.Features.Reading;
using ReaderStudy.Web.Features.Retention;
using ReaderStudy.Web.Features.StudyResults;
using ReaderStudy.Web.Features.Studies;
using ReaderStudy.Web.Features.Synthesis;

// Started as its own DICOM worker (see DicomIsolation), the portal decodes files and nothing else.
ImportExtensions.ServeDicomWorkerIfAsked(args);

var builder = WebApplication.CreateBuilder(args);

builder.AddReaderStudyLogging();
builder.AddReaderStudySecurity();
builder.AddReaderStudyApiAntiforgery();
builder.AddReaderStudyData();
builder.AddReaderStudyHosting();
builder.AddReaderStudyTelemetry();
builder.AddReaderStudyAccounts();
builder.AddReaderStudyStudies();
builder.AddReaderStudyAdmin();
builder.AddReaderStudyImport();
builder.AddReaderStudyPacs();
builder.AddReaderStudyViewing();
builder.AddReaderStudyT2Maps();
builder.AddReaderStudyReading();
builder.AddReaderStudyResults();
builder.AddReaderStudySynthesis();
builder.AddReaderStudyRetention();
builder.AddReaderStudyUi();

var app = builder.Build();

await app.PrepareDatabaseAsync();
app.ScheduleRetention();

app.UseNodeName();
app.UseReaderStudyPipeline();
app.MapReaderStudyHealth();
// A worker process (Hosting:Role=Worker) runs background jobs and answers health checks, nothing else.
if (app.ServesPeople())
{
    app.MapAccountEndpoints();
    app.MapStudyApi();
    app.MapResultsApi();
    app.MapImportApi();
    app.MapPacsApi();
    app.MapViewingApi();
    app.MapT2MapApi();
    app.MapReadingApi();
    app.MapAdminApi();
    app.MapRetentionApi();
    app.MapSynthesisApi();
    app.MapReaderStudyUi();
}
else
{
    app.MapWorkerRefusal();
}

app.Run();

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
