using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ReaderStudy.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class StudyPresentation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "BlindingOverrideReason",
                table: "Studies",
                type: "character varying(4000)",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "BlindingVerdict",
                table: "Studies",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PresentationMask",
                table: "Studies",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "CommonSupport");

            migrationBuilder.AddColumn<double>(
                name: "PresentationStep",
                table: "Studies",
                type: "double precision",
                nullable: false,
                defaultValue: 0.1);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "BlindingOverrideReason",
                table: "Studies");

            migrationBuilder.DropColumn(
                name: "BlindingVerdict",
                table: "Studies");

            migrationBuilder.DropColumn(
                name: "PresentationMask",
                table: "Studies");

            migrationBuilder.DropColumn(
                name: "PresentationStep",
                table: "Studies");
        }
    }
}
