using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ReaderStudy.Core.Reading;
using ReaderStudy.Core.Series;
using ReaderStudy.Core.Studies;

namespace ReaderStudy.Core.Data;

internal sealed class QuestionConfiguration : IEntityTypeConfiguration<Question>
{
    public void Configure(EntityTypeBuilder<Question> question)
    {
        question.HasKey(q => q.Id);
        question.Property(q => q.Kind).HasConversion<string>().HasMaxLength(20);
        question.Property(q => q.Text).HasMaxLength(500).IsRequired();
        question.Property(q => q.Options).HasMaxLength(1000);
        question.HasIndex(q => new { q.StudyId, q.Order });
        question.HasOne<Study>().WithMany().HasForeignKey(q => q.StudyId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ReadingCaseConfiguration : IEntityTypeConfiguration<ReadingCase>
{
    public void Configure(EntityTypeBuilder<ReadingCase> readingCase)
    {
        readingCase.ToTable("Cases");
        readingCase.HasKey(c => c.Id);
        readingCase.HasIndex(c => new { c.StudyId, c.Number }).IsUnique();
        readingCase.HasOne<Study>().WithMany().HasForeignKey(c => c.StudyId).OnDelete(DeleteBehavior.Cascade);
        readingCase.HasOne<ImagingSeries>().WithMany().HasForeignKey(c => c.RealSeriesId).OnDelete(DeleteBehavior.Restrict);
        readingCase.HasOne<ImagingSeries>().WithMany().HasForeignKey(c => c.SyntheticSeriesId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class TrialConfiguration : IEntityTypeConfiguration<Trial>
{
    public void Configure(EntityTypeBuilder<Trial> trial)
    {
        trial.HasKey(t => t.Id);
        trial.Property(t => t.ReaderId).HasMaxLength(450).IsRequired();
        trial.Property(t => t.LeftImageToken).HasMaxLength(64);
        trial.Property(t => t.RightImageToken).HasMaxLength(64);
        trial.HasIndex(t => new { t.StudyId, t.ReaderId, t.Position }).IsUnique();
        trial.HasIndex(t => t.LeftImageToken).IsUnique();
        trial.HasIndex(t => t.RightImageToken).IsUnique();
        trial.HasOne<ReadingCase>().WithMany().HasForeignKey(t => t.CaseId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AnswerConfiguration : IEntityTypeConfiguration<Answer>
{
    public void Configure(EntityTypeBuilder<Answer> answer)
    {
        answer.HasKey(a => a.Id);
        answer.Property(a => a.Side).HasMaxLength(8);
        answer.Property(a => a.Value).HasMaxLength(4000);
        // One answer per trial, question and side, however many requests race to save it.
        answer.HasIndex(a => new { a.TrialId, a.QuestionId, a.Side }).IsUnique();
        answer.HasOne<Trial>().WithMany().HasForeignKey(a => a.TrialId).OnDelete(DeleteBehavior.Cascade);
        answer.HasOne<Question>().WithMany().HasForeignKey(a => a.QuestionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ViewerEventConfiguration : IEntityTypeConfiguration<ViewerEvent>
{
    public void Configure(EntityTypeBuilder<ViewerEvent> viewerEvent)
    {
        viewerEvent.HasKey(e => e.Id);
        viewerEvent.Property(e => e.Kind).HasMaxLength(32);
        viewerEvent.Property(e => e.Detail).HasMaxLength(500);
        viewerEvent.HasIndex(e => e.TrialId);
        viewerEvent.HasOne<Trial>().WithMany().HasForeignKey(e => e.TrialId).OnDelete(DeleteBehavior.Cascade);
    }
}
