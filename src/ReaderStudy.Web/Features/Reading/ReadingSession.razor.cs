using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.JSInterop;
using MudBlazor;
using ReaderStudy.Core.Data;
using ReaderStudy.Core.Reading;
using ReaderStudy.Web.Features.Studies;

namespace ReaderStudy.Web.Features.Reading;

/// <summary>The reading room: one case at a time in the reader's own order, every answer saved as it is given.</summary>
public partial class ReadingSession
{
    private ReaderSession? session;
    private ReaderTrial? trial;
    private Dictionary<(Guid Question, string Side), string> answers = [];
    private string? error;
    private string? washout;
    private IJSObjectReference? outbox;
    private Guid? timedTrial;
    private DotNetObjectReference<ReadingSession>? self;
    private IJSObjectReference? keys;

    [Parameter]
    public Guid StudyId { get; set; }

    [SupplyParameterFromQuery(Name = "case")]
    private int? CasePosition { get; set; }

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject]
    private ReadingService Reading { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    private int SubmittedCount => session?.Trials.Count(t => t.Submitted) ?? 0;
    private bool AllSubmitted => session is not null && session.Trials.All(t => t.Submitted);
    private bool Locked => trial is { Submitted: true } && session is { AllowChanges: false };

    // The study's context pane (the subject's anatomic series) comes after the images, one for both.
    private IReadOnlyList<string> WithContext(params string[] images) => trial?.ContextImage is { } context ? [.. images, context] : images;

    private IReadOnlyList<string> WithContextTitle(params string[] titles) => trial?.ContextTitle is { } title ? [.. titles, $"Context: {title}"] : titles;

    private IEnumerable<string> Sides(ReaderQuestion question) => question.PerImage ? ["left", "right"] : [""];

    private string? ValueOf(ReaderQuestion question, string side) => answers.GetValueOrDefault((question.Id, side));

    private string outboxKey = "";

    protected override async Task OnParametersSetAsync()
    {
        // One of this page's own navigations has arrived; any other (a link, the reader's own address) starts afresh.
        if (askedFor.TryPeek(out var oldest) && oldest == CasePosition)
        {
            askedFor.Dequeue();
        }
        else
        {
            askedFor.Clear();
        }
        var user = (await AuthenticationState).User;
        // Keyed by reader and study: answers queued in this tab are re-sent after a reload, never under another account.
        outboxKey = $"readerstudy.answers.{user.FindFirstValue(ClaimTypes.NameIdentifier)}.{StudyId}";
        try
        {
            session = await Reading.SessionAsync(user, StudyId);
        }
        catch (StudyRuleException e)
        {
            error = e.Message;
            return;
        }
        // Resume where the reader stopped: the requested case, else the first not yet submitted.
        var target = session.Trials.FirstOrDefault(t => t.Position == CasePosition)
            ?? session.Trials.FirstOrDefault(t => !t.Submitted && t.Available)
            ?? session.Trials.FirstOrDefault(t => !t.Submitted);
        washout = target is { Available: false, OpensAt: { } opens } ? ReadingService.WashoutMessage(opens) : null;
        await ShowAsync(washout is null ? target : null);
    }

    [Inject]
    private ReadingImages Images { get; set; } = default!;

    protected override void OnInitialized() => self = DotNetObjectReference.Create(this);

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            keys = await JS.InvokeAsync<IJSObjectReference>("readerStudy.reading.bindKeys", self);
            outbox = await JS.InvokeAsync<IJSObjectReference>("readerStudy.reading.bindAnswers", self, outboxKey);
        }
        else if (outbox is not null)
        {
            // A re-render may show another case in the same controls: mark its answers pending or saved.
            await outbox.InvokeVoidAsync("paint");
        }
        if (outbox is not null && trial?.TrialId != timedTrial)
        {
            // The browser times each visit to a case (see reading.js): it reports the last one's time as this one starts.
            timedTrial = trial?.TrialId;
            await outbox.InvokeVoidAsync("shown", timedTrial);
        }
    }

    /// <summary>The reader shift+clicked a point in an image: the answer to the annotation question, if the form has one.</summary>
    [JSInvokable]
    public Task OnAnnotate(int pane, int slice, int column, int row) =>
        AnnotateAsync((user, trialId) => Reading.AnnotateAsync(user, trialId, pane, slice, column, row, Images));

    /// <summary>The reader drew an ellipse in an image: with its statistics, the answer to the annotation question.</summary>
    [JSInvokable]
    public Task OnAnnotateEllipse(int pane, int slice, int column, int row, int radiusColumns, int radiusRows) =>
        AnnotateAsync((user, trialId) => Reading.AnnotateEllipseAsync(user, trialId, pane, slice, column, row, radiusColumns, radiusRows, Images));

    /// <summary>The reader drew a freehand outline or a length: with its measurements, the answer to the annotation question.</summary>
    [JSInvokable]
    public Task OnAnnotateShape(int pane, int slice, string shape, int[][] points) =>
        AnnotateAsync((user, trialId) => Reading.AnnotateShapeAsync(user, trialId, pane, slice, shape, points, Images));

    private async Task AnnotateAsync(Func<System.Security.Claims.ClaimsPrincipal, Guid, Task<AnnotationValue?>> annotate)
    {
        if (trial is null || Locked || session?.Questions.Any(q => q.Kind == QuestionKind.Annotation) != true)
        {
            return;
        }
        var user = (await AuthenticationState).User;
        try
        {
            if (await annotate(user, trial.TrialId) is not null)
            {
                trial = await Reading.TrialAsync(user, trial.TrialId);
                answers = trial?.Answers.ToDictionary(a => (a.QuestionId, a.Side), a => a.Value) ?? [];
                if (outbox is not null)
                {
                    await outbox.InvokeVoidAsync("noteSaved");
                }
                StateHasChanged();
            }
        }
        catch (StudyRuleException e)
        {
            Snackbar.Add(e.Message, Severity.Warning);
        }
    }

    private async Task ShowAsync(ReaderTrialSummary? summary)
    {
        trial = summary is null ? null : await Reading.TrialAsync((await AuthenticationState).User, summary.TrialId);
        answers = trial?.Answers.ToDictionary(a => (a.QuestionId, a.Side), a => a.Value) ?? [];
    }

    /// <summary>
    /// The reader chose an answer: shown at once; the browser's answer outbox sends it (see reading.js), so that a
    /// click made while this circuit is down is not lost, and reports back through <see cref="OnAnswersSaved"/>.
    /// </summary>
    private void Choose(ReaderQuestion question, string side, string value) => answers[(question.Id, side)] = value;

    /// <summary>The server confirmed these answers to the browser's outbox (perhaps while this circuit was down).</summary>
    [JSInvokable]
    public Task OnAnswersSaved(List<SavedAnswer> confirmed)
    {
        foreach (var answer in confirmed.Where(a => a.TrialId == trial?.TrialId))
        {
            answers[(answer.QuestionId, answer.Side ?? "")] = answer.Value;
        }
        return InvokeAsync(StateHasChanged);
    }

    /// <summary>The server refused an answer for good (the case is locked, the study closed).</summary>
    [JSInvokable]
    public async Task OnAnswerRefused(string message)
    {
        Snackbar.Add(message, Severity.Warning);
        if (trial is not null)
        {
            trial = await Reading.TrialAsync((await AuthenticationState).User, trial.TrialId);
            answers = trial?.Answers.ToDictionary(a => (a.QuestionId, a.Side), a => a.Value) ?? [];
        }
        await InvokeAsync(StateHasChanged);
    }

    public sealed record SavedAnswer(Guid TrialId, Guid QuestionId, string? Side, string Value);

    private async Task SubmitAsync()
    {
        // Submitting checks the stored answers: wait (briefly) for the outbox to deliver the ones just given.
        var unsent = outbox is null ? 0 : await outbox.InvokeAsync<int>("drain", 8000);
        if (unsent > 0)
        {
            Snackbar.Add($"{unsent} answer(s) are not saved yet; they are being sent again. Submit once the page says they are saved.", Severity.Warning);
            return;
        }
        // The visit's time goes in before the case locks (the browser keeps it; the server takes it while unsubmitted).
        if (outbox is not null)
        {
            await outbox.InvokeVoidAsync("flushTime");
        }
        try
        {
            var result = await Reading.SubmitAsync((await AuthenticationState).User, trial!.TrialId, 0);
            session = await Reading.SessionAsync((await AuthenticationState).User, StudyId);
            var next = session.Trials.FirstOrDefault(t => t.TrialId == result.NextTrialId);
            Navigation.NavigateTo(next is null ? $"/reading/{StudyId}" : $"/reading/{StudyId}?case={next.Position}");
            if (next is null)
            {
                trial = null;
            }
        }
        catch (StudyRuleException e)
        {
            Snackbar.Add(e.Message, Severity.Warning);
        }
        catch (Exception e) when (DatabaseRetry.IsTransient(e))
        {
            Snackbar.Add("The case could not be submitted: the server's database is not answering. Your answers are kept; submit again in a moment.", Severity.Error);
        }
    }

    private Task NextAsync() => GoAsync(+1);

    private Task PreviousAsync() => GoAsync(-1);

    // The cases this page asked the router for that it has not yet been given, oldest first: the query parameter
    // follows a navigation only once the browser has answered it, so clicks faster than that must not start from it.
    private readonly Queue<int> askedFor = new();

    // The case the reader's clicks are heading for: the last one asked for, else the one in the address. Previous and next are
    // enabled from it, so that a click on Previous right after Next on case 1 is taken (the browser drops clicks on a
    // disabled button), rather than greyed until case 2 has arrived.
    private int HeadingFor => askedFor.Count > 0 ? askedFor.Last() : CasePosition ?? trial?.Position ?? 1;

    private Task GoAsync(int step)
    {
        // From the case last asked for, not the one on screen nor the query parameter: a reader clicking faster than a
        // case loads moves from where the clicks before took them (next, previous, next is case 2 again, not 3).
        var from = HeadingFor;
        var position = Math.Clamp(from + step, 1, trial!.Total);
        if (position != from)
        {
            askedFor.Enqueue(position);
            Navigation.NavigateTo($"/reading/{StudyId}?case={position}");
        }
        return Task.CompletedTask;
    }

    [JSInvokable]
    public async Task OnKey(string key)
    {
        if (trial is null || session is null)
        {
            return;
        }
        switch (key)
        {
            case "n":
                await NextAsync();
                break;
            case "p":
                await PreviousAsync();
                break;
            case "s" when !Locked:
                await SubmitAsync();
                break;
        }
        StateHasChanged();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            // Leaving the reading page inside the portal: the browser reports the visit's time. When the tab closed
            // instead, the circuit is gone, this call fails, and the browser already reported it as the page went.
            if (outbox is not null)
            {
                await outbox.InvokeVoidAsync("flushTime");
            }
            foreach (var handle in new[] { keys, outbox })
            {
                if (handle is not null)
                {
                    await handle.InvokeVoidAsync("dispose");
                    await handle.DisposeAsync();
                }
            }
        }
        catch (Exception e) when (e is JSDisconnectedException or ObjectDisposedException or TaskCanceledException or InvalidOperationException || DatabaseRetry.IsTransient(e))
        {
            // The tab closed, or this was the prerendered copy of the page: answers were saved as they were given;
            // only the time on an unsubmitted case may go unrecorded.
        }
        self?.Dispose();
    }
}
