using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ReaderStudy.Core.Auditing;

namespace ReaderStudy.Core.Data;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> entry)
    {
        entry.ToTable("AuditLog");
        entry.HasKey(e => e.Id);
        entry.Property(e => e.UserName).HasMaxLength(256);
        entry.Property(e => e.Action).HasMaxLength(100).IsRequired();
        entry.Property(e => e.EntityKey).HasMaxLength(300);
        entry.Property(e => e.Details).HasMaxLength(4000);
        entry.HasIndex(e => e.At);
        entry.HasIndex(e => e.StudyId);
        entry.Property(e => e.Hash).HasMaxLength(64);
        entry.Property(e => e.PreviousHash).HasMaxLength(64);
    }
}
