using System.CommandLine;
using System.CommandLine.Help;
using ReaderStudy.Cli.Stats;

// The same `stats` command as the full command line, alone: nothing here needs a database, DICOM or ONNX
// Runtime. The launcher runs this binary for `readerstudy stats`, so help and usage name `readerstudy`.
var root = new Command("readerstudy", "ReaderStudy statistics: one analysis of a CSV, printed as JSON.") { StatsCommand.Create(), new HelpOption() };
return await root.Parse(args).InvokeAsync();
