using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ReaderStudy.Core.Studies;

namespace ReaderStudy.Core.Data;

internal sealed class StudyInvitationConfiguration : IEntityTypeConfiguration<StudyInvitation>
{
    public void Configure(EntityTypeBuilder<StudyInvitation> invitation)
    {
        invitation.Property(i => i.Role).HasMaxLength(20);
        invitation.Property(i => i.Email).HasMaxLength(256);
        invitation.Property(i => i.NormalizedEmail).HasMaxLength(256);
        invitation.HasOne<Study>().WithMany().HasForeignKey(i => i.StudyId).OnDelete(DeleteBehavior.Cascade);
        invitation.Property(i => i.LinkHash).HasMaxLength(64);
        invitation.HasIndex(i => i.NormalizedEmail);
        invitation.HasIndex(i => i.LinkHash);
    }
}
