namespace ReaderStudy.Testing;

/// <summary>A deliberately leaky configuration: series descriptions reach the reader's browser. The blinding check must catch it.</summary>
public sealed class LeakyPortal() : PortalFactory(TestDatabase.Sqlite, new Dictionary<string, string> { ["Reading:ExposeSeriesDescription"] = "true" });
