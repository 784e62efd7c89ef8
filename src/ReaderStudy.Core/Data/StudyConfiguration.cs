using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ReaderStudy.Core.Studies;

namespace ReaderStudy.Core.Data;

internal sealed class StudyConfiguration : IEntityTypeConfiguration<Study>
{
    public void Configure(EntityTypeBuilder<Study> study)
    {
        study.HasKey(s => s.Id);
        study.Property(s => s.Name).HasMaxLength(200).IsRequired();
        study.Property(s => s.Description).HasMaxLength(4000);
        study.Property(s => s.QuantityLabel).HasMaxLength(100);
        study.Property(s => s.Kind).HasConversion<string>().HasMaxLength(32);
        study.Ignore(s => s.Profile);
        study.Property(s => s.Colormap).HasMaxLength(20);
        study.Property(s => s.ContextSeries).HasMaxLength(128);
        study.Property(s => s.State).HasConversion<string>().HasMaxLength(20);
        study.HasIndex(s => s.Name).IsUnique();
        study.Property(s => s.DeidentificationKey).HasMaxLength(64);
        study.Property(s => s.ReadingMode).HasConversion<string>().HasMaxLength(32);
        study.Property(s => s.PresentationMask).HasConversion<string>().HasMaxLength(32);
        study.Property(s => s.BlindingVerdict).HasMaxLength(2000);
        study.Property(s => s.DiagnosticFinding).HasMaxLength(500);
        study.Property(s => s.BlindingOverrideReason).HasMaxLength(4000);
        study.HasMany(s => s.Members).WithOne().HasForeignKey(m => m.StudyId).OnDelete(DeleteBehavior.Cascade);
    }
}
