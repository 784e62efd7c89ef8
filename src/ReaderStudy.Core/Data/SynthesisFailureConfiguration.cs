using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ReaderStudy.Core.Series;
using ReaderStudy.Core.Synthesis;

namespace ReaderStudy.Core.Data;

internal sealed class SynthesisFailureConfiguration : IEntityTypeConfiguration<SynthesisFailure>
{
    public void Configure(EntityTypeBuilder<SynthesisFailure> failure)
    {
        failure.Property(f => f.Error).HasMaxLength(SynthesisFailureLimits.ErrorLength);
        failure.HasOne<SynthesisBatch>().WithMany().HasForeignKey(f => f.BatchId).OnDelete(DeleteBehavior.Cascade);
        failure.HasOne<Subject>().WithMany().HasForeignKey(f => f.SubjectId).OnDelete(DeleteBehavior.Cascade);
        failure.HasIndex(f => f.BatchId);
    }
}
