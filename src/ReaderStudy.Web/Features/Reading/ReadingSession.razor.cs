using System.Diagnostics;
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
    private string? saved;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(Guid Trial, Guid Question, string Side), string> pending = new();
    private int retrying;
    private volatile bool disposed;
    private readonly Stopwatch onCase = new();
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

    private IEnumerable<string> Sides(ReaderQuestion question) => question.PerImage ? ["left", "right"] : [""];

    private string? ValueOf(ReaderQuestion question, string side) => answers.GetValueOrDefault((question.Id, side));

    protected override async Task OnParametersSetAsync()
    {
        var user = (await AuthenticationState).User;
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
            ?? session.Trials.FirstOrDefault(t => !t.Submitted);
        await ShowAsync(target);
    }

    [Inject]
    private ReadingImages Images { get; set; } = default!;

    protected override void OnInitialized() => self = DotNetObjectReference.Create(this);

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            keys = await JS.InvokeAsync<IJSObjectReference>("readerStudy.reading.bindKeys", self);
        }
    }

    /// <summary>The reader shift+clicked a point in an image: the answer to the annotation question, if the form has one.</summary>
    [JSInvokable]
    public async Task OnAnnotate(int pane, int slice, int column, int row)
    {
        if (trial is null || Locked || session?.Questions.Any(q => q.Kind == QuestionKind.Annotation) != true)
        {
            return;
        }
        var user = (await AuthenticationState).User;
        try
        {
            if (await Reading.AnnotateAsync(user, trial.TrialId, pane, slice, column, row, Images) is not null)
            {
                trial = await Reading.TrialAsync(user, trial.TrialId);
                answers = trial?.Answers.ToDictionary(a => (a.QuestionId, a.Side), a => a.Value) ?? [];
                saved = $"Saved at {DateTime.Now:HH:mm:ss}";
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
        await LeaveCurrentAsync();
        trial = summary is null ? null : await Reading.TrialAsync((await AuthenticationState).User, summary.TrialId);
        answers = trial?.Answers.ToDictionary(a => (a.QuestionId, a.Side), a => a.Value) ?? [];
        saved = null;
        onCase.Restart();
    }

    private async Task LeaveCurrentAsync()
    {
        if (trial is { Submitted: false } && onCase.Elapsed.TotalSeconds > 0)
        {
            await Reading.AddTimeAsync((await AuthenticationState).User, trial.TrialId, onCase.Elapsed.TotalSeconds);
        }
        onCase.Reset();
    }

    private async Task SaveAsync(ReaderQuestion question, string side, string value)
    {
        var trialId = trial!.TrialId;
        answers[(question.Id, side)] = value;
        pending[(trialId, question.Id, side)] = value;
        saved = PendingText();
        try
        {
            await Reading.SaveAnswerAsync((await AuthenticationState).User, trialId, new AnswerInput(question.Id, side, value));
            pending.Remove((trialId, question.Id, side), out _);
            saved = pending.IsEmpty ? $"Saved at {DateTime.Now:HH:mm:ss}" : PendingText();
        }
        catch (StudyRuleException e)
        {
            pending.Remove((trialId, question.Id, side), out _);
            Snackbar.Add(e.Message, Severity.Warning);
        }
        catch (Exception e) when (DatabaseRetry.IsTransient(e))
        {
            // The database stayed away longer than the service's own retries: keep the answer, show it as not saved, try on.
            saved = PendingText();
            _ = RetryPendingAsync();
        }
    }

    private string PendingText() => $"Not saved yet: {pending.Count} answer(s) waiting for the server, retrying…";

    /// <summary>Sends the answers the database could not take until it takes them, newest value of each.</summary>
    private async Task RetryPendingAsync()
    {
        if (Interlocked.Exchange(ref retrying, 1) == 1)
        {
            return;
        }
        try
        {
            var user = (await AuthenticationState).User;
            while (!pending.IsEmpty && !disposed)
            {
                await Task.Delay(TimeSpan.FromSeconds(2));
                foreach (var ((trialId, questionId, side), value) in pending.ToArray())
                {
                    try
                    {
                        await Reading.SaveAnswerAsync(user, trialId, new AnswerInput(questionId, side, value));
                        pending.TryRemove(new KeyValuePair<(Guid, Guid, string), string>((trialId, questionId, side), value));
                    }
                    catch (Exception e) when (DatabaseRetry.IsTransient(e))
                    {
                        break;
                    }
                    catch (StudyRuleException)
                    {
                        pending.TryRemove((trialId, questionId, side), out _);
                    }
                }
                saved = pending.IsEmpty ? $"Saved at {DateTime.Now:HH:mm:ss}" : PendingText();
                await InvokeAsync(StateHasChanged);
            }
        }
        finally
        {
            Interlocked.Exchange(ref retrying, 0);
        }
    }

    private async Task SubmitAsync()
    {
        try
        {
            var result = await Reading.SubmitAsync((await AuthenticationState).User, trial!.TrialId, onCase.Elapsed.TotalSeconds);
            onCase.Reset();
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

    private Task GoAsync(int step)
    {
        var position = Math.Clamp(trial!.Position + step, 1, trial.Total);
        Navigation.NavigateTo($"/reading/{StudyId}?case={position}");
        return Task.CompletedTask;
    }

    [JSInvokable]
    public async Task OnKey(string key)
    {
        if (trial is null || session is null)
        {
            return;
        }
        var whichIsReal = session.Questions.FirstOrDefault(q => q.Kind == QuestionKind.WhichIsReal);
        switch (key)
        {
            case "1" or "2" when whichIsReal is not null && !Locked:
                var value = session.Mode == ReadingMode.SingleRealOrSynthetic ? (key == "1" ? "real" : "synthetic") : (key == "1" ? "left" : "right");
                await SaveAsync(whichIsReal, "", value);
                break;
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
        disposed = true;
        try
        {
            await LeaveCurrentAsync();
            if (keys is not null)
            {
                await keys.InvokeVoidAsync("dispose");
                await keys.DisposeAsync();
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
