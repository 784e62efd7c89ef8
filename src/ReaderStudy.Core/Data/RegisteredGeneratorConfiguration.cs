using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ReaderStudy.Core.Synthesis;

namespace ReaderStudy.Core.Data;

internal sealed class RegisteredGeneratorConfiguration : IEntityTypeConfiguration<RegisteredGenerator>
{
    public void Configure(EntityTypeBuilder<RegisteredGenerator> generator)
    {
        generator.ToTable("Generators");
        generator.Property(g => g.Name).HasMaxLength(200);
        generator.Property(g => g.Version).HasMaxLength(50);
        generator.Property(g => g.Sha256).HasMaxLength(64);
        generator.Property(g => g.CheckedOn).HasMaxLength(10);
        generator.Property(g => g.UploadedBy).HasMaxLength(256);
        generator.HasIndex(g => new { g.Name, g.Version }).IsUnique();
    }
}
