using ReaderStudy.Cli;

return await CommandLine.Build().Parse(args).InvokeAsync();
