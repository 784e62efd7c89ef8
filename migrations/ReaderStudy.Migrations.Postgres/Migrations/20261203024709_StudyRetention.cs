using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ReaderStudy.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class StudyRetention : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ClosedAt",
                table: "Studies",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ImageFindings",
                table: "Studies",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ImagesReleasedAt",
                table: "Studies",
                type: "timestamp with time zone",
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
