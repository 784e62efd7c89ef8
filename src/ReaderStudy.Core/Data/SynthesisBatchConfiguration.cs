using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ReaderStudy.Core.Studies;
using ReaderStudy.Core.Synthesis;

namespace ReaderStudy.Core.Data;

internal sealed class SynthesisBatchConfiguration : IEntityTypeConfiguration<SynthesisBatch>
{
    public void Configure(EntityTypeBuilder<SynthesisBatch> batch)
    {
        batch.Ignore(b => b.Subjects);
        batch.Property(b => b.RequestedBy).HasMaxLength(256);
        batch.HasOne<RegisteredGenerator>().WithMany().HasForeignKey(b => b.GeneratorId).OnDelete(DeleteBehavior.Restrict);
        batch.HasOne<Study>().WithMany().HasForeignKey(b => b.StudyId).OnDelete(DeleteBehavior.Cascade);
        batch.HasIndex(b => b.StudyId);
    }
}
