using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ReaderStudy.Migrations.Postgres.Migrations
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
                type: "boolean",
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
