using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ReaderStudy.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class OutlineSegmentation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "OutlineSegmentation",
                table: "Studies",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "OutlineSegmentation",
                table: "Studies");
        }
    }
}
