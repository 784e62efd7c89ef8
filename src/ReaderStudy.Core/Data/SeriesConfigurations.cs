using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ReaderStudy.Core.Series;
using ReaderStudy.Core.Studies;

namespace ReaderStudy.Core.Data;

internal sealed class SubjectConfiguration : IEntityTypeConfiguration<Subject>
{
    public void Configure(EntityTypeBuilder<Subject> subject)
    {
        subject.HasKey(s => s.Id);
        subject.Property(s => s.Pseudonym).HasMaxLength(64).IsRequired();
        subject.Property(s => s.PatientKey).HasMaxLength(128).IsRequired();
        subject.HasIndex(s => new { s.StudyId, s.PatientKey }).IsUnique();
        subject.HasIndex(s => new { s.StudyId, s.Pseudonym }).IsUnique();
        subject.HasOne<Study>().WithMany().HasForeignKey(s => s.StudyId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ImagingSeriesConfiguration : IEntityTypeConfiguration<ImagingSeries>
{
    public void Configure(EntityTypeBuilder<ImagingSeries> series)
    {
        series.HasKey(s => s.Id);
        series.Property(s => s.SeriesInstanceUid).HasMaxLength(64).IsRequired();
        series.Property(s => s.Modality).HasMaxLength(16);
        series.Property(s => s.Description).HasMaxLength(200);
        series.Property(s => s.Kind).HasConversion<string>().HasMaxLength(20);
        series.Property(s => s.KindRule).HasMaxLength(300);
        series.Property(s => s.EchoTimesMs).HasMaxLength(300);
        series.Property(s => s.Origin).HasConversion<string>().HasMaxLength(16);
        series.HasIndex(s => new { s.StudyId, s.SeriesInstanceUid }).IsUnique();
        series.HasOne<Study>().WithMany().HasForeignKey(s => s.StudyId).OnDelete(DeleteBehavior.Cascade);
        series.HasOne<Subject>().WithMany().HasForeignKey(s => s.SubjectId).OnDelete(DeleteBehavior.Cascade);
        series.HasMany(s => s.Images).WithOne().HasForeignKey(i => i.SeriesId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SeriesImageConfiguration : IEntityTypeConfiguration<SeriesImage>
{
    public void Configure(EntityTypeBuilder<SeriesImage> image)
    {
        image.HasKey(i => i.Id);
        image.Property(i => i.SopInstanceUid).HasMaxLength(64).IsRequired();
        image.Property(i => i.ContentHash).HasMaxLength(64).IsRequired();
        image.Property(i => i.OriginalHash).HasMaxLength(64);
        image.HasIndex(i => i.SeriesId);
        image.HasIndex(i => i.ContentHash);
    }
}
