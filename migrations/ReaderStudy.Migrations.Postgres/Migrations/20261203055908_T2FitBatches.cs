using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ReaderStudy.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class T2FitBatches : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "T2FitBatches",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    StudyId = table.Column<Guid>(type: "uuid", nullable: false),
                    Method = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ExcludeFirstEcho = table.Column<bool>(type: "boolean", nullable: false),
                    SubjectIds = table.Column<string>(type: "text", nullable: false),
                    Cancelled = table.Column<bool>(type: "boolean", nullable: false),
                    RequestedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    RequestedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_T2FitBatches", x => x.Id);
                    table.ForeignKey(
                        name: "FK_T2FitBatches_Studies_StudyId",
                        column: x => x.StudyId,
                        principalTable: "Studies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "T2FitFailures",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    StudyId = table.Column<Guid>(type: "uuid", nullable: false),
                    BatchId = table.Column<Guid>(type: "uuid", nullable: false),
                    SubjectId = table.Column<Guid>(type: "uuid", nullable: false),
                    Error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    FailedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_T2FitFailures", x => x.Id);
                    table.ForeignKey(
                        name: "FK_T2FitFailures_Subjects_SubjectId",
                        column: x => x.SubjectId,
                        principalTable: "Subjects",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_T2FitFailures_T2FitBatches_BatchId",
                        column: x => x.BatchId,
                        principalTable: "T2FitBatches",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_T2FitBatches_StudyId",
                table: "T2FitBatches",
                column: "StudyId");

            migrationBuilder.CreateIndex(
                name: "IX_T2FitFailures_BatchId",
                table: "T2FitFailures",
                column: "BatchId");

            migrationBuilder.CreateIndex(
                name: "IX_T2FitFailures_SubjectId",
                table: "T2FitFailures",
                column: "SubjectId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "T2FitFailures");

            migrationBuilder.DropTable(
                name: "T2FitBatches");
        }
    }
}
