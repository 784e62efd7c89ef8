using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ReaderStudy.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class DiagnosticReading : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Block",
                table: "Trials",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<bool>(
                name: "ReferenceTruth",
                table: "Subjects",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DiagnosticFinding",
                table: "Studies",
                type: "TEXT",
                maxLength: 500,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "DiagnosticSpacing",
                table: "Studies",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "DiagnosticWashoutDays",
                table: "Studies",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Block",
                table: "Trials");

            migrationBuilder.DropColumn(
                name: "ReferenceTruth",
                table: "Subjects");

            migrationBuilder.DropColumn(
                name: "DiagnosticFinding",
                table: "Studies");

            migrationBuilder.DropColumn(
                name: "DiagnosticSpacing",
                table: "Studies");

            migrationBuilder.DropColumn(
                name: "DiagnosticWashoutDays",
                table: "Studies");
        }
    }
}
