using ReaderStudy.Bench;

// Speed targets are measured here, never in unit tests. Run in Release:
//   dotnet run -c Release --project bench/ReaderStudy.Bench -- t2-fit|import|phantom|blinding|mrmc|mammography|all, cli-start [LAUNCHER], co-register, or synthesize MODEL.onnx [auto|cpu|cuda]
var what = args.FirstOrDefault() ?? "all";
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd}");
if (what is "t2-fit" or "all")
{
    T2FitBench.Run();
}
if (what is "import" or "all")
{
    ImportBench.Run();
}
if (what is "phantom" or "all")
{
    PhantomBench.Run();
}
if (what is "blinding" or "all")
{
    // blinding [CASES READERS]: 500 trials are 50 cases x 10 readers by default.
    BlindingBench.Run(int.Parse(args.ElementAtOrDefault(1) ?? "50"), int.Parse(args.ElementAtOrDefault(2) ?? "10"));
}
if (what is "mrmc" or "all")
{
    // mrmc [READERS CASES]: the diagnostic-equivalence analysis, 10 readers x 500 cases by default.
    MrmcBench.Run(int.Parse(args.ElementAtOrDefault(1) ?? "10"), int.Parse(args.ElementAtOrDefault(2) ?? "500"));
    DiagnosticResultsBench.Run(int.Parse(args.ElementAtOrDefault(1) ?? "10"), int.Parse(args.ElementAtOrDefault(2) ?? "500"));
}
if (what is "mammography" or "all")
{
    // mammography [COLUMNS]: a full-field view, 3000 x 3750 by default.
    MammographyBench.Run(int.Parse(args.ElementAtOrDefault(1) ?? "3000"));
}
if (what is "cli-start")
{
    // cli-start [LAUNCHER]: the installed command line (deploy/install-cli.sh); published to a temporary folder when not given.
    CliStartBench.Run(args.ElementAtOrDefault(1));
}
if (what is "load")
{
    // load [READERS,… [sqlite,postgres [SECONDS [THINK_MS [none|kill|pg-restart|drop]]]]]: PostgreSQL from READERSTUDY_TEST_POSTGRES
    // (deploy/lib/postgres.sh starts one); pg-restart starts a server of its own, which it restarts a third of the way in.
    await LoadBench.RunAsync(
        (args.ElementAtOrDefault(1) ?? "10,50,100,200").Split(',').Select(int.Parse).ToList(),
        (args.ElementAtOrDefault(2) ?? "sqlite,postgres").Split(','),
        TimeSpan.FromSeconds(int.Parse(args.ElementAtOrDefault(3) ?? "60")),
        TimeSpan.FromMilliseconds(int.Parse(args.ElementAtOrDefault(4) ?? "2000")),
        args.ElementAtOrDefault(5) ?? "none");
}
if (what is "circuits")
{
    // circuits [PAGES]: the portal's memory per open reading page (Blazor circuit), in Debian's Chromium.
    await CircuitMemoryBench.RunAsync(int.Parse(args.ElementAtOrDefault(1) ?? "20"));
}
if (what is "co-register")
{
    CoRegistrationBench.Run();
}
if (what is "synthesize")
{
    // synthesize MODEL.onnx [auto|cpu|cuda]: the model from tools/models/make_pix2pix_unet.py (generated, not committed).
    SynthesisBench.Run(args.ElementAtOrDefault(1) ?? "/tmp/readerstudy-models/pix2pix.onnx",
        Enum.Parse<ReaderStudy.Core.Synthesis.GeneratorDevice>(args.ElementAtOrDefault(2) ?? "auto", ignoreCase: true));
}
