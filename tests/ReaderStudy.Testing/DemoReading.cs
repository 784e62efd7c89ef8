using System.Net.Http.Json;
using ReaderStudy.Core.Reading;
using ReaderStudy.Web.Features.Reading;

namespace ReaderStudy.Testing;

/// <summary>Reads every case of the demo study through the reading API, as a given reader would.</summary>
public static class DemoReading
{
    /// <param name="correct">Whether the reader picks the real image (known from the database) or the synthetic one.</param>
    public static async Task ReadAllAsync(PortalFactory portal, PortalClient reader, Guid studyId, bool correct, int grade)
    {
        var session = (await reader.Http.GetFromJsonAsync<ReaderSession>($"/api/reading/studies/{studyId}/session", PortalJson.Options))!;
        await using var db = portal.NewDbContext();
        foreach (var trial in session.Trials)
        {
            var realOnLeft = db.Trials.Single(t => t.Id == trial.TrialId).RealOnLeft;
            foreach (var question in session.Questions.Where(q => q.Kind != QuestionKind.Annotation))
            {
                foreach (var side in question.PerImage ? new[] { "left", "right" } : [""])
                {
                    var value = question.Kind switch
                    {
                        QuestionKind.WhichIsReal => realOnLeft == correct ? "left" : "right",
                        QuestionKind.YesNo => "no",
                        QuestionKind.Likert when question.PerImage => ((side == "left") == realOnLeft ? grade : grade - 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                        _ => "4",
                    };
                    var response = await reader.Http.PutAsJsonAsync($"/api/reading/trials/{trial.TrialId}/answers", new AnswerInput(question.Id, side, value));
                    response.EnsureSuccessStatusCode();
                }
            }
            (await reader.Http.PostAsync($"/api/reading/trials/{trial.TrialId}/submit?seconds=30", null)).EnsureSuccessStatusCode();
        }
    }
}
