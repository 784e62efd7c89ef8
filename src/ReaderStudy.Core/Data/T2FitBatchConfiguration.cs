using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ReaderStudy.Core.Series;
using ReaderStudy.Core.Studies;
using ReaderStudy.Core.Synthesis;
using ReaderStudy.Core.T2Mapping;

namespace ReaderStudy.Core.Data;

internal sealed class T2FitBatchConfiguration : IEntityTypeConfiguration<T2FitBatch>
{
    public void Configure(EntityTypeBuilder<T2FitBatch> batch)
    {
        batch.Ignore(b => b.Subjects);
        batch.Ignore(b => b.Mark);
        batch.Property(b => b.RequestedBy).HasMaxLength(256);
        batch.Property(b => b.Method).HasConversion<string>().HasMaxLength(32);
        batch.HasOne<Study>().WithMany().HasForeignKey(b => b.StudyId).OnDelete(DeleteBehavior.Cascade);
        batch.HasIndex(b => b.StudyId);
    }
}

internal sealed class T2FitFailureConfiguration : IEntityTypeConfiguration<T2FitFailure>
{
    public void Configure(EntityTypeBuilder<T2FitFailure> failure)
    {
        failure.Property(f => f.Error).HasMaxLength(SynthesisFailureLimits.ErrorLength);
        failure.HasOne<T2FitBatch>().WithMany().HasForeignKey(f => f.BatchId).OnDelete(DeleteBehavior.Cascade);
        failure.HasOne<Subject>().WithMany().HasForeignKey(f => f.SubjectId).OnDelete(DeleteBehavior.Cascade);
        failure.HasIndex(f => f.BatchId);
    }
}

internal sealed class T2FitReliabilityConfiguration : IEntityTypeConfiguration<T2FitReliability>
{
    public void Configure(EntityTypeBuilder<T2FitReliability> reliability)
    {
        reliability.HasKey(r => r.SeriesId);
        reliability.HasOne<ImagingSeries>().WithOne().HasForeignKey<T2FitReliability>(r => r.SeriesId).OnDelete(DeleteBehavior.Cascade);
    }
}
