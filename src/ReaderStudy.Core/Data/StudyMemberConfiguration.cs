using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ReaderStudy.Core.Accounts;
using ReaderStudy.Core.Studies;

namespace ReaderStudy.Core.Data;

internal sealed class StudyMemberConfiguration : IEntityTypeConfiguration<StudyMember>
{
    public void Configure(EntityTypeBuilder<StudyMember> member)
    {
        member.HasKey(m => new { m.StudyId, m.UserId, m.Role });
        member.Property(m => m.Role).HasMaxLength(20);
        member.HasOne<PortalUser>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        member.HasIndex(m => m.UserId);
    }
}
