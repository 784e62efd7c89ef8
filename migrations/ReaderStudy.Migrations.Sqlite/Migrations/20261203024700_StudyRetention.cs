using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ReaderStudy.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class StudyRetention : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "ClosedAt",
                table: "Studies",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ImageFindings",
                table: "Studies",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ImagesReleasedAt",
                table: "Studies",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ClosedAt",
                table: "Studies");

            migrationBuilder.DropColumn(
                name: "ImageFindings",
                table: "Studies");

            migrationBuilder.DropColumn(
                name: "ImagesReleasedAt",
                table: "Studies");
        }
    }
}
