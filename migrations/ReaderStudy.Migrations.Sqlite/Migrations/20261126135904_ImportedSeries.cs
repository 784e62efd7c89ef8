using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ReaderStudy.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ImportedSeries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "DeidentificationKey",
                table: "Studies",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "Subjects",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    StudyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Pseudonym = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PatientKey = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Subjects", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Subjects_Studies_StudyId",
                        column: x => x.StudyId,
                        principalTable: "Studies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Series",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    StudyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SubjectId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SeriesInstanceUid = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Modality = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    SeriesNumber = table.Column<int>(type: "INTEGER", nullable: true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    KindRule = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    KindOverridden = table.Column<bool>(type: "INTEGER", nullable: false),
                    Rows = table.Column<int>(type: "INTEGER", nullable: false),
                    Columns = table.Column<int>(type: "INTEGER", nullable: false),
                    ImageCount = table.Column<int>(type: "INTEGER", nullable: false),
                    EchoTimesMs = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    ImportedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Series", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Series_Studies_StudyId",
                        column: x => x.StudyId,
                        principalTable: "Studies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_Series_Subjects_SubjectId",
                        column: x => x.SubjectId,
                        principalTable: "Subjects",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SeriesImages",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SeriesId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SopInstanceUid = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ContentHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    OriginalHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Bytes = table.Column<long>(type: "INTEGER", nullable: false),
                    InstanceNumber = table.Column<int>(type: "INTEGER", nullable: true),
                    SlicePosition = table.Column<double>(type: "REAL", nullable: false),
                    EchoTimeMs = table.Column<double>(type: "REAL", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SeriesImages", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SeriesImages_Series_SeriesId",
                        column: x => x.SeriesId,
                        principalTable: "Series",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Series_StudyId_SeriesInstanceUid",
                table: "Series",
                columns: new[] { "StudyId", "SeriesInstanceUid" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Series_SubjectId",
                table: "Series",
                column: "SubjectId");

            migrationBuilder.CreateIndex(
                name: "IX_SeriesImages_ContentHash",
                table: "SeriesImages",
                column: "ContentHash");

            migrationBuilder.CreateIndex(
                name: "IX_SeriesImages_SeriesId",
                table: "SeriesImages",
                column: "SeriesId");

            migrationBuilder.CreateIndex(
                name: "IX_Subjects_StudyId_PatientKey",
                table: "Subjects",
                columns: new[] { "StudyId", "PatientKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Subjects_StudyId_Pseudonym",
                table: "Subjects",
                columns: new[] { "StudyId", "Pseudonym" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SeriesImages");

            migrationBuilder.DropTable(
                name: "Series");

            migrationBuilder.DropTable(
                name: "Subjects");

            migrationBuilder.DropColumn(
                name: "DeidentificationKey",
                table: "Studies");
        }
    }
}
