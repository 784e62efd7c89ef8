using Microsoft.Data.Sqlite;
using Npgsql;

namespace ReaderStudy.Core.Storage;

/// <summary>
/// Recognizes a write that failed because a disk is full, wherever it surfaced: the image store's file copy
/// (ENOSPC, or EDQUOT for a quota), SQLite's "database or disk is full", PostgreSQL's disk_full.
/// </summary>
public static class StorageFull
{
    private const int NoSpaceLeft = 28;
    private const int QuotaExceeded = 122;
    private const int SqliteFull = 13;

    /// <summary>What is full, in the coordinator's words; null when the failure is something else.</summary>
    public static string? Reason(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                // The message names a server path, which is no business of a coordinator's.
                case IOException { HResult: NoSpaceLeft }:
                    return "a disk of the portal is full (no space left on the device)";
                case IOException { HResult: QuotaExceeded }:
                    return "a disk quota of the portal is used up";
                case SqliteException sqlite when sqlite.SqliteErrorCode == SqliteFull:
                    return "the disk of the portal's database is full";
                case PostgresException postgres when postgres.SqlState == PostgresErrorCodes.DiskFull:
                    return "the PostgreSQL server's disk is full";
            }
        }
        return null;
    }
}
